#if canImport(Glibc)
import Glibc
#endif

/// What is at a path just before a save: the editor decides from it whether to ask first.
public struct FileStatus: Equatable, Sendable {
    /// Whether something exists at the path.
    public var exists: Bool
    /// Whether it is a directory.
    public var isDirectory: Bool
    /// Its bytes, when it is a readable file.
    public var bytes: [UInt8]?
    /// Its size, modification time and hash.
    public var snapshot: FileSnapshot?
    /// Its modification time as `YYYY-MM-DD HH:MM` (local), for the overwrite question.
    public var modifiedText: String
    /// Why its permission bits say no to writing ("mode 0444"), even for root, or nil.
    public var readOnly: String?
    /// Why nothing can be written there at all (no such directory, directory not writable), or nil.
    public var unwritable: String?

    public init(
        exists: Bool, isDirectory: Bool = false, bytes: [UInt8]? = nil, snapshot: FileSnapshot? = nil,
        modifiedText: String = "",
        readOnly: String? = nil, unwritable: String? = nil
    ) {
        self.exists = exists
        self.isDirectory = isDirectory
        self.bytes = bytes
        self.snapshot = snapshot
        self.modifiedText = modifiedText
        self.readOnly = readOnly
        self.unwritable = unwritable
    }
}

/// Which file a path led to when it was read: the path with every link resolved, the file's
/// device and inode, and its status-change time (an inode number is reused at once by a file
/// created in place of a removed one). A save replaces exactly this file, or nothing.
public struct FileIdentity: Equatable, Sendable {
    public var target: String
    public var device: UInt64
    public var inode: UInt64
    /// `st_ctim` in nanoseconds.
    public var changed: Int64

    public init(target: String, device: UInt64, inode: UInt64, changed: Int64) {
        self.target = target
        self.device = device
        self.inode = inode
        self.changed = changed
    }

    /// Whether `st` is this file, as it was.
    public func matches(_ st: stat) -> Bool {
        UInt64(st.st_dev) == device && UInt64(st.st_ino) == inode && Self.changed(st) == changed
    }

    public static func changed(_ st: stat) -> Int64 {
        Int64(st.st_ctim.tv_sec) * 1_000_000_000 + Int64(st.st_ctim.tv_nsec)
    }
}

/// What a file was when it was read or written: enough to tell whether it changed since.
public struct FileSnapshot: Equatable, Sendable {
    /// The file's size in bytes.
    public var size: Int
    /// Its modification time (seconds and nanoseconds).
    public var modified: Int64
    public var modifiedNanoseconds: Int64
    /// A hash of its bytes (FNV-1a, 64 bits).
    public var hash: UInt64
    /// The file itself (nil when not known): a save checks it is still the one at the path.
    public var identity: FileIdentity?

    public init(
        size: Int, modified: Int64, modifiedNanoseconds: Int64, hash: UInt64, identity: FileIdentity? = nil
    ) {
        self.size = size
        self.modified = modified
        self.modifiedNanoseconds = modifiedNanoseconds
        self.hash = hash
        self.identity = identity
    }

    /// FNV-1a over the bytes.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        bytes.withUnsafeBufferPointer { p in
            for b in p { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return h
    }
}
