// Lint's `control-char`: names and values holding characters that drive a terminal or reorder text
// (C0 controls but tab, LF and CR, DEL, C1 controls, bidi overrides), usually pasted from a terminal.
import CfgDocument
import SafeText

extension LintRun {
    mutating func controlCharacters() {
        for i in 0..<document.parameterCount {
            let nameBytes = document.nameBytes(i)
            if nameBytes.contains(where: { $0 < 0x20 || $0 >= 0x7F }),
                let (scalar, column, count) = Self.hidden(in: nameBytes, allowingLines: false)
            {
                let name = document.name(i)
                let xml = nameBytes.contains(where: Self.isForbiddenInXML)
                add("control-char", xml ? .error : .warning, at: offset(i), parameter: name,
                    "the name \(name) holds \(Self.describe(scalar, column, count)): the handset reads it as it is, "
                        + "so this is not the parameter it looks like; it was probably pasted from a terminal"
                        + (xml ? Self.notXML : ""))
                continue
            }
            let raw = document.rawValue(i)
            guard raw.contains(where: { $0 >= 0x7F || $0 < 0x20 || $0 == UInt8(ascii: "&") }),
                let (scalar, column, count) = Self.hidden(in: document.valueBytes(i), allowingLines: true)
            else { continue }
            let name = document.name(i)
            let kept = document.value(i).unicodeScalars.filter(Self.isAllowedInValue)
            let cleaned = String(String.UnicodeScalarView(kept))
            let secret = catalogue.isSecret(name)
            let xml = document.valueBytes(i).contains(where: Self.isForbiddenInXML)
            add("control-char", xml ? .error : .warning, at: offset(i), parameter: name,
                "\(name) holds \(Self.describe(scalar, column, count)): the handset uses it as it is; it was probably "
                    + "pasted from a terminal" + (xml ? Self.notXML : "")
                    + (secret ? " (a secret: fix leaves it to a person)" : ""),
                fix: secret ? nil : .assign(name: name, value: cleaned),
                weakens: secret ? nil : catalogue.weakening(of: name, value: cleaned))
        }
    }

    /// A C0 control other than tab, LF and CR: XML 1.0 allows it neither raw nor as `&#...;`.
    static func isForbiddenInXML(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D
    }

    static let notXML = "; an XML file cannot hold it, so a strict parser rejects the whole file"

    /// A value may hold tab, LF and CR (a PEM certificate's lines); nothing else `SafeText` hides.
    static func isAllowedInValue(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || !SafeText.isHidden(scalar)
    }

    /// The first hidden character of `bytes` (as UTF-8), its column (1-based, in characters), and
    /// how many there are; nil when there is none.
    static func hidden<C: Collection>(in bytes: C, allowingLines: Bool) -> (Unicode.Scalar, Int, Int)?
    where C.Element == UInt8 {
        var first: (Unicode.Scalar, Int)?
        var count = 0
        for (k, scalar) in String(decoding: bytes, as: UTF8.self).unicodeScalars.enumerated()
        where allowingLines ? !isAllowedInValue(scalar) : SafeText.isHidden(scalar) {
            if first == nil { first = (scalar, k + 1) }
            count += 1
        }
        return first.map { ($0.0, $0.1, count) }
    }

    /// "ESC (U+001B) at column 3", and how many more there are.
    static func describe(_ scalar: Unicode.Scalar, _ column: Int, _ count: Int) -> String {
        "\(SafeText.name(of: scalar)) at column \(column)"
            + (count > 1 ? " and \(count - 1) more such character\(count > 2 ? "s" : "")" : "")
    }
}

extension LintRun {
    /// `encoding`: bytes that are not UTF-8 in a file that declares UTF-8 (or nothing, which means
    /// UTF-8): a parser rejects the file, or reads the value wrong.
    mutating func encoding() {
        guard let bad = Self.firstInvalidUTF8(document.bytes), Self.declaresUTF8(document.bytes) else { return }
        let byte = String(document.bytes[bad], radix: 16, uppercase: true)
        let declared = Self.declaration(document.bytes) == nil ? "has by default (it declares none)" : "declares"
        add("encoding", .error, at: bad, parameter: nil,
            "byte 0x\(byte) is not UTF-8, the encoding the file \(declared): a parser rejects the file or reads this "
                + "text wrong; save the file as UTF-8, or declare its encoding (encoding=\"ISO-8859-1\")")
    }

    /// The `encoding="..."` of the XML declaration at the start, if any.
    static func declaration(_ bytes: [UInt8]) -> String? {
        let head = String(decoding: bytes.prefix(200), as: UTF8.self)
        guard head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), let end = head.range(of: "?>"),
            let key = head[..<end.lowerBound].range(of: "encoding")
        else { return nil }
        let rest = head[key.upperBound..<end.lowerBound].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    static func declaresUTF8(_ bytes: [UInt8]) -> Bool {
        declaration(bytes).map { ["utf-8", "utf8"].contains($0.lowercased()) } ?? true
    }

    /// The offset of the first byte that does not belong to a well-formed UTF-8 sequence.
    static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int? {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0
            guard length > 0, i + length <= n,
                String(validating: bytes[i..<i + length], as: UTF8.self) != nil
            else { return i }
            i += length
        }
        return nil
    }
}
