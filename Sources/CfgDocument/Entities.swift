/// The five predefined XML entities and character references; nothing else is ever expanded.
public enum Entities {
    /// Decodes the reference starting at `i` (which holds `&`). Returns the UTF-8 bytes it stands
    /// for and its length in the source, or a length of 0 when it is not a reference slcfg decodes.
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> ([UInt8], Int) {
        var j = i + 1
        while j < end && j < i + 12 && p[j] != ASCII.semicolon { j += 1 }
        guard j < end && p[j] == ASCII.semicolon else { return ([], 0) }
        let body = UnsafeBufferPointer(rebasing: p[(i + 1)..<j])
        let length = j + 1 - i
        if body.first == ASCII.hash {
            var value: UInt32 = 0
            var digits = body.dropFirst()
            var radix: UInt32 = 10
            if digits.first == UInt8(ascii: "x") {
                radix = 16
                digits = digits.dropFirst()
            }
            guard !digits.isEmpty else { return ([], 0) }
            for d in digits {
                let v: UInt32
                switch d {
                case 48...57: v = UInt32(d - 48)
                case 97...102 where radix == 16: v = UInt32(d - 87)
                case 65...70 where radix == 16: v = UInt32(d - 55)
                default: return ([], 0)
                }
                value = value &* radix &+ v
                if value > 0x10FFFF { return ([], 0) }
            }
            guard let scalar = Unicode.Scalar(value), value != 0 else { return ([], 0) }
            return (Array(String(Character(scalar)).utf8), length)
        }
        switch Array(body) {
        case Array("amp".utf8): return ([ASCII.amp], length)
        case Array("lt".utf8): return ([ASCII.lt], length)
        case Array("gt".utf8): return ([ASCII.gt], length)
        case Array("quot".utf8): return ([ASCII.dquote], length)
        case Array("apos".utf8): return ([ASCII.squote], length)
        default: return ([], 0)
        }
    }

    /// Decodes a raw attribute value: predefined entities and character references; all else kept.
    public static func decode<C: Collection>(_ raw: C) -> [UInt8] where C.Element == UInt8 {
        let bytes = Array(raw)
        guard bytes.contains(ASCII.amp) else { return bytes }
        return bytes.withUnsafeBufferPointer { p in
            var out: [UInt8] = []
            out.reserveCapacity(p.count)
            var i = 0
            while i < p.count {
                if p[i] == ASCII.amp {
                    let (decoded, length) = decode(p, at: i, end: p.count)
                    if length > 0 {
                        out.append(contentsOf: decoded)
                        i += length
                        continue
                    }
                }
                out.append(p[i])
                i += 1
            }
            return out
        }
    }

    /// Escapes a value for an attribute quoted with `quote`: `&`, `<` and that quote character.
    public static func escape<C: Collection>(_ value: C, quote: UInt8) -> [UInt8] where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(value.count)
        for c in value {
            switch c {
            case ASCII.amp: out.append(contentsOf: "&amp;".utf8)
            case ASCII.lt: out.append(contentsOf: "&lt;".utf8)
            case ASCII.dquote where quote == ASCII.dquote: out.append(contentsOf: "&quot;".utf8)
            case ASCII.squote where quote == ASCII.squote: out.append(contentsOf: "&apos;".utf8)
            default: out.append(c)
            }
        }
        return out
    }
}
