// The one way untrusted text reaches a terminal: every character that could drive it (C0 controls,
// DEL, C1 controls, bidirectional overrides and isolates, bytes that are not UTF-8) is written as a
// visible escape instead (`\e`, `\x07`, `\u202E`), never passed through.

/// Renders text that came from a file or a server for a terminal.
public enum SafeText {
    /// The line structure an output writes itself: kept by the stream writers, escaped in a cell.
    public static let lineStructure: Set<Unicode.Scalar> = ["\n", "\t"]

    /// How `scalar` is written when it must not reach a terminal as it is, or nil when it may:
    /// `\e`, `\n`, `\r`, `\t` for ESC, LF, CR and tab, `\xHH` for the other C0 controls and DEL,
    /// `\uHHHH` for C1 controls and the bidirectional overrides and isolates.
    public static func spelling(of scalar: Unicode.Scalar) -> String? {
        let v = scalar.value
        switch v {
        case 0x1B: return "\\e"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0..<0x20, 0x7F: return "\\x" + hex(v, digits: 2)
        case 0x80...0x9F, 0x202A...0x202E, 0x2066...0x2069: return "\\u" + hex(v, digits: 4).uppercased()
        default: return nil
        }
    }

    /// Whether `scalar` is one that ``spelling(of:)`` escapes.
    public static func isHidden(_ scalar: Unicode.Scalar) -> Bool { spelling(of: scalar) != nil }

    /// `text` with every hidden character spelled out, except those in `keeping`.
    public static func visible(_ text: String, keeping: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isHidden($0) && !keeping.contains($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if !keeping.contains(scalar), let spelled = spelling(of: scalar) {
                out.append(contentsOf: spelled.unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Appends `bytes` to `out` as ``visible(_:keeping:)`` would write them as UTF-8, keeping
    /// `keeping` (by default `\n` and `\t`); a byte that is not part of valid UTF-8 is written as
    /// `\xHH`. Linear, with a fast path for plain ASCII.
    public static func appendVisible<C: Collection>(
        _ bytes: C, to out: inout [UInt8], keeping: Set<Unicode.Scalar> = lineStructure
    ) where C.Element == UInt8 {
        let all = Array(bytes)
        let keepLF = keeping.contains("\n"), keepTab = keeping.contains("\t")
        var i = 0
        while i < all.count {
            let b = all[i]
            if b >= 0x20 && b < 0x7F || b == 0x0A && keepLF || b == 0x09 && keepTab {
                out.append(b)
                i += 1
                continue
            }
            guard let (scalar, length) = decode(all, at: i) else {
                out += Array(("\\x" + hex(UInt32(b), digits: 2)).utf8)
                i += 1
                continue
            }
            if let spelled = spelling(of: scalar) {
                out += Array(spelled.utf8)
            } else {
                out += all[i..<(i + length)]
            }
            i += length
        }
    }

    /// The scalar a well-formed UTF-8 sequence at `i` encodes, and its length; nil when malformed.
    static func decode(_ bytes: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let b = bytes[i]
        let (length, minimum, initial): (Int, UInt32, UInt32) =
            b < 0x80 ? (1, 0, UInt32(b))
            : b & 0xE0 == 0xC0 ? (2, 0x80, UInt32(b & 0x1F))
            : b & 0xF0 == 0xE0 ? (3, 0x800, UInt32(b & 0x0F))
            : b & 0xF8 == 0xF0 ? (4, 0x10000, UInt32(b & 0x07)) : (0, 0, 0)
        guard length > 0, i + length <= bytes.count else { return nil }
        var value = initial
        for k in 1..<max(1, length) {
            let c = bytes[i + k]
            guard c & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(c & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    /// A hidden character's name for people: "ESC (U+001B)", "RLO (U+202E)", else "U+0085".
    public static func name(of scalar: Unicode.Scalar) -> String {
        let names: [UInt32: String] = [
            0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL",
            0x9B: "CSI", 0x9D: "OSC", 0x202A: "LRE", 0x202B: "RLE", 0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO",
            0x2066: "LRI", 0x2067: "RLI", 0x2068: "FSI", 0x2069: "PDI",
        ]
        let code = "U+" + hex(scalar.value, digits: 4).uppercased()
        return names[scalar.value].map { "\($0) (\(code))" } ?? code
    }

    static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
