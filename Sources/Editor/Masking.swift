import CfgDocument
import Handset

/// Secrets and private keys hidden for display: a mask with a short tag that changes with the
/// value, so a diff shows that a password changed without showing it.
public enum Masking {
    /// The document's bytes with every secret value replaced by its mask.
    public static func masked(_ document: CfgDocument) -> [UInt8] {
        var copy = document
        for i in (0..<document.parameterCount).reversed() {
            let name = document.name(i)
            let value = document.valueBytes(i)
            guard !value.isEmpty, isSecret(name) else { continue }
            copy.setValue(i, to: mask(value))
        }
        return copy.bytes
    }

    /// `********#1a2b`: eight stars and four hex digits of the value's hash.
    public static func mask(_ value: [UInt8]) -> String {
        let hash = FileSnapshot.hash(value)
        let hex = String(hash & 0xFFFF, radix: 16)
        return "********#" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    /// Whether a parameter holds a secret.
    public static func isSecret(_ name: String) -> Bool {
        Catalogue.shared.info(for: name)?.isSecret ?? Catalogue.isSecretName(name.lowercased())
    }

    /// A value for the change summary: quoted, shortened, masked when secret; `(none)` when missing.
    public static func summary(_ value: String?, name: String) -> String {
        guard let value else { return "(none)" }
        if isSecret(name) && !value.isEmpty { return mask(Array(value.utf8)) }
        if value.count > 30 || value.contains("\n") { return "(\(value.count) characters)" }
        return "\"\(value)\""
    }
}
