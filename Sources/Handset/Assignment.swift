import CfgDocument
import SafeText

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
    /// The name as it was written before, when the change renamed a misspelling.
    public var renamedFrom: String?

    public init(name: String, oldValue: String?, newValue: String, renamedFrom: String? = nil) {
        self.name = name
        self.oldValue = oldValue
        self.newValue = newValue
        self.renamedFrom = renamedFrom
    }

    /// "renamed cusomCaCert2.set to customCaCert2.set", the same words in every front end.
    public var renameText: String? {
        renamedFrom.map { "renamed \($0) to \(name)" }
    }
}

/// Why an assignment could not be made.
public struct AssignmentError: Error, Equatable, CustomStringConvertible {
    /// The name being set when it failed, when one was.
    public var name: String?
    /// What went wrong, for people.
    public var description: String

    public init(name: String? = nil, description: String) {
        self.name = name
        self.description = description
    }
}

extension CfgDocument {
    /// Where a parameter named `name` that the file lacks should go: after its closest relative
    /// (the parameter sharing the longest dotted prefix with it: three components such as
    /// `device.sec.TLS`, or all but its last, and never just `device`; the last of equals); else
    /// where a person would put it: after the last parameter of the element holding the most
    /// parameters of its first component (`device.*`); else into the root element; nil when there
    /// is no element. ``PlacementIndex`` holds the rule.
    public func placement(for name: String) -> Placement? {
        PlacementIndex(self, names: [name]).placement(for: name)
    }

    /// Sets every parameter named `name` (exact spelling first, else any case) to `value`, or
    /// inserts it at ``placement(for:)``. Returns what changed; an unchanged value is not listed.
    /// `found`: the indices of `name` when the caller already knows them (an editor's ``NameIndex``).
    public mutating func assign(_ name: String, _ value: String, found: [Int]? = nil) throws(AssignmentError)
        -> [Assignment]
    {
        guard let found, !found.isEmpty else { return try assign([(name, value)], enable: false) }
        try checkWritable(found, name: name)
        do throws(EditError) {
            try Self.checkValue(Array(value.utf8), for: name)
            for i in found { try checkValuesEnd(inTagOf: i) }
        } catch {
            throw AssignmentError(name: name, description: error.description)
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

    /// Refuses to write into a file whose declared encoding slcfg does not read, or over a value holding bytes that
    /// encoding does not define: what was there could not be shown, so it would be lost unseen.
    func checkWritable(_ indices: [Int], name: String) throws(AssignmentError) {
        if case .unsupported(let declared) = encoding {
            throw AssignmentError(name: name, description:
                "the file is in encoding \"\(SafeText.visible(declared))\", which slcfg does not read, so it "
                    + "writes nothing into it; save the file as UTF-8 or ISO-8859-1 first")
        }
        for i in indices {
            let raw = rawValue(i)
            let bad: Int? = encoding.isSingleByte
                ? raw.firstIndex { encoding.scalar(of: $0) == nil }
                : LintRun.firstInvalidUTF8(Array(raw)).map { raw.startIndex + $0 }
            guard let bad else { continue }
            throw AssignmentError(name: name, description:
                "\(self.name(i)) holds byte 0x\(LintRun.hex(bytes[bad])), which is not \(encoding.name) (the file's "
                    + "encoding): its value cannot be read as text, so slcfg does not replace it; correct the file's "
                    + "encoding first (slcfg lint names every such byte)")
        }
    }
}
