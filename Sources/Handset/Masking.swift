import CfgDocument

/// Secrets and private keys hidden for display. Nothing of the value shows, not even a hash:
/// a diff only says that a secret changed.
public enum Masking {
    /// The mask of a secret value.
    public static let mask = "********"
    /// The mask of a secret whose value differs from before.
    public static let changedMask = "********(changed)"

    /// The two documents' bytes with every secret value masked: in `new`, secrets whose value
    /// differs from `old`'s value of the same name are marked as changed.
    public static func masked(old: CfgDocument, new: CfgDocument) -> (old: [UInt8], new: [UInt8]) {
        var before: [String: [[UInt8]]] = [:]
        for i in 0..<old.parameterCount where isSecret(old.name(i), value: old.rawValue(i)) {
            before[old.name(i).lowercased(), default: []].append(old.valueBytes(i))
        }
        return (masked(old) { _, _ in mask }, masked(new) { name, value in
            before[name.lowercased()]?.contains(value) == true ? mask : changedMask
        })
    }

    /// A document's bytes with every non-empty secret value replaced by `replacement(name, value)`, as UTF-8 text
    /// (a Latin-1 file's `é` is shown as the character, not as a byte a terminal cannot show).
    static func masked(_ document: CfgDocument, _ replacement: (String, [UInt8]) -> String) -> [UInt8] {
        var copy = document
        for i in (0..<document.parameterCount).reversed() {
            let name = document.name(i)
            guard isSecret(name, value: document.rawValue(i)) else { continue }
            let value = document.valueBytes(i)
            guard !value.isEmpty else { continue }
            copy.setValue(i, to: replacement(name, value))
        }
        return copy.encoding.utf8(copy.bytes)
    }

    /// Whether a parameter holds a secret, by its name.
    public static func isSecret(_ name: String) -> Bool {
        Catalogue.shared.isSecret(name)
    }

    /// Whether a parameter holds a secret, by its name or by what its value is: a private key or
    /// a PKCS#12 bundle, wherever it was put (a key pasted into `publicCert` is still a key).
    public static func isSecret<C: Collection>(_ name: String, value: C) -> Bool where C.Element == UInt8 {
        isSecret(name) || isKeyMaterial(value)
    }

    /// Whether a value is a private key or a PKCS#12 bundle: PEM with a `PRIVATE KEY` header, or
    /// base64 of DER that opens like one (a SEQUENCE whose first element is the version 0, 1 or 3,
    /// where a certificate opens with a SEQUENCE).
    public static func isKeyMaterial<C: Collection>(_ value: C) -> Bool where C.Element == UInt8 {
        guard value.count >= 64 else { return false }
        if value.count < 1 << 16, String(decoding: value, as: UTF8.self).contains("PRIVATE KEY-----") { return true }
        let head = value.lazy.filter { !($0 == 0x0A || $0 == 0x0D || $0 == 0x20 || $0 == 0x09) }.prefix(16)
        guard let der = PEMBase64.decode(Array(head)), der.count >= 6, der[0] == 0x30 else { return false }
        var k = 2
        if der[1] & 0x80 != 0 { k = 2 + Int(der[1] & 0x7F) }
        guard k + 2 < der.count else { return false }
        return der[k] == 0x02 && der[k + 1] == 0x01 && [0, 1, 3].contains(der[k + 2])
    }

    /// A value for the change summary: quoted, shortened, masked when secret; `(none)` when missing.
    public static func summary(_ value: String?, name: String) -> String {
        guard let value else { return "(none)" }
        if isSecret(name, value: value.utf8) && !value.isEmpty { return mask }
        if value.count > 30 || value.contains("\n") { return "(\(value.count) characters)" }
        return "\"\(value)\""
    }
}

/// Base64 of a few bytes, decoded without padding checks (enough to look at how DER opens).
enum PEMBase64 {
    static func decode(_ text: [UInt8]) -> [UInt8]? {
        var bits = 0, count = 0
        var out: [UInt8] = []
        for c in text {
            let v: Int
            switch c {
            case 65...90: v = Int(c) - 65
            case 97...122: v = Int(c) - 71
            case 48...57: v = Int(c) + 4
            case 43: v = 62
            case 47: v = 63
            default: return out.isEmpty ? nil : out
            }
            bits = bits << 6 | v
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> count) & 0xFF))
            }
        }
        return out
    }
}
