import CfgDocument

/// Whether the handset applies an entry, and if not, why: computed once here, worded once here,
/// and printed by every front end (`show`, `cert show`, the editor's rows and details).
public enum EntryStatus: Equatable, Sendable, CustomStringConvertible {
    /// The handset uses the value.
    case applied
    /// The file does not hold the parameter.
    case notInFile
    /// The handset ignores the value.
    case ignored(Reason)

    public enum Reason: Equatable, Sendable {
        /// The `.set` flag holds this value instead of `1`.
        case setNotOne(String)
        /// There is no `.set` flag.
        case setMissing
        /// The `.set` flag is misspelled: the name as written, and its offset in the file.
        case setMisspelled(written: String, offset: Int)
        /// `device.set` is not `1`.
        case deviceSetNotOne
        /// The value is no valid value (a slot that holds no certificate).
        case invalidValue
    }

    public var isApplied: Bool { self == .applied }

    /// The widest of the short words (``description``), for a column that never cuts them.
    public static let widestDescription: Int = [
        EntryStatus.applied, .notInFile, .ignored(.setMissing), .ignored(.setMisspelled(written: "", offset: 0)),
        .ignored(.deviceSetNotOne), .ignored(.invalidValue), .ignored(.setNotOne("0")),
    ].map { $0.description.count }.max() ?? 0

    /// The short words rows and tables show.
    public var description: String {
        switch self {
        case .applied: return "applied"
        case .notInFile: return "not in file"
        case .ignored(.setNotOne(let value)): return "ignored (.set=\(value))"
        case .ignored(.setMissing): return "ignored (.set missing)"
        case .ignored(.setMisspelled): return "ignored (.set misspelled)"
        case .ignored(.deviceSetNotOne): return "ignored (device.set≠1)"
        case .ignored(.invalidValue): return "ignored (invalid value)"
        }
    }

    /// The whole sentence, for a details pane: what is wrong and where.
    public func explanation(flag: String?, in document: CfgDocument) -> String {
        switch self {
        case .applied: return "applied: the handset uses this value"
        case .notInFile: return "not in the file: the handset uses its default"
        case .ignored(.setNotOne(let value)): return "ignored: \(flag ?? ".set") is \"\(value)\"; it must be 1"
        case .ignored(.setMissing): return "ignored: \(flag ?? "its .set flag") is missing; it must be 1"
        case .ignored(.setMisspelled(let written, let offset)):
            let line = LineIndex(document.bytes).location(of: offset).line
            let short = written.split(separator: ".").suffix(2).joined(separator: ".")
            return
                ".set is misspelled as \(short) on line \(line) (the handset ignores it): rename it to "
                    + "\(flag ?? "the right name")"
        case .ignored(.deviceSetNotOne):
            return "ignored: device.set is not 1, so the handset ignores every device.* parameter"
        case .ignored(.invalidValue): return "ignored: the value is not one the handset can use"
        }
    }
}

extension CfgDocument {
    /// The status of the parameter at `index` (nil: not in the file) whose `.set` flag is `flag`
    /// (nil: it has none). `findings` (this document's lint) tell a misspelled flag.
    public func entryStatus(index: Int?, flag: String?, invalid: Bool = false, findings: [Finding]) -> EntryStatus {
        EntryStatus.judge(
            present: index != nil, flag: flag, flagValue: flag.flatMap { self.index(named: $0) }.map { value($0) },
            deviceSet: self.index(named: Vocabulary.deviceSet).map { value($0) }, invalid: invalid, findings: findings)
    }
}

extension EntryStatus {
    /// The rule itself, from what the caller has already looked up: whether the parameter is in
    /// the file, its flag's name and value (nil: missing), `device.set`'s value, whether the value
    /// is unusable, and the lint findings (for a misspelled flag).
    public static func judge(
        present: Bool, flag: String?, flagValue: String?, deviceSet: String?, invalid: Bool, findings: [Finding]
    ) -> EntryStatus {
        guard present else { return .notInFile }
        if invalid { return .ignored(.invalidValue) }
        guard let flag, let first = blockers(flagValue: flagValue, deviceSet: deviceSet).first else { return .applied }
        if first == .setMissing, let typo = CfgDocument.misspelling(of: flag, in: findings) {
            return .ignored(.setMisspelled(written: typo.parameter ?? flag, offset: typo.offset))
        }
        return .ignored(first)
    }

    /// The `.set` rule, computed here and nowhere else: every reason the handset ignores a value
    /// whose `.set` flag holds `flagValue` (nil: missing) while `device.set` holds `deviceSet`, in
    /// the order they are met; empty when the handset applies it.
    public static func blockers(flagValue: String?, deviceSet: String?) -> [Reason] {
        var reasons: [Reason] = []
        switch flagValue {
        case "1"?: break
        case let value?: reasons.append(.setNotOne(value))
        case nil: reasons.append(.setMissing)
        }
        if deviceSet != "1" { reasons.append(.deviceSetNotOne) }
        return reasons
    }

    /// Every reason the handset ignores `name`, read through `value` (a document's values, or a
    /// provisioning set's effective ones); empty when it applies it or when `name` has no flag.
    public static func blockers(of name: String, value: (String) -> String?) -> [Reason] {
        guard let flag = SetRule.partner(of: name) else { return [] }
        return blockers(flagValue: value(flag), deviceSet: value(Vocabulary.deviceSet))
    }

    /// The value the handset applies for `name`, read through `value`: nil when no file sets it
    /// or when the `.set` rule makes the handset ignore it.
    public static func appliedValue(of name: String, value: (String) -> String?) -> String? {
        guard let written = value(name), blockers(of: name, value: value).isEmpty else { return nil }
        return written
    }
}

extension CfgDocument {

    /// The near-miss finding that renames a parameter to `name`, if lint found one.
    static func misspelling(of name: String, in findings: [Finding]) -> Finding? {
        let lower = name.lowercased()
        return findings.first { renameTarget(of: $0) == lower }
    }

    /// The name (lower-cased) that a near-miss finding renames a parameter to, or nil for any
    /// other finding: what ``misspelling(of:in:)`` matches, for a table of them.
    static func renameTarget(of finding: Finding) -> String? {
        guard finding.rule == "near-miss", case .rename(_, let to)? = finding.fix else { return nil }
        return to.lowercased()
    }

    /// A parameter whose name is a likely typo of `name` (a `.set` flag spelled wrong), found
    /// without a lint run, for edits that must rename it rather than add a second flag.
    public func misspelledParameter(of name: String, catalogue: Catalogue = .shared) -> Int? {
        let lower = name.lowercased()
        for i in 0..<parameterCount {
            let written = self.name(i)
            guard abs(written.utf8.count - name.utf8.count) <= 2, written.lowercased() != lower,
                  !catalogue.isKnown(written.lowercased()) else { continue }
            if catalogue.nearMiss(for: written)?.lowercased() == lower { return i }
        }
        return nil
    }
}
