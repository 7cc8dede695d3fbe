// The extended-attribute calls (sys/xattr.h), which Glibc's Swift module leaves out: a save keeps ACLs with them.
#include <sys/xattr.h>
