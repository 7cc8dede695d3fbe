/// One `-----BEGIN LABEL-----` ... `-----END LABEL-----` block found in text.
public struct PEMBlock: Equatable, Sendable {
    /// The label, such as `CERTIFICATE` or `RSA PRIVATE KEY`.
    public var label: String
    /// The decoded body.
    public var der: [UInt8]
    /// Header lines inside the block (`Proc-Type: 4,ENCRYPTED`), if any.
    public var headers: [String]
    /// The block's text as found, from BEGIN to the end of END.
    public var text: String
}

/// Lenient PEM and base64 reading: line breaks anywhere, stray spaces, quoting, a header glued
/// to the body, dashes mangled by copying out of a PDF.
public enum PEM {
    /// Every block in `text`, in order. Throws when a block's body is not base64.
    public static func blocks(in text: String) throws(CertificateError) -> [PEMBlock] {
        let chars = Array(text.unicodeScalars)
        var result: [PEMBlock] = []
        var i = 0
        while let begin = find("BEGIN ", in: chars, from: i) {
            // The label runs to the next dash (or line end); then skip the dashes.
            var labelEnd = begin + 6
            while labelEnd < chars.count && !isDash(chars[labelEnd]) && chars[labelEnd] != "\n"
                && chars[labelEnd] != "\r"
            { labelEnd += 1 }
            let label = Self.string(chars[(begin + 6)..<labelEnd]).trimmingSpaces()
            var bodyStart = labelEnd
            while bodyStart < chars.count && isDash(chars[bodyStart]) { bodyStart += 1 }
            guard let end = find("END ", in: chars, from: bodyStart) else {
                throw CertificateError(
                    "found '-----BEGIN \(label)-----' without its '-----END \(label)-----' line: the text looks cut "
                        + "off; copy the whole block"
                )
            }
            var bodyEnd = end
            while bodyEnd > bodyStart && isDash(chars[bodyEnd - 1]) { bodyEnd -= 1 }
            var after = end + 4
            while after < chars.count && !isDash(chars[after]) && chars[after] != "\n" && chars[after] != "\r" {
                after += 1
            }
            while after < chars.count && isDash(chars[after]) { after += 1 }
            var blockStart = begin
            while blockStart > 0 && isDash(chars[blockStart - 1]) { blockStart -= 1 }
            let (headers, body) = splitHeaders(chars[bodyStart..<bodyEnd])
            guard let der = base64Decode(bytes: body), !der.isEmpty else {
                throw CertificateError(
                    "the body of the '\(label)' block is not valid base64: part of it may be missing or altered")
            }
            result.append(PEMBlock(label: label, der: der, headers: headers,
                                   text: Self.string(chars[blockStart..<after])))
            i = after
        }
        return result
    }

    /// Encodes DER as PEM with 64-character lines, joined with `lineEnding`.
    public static func encode(_ der: [UInt8], label: String = "CERTIFICATE", lineEnding: String = "\n") -> String {
        let body = base64Encode(der)
        var lines = ["-----BEGIN \(label)-----"]
        var index = body.startIndex
        while index < body.endIndex {
            let next = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<next]))
            index = next
        }
        lines.append("-----END \(label)-----")
        return lines.joined(separator: lineEnding)
    }

    static func isDash(_ c: Unicode.Scalar) -> Bool {
        c == "-" || c == "\u{2010}" || c == "\u{2011}" || c == "\u{2012}" || c == "\u{2013}" || c == "\u{2014}"
            || c == "\u{2212}"
    }

    static func find(_ needle: String, in chars: [Unicode.Scalar], from start: Int) -> Int? {
        let n = Array(needle.unicodeScalars)
        guard chars.count >= n.count else { return nil }
        var i = start
        while i + n.count <= chars.count {
            if chars[i] == n[0] && chars[i..<(i + n.count)].elementsEqual(n)
                && (i == 0 || isDash(chars[i - 1]) || chars[i - 1] == " ")
            {
                return i
            }
            i += 1
        }
        return nil
    }

    /// Splits RFC 1421 headers (`Proc-Type: ...`, `DEK-Info: ...`) from the base64 body, whose
    /// lines are joined as UTF-8.
    static func splitHeaders(_ text: ArraySlice<Unicode.Scalar>) -> ([String], [UInt8]) {
        var headers: [String] = []
        var body: [UInt8] = []
        body.reserveCapacity(text.count)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.contains(":") {
                headers.append(string(line).trimmingSpaces())
            } else {
                for scalar in line {
                    if scalar.isASCII { body.append(UInt8(scalar.value)) } else { body += UTF8.encode(scalar)! }
                }
            }
        }
        return (headers, body)
    }

    /// Scalars as a String, built as UTF-8 in one go.
    static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.isASCII { bytes.append(UInt8(scalar.value)) } else { bytes += UTF8.encode(scalar)! }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        table[Int(UInt8(ascii: "-"))] = 62   // base64url
        table[Int(UInt8(ascii: "_"))] = 63
        return table
    }()

    /// Decodes base64, skipping whitespace, quote marks of e-mail replies and stray separators;
    /// nil when other characters appear or the length is impossible.
    public static func base64Decode(_ text: String) -> [UInt8]? {
        base64Decode(bytes: text.utf8)
    }

    /// ``base64Decode(_:)`` of UTF-8 bytes.
    static func base64Decode<Bytes: Collection<UInt8>>(bytes text: Bytes) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        var padding = 0
        for c in text {
            switch c {
            case 32, 9, 10, 13, UInt8(ascii: ">"), 0xA0, 0xC2: continue
            case UInt8(ascii: "="): padding += 1; continue
            default: break
            }
            let v = values[Int(c)]
            guard v >= 0, padding == 0 else { return nil }
            accumulator = (accumulator << 6) | UInt32(v)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8((accumulator >> UInt32(bits)) & 0xFF))
            }
        }
        guard bits < 6 else { return nil }
        return out
    }

    /// Standard base64 on one line.
    public static func base64Encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out += [
                alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]
            ]
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let v = UInt32(bytes[i]) << 16
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], 61, 61]
        } else if rest == 2 {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
