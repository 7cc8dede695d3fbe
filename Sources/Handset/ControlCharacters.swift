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
    /// `encoding`: bytes the declared encoding does not define (not UTF-8 in a file that declares UTF-8 or
    /// nothing; 0x81, 0x8D, 0x8F, 0x90 and 0x9D in Windows-1252), a single-byte file whose text reads as UTF-8
    /// (saved as UTF-8 under an old declaration), and an encoding slcfg does not read.
    mutating func encoding() {
        let bytes = document.bytes
        switch document.encoding {
        case .utf8:
            guard let bad = Self.firstInvalidUTF8(bytes) else { return }
            let declared = DeclaredEncoding.declaredName(bytes) == nil
                ? "has by default (it declares none)" : "declares"
            add("encoding", .error, at: bad, parameter: nil,
                "byte 0x\(Self.hex(bytes[bad])) is not UTF-8, the encoding the file \(declared): a parser rejects the "
                    + "file or reads this text wrong; save the file as UTF-8, or declare its encoding "
                    + "(encoding=\"ISO-8859-1\")")
        case .latin1, .windows1252:
            let encoding = document.encoding
            if let bad = bytes.firstIndex(where: { encoding.scalar(of: $0) == nil }) {
                add("encoding", .error, at: bad, parameter: nil,
                    "byte 0x\(Self.hex(bytes[bad])) is not a character in \(encoding.name), the encoding the file "
                        + "declares: a parser rejects the file or reads this text wrong")
            } else if let high = bytes.firstIndex(where: { $0 >= 0x80 }), Self.firstInvalidUTF8(bytes) == nil {
                add("encoding", .warning, at: high, parameter: nil,
                    "the file declares \(encoding.name), but its text reads as UTF-8: the handset shows "
                        + "\"\(Self.misread(bytes, at: high, as: encoding))\"; declare encoding=\"UTF-8\" if it was "
                        + "saved as UTF-8")
            }
        case .utf16:
            return   // read whole into UTF-8 text, or it would be unsupported
        case .unsupported(let name):
            add("encoding", .warning, at: 0, parameter: nil,
                "the file is in encoding \"\(SafeText.visible(name))\", which slcfg does not read: values are "
                    + "shown as their bytes and edits are refused; save it as UTF-8 or ISO-8859-1")
        }
    }

    static func hex(_ byte: UInt8) -> String { String(byte, radix: 16, uppercase: true) }

    /// A few characters from `offset` as the declared single-byte encoding shows them ("CafÃ©").
    static func misread(_ bytes: [UInt8], at offset: Int, as encoding: DeclaredEncoding) -> String {
        let from = bytes[..<offset].lastIndex(where: { $0 < 0x41 }).map { $0 + 1 } ?? 0
        let to = bytes[offset...].firstIndex(where: { $0 < 0x30 }) ?? bytes.count
        let shown = String(decoding: encoding.utf8(bytes[from..<min(to, from + 24)]), as: UTF8.self)
        return SafeText.visible(shown)
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
