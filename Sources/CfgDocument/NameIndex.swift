/// ``CfgDocument/indices(named:)-(String)`` for a set of names, kept true through edits by
/// looking only at the tags the edits touched: what lets an editor on a 500,000-parameter file
/// answer "where is `device.set`" after every keystroke without reading the file again.
public struct NameIndex: Sendable {
    struct Entry: Sendable {
        let key: [UInt8]
        /// Indices whose name is the key byte for byte, and those equal ignoring ASCII case.
        var exact: [Int] = []
        var folded: [Int] = []
        var indices: [Int] { exact.isEmpty ? folded : exact }
    }

    var entries: [String: Entry] = [:]
    /// The names watched, by the length of their UTF-8 (the first test of a candidate).
    var byLength: [Int: [String]] = [:]

    /// An index of `names` in `document`, found in one pass.
    public init(_ document: CfgDocument, names: [String]) {
        watch(names, in: document)
    }

    /// The names watched.
    public var names: [String] { Array(entries.keys) }

    /// What ``CfgDocument/indices(named:)-(String)`` answers for `name`, or nil when `name` is not watched.
    public subscript(name: String) -> [Int]? { entries[name]?.indices }

    /// Every watched name with its indices (names the document lacks map to `[]`).
    public var found: [String: [Int]] { entries.mapValues(\.indices) }

    /// The indices of `name`, watching it from now on (one pass over the document the first time).
    public mutating func indices(of name: String, in document: CfgDocument) -> [Int] {
        if let known = entries[name] { return known.indices }
        watch([name], in: document)
        return entries[name]!.indices
    }

    /// Adds `names` (those not yet watched) with one pass over the document.
    public mutating func watch(_ names: [String], in document: CfgDocument) {
        let new = Array(Set(names.filter { entries[$0] == nil }))
        guard !new.isEmpty else { return }
        for name in new {
            entries[name] = Entry(key: Array(name.utf8))
            byLength[name.utf8.count, default: []].append(name)
        }
        let only = Set(new)
        match(document, attributes: 0..<document.parameterCount) { only.contains($0) }
    }

    /// Follows `changes` (oldest first, as ``CfgDocument/journal`` holds them) made to the
    /// document the index was built on; `document` is the result.
    public mutating func update(after changes: [Change], in document: CfgDocument) {
        for change in changes {
            if change.rescanned {
                self = NameIndex(document, names: Array(entries.keys))
                return
            }
            let shift = change.attributeCount - change.attributes.count
            for name in Array(entries.keys) {
                entries[name]!.exact = Self.shifted(entries[name]!.exact, removing: change.attributes, by: shift)
                entries[name]!.folded = Self.shifted(entries[name]!.folded, removing: change.attributes, by: shift)
            }
            let lower = change.attributes.lowerBound
            match(document, attributes: lower..<lower + change.attributeCount) { _ in true }
        }
    }

    /// `list` without the indices in `removed`, those after it moved by `shift`.
    static func shifted(_ list: [Int], removing removed: Range<Int>, by shift: Int) -> [Int] {
        guard let last = list.last, last >= removed.lowerBound else { return list }
        var result: [Int] = []
        result.reserveCapacity(list.count)
        for i in list where !removed.contains(i) {
            result.append(i < removed.lowerBound ? i : i + shift)
        }
        return result
    }

    /// Adds the attributes in `range` whose names match a watched name that `include` accepts,
    /// keeping every list in document order.
    mutating func match(_ document: CfgDocument, attributes range: Range<Int>, include: (String) -> Bool) {
        document.bytes.withUnsafeBufferPointer { p in
            for i in range {
                let r = document.attributes[i].nameRange
                guard let candidates = byLength[r.count] else { continue }
                for name in candidates where include(name) {
                    let key = entries[name]!.key
                    var same = true, sameFolded = true
                    for j in 0..<key.count {
                        let c = p[r.lowerBound + j]
                        if c != key[j] {
                            same = false
                            if ASCII.lower(c) != ASCII.lower(key[j]) { sameFolded = false; break }
                        }
                    }
                    if same {
                        Self.insert(i, into: &entries[name]!.exact)
                    } else if sameFolded {
                        Self.insert(i, into: &entries[name]!.folded)
                    }
                }
            }
        }
    }

    static func insert(_ i: Int, into list: inout [Int]) {
        if list.last.map({ $0 < i }) ?? true { list.append(i); return }
        let at = list.firstIndex { $0 > i } ?? list.count
        list.insert(i, at: at)
    }
}
