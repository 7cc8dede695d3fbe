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

/// What a file was when it was read or written: enough to tell whether it changed since.
public struct FileSnapshot: Equatable, Sendable {
    /// The file's size in bytes.
    public var size: Int
    /// Its modification time (seconds and nanoseconds).
    public var modified: Int64
    public var modifiedNanoseconds: Int64
    /// A hash of its bytes (FNV-1a, 64 bits).
    public var hash: UInt64

    public init(size: Int, modified: Int64, modifiedNanoseconds: Int64, hash: UInt64) {
        self.size = size
        self.modified = modified
        self.modifiedNanoseconds = modifiedNanoseconds
        self.hash = hash
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
