#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SafeText

/// Buffered writing to a file descriptor (standard output or error). A text stream is for people:
/// every character that could drive the terminal is spelled out (`SafeText`), whatever wrote it;
/// a data stream (`get`'s values, JSON, `params`) carries bytes exactly.
struct Output {
    enum Kind { case text, data }

    let fd: Int32
    let kind: Kind
    var buffer: [UInt8] = []

    init(fd: Int32, kind: Kind = .text) {
        self.fd = fd
        self.kind = kind
        buffer.reserveCapacity(1 << 16)
    }

    /// Output kept in ``buffer`` (never written): one argument's share, rendered on a worker
    /// thread and written in order by the calling one (``InOrder``).
    init(collecting kind: Kind) {
        self.init(fd: -1, kind: kind)
    }

    mutating func write(_ s: String) {
        write(bytes: s.utf8)
    }

    mutating func write<C: Collection>(bytes: C) where C.Element == UInt8 {
        switch kind {
        case .text: SafeText.appendVisible(bytes, to: &buffer)
        case .data: buffer.append(contentsOf: bytes)
        }
        if buffer.count >= 1 << 16 { flush() }
    }

    /// One field of a line (a message, a path, a value): every control character spelled out, the
    /// line break and tab included, so that what came from a file cannot forge a line.
    mutating func write(field: String) {
        write(bytes: SafeText.visible(field).utf8)
    }

    /// Text that `SafeText` has already rendered, appended as it is.
    mutating func write(rendered bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// slcfg's own terminal sequences (colours), written as they are on either stream.
    mutating func write(style: String) {
        buffer.append(contentsOf: style.utf8)
    }

    mutating func flush() {
        guard fd >= 0 else { return }
        if fd == 2, let kept = StandardError.kept {
            kept.bytes += buffer
            buffer.removeAll(keepingCapacity: true)
            return
        }
        var done = 0
        buffer.withUnsafeBytes { raw in
            while done < raw.count {
                let r = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if r < 0 { if errno == EINTR { continue }; return }
                done += r
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes one line to standard error at once: a line break inside it came from a file or a
/// server, and is spelled out, so it can never start a line of its own.
func printError(_ line: String) {
    var err = Output(fd: 2)
    err.write(field: line)
    err.write("\n")
    err.flush()
}

extension Output {
    /// Appends a decimal number.
    mutating func write(int value: Int) {
        if value < 10 {
            buffer.append(UInt8(48 + value))
            return
        }
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 {
                d[19 - count] = UInt8(48 + v % 10)
                v /= 10
                count += 1
            }
            buffer.append(contentsOf: d[(20 - count)...])
        }
    }

    /// Appends a static string.
    mutating func write(static s: StaticString) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Flushes when the buffer has grown large.
    mutating func flushIfFull() {
        if buffer.count >= 1 << 16 { flush() }
    }
}

/// Standard error as a worker thread writes it (``InOrder``): kept, and printed by the calling
/// thread in the arguments' order, so that it reads as one thread would have written it.
enum StandardError {
    final class Kept {
        var bytes: [UInt8] = []
    }

    private static let key = "slcfg.standardError"

    /// What this thread writes to standard error is kept here while `body` runs.
    static func keeping<T>(_ body: () throws -> T) rethrows -> (T, [UInt8]) {
        let kept = Kept()
        Thread.current.threadDictionary[key] = kept
        defer { Thread.current.threadDictionary[key] = nil }
        return (try body(), kept.bytes)
    }

    static var kept: Kept? { Thread.current.threadDictionary[key] as? Kept }
}
