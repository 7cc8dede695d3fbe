import Handset

/// A key the editor understands.
public enum Key: Equatable, Sendable {
    case up, down, left, right, pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete, f1
    /// A printable character.
    case character(Character)
    /// Ctrl with a letter (`Ctrl-S` is `.control("s")`).
    case control(Character)
}

/// Something that happened: a key, a paste, a resize, or the result of an effect.
public enum Event: Equatable, Sendable {
    case key(Key)
    /// Text pasted (bracketed paste).
    case paste(String)
    /// The terminal's new size.
    case resize(width: Int, height: Int)
    /// A mouse click at a screen row (with `--mouse`).
    case click(row: Int)
    /// Mouse wheel: negative up, positive down.
    case scroll(Int)
    /// The bytes of a file asked for with ``Effect/readFile(_:)``, or why it could not be read.
    case fileRead(path: String, Result<[UInt8], FileError>)
    /// Candidates for ``Effect/complete(_:)``.
    case completions([String])
    /// The outcome of ``Effect/write(path:bytes:expected:)``.
    case written(path: String, Result<FileSnapshot, FileError>)
    /// The file changed on disk since it was opened: what changed, and its current bytes.
    case changedOnDisk(path: String, summary: String, current: [UInt8])
    /// What is at a path about to be written (see ``Effect/inspect(_:)``).
    case inspected(path: String, FileStatus)
    /// Lint findings of the document of generation `generation` (see ``Effect/lint(generation:)``).
    case linted(generation: Int, findings: [Finding])
}

/// Work for the outside world; its results come back as events.
public enum Effect: Equatable, Sendable {
    /// Write `bytes` to `path` atomically, unless the file no longer matches `expected`.
    case write(path: String, bytes: [UInt8], expected: FileSnapshot?)
    /// Read a file (a certificate to import).
    case readFile(String)
    /// Look at what is at a path before saving there, then send ``Event/inspected(path:_:)``.
    case inspect(String)
    /// List path completions for a prefix.
    case complete(String)
    /// Lint the current document in the background (large files), then send ``Event/linted(generation:findings:)``.
    case lint(generation: Int)
    /// Leave the editor.
    case quit
}

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

    public init(exists: Bool, isDirectory: Bool = false, bytes: [UInt8]? = nil, snapshot: FileSnapshot? = nil, modifiedText: String = "",
                readOnly: String? = nil, unwritable: String? = nil) {
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
