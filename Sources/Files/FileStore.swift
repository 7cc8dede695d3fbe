#if canImport(Glibc)
import CXattr
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and atomically replacing configuration files.
public struct FileStore: Sendable {
    /// The system calls used to write; tests substitute failing ones.
    public var calls: any SystemCalls

    public init(calls: any SystemCalls = PosixCalls()) {
        self.calls = calls
    }

    /// The largest file slcfg reads.
    public static let maximumSize = 1 << 30 + 1 << 29

    /// Reads a whole file (no snapshot: its hash is not computed).
    public static func read(_ path: String) throws(FileError) -> [UInt8] {
        let (fd, st) = try openRegularFile(path)
        defer { Glibc.close(fd) }
        return try readAll(fd, size: Int(st.st_size), path: path)
    }

    /// An open descriptor of the regular file at `path`, with its status; the caller closes it.
    static func openRegularFile(_ path: String) throws(FileError) -> (Int32, stat) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else {
            let code = errno
            throw .system(path, "cannot open", code, advice: code == ENOENT ? "check the path" : "")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let code = errno
            Glibc.close(fd)
            throw .system(path, "cannot read", code)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            Glibc.close(fd)
            throw FileError(path: path, message: "is not a regular file")
        }
        return (fd, st)
    }

    /// Reads a whole file, with the snapshot of the very file read (its identity taken from the
    /// open descriptor, so a link swapped in afterwards is never mistaken for it).
    public static func readIdentified(_ path: String) throws(FileError) -> (bytes: [UInt8], snapshot: FileSnapshot) {
        let (fd, st) = try openRegularFile(path)
        defer { Glibc.close(fd) }
        let bytes = try readAll(fd, size: Int(st.st_size), path: path)
        let identity = FileIdentity(
            target: descriptorPath(fd) ?? realPath(path) ?? path, device: UInt64(st.st_dev),
            inode: UInt64(st.st_ino), changed: FileIdentity.changed(st))
        let snapshot = FileSnapshot(
            size: Int(st.st_size), modified: Int64(st.st_mtim.tv_sec), modifiedNanoseconds: Int64(st.st_mtim.tv_nsec),
            hash: FileSnapshot.hash(bytes), identity: identity)
        return (bytes, snapshot)
    }

    /// The path an open descriptor refers to, as the kernel knows it.
    static func descriptorPath(_ fd: Int32) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/fd/\(fd)", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Every byte of an open regular file of `size` bytes (more if it grew while being read).
    static func readAll(_ fd: Int32, size: Int, path: String) throws(FileError) -> [UInt8] {
        guard size <= maximumSize else {
            throw FileError(
                path: path,
                message:
                    "is \(size / (1 << 20)) MB; slcfg reads configuration files up to \(maximumSize / (1 << 20)) MB")
        }
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            count = 0
            while count < size {
                let r = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if r < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if r == 0 { return }
                count += r
            }
        }
        if failure != 0 { throw .system(path, "cannot read", failure) }
        // A file that grew while being read: take the rest too.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count >= size {
            let r = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r < 0 { throw .system(path, "cannot read", errno) }
            if r == 0 { break }
            bytes += chunk[0..<r]
            guard bytes.count <= maximumSize else {
                throw FileError(path: path, message: "grew past \(maximumSize / (1 << 20)) MB while being read")
            }
        }
        return bytes
    }

    /// Reads standard input to its end, or refuses once it holds more than `limit` bytes (what
    /// it is read as, `what`, is named in the error) without reading the rest.
    public static func readStandardInput(limit: Int, what: String) throws(FileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let r = chunk.withUnsafeMutableBytes { Glibc.read(0, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            bytes += chunk[0..<r]
            if bytes.count > limit {
                throw FileError(
                    path: "standard input",
                    message: "holds more than \(limit >> 20) MB, more than \(what) ever is; stopped reading")
            }
        }
        return bytes
    }

    /// The size of the file a path leads to, nil when it cannot be stat'ed.
    public static func size(of path: String) -> Int? {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : nil
    }

    /// The most standard input slcfg reads as a configuration file (twice the largest ever seen).
    public static let standardInputLimit = 64 << 20

    /// The most a certificate file (or standard input) may hold: a chain of 1,000 certificates.
    public static let certificateLimit = 8 << 20

    /// The file a path names after following symbolic links; the path itself when it does not exist.
    public static func resolve(_ path: String) throws(FileError) -> String {
        var st = stat()
        guard lstat(path, &st) == 0 else { return path }
        guard (st.st_mode & S_IFMT) == S_IFLNK else { return path }
        guard let real = realpath(path, nil) else {
            throw .system(path, "is a symbolic link to a file that cannot be reached", errno)
        }
        defer { free(real) }
        return String(cString: real)
    }

    /// `path` made absolute: where it really leads when it exists, else under the working directory.
    public static func absolutePath(_ path: String) -> String {
        if let real = realPath(path) { return real }
        if path.hasPrefix("/") { return path }
        var directory = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&directory, directory.count) != nil else { return path }
        return String(cString: directory) + "/" + path
    }

    /// Where `path` really leads, every link and `..` resolved (nil: it does not exist).
    public static func realPath(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// Replaces the file at `path` with `bytes` atomically: a temporary file in the same
    /// directory with the original's mode and owner, written, `fsync`ed and renamed over the
    /// original (the target of a symbolic link, which stays a link). The directory is opened once
    /// and every step names files relative to it. With `expected` (the file as read), the target
    /// is the one resolved then, and just before the rename the name must still be that very file
    /// (device and inode, not following a link): a name that has become a link, or another file,
    /// is a conflict and nothing is written. On failure nothing is left behind and the original is
    /// untouched.
    ///
    /// The new file keeps the original's mode, owner and extended attributes (ACLs among them). A
    /// file with several hard links is refused: a rename would leave its other names on the old
    /// contents. `inPlace` writes such a file through its links instead, not atomically. A file
    /// that does not exist yet gets `modeIfNew` (else what the umask leaves of 0666).
    public func write(
        _ bytes: [UInt8], to path: String, expected: FileIdentity? = nil, inPlace: Bool = false,
        modeIfNew: mode_t? = nil
    ) throws(FileError) {
        let target: String
        if let expected { target = expected.target } else { target = try Self.resolve(path) }
        let (directory, base) = Self.split(target)
        removeStaleTemporaries(in: directory, base: base)
        let (dfd, dirError) = calls.open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)
        guard dfd >= 0 else {
            throw .system(path, "cannot open its directory \(directory)", dirError, advice: "nothing was written")
        }
        defer { _ = calls.close(dfd) }
        var (mode, owner, links) = try checkTarget(dfd, base, path: path, expected: expected)
        if owner == nil, let modeIfNew { mode = modeIfNew }
        if links > 1 {
            guard inPlace else {
                // EMLINK marks it, for a front end to offer its own way through the links.
                throw FileError(
                    path: path,
                    message: "has \(links) hard links: replacing it would leave the other names with the old "
                        + "contents; nothing was written", code: EMLINK)
            }
            return try writeInPlace(bytes, dfd, base, path: path)
        }
        let temporary = ".\(base).slcfg-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW
        let (fd, openError) = calls.openat(dfd, temporary, flags, 0o600)
        guard fd >= 0 else {
            throw .system(path, "cannot create a temporary file in \(directory)", openError,
                          advice: "check that the directory is writable; nothing was written")
        }
        var open = true
        func fail(_ what: String, _ code: Int32, advice: String = "the original file is unchanged") -> FileError {
            if open { _ = calls.close(fd) }
            _ = calls.unlinkat(dfd, temporary)
            return .system(path, what, code, advice: advice)
        }
        try fill(fd, with: bytes, mode: mode, owner: owner, fail: fail)
        if let (name, code) = Self.copyExtendedAttributes(dfd, base, to: fd) {
            throw fail("cannot keep the file's extended attribute \(name) (ACLs are kept this way)", code)
        }
        let (c, ce) = calls.close(fd)
        open = false
        if c != 0 { throw fail("cannot close the temporary file", ce) }
        do throws(FileError) { _ = try checkTarget(dfd, base, path: path, expected: expected) } catch {
            _ = calls.unlinkat(dfd, temporary)
            throw error
        }
        let (m, me) = calls.renameat(dfd, temporary, base)
        if m != 0 { throw fail("cannot replace the file", me) }
        let (ds, de) = calls.fsync(dfd)
        if ds != 0 && de != EINVAL {
            throw .system(path, "the file was replaced, but its directory could not be flushed to disk", de,
                          advice: "the new contents are in place; run 'sync' before removing power")
        }
    }

    /// The temporary file's owner and mode, then every byte, flushed to disk.
    func fill(
        _ fd: Int32, with bytes: [UInt8], mode: mode_t, owner: (uid_t, gid_t)?,
        fail: (String, Int32, String) -> FileError
    ) throws(FileError) {
        if let (uid, gid) = owner, uid != geteuid() || gid != getegid() {
            let (r, e) = calls.fchown(fd, uid, gid)
            if r != 0 {
                throw fail("cannot keep the file's owner (uid \(uid), gid \(gid))", e,
                           "run slcfg as the file's owner or as root; the original file is unchanged")
            }
        }
        let (r, e) = calls.fchmod(fd, mode)
        if r != 0 { throw fail("cannot set the temporary file's mode", e, "the original file is unchanged") }
        let writeError = writeAll(bytes, to: fd)
        if writeError != 0 {
            throw fail(
                "cannot write", writeError,
                writeError == ENOSPC
                    ? "free some disk space; the original file is unchanged" : "the original file is unchanged")
        }
        let (s, se) = calls.fsync(fd)
        if s != 0 { throw fail("cannot flush the new contents to disk", se, "the original file is unchanged") }
    }

    /// What `base` in the open directory is now: the mode and owner the new version keeps (0666
    /// less the umask for a new file). A link, something not a regular file, or (with `expected`)
    /// another file than the one read is refused: nothing is written.
    func checkTarget(_ dfd: Int32, _ base: String, path: String, expected: FileIdentity?) throws(FileError)
        -> (mode: mode_t, owner: (uid_t, gid_t)?, links: Int)
    {
        let (found, code) = calls.lstatat(dfd, base)
        guard let st = found else {
            guard code == ENOENT, expected == nil else {
                throw FileError(
                    path: path, message: "was removed or moved since it was read; nothing was written", code: code)
            }
            let mask = umask(0)
            umask(mask)
            return (0o666 & ~mask, nil, 1)
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            let what = (st.st_mode & S_IFMT) == S_IFLNK ? "became a symbolic link" : "is not a regular file"
            throw FileError(path: path, message: "\(what) since it was read; nothing was written")
        }
        if let expected, !expected.matches(st) {
            throw FileError(
                path: path,
                message: "is another file than the one read (it was replaced meanwhile); nothing was written")
        }
        return (st.st_mode & 0o7777, (st.st_uid, st.st_gid), Int(st.st_nlink))
    }

    /// Writes `bytes` into the file itself (every hard link sees them): truncated, written and
    /// flushed. Not atomic: a crash midway leaves it partly written.
    func writeInPlace(_ bytes: [UInt8], _ dfd: Int32, _ base: String, path: String) throws(FileError) {
        let (fd, openError) = calls.openat(dfd, base, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0)
        guard fd >= 0 else { throw .system(path, "cannot open for writing", openError, advice: "nothing was written") }
        defer { _ = calls.close(fd) }
        let code = writeAll(bytes, to: fd)
        if code != 0 { throw .system(path, "cannot write in place (the file may be partly written)", code) }
        let (s, se) = calls.fsync(fd)
        if s != 0 { throw .system(path, "cannot flush the new contents to disk", se) }
    }

    /// Copies every extended attribute of `base` (ACLs are `system.posix_acl_*`) to `fd`; the
    /// first that cannot be copied, with the error number. SELinux labels are left to the policy.
    static func copyExtendedAttributes(_ dfd: Int32, _ base: String, to fd: Int32) -> (String, Int32)? {
        let source = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK)
        guard source >= 0 else { return nil }   // a new file: nothing to keep
        defer { Glibc.close(source) }
        let size = flistxattr(source, nil, 0)
        guard size > 0 else { return nil }
        var list = [CChar](repeating: 0, count: size)
        let listed = flistxattr(source, &list, size)
        guard listed > 0 else { return nil }
        for raw in list[0..<listed].split(separator: 0) {
            let name = String(decoding: raw.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            let length = fgetxattr(source, name, nil, 0)
            guard length >= 0 else { continue }
            var value = [UInt8](repeating: 0, count: max(length, 1))
            let got = fgetxattr(source, name, &value, length)
            guard got >= 0, fsetxattr(fd, name, value, got, 0) != 0 else { continue }
            if name != "security.selinux" { return (name, errno) }
        }
        return nil
    }

    /// Writes every byte (again after EINTR and short writes); the error number, or 0.
    func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
        var written = 0
        var writeError: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let (n, e) = calls.write(fd, UnsafeRawBufferPointer(rebasing: buffer[written...]))
                if n < 0 {
                    if e == EINTR { continue }
                    writeError = e
                    return
                }
                if n == 0 { writeError = EIO; return }
                written += n
            }
        }
        return writeError
    }

    /// Removes temporary files of earlier saves to `base` whose process no longer runs.
    func removeStaleTemporaries(in directory: String, base: String) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        let prefix = ".\(base).slcfg-"
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            guard name.hasPrefix(prefix), name.hasSuffix(".tmp") else { continue }
            let fields = name.dropFirst(prefix.count).dropLast(4).split(separator: "-")
            guard fields.count == 2, let pid = Int32(fields[0]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                _ = Glibc.unlink("\(directory)/\(name)")
            }
        }
    }

    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }
}

extension FileStore {
    /// What the file at `path` is now (size, modification time, hash of `bytes`), nil if it cannot be stat'ed.
    public static func snapshot(of path: String, bytes: [UInt8]) -> FileSnapshot? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let identity = FileIdentity(
            target: realPath(path) ?? path, device: UInt64(st.st_dev), inode: UInt64(st.st_ino),
            changed: FileIdentity.changed(st))
        return FileSnapshot(
            size: Int(st.st_size), modified: Int64(st.st_mtim.tv_sec), modifiedNanoseconds: Int64(st.st_mtim.tv_nsec),
            hash: FileSnapshot.hash(bytes), identity: identity)
    }

    /// Why the file at `path` should not be replaced in place, or nil: its permission bits say
    /// no (even for root, who could), it is not writable, or its directory is not.
    public static func readOnlyReason(_ path: String) -> String? {
        writeBlock((try? resolve(path)) ?? path).map { $0.description(path) }
    }

    /// What keeps `target` (a resolved path) from being written in place, or nil: the one check
    /// for the editor, its save and every command. A file that does not exist is checked for its directory.
    public static func writeBlock(_ target: String) -> WriteBlock? {
        if let bits = readOnlyBits(target) { return .readOnly(bits: bits) }
        if access(target, F_OK) == 0 && access(target, W_OK) != 0 {
            return .notWritable(String(cString: strerror(errno)))
        }
        let (directory, _) = split(target)
        var st = stat()
        guard stat(directory, &st) == 0 else { return .noDirectory(directory) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return .notADirectory(directory) }
        if access(directory, W_OK | X_OK) != 0 {
            return .directoryNotWritable(directory, String(cString: strerror(errno)))
        }
        return nil
    }

    /// "mode 0444" when the file exists and no write bit is set, else nil.
    public static func readOnlyBits(_ target: String) -> String? {
        var st = stat()
        guard stat(target, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_mode & 0o222 == 0 else { return nil }
        return "mode " + pad(String(Int(st.st_mode & 0o7777), radix: 8), 4)
    }

    static func pad(_ n: Int32) -> String { pad(String(n), 2) }
    static func pad(_ s: String, _ width: Int) -> String { String(repeating: "0", count: max(0, width - s.count)) + s }

    /// What is at `path` now, for the editor's questions before a save.
    public static func status(of path: String) -> FileStatus {
        let target = (try? resolve(path)) ?? path
        var st = stat()
        guard stat(target, &st) == 0 else {
            return FileStatus(exists: false, unwritable: writeBlock(target)?.description(path))
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { return FileStatus(exists: true, isDirectory: true) }
        let bytes = try? read(path)
        var time = st.st_mtim.tv_sec
        var parts = tm()
        localtime_r(&time, &parts)
        let text =
            "\(Int(parts.tm_year) + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday)) "
                + "\(pad(parts.tm_hour)):\(pad(parts.tm_min))"
        let block = writeBlock(target)
        var readOnly: String?
        if case .readOnly(let bits)? = block { readOnly = bits }
        return FileStatus(
            exists: true, bytes: bytes, snapshot: bytes.flatMap { snapshot(of: path, bytes: $0) }, modifiedText: text,
            readOnly: readOnly, unwritable: readOnly == nil ? block?.description(path) : nil)
    }
}
