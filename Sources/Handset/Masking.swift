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
        for i in 0..<old.parameterCount where isSecret(old.name(i)) {
            before[old.name(i).lowercased(), default: []].append(old.valueBytes(i))
        }
        return (masked(old) { _, _ in mask }, masked(new) { name, value in
            before[name.lowercased()]?.contains(value) == true ? mask : changedMask
        })
    }

    /// A document's bytes with every non-empty secret value replaced by `replacement(name, value)`.
    static func masked(_ document: CfgDocument, _ replacement: (String, [UInt8]) -> String) -> [UInt8] {
        var copy = document
        for i in (0..<document.parameterCount).reversed() {
            let name = document.name(i)
            let value = document.valueBytes(i)
            guard !value.isEmpty, isSecret(name) else { continue }
            copy.setValue(i, to: replacement(name, value))
        }
        return copy.bytes
    }

    /// Whether a parameter holds a secret.
    public static func isSecret(_ name: String) -> Bool {
        Catalogue.shared.isSecret(name)
    }

    /// A value for the change summary: quoted, shortened, masked when secret; `(none)` when missing.
    public static func summary(_ value: String?, name: String) -> String {
        guard let value else { return "(none)" }
        if isSecret(name) && !value.isEmpty { return mask }
        if value.count > 30 || value.contains("\n") { return "(\(value.count) characters)" }
        return "\"\(value)\""
    }
}
