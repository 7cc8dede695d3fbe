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
