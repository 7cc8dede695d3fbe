import CfgDocument

/// The handset's `.set` rule: a `device.*` value counts only when its `NAME.set` partner is `1`.
public enum SetRule {
    /// The `.set` partner of the parameter spelled `name` (keeping that spelling), or nil for
    /// names that have none: names outside `device.*`, `.set` flags themselves.
    public static func partner(of name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasPrefix("device."), !lower.hasSuffix(".set") else { return nil }
        if let shared = Catalogue.sharedFlagStem(lower) { return String(name.prefix(shared)) + ".set" }
        return name + ".set"
    }

    /// Whether `name` is a `.set` flag, and of which parameter.
    public static func flagged(by name: String) -> String? {
        let lower = name.lowercased()
        guard lower.hasPrefix("device."), lower.hasSuffix(".set"), lower != Vocabulary.deviceSet else { return nil }
        return String(name.dropLast(4))
    }
}

/// Where a new parameter goes.
public enum Placement: Equatable, Sendable {
    /// Right after an existing parameter.
    case after(Int)
    /// After the last parameter of an element.
    case inElement(Int)
}

/// One change made by ``CfgDocument/assign(_:_:)``.
public struct Assignment: Equatable, Sendable {
    /// The parameter name as written in the file after the change.
    public var name: String
    /// The value before, or nil when the parameter was inserted.
    public var oldValue: String?
    /// The value after.
    public var newValue: String

    public init(name: String, oldValue: String?, newValue: String) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

/// Why an assignment could not be made.
public struct AssignmentError: Error, Equatable, CustomStringConvertible {
    /// What went wrong, for people.
    public var description: String
}

extension CfgDocument {
    /// Where a parameter named `name` that the file lacks should go: after its closest relative
    /// (the parameter sharing the longest dotted prefix with it: three components such as
    /// `device.sec.TLS`, or all but its last, and never just `device`; the last of equals); else where a person would
    /// put it: after the last parameter of the element holding the most parameters of its first
    /// component (`device.*`); else into the root element; nil when there is no element.
    public func placement(for name: String) -> Placement? {
        let key = Array(name.utf8)
        let components = name.split(separator: ".", omittingEmptySubsequences: false).count
        let enough = max(2, min(3, components - 1))
        var best = 0, bestIndex = -1
        bytes.withUnsafeBufferPointer { p in
            for i in 0..<parameterCount {
                let shared = Self.sharedComponents(key, p, attributes[i].nameRange)
                if shared >= enough && shared >= best {
                    best = shared
                    bestIndex = i
                }
            }
        }
        if bestIndex >= 0 { return .after(bestIndex) }
        let family = (name.split(separator: ".").first.map(String.init) ?? name) + "."
        var counts: [Int32: Int] = [:]
        for i in 0..<parameterCount where nameBytes(i).starts(caseInsensitive: family) {
            counts[attributes[i].node, default: 0] += 1
        }
        if let busiest = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
            return .inElement(Int(busiest.key))
        }
        if let root = nodes.indices.first(where: { nodes[$0].isElement && nodes[$0].parent == -1 }) {
            return .inElement(root)
        }
        return nil
    }

    /// How many whole dotted components `key` and the name at `range` share, ignoring ASCII case.
    static func sharedComponents(_ key: [UInt8], _ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var shared = 0
        var k = 0
        var i = range.lowerBound
        while true {
            let keyEnd = k == key.count, nameEnd = i == range.upperBound
            if keyEnd || nameEnd {
                // A component ends together in both, or the match stops mid-component.
                if keyEnd && nameEnd { shared += 1 }
                else if keyEnd && p[i] == 0x2E { shared += 1 }
                else if nameEnd && key[k] == 0x2E { shared += 1 }
                return shared
            }
            let a = key[k], b = p[i]
            if a == 0x2E && b == 0x2E {
                shared += 1
            } else if lower(a) != lower(b) {
                return shared
            }
            k += 1
            i += 1
        }
    }

    @inline(__always) static func lower(_ c: UInt8) -> UInt8 { (c >= 65 && c <= 90) ? c | 0x20 : c }

    /// Sets every parameter named `name` (exact spelling first, else any case) to `value`, or
    /// inserts it at ``placement(for:)``. Returns what changed; an unchanged value is not listed.
    /// `found`: the indices of `name` when the caller already knows them (an editor's ``NameIndex``).
    public mutating func assign(_ name: String, _ value: String, found: [Int]? = nil) throws(AssignmentError)
        -> [Assignment]
    {
        let found = found ?? indices(named: name)
        if !found.isEmpty {
            do throws(EditError) {
                try Self.checkValue(Array(value.utf8), for: name)
                for i in found { try checkValuesEnd(inTagOf: i) }
            } catch {
                throw AssignmentError(description: error.description)
            }
            var changes: [Assignment] = []
            for i in found {
                let old = self.value(i)
                if setValue(i, to: value) {
                    changes.append(Assignment(name: self.name(i), oldValue: old, newValue: value))
                }
            }
            return changes
        }
        guard let place = placement(for: name) else {
            throw AssignmentError(
                description:
                    "there is no element to hold \(name); the file needs a root element such as <polycomConfig>")
        }
        do {
            switch place {
            case .after(let anchor): try insert(name, value: value, after: anchor)
            case .inElement(let node): try insert(name, value: value, inElement: node)
            }
        } catch {
            throw AssignmentError(description: error.description)
        }
        return [Assignment(name: name, oldValue: nil, newValue: value)]
    }

    /// Sets the `.set` partner of every parameter named `name` to `1`, inserting it right after
    /// the parameter when missing and keeping the file's spelling. Returns what changed.
    public mutating func enable(_ name: String) throws(AssignmentError) -> [Assignment] {
        var changes: [Assignment] = []
        for i in indices(named: name).reversed() {
            let spelled = self.name(i)
            guard let flag = SetRule.partner(of: spelled) else { continue }
            let partners = indices(named: flag)
            if partners.isEmpty {
                do {
                    try insert(flag, value: "1", after: i)
                } catch {
                    throw AssignmentError(description: error.description)
                }
                changes.append(Assignment(name: flag, oldValue: nil, newValue: "1"))
            } else {
                for p in partners {
                    let old = value(p)
                    if setValue(p, to: "1") {
                        changes.append(Assignment(name: self.name(p), oldValue: old, newValue: "1"))
                    }
                }
                break
            }
        }
        return changes
    }
}

extension Collection where Element == UInt8 {
    /// Whether the bytes start with `prefix`, ignoring ASCII case.
    func starts(caseInsensitive prefix: String) -> Bool {
        var it = makeIterator()
        for c in prefix.utf8 {
            guard let b = it.next(), CfgDocument.lower(b) == CfgDocument.lower(c) else { return false }
        }
        return true
    }
}
