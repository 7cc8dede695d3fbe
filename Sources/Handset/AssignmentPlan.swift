// Many assignments at once (`slcfg set` with thousands of names): planned against the file as read,
// with the parameters they insert kept beside it in document order, and written as one splice.
import CfgDocument

extension CfgDocument {
    /// Makes `assignments` in order, each followed, when `enable`, by setting the `.set` partner of
    /// that name to `1` (inserted right after the first parameter of the name when missing, in the
    /// file's spelling): the result of making them one at a time with ``assign(_:_:found:)``, in time
    /// linear in the file and the batch. Nothing changes when one fails; the error names it.
    public mutating func assign(_ assignments: [(name: String, value: String)], enable: Bool)
        throws(AssignmentError) -> [Assignment]
    {
        try planned(names: assignments.map(\.name)) { (plan: inout AssignmentPlan) throws(AssignmentError) in
            for (name, value) in assignments {
                do throws(AssignmentError) {
                    try plan.assign(name, value)
                    if enable { try plan.enable(name) }
                } catch {
                    throw AssignmentError(name: name, description: error.description)
                }
            }
        }
    }

    /// Sets the `.set` partner of the parameter named `name` to `1`, inserting it right after the
    /// first parameter of that name when missing and keeping the file's spelling. Returns what changed.
    public mutating func enable(_ name: String) throws(AssignmentError) -> [Assignment] {
        try planned(names: []) { (plan: inout AssignmentPlan) throws(AssignmentError) in try plan.enable(name) }
    }

    /// Plans with `steps` (placing `names` when missing), then writes the plan as one splice.
    private mutating func planned(
        names: [String], _ steps: (inout AssignmentPlan) throws(AssignmentError) -> Void
    ) throws(AssignmentError) -> [Assignment] {
        let (splices, changes) = try Self.plan(names: names, in: self, steps)
        replace(splices)
        return changes
    }

    /// The splices that `steps` plan in `document`, and what they change (the plan, holding a
    /// copy of the document, is gone before the document is changed).
    private static func plan(
        names: [String], in document: CfgDocument, _ steps: (inout AssignmentPlan) throws(AssignmentError) -> Void
    ) throws(AssignmentError) -> ([(range: Range<Int>, bytes: [UInt8])], [Assignment]) {
        var plan = AssignmentPlan(document, names: names)
        try steps(&plan)
        return (plan.splices(), plan.changes)
    }
}

/// A batch of assignments being planned. An item is a parameter of the document as planned: the
/// file's parameter `i` for `i < document.parameterCount`, the batch's insertions after them.
struct AssignmentPlan {
    private let document: CfgDocument
    private let table: NameTable
    /// The names that may be inserted, and where they would go: built when the first is missing.
    private let names: [String]
    private var placements: PlacementIndex?
    /// New values of the file's parameters.
    private var newValues: [Int: [UInt8]] = [:]
    private var insertions: [Insertion] = []
    /// Each inserted name (ASCII lower-cased) and its item: a name is inserted only when no
    /// parameter has it in any case, so there is one.
    private var insertedByName: [String: Int] = [:]
    /// Each place that receives insertions, with its items in document order.
    private var gaps: [Gap: [Int]] = [:]
    /// The tags already searched for values that run into the markup: those parameters.
    private var unterminated: [Int32: [Int]] = [:]
    private(set) var changes: [Assignment] = []

    /// A parameter the batch inserts.
    private struct Insertion {
        let name: [UInt8]
        var value: [UInt8]
        let separator: [UInt8]
        let quote: UInt8
        let node: Int
        let gap: Gap
        /// Its order within its gap (labels grow along the gap, and are spread out again when two
        /// neighbours leave no room between them).
        var label: Int64
    }

    /// Where insertions go: right after the file's parameter `after` (`head` -1), or after the
    /// name of element `head`, which has no parameters of its own (`after` is then the file's
    /// parameter before it, so that gaps sort in document order).
    private struct Gap: Hashable, Comparable {
        let after: Int
        let head: Int

        static func < (a: Gap, b: Gap) -> Bool { (a.after, a.head) < (b.after, b.head) }
    }

    init(_ document: CfgDocument, names: [String]) {
        self.document = document
        table = NameTable(document)
        self.names = names
    }

    private var fileCount: Int { document.parameterCount }

    // MARK: The document as planned

    private func name(_ item: Int) -> [UInt8] {
        item < fileCount ? Array(document.nameBytes(item)) : insertions[item - fileCount].name
    }

    private func value(_ item: Int) -> [UInt8] {
        item < fileCount ? newValues[item] ?? document.valueBytes(item) : insertions[item - fileCount].value
    }

    /// What ``CfgDocument/indices(named:)`` would answer in the document as planned.
    private func indices(named name: String) -> [Int] {
        var all = table.indices(of: name)
        if all.isEmpty, let item = insertedByName[Self.folded(name)] { all = [item] }
        let exact = all.filter { self.name($0).elementsEqual(name.utf8) }
        return exact.isEmpty ? all : exact
    }

    /// Whether `a` comes before `b` in the document as planned.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        position(a) < position(b)
    }

    private func position(_ item: Int) -> (Gap, Int64) {
        guard item >= fileCount else { return (Gap(after: item, head: -2), 0) }
        let insertion = insertions[item - fileCount]
        return (insertion.gap, insertion.label)
    }

    /// The last item of element `node`, or nil when it has none.
    private func lastItem(inElement node: Int) -> Int? {
        let own = document.nodes[node].attributeIndices
        if let last = own.last { return gaps[Gap(after: last, head: -1)]?.last ?? last }
        return gaps[Gap(after: own.lowerBound - 1, head: node)]?.last
    }

    static func folded(_ name: String) -> String {
        String(decoding: name.utf8.map(NameTable.lower), as: UTF8.self)
    }

    // MARK: Assigning

    /// Plans ``CfgDocument/assign(_:_:found:)`` of `name`.
    mutating func assign(_ name: String, _ value: String) throws(AssignmentError) {
        let bytes = Array(value.utf8)
        let found = indices(named: name)
        try document.checkWritable(found.filter { $0 < fileCount }, name: name)
        guard found.isEmpty else {
            do throws(EditError) {
                try CfgDocument.checkValue(bytes, for: name)
                for item in found { try checkValuesEnd(before: item) }
            } catch {
                throw AssignmentError(description: error.description)
            }
            for item in found { setValue(item, to: bytes) }
            return
        }
        guard let place = placement(for: name) else {
            throw AssignmentError(
                description:
                    "there is no element to hold \(name); the file needs a root element such as <polycomConfig>")
        }
        do throws(EditError) {
            switch place {
            case .after(let item): try insert(name, value: bytes, after: item)
            case .inElement(let node): try insert(name, value: bytes, inElement: node)
            }
        } catch {
            throw AssignmentError(description: error.description)
        }
        changes.append(Assignment(name: name, oldValue: nil, newValue: value))
    }

    /// Plans setting the `.set` partner of every parameter named `name` to `1`: each partner the
    /// file has is set; when it has none, one goes right after the first parameter of that name
    /// (the one the handset reads).
    mutating func enable(_ name: String) throws(AssignmentError) {
        for item in indices(named: name) {
            guard let flag = SetRule.partner(of: String(decoding: self.name(item), as: UTF8.self)) else { continue }
            let partners = indices(named: flag)
            guard partners.isEmpty else {
                for partner in partners { setValue(partner, to: Array("1".utf8)) }
                return
            }
            do throws(EditError) {
                try insert(flag, value: Array("1".utf8), after: item)
            } catch {
                throw AssignmentError(description: error.description)
            }
            changes.append(Assignment(name: flag, oldValue: nil, newValue: "1"))
        }
    }

    private mutating func setValue(_ item: Int, to bytes: [UInt8]) {
        let old = value(item)
        guard old != bytes else { return }
        if item < fileCount { newValues[item] = bytes } else { insertions[item - fileCount].value = bytes }
        changes.append(
            Assignment(
                name: String(decoding: name(item), as: UTF8.self), oldValue: String(decoding: old, as: UTF8.self),
                newValue: String(decoding: bytes, as: UTF8.self)))
    }

    /// ``CfgDocument/checkValuesEnd(inTagOf:)`` for an item: the batch writes only values that end.
    private mutating func checkValuesEnd(before item: Int) throws(EditError) {
        let last: Int
        if item < fileCount {
            last = item
        } else if insertions[item - fileCount].gap.head < 0 {
            last = insertions[item - fileCount].gap.after
        } else {
            return
        }
        let node = document.attributes[last].node
        if unterminated[node] == nil {
            unterminated[node] = document.nodes[Int(node)].attributeIndices.filter(document.runsIntoMarkup)
        }
        if let k = unterminated[node]!.last(where: { $0 <= last }) { throw document.markupError(at: k) }
    }

    /// ``CfgDocument/insert(_:value:after:)`` of a parameter no item has, in any case.
    private mutating func insert(_ name: String, value: [UInt8], after item: Int) throws(EditError) {
        try checkValuesEnd(before: item)
        try CfgDocument.checkValue(value, for: name)
        guard item >= fileCount else {
            guard document.isTerminated(item) else { throw .unterminatedValue(document.name(item)) }
            let insertion = Insertion(
                name: try CfgDocument.validName(name), value: value,
                separator: document.separator(forInsertionAfter: item), quote: document.quote(forInsertionAfter: item),
                node: Int(document.attributes[item].node), gap: Gap(after: item, head: -1), label: 0)
            return add(insertion, at: 0)
        }
        let anchor = insertions[item - fileCount]
        let insertion = Insertion(
            name: try CfgDocument.validName(name), value: value, separator: anchor.separator, quote: anchor.quote,
            node: anchor.node, gap: anchor.gap, label: 0)
        add(insertion, at: index(after: anchor.label, in: gaps[anchor.gap]!))
    }

    /// ``CfgDocument/insert(_:value:inElement:)``: after the element's last item, or first in it.
    private mutating func insert(_ name: String, value: [UInt8], inElement node: Int) throws(EditError) {
        guard document.nodes[node].isElement else { throw .notAnElement(node) }
        if let last = lastItem(inElement: node) { return try insert(name, value: value, after: last) }
        try CfgDocument.checkValue(value, for: name)
        let gap = Gap(after: document.nodes[node].attributeIndices.lowerBound - 1, head: node)
        add(
            Insertion(
                name: try CfgDocument.validName(name), value: value, separator: CfgDocument.firstSeparator,
                quote: UInt8(ascii: "\""), node: node, gap: gap, label: 0),
            at: 0)
    }

    /// Where in `gap` the item after the one labelled `label` goes.
    private func index(after label: Int64, in gap: [Int]) -> Int {
        var low = 0, high = gap.count
        while low < high {
            let mid = (low + high) / 2
            if insertions[gap[mid] - fileCount].label <= label { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Records `insertion` at `index` of its gap, and tells the placements about it.
    private mutating func add(_ insertion: Insertion, at index: Int) {
        let item = fileCount + insertions.count
        var insertion = insertion
        var gap = gaps.removeValue(forKey: insertion.gap) ?? []
        let spacing: Int64 = 1 << 32
        var below = index == 0 ? 0 : insertions[gap[index - 1] - fileCount].label
        var above = index == gap.count ? below + 2 * spacing : insertions[gap[index] - fileCount].label
        if above - below < 2 {
            for (k, other) in gap.enumerated() { insertions[other - fileCount].label = Int64(k + 1) * spacing * 2 }
            below = index == 0 ? 0 : insertions[gap[index - 1] - fileCount].label
            above = index == gap.count ? below + 2 * spacing : insertions[gap[index] - fileCount].label
        }
        insertion.label = below + (above - below) / 2
        gap.insert(item, at: index)
        gaps[insertion.gap] = gap
        insertions.append(insertion)
        insertedByName[Self.folded(String(decoding: insertion.name, as: UTF8.self))] = item
        if placements != nil { notePlacement(of: item) }
    }

    /// Where `name` goes, once the placements are built (with what the plan has inserted so far).
    private mutating func placement(for name: String) -> Placement? {
        if placements == nil {
            placements = PlacementIndex(document, names: names)
            for k in insertions.indices { notePlacement(of: fileCount + k) }
        }
        return placements!.placement(for: name)
    }

    /// Tells the placements about inserted `item`: a later relative, one more of its family.
    private mutating func notePlacement(of item: Int) {
        let insertion = insertions[item - fileCount]
        let name = String(decoding: insertion.name, as: UTF8.self)
        for prefix in placements!.prefixes(of: name) {
            if let last = placements!.last(with: prefix), precedes(item, last) { continue }
            placements!.setLast(item, with: prefix)
        }
        placements!.count(name, inElement: insertion.node)
    }

    // MARK: Writing

    /// The planned changes as splices of the file, in order.
    func splices() -> [(range: Range<Int>, bytes: [UInt8])] {
        var splices: [(range: Range<Int>, bytes: [UInt8], insertion: Bool)] = []
        for (i, value) in newValues {
            splices.append((document.attributes[i].valueRange, document.valueText(i, value), false))
        }
        for (gap, items) in gaps {
            let at = gap.head < 0
                ? document.attributes[gap.after].range.upperBound : document.nodes[gap.head].nameRange.upperBound
            let text = items.flatMap { item in
                let insertion = insertions[item - fileCount]
                return document.attributeText(
                    insertion.name, value: insertion.value, separator: insertion.separator, quote: insertion.quote)
            }
            splices.append((at..<at, text, true))
        }
        // A bare empty value and the parameter inserted after it splice at one offset: value first.
        splices.sort { ($0.range.lowerBound, $0.insertion ? 1 : 0) < ($1.range.lowerBound, $1.insertion ? 1 : 0) }
        return splices.map { ($0.range, $0.bytes) }
    }
}

/// Where new parameters go (``CfgDocument/placement(for:)``), for a batch of names from one pass
/// over the file, kept true as the batch inserts: for each dotted prefix of those names, the last
/// parameter holding it; for each first component, how many parameters of it each element holds.
struct PlacementIndex {
    /// The last item holding each prefix asked for (ASCII lower-cased), in document order.
    private var lastWithPrefix: [String: Int] = [:]
    /// The prefixes asked for, by their ``NameTable/hash(_:)``.
    private var prefixesByHash: [UInt64: [String]] = [:]
    private var wanted: Set<String> = []
    private var mostComponents = 0
    /// For each family asked for (`device.`, lower-cased), how many of its parameters each element holds.
    private var familyCounts: [String: [Int: Int]] = [:]
    private var familiesByHash: [UInt64: [String]] = [:]
    private var root: Int?

    init(_ document: CfgDocument, names: [String]) {
        for name in names {
            for prefix in Self.candidates(name) where wanted.insert(prefix).inserted {
                prefixesByHash[NameTable.hash(prefix.utf8), default: []].append(prefix)
                mostComponents = max(mostComponents, prefix.utf8.count(where: { $0 == 0x2E }) + 1)
            }
            let family = AssignmentPlan.folded(Self.family(name))
            if familyCounts[family] == nil {
                familyCounts[family] = [:]
                familiesByHash[NameTable.hash(family.utf8), default: []].append(family)
            }
        }
        document.bytes.withUnsafeBufferPointer { p in
            for i in 0..<document.parameterCount { index(i, p, document) }
        }
        root = document.nodes.indices.first { document.nodes[$0].isElement && document.nodes[$0].parent == -1 }
    }

    /// The prefixes of `name` that can make a relative: from all its components down to
    /// three (`device.sec.TLS`), or all but its last, and never fewer than two.
    private static func candidates(_ name: String) -> [String] {
        let components = AssignmentPlan.folded(name).split(separator: ".", omittingEmptySubsequences: false)
        let enough = max(2, min(3, components.count - 1))
        guard enough <= components.count else { return [] }
        return (enough...components.count).reversed().map { components[0..<$0].joined(separator: ".") }
    }

    /// The first component of `name` with its dot: the family a person groups it with.
    private static func family(_ name: String) -> String {
        (name.split(separator: ".").first.map(String.init) ?? name) + "."
    }

    /// Records parameter `i` under each prefix asked for that it holds, and its family.
    private mutating func index(_ i: Int, _ p: UnsafeBufferPointer<UInt8>, _ document: CfgDocument) {
        let range = document.attributes[i].nameRange
        var hash = NameTable.seed
        var components = 0
        var familyDone = false
        for j in range {
            if p[j] == 0x2E {
                components += 1
                if components >= 2 && components <= mostComponents { record(i, hash, p[range.lowerBound..<j]) }
                if !familyDone {
                    familyDone = true
                    let family = p[range.lowerBound...j]
                    let node = Int(document.attributes[i].node)
                    for known in familiesByHash[NameTable.mix(hash, 0x2E)] ?? []
                    where NameTable.sameName(known.utf8, family) {
                        familyCounts[known]![node, default: 0] += 1
                    }
                }
                if components >= mostComponents { return }
            }
            hash = NameTable.mix(hash, p[j])
        }
        if components + 1 >= 2 { record(i, hash, p[range]) }
    }

    private mutating func record(_ item: Int, _ hash: UInt64, _ prefix: Slice<UnsafeBufferPointer<UInt8>>) {
        for known in prefixesByHash[hash] ?? [] where NameTable.sameName(known.utf8, prefix) {
            lastWithPrefix[known] = item
        }
    }

    /// Where `name` goes, as ``CfgDocument/placement(for:)`` says; `.after` names an item.
    func placement(for name: String) -> Placement? {
        for prefix in Self.candidates(name) {
            if let item = lastWithPrefix[prefix] { return .after(item) }
        }
        let family = AssignmentPlan.folded(Self.family(name))
        let busiest = familyCounts[family]?.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }
        if let busiest { return .inElement(busiest.key) }
        return root.map { .inElement($0) }
    }

    /// The prefixes asked for that `name` holds.
    func prefixes(of name: String) -> [String] {
        let components = AssignmentPlan.folded(name).split(separator: ".", omittingEmptySubsequences: false)
        guard components.count >= 2 else { return [] }
        return (2...components.count).map { components[0..<$0].joined(separator: ".") }.filter(wanted.contains)
    }

    func last(with prefix: String) -> Int? { lastWithPrefix[prefix] }

    mutating func setLast(_ item: Int, with prefix: String) { lastWithPrefix[prefix] = item }

    /// Counts an inserted parameter `name` in element `node`, for the families asked for.
    mutating func count(_ name: String, inElement node: Int) {
        guard let dot = name.utf8.firstIndex(of: 0x2E) else { return }
        let family = AssignmentPlan.folded(String(name[...dot]))
        if familyCounts[family] != nil { familyCounts[family]![node, default: 0] += 1 }
    }
}
