#if canImport(Glibc)
import Glibc
#endif

/// Buffered writing of bytes to a file descriptor (standard output or error).
struct Output {
    let fd: Int32
    var buffer: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
        buffer.reserveCapacity(1 << 16)
    }

    mutating func write(_ s: String) {
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func write<C: Collection>(bytes: C) where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    mutating func flush() {
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

/// Writes one line to standard error at once.
func printError(_ line: String) {
    var err = Output(fd: 2)
    err.write(line + "\n")
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
