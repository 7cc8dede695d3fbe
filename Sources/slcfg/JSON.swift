import SafeText
/// Minimal JSON writing straight into a byte buffer (fast for large listings).
enum JSON {
    /// Appends `bytes` as a JSON string; invalid UTF-8 becomes U+FFFD.
    static func appendString<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        out.append(UInt8(ascii: "\""))
        if bytes.contains(where: { $0 >= 0x80 }) {
            let text = String(decoding: bytes, as: UTF8.self)
            appendEscaped(text.utf8, to: &out)
        } else {
            appendEscaped(bytes, to: &out)
        }
        out.append(UInt8(ascii: "\""))
    }

    static func appendString(_ s: String, to out: inout [UInt8]) {
        appendString(Array(s.utf8), to: &out)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private static func appendEscaped<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        let handled = bytes.withContiguousStorageIfAvailable { p -> Bool in
            // Copy runs that need no escaping in one go.
            var runStart = 0
            for i in 0..<p.count where p[i] < 0x20 || p[i] == 34 || p[i] == 92 {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i]))
                escape(p[i], to: &out)
                runStart = i + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart...]))
            return true
        }
        if handled == true { return }
        for c in bytes { escape(c, to: &out) }
    }

    @inline(__always) private static func escape(_ c: UInt8, to out: inout [UInt8]) {
        switch c {
        case UInt8(ascii: "\""): out += [92, 34]
        case UInt8(ascii: "\\"): out += [92, 92]
        case UInt8(ascii: "\n"): out += [92, UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): out += [92, UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): out += [92, UInt8(ascii: "t")]
        case 0..<0x20:
            out += [92, UInt8(ascii: "u"), 48, 48, hex[Int(c >> 4)], hex[Int(c & 15)]]
        default: out.append(c)
        }
    }

    /// A JSON string literal.
    static func string(_ s: String) -> String {
        var out: [UInt8] = []
        appendString(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}

/// A field of `params` text on one line, reversibly: a backslash doubled, and every control
/// character (LF, CR and tab included), DEL, C1 control and bidi override spelled as `SafeText` does.
func oneLine<C: Collection>(_ bytes: C) -> [UInt8] where C.Element == UInt8 {
    var doubled: [UInt8] = []
    doubled.reserveCapacity(bytes.count)
    for c in bytes {
        doubled.append(c)
        if c == UInt8(ascii: "\\") { doubled.append(c) }
    }
    var out: [UInt8] = []
    out.reserveCapacity(doubled.count)
    SafeText.appendVisible(doubled, to: &out, keeping: [])
    return out
}
