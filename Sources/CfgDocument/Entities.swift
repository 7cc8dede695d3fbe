/// The five predefined XML entities and character references; nothing else is ever expanded.
public enum Entities {
    /// Decodes the reference starting at `i` (which holds `&`) without allocating. Returns the
    /// scalar it stands for and its length in the source, or a length of 0 when it is not a
    /// reference slcfg decodes.
    static func decode(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> (scalar: UInt32, length: Int) {
        var j = i + 1
        while j < end && j < i + 12 && p[j] != ASCII.semicolon { j += 1 }
        guard j < end && p[j] == ASCII.semicolon else { return (0, 0) }
        let length = j + 1 - i
        let bodyStart = i + 1, bodyCount = j - bodyStart
        guard bodyCount > 0 else { return (0, 0) }
        if p[bodyStart] == ASCII.hash {
            var k = bodyStart + 1
            var radix: UInt32 = 10
            if k < j && p[k] == UInt8(ascii: "x") {
                radix = 16
                k += 1
            }
            guard k < j else { return (0, 0) }
            var value: UInt32 = 0
            while k < j {
                let d = p[k]
                let v: UInt32
                switch d {
                case 48...57: v = UInt32(d - 48)
                case 97...102 where radix == 16: v = UInt32(d - 87)
                case 65...70 where radix == 16: v = UInt32(d - 55)
                default: return (0, 0)
                }
                value = value &* radix &+ v
                if value > 0x10FFFF { return (0, 0) }
                k += 1
            }
            guard value != 0, Unicode.Scalar(value) != nil else { return (0, 0) }
            return (value, length)
        }
        func body(_ s: StaticString) -> Bool {
            guard s.utf8CodeUnitCount == bodyCount else { return false }
            for k in 0..<bodyCount where p[bodyStart + k] != s.utf8Start[k] { return false }
            return true
        }
        if body("amp") { return (UInt32(ASCII.amp), length) }
        if body("lt") { return (UInt32(ASCII.lt), length) }
        if body("gt") { return (UInt32(ASCII.gt), length) }
        if body("quot") { return (UInt32(ASCII.dquote), length) }
        if body("apos") { return (UInt32(ASCII.squote), length) }
        return (0, 0)
    }

    /// Appends the UTF-8 encoding of a scalar value.
    static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        if value < 0x80 {
            out.append(UInt8(value))
        } else {
            out.append(contentsOf: Unicode.UTF8.encode(Unicode.Scalar(value)!)!)
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
                    let (scalar, length) = decode(p, at: i, end: p.count)
                    if length > 0 {
                        appendUTF8(scalar, to: &out)
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
