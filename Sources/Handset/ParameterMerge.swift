// Replaying one person's parameter changes onto the file as someone else changed it meanwhile: what each side
// changed since the common version, the names both changed differently, and the replay itself.
import CfgDocument

public enum ParameterMerge {
    /// A parameter's new value on one side (nil: removed), with its name as that side writes it.
    public struct Change: Equatable, Sendable {
        public var name: String
        public var value: String?

        public init(name: String, value: String?) {
            self.name = name
            self.value = value
        }
    }

    /// A name both sides changed, to different values (nil: removed).
    public struct Conflict: Equatable, Sendable {
        public var name: String
        public var mine: String?
        public var theirs: String?

        public init(name: String, mine: String?, theirs: String?) {
            self.name = name
            self.mine = mine
            self.theirs = theirs
        }
    }

    /// Each parameter's value by lower-cased name (its first occurrence), and the names in document order.
    static func values(_ document: CfgDocument) -> (values: [String: (name: String, value: String)], order: [String]) {
        var values: [String: (name: String, value: String)] = [:]
        var order: [String] = []
        for i in 0..<document.parameterCount {
            let name = document.name(i), key = name.lowercased()
            guard values[key] == nil else { continue }
            values[key] = (name, document.value(i))
            order.append(key)
        }
        return (values, order)
    }

    /// What `changed` changed since `base`, by lower-cased name, in the order `changed` has them (removals last).
    public static func changes(from base: CfgDocument, to changed: CfgDocument) -> [(key: String, change: Change)] {
        let (old, _) = values(base)
        let (new, order) = values(changed)
        var out: [(key: String, change: Change)] = []
        for key in order where old[key]?.value != new[key]!.value || old[key]?.name != new[key]!.name {
            out.append((key, Change(name: new[key]!.name, value: new[key]!.value)))
        }
        for (key, entry) in old.sorted(by: { $0.key < $1.key }) where new[key] == nil {
            out.append((key, Change(name: entry.name, value: nil)))
        }
        return out
    }

    /// The names `mine` and `theirs` (each from ``changes(from:to:)`` of the same base) both changed, differently.
    public static func conflicts(_ mine: [(key: String, change: Change)], _ theirs: [(key: String, change: Change)])
        -> [Conflict]
    {
        let other = Dictionary(theirs.map { ($0.key, $0.change) }, uniquingKeysWith: { first, _ in first })
        return mine.compactMap { key, change in
            guard let their = other[key], their.value != change.value else { return nil }
            return Conflict(name: change.name, mine: change.value, theirs: their.value)
        }
    }

    /// Replays `mine` onto `document` (theirs), but for the names in `keepingTheirs` (lower-cased); the names it
    /// changed. A value is assigned where `document` has the name (inserted beside its kin when it has not), a
    /// removal removes it.
    public static func replay(
        _ mine: [(key: String, change: Change)], onto document: inout CfgDocument, keepingTheirs: Set<String> = []
    ) throws(AssignmentError) -> [String] {
        var names: [String] = []
        for (key, change) in mine where !keepingTheirs.contains(key) {
            if let value = change.value {
                names += try document.assign(change.name, value).map(\.name)
            } else {
                let found = document.indices(named: change.name)
                if !found.isEmpty { document.remove(indices: found) }
                names.append(change.name)
            }
        }
        return names
    }
}
