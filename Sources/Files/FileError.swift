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
