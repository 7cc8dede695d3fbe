#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file could not be read or written; the message says what happened and what to do.
public struct FileError: Error, Equatable, CustomStringConvertible {
    /// The file concerned.
    public var path: String
    /// What happened, for people.
    public var message: String
    /// The `errno` behind it, or 0.
    public var code: Int32

    public init(path: String, message: String, code: Int32 = 0) {
        self.path = path
        self.message = message
        self.code = code
    }

    /// An error for a failed system call, with the system's words for `code`.
    static func system(_ path: String, _ what: String, _ code: Int32, advice: String = "") -> FileError {
        let reason = String(cString: strerror(code))
        return FileError(path: path, message: "\(what): \(reason)\(advice.isEmpty ? "" : "; \(advice)")", code: code)
    }

    public var description: String { "\(path): \(message)" }
}

/// What keeps a file from being written in place (``FileStore/writeBlock(_:)``).
public enum WriteBlock: Equatable, Sendable {
    /// The permission bits say no ("mode 0444"): respected even by root.
    case readOnly(bits: String)
    /// The file is not writable for this user (the system's reason).
    case notWritable(String)
    /// The directory does not exist, is not one, or cannot take a new file.
    case noDirectory(String)
    case notADirectory(String)
    case directoryNotWritable(String, String)

    /// The reason about `path`, as the editor and the commands say it.
    public func description(_ path: String) -> String {
        switch self {
        case .readOnly(let bits): "\(path) is read-only (\(bits))"
        case .notWritable(let reason): "\(path) is not writable (\(reason))"
        case .noDirectory(let directory): "its directory \(directory) does not exist"
        case .notADirectory(let directory): "\(directory) is not a directory"
        case .directoryNotWritable(let directory, let reason): "its directory \(directory) is not writable (\(reason))"
        }
    }
}
