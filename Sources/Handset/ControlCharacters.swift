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
                add("control-char", .warning, at: offset(i), parameter: name,
                    "the name \(name) holds \(Self.describe(scalar, column, count)): the handset reads it as it is, "
                        + "so this is not the parameter it looks like; it was probably pasted from a terminal")
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
            add("control-char", .warning, at: offset(i), parameter: name,
                "\(name) holds \(Self.describe(scalar, column, count)): the handset uses it as it is; it was probably "
                    + "pasted from a terminal" + (secret ? " (a secret: fix leaves it to a person)" : ""),
                fix: secret ? nil : .assign(name: name, value: cleaned),
                weakens: secret ? nil : catalogue.weakening(of: name, value: cleaned))
        }
    }

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
