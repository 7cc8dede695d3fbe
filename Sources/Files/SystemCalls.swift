#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The system calls a save makes: the seam where tests inject faults and races. Each returns the
/// result of the call and the `errno` of a failure. Names are relative to an open directory, so
/// a save works on the directory it resolved once, whatever happens to the path meanwhile.
public protocol SystemCalls: Sendable {
    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32)
    func openat(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32)
    func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> (Int, Int32)
    func fsync(_ fd: Int32) -> (Int32, Int32)
    func fchmod(_ fd: Int32, _ mode: mode_t) -> (Int32, Int32)
    func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) -> (Int32, Int32)
    func close(_ fd: Int32) -> (Int32, Int32)
    /// What `name` in `directory` is, without following a link.
    func lstatat(_ directory: Int32, _ name: String) -> (stat?, Int32)
    func renameat(_ directory: Int32, _ from: String, _ to: String) -> (Int32, Int32)
    func unlinkat(_ directory: Int32, _ name: String) -> (Int32, Int32)
}

/// The real system calls.
public struct PosixCalls: SystemCalls {
    public init() {}
    public func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) {
        let r = Glibc.open(path, flags, mode); return (r, r < 0 ? errno : 0)
    }
    public func openat(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) {
        let r = Glibc.openat(directory, name, flags, mode); return (r, r < 0 ? errno : 0)
    }
    public func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> (Int, Int32) {
        let r = Glibc.write(fd, buffer.baseAddress, buffer.count); return (r, r < 0 ? errno : 0)
    }
    public func fsync(_ fd: Int32) -> (Int32, Int32) {
        let r = Glibc.fsync(fd); return (r, r < 0 ? errno : 0)
    }
    public func fchmod(_ fd: Int32, _ mode: mode_t) -> (Int32, Int32) {
        let r = Glibc.fchmod(fd, mode); return (r, r < 0 ? errno : 0)
    }
    public func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) -> (Int32, Int32) {
        let r = Glibc.fchown(fd, uid, gid); return (r, r < 0 ? errno : 0)
    }
    public func close(_ fd: Int32) -> (Int32, Int32) {
        let r = Glibc.close(fd); return (r, r < 0 ? errno : 0)
    }
    public func lstatat(_ directory: Int32, _ name: String) -> (stat?, Int32) {
        var st = stat()
        return Glibc.fstatat(directory, name, &st, AT_SYMLINK_NOFOLLOW) == 0 ? (st, 0) : (nil, errno)
    }
    public func renameat(_ directory: Int32, _ from: String, _ to: String) -> (Int32, Int32) {
        let r = Glibc.renameat(directory, from, directory, to); return (r, r < 0 ? errno : 0)
    }
    public func unlinkat(_ directory: Int32, _ name: String) -> (Int32, Int32) {
        let r = Glibc.unlinkat(directory, name, 0); return (r, r < 0 ? errno : 0)
    }
}
