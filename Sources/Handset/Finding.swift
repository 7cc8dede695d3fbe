import CfgDocument

/// One thing lint has to say about a file.
public struct Finding: Sendable, Equatable {
    /// How much it matters.
    public enum Severity: String, Sendable, Comparable, CaseIterable {
        case error, warning, info

        public static func < (a: Severity, b: Severity) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The rule's id (`near-miss`, `set-flag`, ...).
    public var rule: String
    /// How much it matters.
    public var severity: Severity
    /// The byte offset the finding points at.
    public var offset: Int
    /// The parameter as written, when the finding is about one.
    public var parameter: String?
    /// What the handset will do, and what to change.
    public var message: String
    /// The edit that fixes it, if there is one.
    public var fix: Fix?
    /// What the fix would cost in security, when it would make the handset apply a weaker
    /// setting: such a fix is applied only when a person confirms it, never by `fix`.
    public var weakens: Weakening?

    public init(
        rule: String, severity: Severity, offset: Int, parameter: String?, message: String, fix: Fix?,
        weakens: Weakening? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.offset = offset
        self.parameter = parameter
        self.message = message
        self.fix = fix
        self.weakens = weakens
    }
}

/// A fix: an ordinary document edit, so it can be previewed, undone and diffed.
public enum Fix: Sendable, Hashable {
    /// Rename the parameter at this index.
    case rename(index: Int, to: String)
    /// Set (or insert) a parameter.
    case assign(name: String, value: String)
    /// Set (or insert right after the parameter) its `.set` partner to 1.
    case enable(name: String)
    /// Remove the parameters at these indices (later duplicates with the same value).
    case remove(indices: [Int])

    /// What the fix does, for people.
    public var description: String {
        switch self {
        case .rename(_, let name): return "rename to \(name)"
        case .assign(let name, let value): return "set \(name)=\"\(value)\""
        case .enable(let name): return "set \(name).set=\"1\""
        case .remove(let indices):
            return "remove the \(indices.count) later duplicate\(indices.count == 1 ? "" : "s") (same value)"
        }
    }
}

extension CfgDocument {
    /// Applies a fix; returns what changed.
    public mutating func apply(_ fix: Fix) throws(AssignmentError) -> [Assignment] {
        switch fix {
        case .rename(let index, let name):
            let old = self.name(index)
            do { try rename(index, to: name) } catch { throw AssignmentError(description: error.description) }
            return [Assignment(name: name, oldValue: old, newValue: value(index))]
        case .assign(let name, let value):
            return try assign(name, value)
        case .enable(let name):
            return try enable(name)
        case .remove(let indices):
            let changes = removals(indices)
            remove(indices: indices)
            return changes
        }
    }

    /// What removing the parameters at `indices` changes, last first.
    public func removals(_ indices: [Int]) -> [Assignment] {
        indices.sorted(by: >).map { Assignment(name: name($0), oldValue: value($0), newValue: "(removed)") }
    }
}
