// The lock a command holds on a file for a whole read → edit → write, so that two at once never lose a change.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An exclusive advisory lock (`flock`) on the file a path leads to, held from before the file is
/// read until the process has replaced it: a second `slcfg set` on the same file waits, then reads
/// what the first wrote. The lock is on the file itself, so nothing is added to a provisioning
/// directory. A save replaces the file by a rename, so a process that waited on the old file
/// finds, once it holds the lock, that the name leads to a new one, and locks that instead.
/// Released when the value is dropped (or the process ends).
public final class UpdateLock: @unchecked Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    /// Locks the file `path` leads to, waiting while another process holds it: `waiting` is
    /// called once after the first second, and after `timeout` seconds the wait ends in an error
    /// that says so. Nil when there is nothing to lock (no file yet, or not a regular file, which
    /// the read refuses in its own words).
    public static func acquire(
        _ path: String, timeout: Double = 30, waiting: () -> Void = {}
    ) throws(FileError) -> UpdateLock? {
        let start = Date()
        var told = false
        while true {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
            guard fd >= 0 else {
                if errno == ENOENT { return nil }
                throw .system(path, "cannot open", errno)
            }
            var held = stat()
            guard fstat(fd, &held) == 0, (held.st_mode & S_IFMT) == S_IFREG else {
                Glibc.close(fd)
                return nil
            }
            while flock(fd, LOCK_EX | LOCK_NB) != 0 {
                guard errno == EWOULDBLOCK || errno == EINTR else {
                    let code = errno
                    Glibc.close(fd)
                    throw .system(path, "cannot lock", code)
                }
                let waited = Date().timeIntervalSince(start)
                if waited > 1 && !told {
                    waiting()
                    told = true
                }
                guard waited < timeout else {
                    Glibc.close(fd)
                    throw FileError(
                        path: path,
                        message: "is being changed by another process (it holds the file's lock); gave up after "
                            + "\(Int(timeout)) s, nothing was changed")
                }
                usleep(5_000)
            }
            // The holder may have replaced the file while this one waited: lock the file the name
            // leads to now.
            var now = stat()
            if stat(path, &now) == 0 && now.st_dev == held.st_dev && now.st_ino == held.st_ino {
                return UpdateLock(fd: fd)
            }
            Glibc.close(fd)
        }
    }

    /// Whether the locked file is still the one `identity` names, unchanged since it was read.
    public func holds(_ identity: FileIdentity) -> Bool {
        var st = stat()
        return fstat(fd, &st) == 0 && identity.matches(st)
    }
}
