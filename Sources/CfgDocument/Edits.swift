/// Why an edit was refused.
public enum EditError: Error, Equatable, CustomStringConvertible {
    /// The name cannot stand as an attribute name.
    case invalidName(String)
    /// The node is not a start tag or an empty-element tag.
    case notAnElement(Int)
    /// The anchor's value never ends (a truncated file): whatever came after it would become part of it.
    case unterminatedValue(String)
    /// A value of the tag (its name, line and column) runs on into the markup after it, its closing
    /// quote missing: an edit there would swallow or split what follows.
    case valueRunsIntoMarkup(String, line: Int, column: Int)
    /// The tag already has an attribute of this name: XML allows one.
    case duplicateAttribute(String)
    /// The value holds a control character that XML 1.0 cannot hold in any form (the byte).
    case controlCharacter(name: String, byte: UInt8)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "'\(name)' is not a valid parameter name (no spaces, quotes, '=', '<', '>' or '/')"
        case .notAnElement(let node):
            return "node \(node) is not an element"
        case .unterminatedValue(let name):
            return "the value of \(name) is never closed with a quote (the file looks truncated): close it first"
        case .valueRunsIntoMarkup(let name, let line, let column):
            return "the value of \(name) at line \(line), column \(column) runs on into the markup after it (its "
                + "closing quote is missing): close it first"
        case .duplicateAttribute(let name):
            return "its element already has \(name), and XML allows a name once in an element: remove one of them "
                + "first"
        case .controlCharacter(let name, let byte):
            let hex = String(byte, radix: 16, uppercase: true)
            return "the value for \(name) holds the control character 0x\(hex.count == 1 ? "0" : "")\(hex), which "
                + "an XML file cannot hold, raw or as &#...; (only tab, line feed and carriage return can be): "
                + "remove it"
        }
    }
}

extension CfgDocument {
    /// Refuses an edit at parameter `i` when a value of its tag up to `i` holds a raw `<`: its
    /// closing quote is missing, so the value runs on into the markup that follows.
    public func checkValuesEnd(inTagOf i: Int) throws(EditError) {
        if let k = attributeIndices(inTagOf: i)[...i].last(where: runsIntoMarkup) { throw markupError(at: k) }
    }

    /// Whether the value of parameter `k` holds a raw `<`: its closing quote is missing.
    public func runsIntoMarkup(_ k: Int) -> Bool { rawValue(k).contains(ASCII.lt) }

    /// The refusal of an edit after parameter `k`, whose value runs into the markup, saying where it is.
    public func markupError(at k: Int) -> EditError {
        let (line, column) = LineIndex(bytes).location(of: attributes[k].nameRange.lowerBound)
        return .valueRunsIntoMarkup(name(k), line: line, column: column)
    }

    /// Sets parameter `i` to `value`, escaping `&`, `<` and the attribute's quote character.
    /// Returns false, changing nothing, when the decoded value already equals `value`.
    @discardableResult
    public mutating func setValue(_ i: Int, to value: String) -> Bool {
        setValue(i, to: Array(value.utf8))
    }

    /// Sets parameter `i` to the bytes `value`; see ``setValue(_:to:)-(Int,String)``.
    @discardableResult
    public mutating func setValue(_ i: Int, to value: [UInt8]) -> Bool {
        let a = attributes[i]
        guard valueBytes(i) != value else { return false }
        replace(a.valueRange, with: valueText(i, value), inNode: Int(a.node))
        return true
    }

    /// What replaces the value bytes of parameter `i` to make it `value` (UTF-8): escaped for its quote, in the
    /// document's ``encoding``, and quoted when the file left it bare.
    public func valueText(_ i: Int, _ value: [UInt8]) -> [UInt8] {
        let quote = attributes[i].quote
        let text = encoding.encode(Entities.escape(value, quote: quote == 0 ? ASCII.dquote : quote))
        return quote == 0 ? [ASCII.dquote] + text + [ASCII.dquote] : text
    }

    /// Renames parameter `i`; only its name bytes change. Refused when another attribute of the
    /// tag already has the name (the file would no longer be XML).
    public mutating func rename(_ i: Int, to name: String) throws(EditError) {
        let a = attributes[i]
        let bytes = try Self.validName(name)
        if attributeIndices(inTagOf: i).contains(where: { $0 != i && nameBytes($0).elementsEqual(bytes) }) {
            throw .duplicateAttribute(name)
        }
        replace(a.nameRange, with: bytes, inNode: Int(a.node))
    }

    /// Whether parameter `i` has its closing quote (or is bare): something can follow it.
    public func isTerminated(_ i: Int) -> Bool {
        attributes[i].quote == 0 || attributes[i].range.upperBound > attributes[i].valueRange.upperBound
    }

    /// The parameters of the tag that holds parameter `i`.
    func attributeIndices(inTagOf i: Int) -> Range<Int> {
        nodes[Int(attributes[i].node)].attributeIndices
    }

    /// Refuses a value XML cannot hold: a control character other than tab, line feed and
    /// carriage return (XML 1.0 forbids them raw and as character references alike).
    public static func checkValue(_ value: [UInt8], for name: String) throws(EditError) {
        if let bad = value.first(where: { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
            throw .controlCharacter(name: name, byte: bad)
        }
    }

    /// Removes parameter `i` with the whitespace before it.
    public mutating func remove(_ i: Int) {
        let a = attributes[i]
        replace(a.range, with: [], inNode: Int(a.node))
    }

    /// Removes the parameters at `indices` (any order, repeats ignored) in one splice, each with
    /// the whitespace before it, exactly as removing them one by one would.
    public mutating func remove(indices: [Int]) {
        replace(Set(indices).sorted().map { (attributes[$0].range, []) })
    }

    /// Replaces each range with its bytes (the ranges sorted and apart) as one edit: linear,
    /// where an edit each shifted every later span each time.
    public mutating func replace(_ splices: [(range: Range<Int>, bytes: [UInt8])]) {
        guard let first = splices.first, let last = splices.last else { return }
        var joined: [UInt8] = []
        var cursor = first.range.lowerBound
        for splice in splices {
            joined += bytes[cursor..<splice.range.lowerBound]
            joined += splice.bytes
            cursor = splice.range.upperBound
        }
        replaceBytes(first.range.lowerBound..<last.range.upperBound, with: joined)
    }

    /// Inserts `name="value"` right after parameter `anchor`, laid out like its neighbours.
    /// Returns the index of the new parameter.
    @discardableResult
    public mutating func insert(_ name: String, value: String, after anchor: Int) throws(EditError) -> Int {
        try checkValuesEnd(inTagOf: anchor)
        try Self.checkValue(Array(value.utf8), for: name)
        let bytes = Array(name.utf8)
        if attributeIndices(inTagOf: anchor).contains(where: { nameBytes($0).elementsEqual(bytes) }) {
            throw .duplicateAttribute(name)
        }
        let a = attributes[anchor]
        guard isTerminated(anchor) else { throw .unterminatedValue(self.name(anchor)) }
        let text = attributeText(
            try Self.validName(name), value: Array(value.utf8), separator: separator(forInsertionAfter: anchor),
            quote: quote(forInsertionAfter: anchor))
        replace(a.range.upperBound..<a.range.upperBound, with: text, inNode: Int(a.node))
        return anchor + 1
    }

    /// Inserts `name="value"` after the last parameter of element `node` (or after its name
    /// when it has none). Returns the index of the new parameter.
    @discardableResult
    public mutating func insert(_ name: String, value: String, inElement node: Int) throws(EditError) -> Int {
        let element = nodes[node]
        guard element.isElement else { throw .notAnElement(node) }
        if let last = element.attributeIndices.last {
            return try insert(name, value: value, after: last)
        }
        try Self.checkValue(Array(value.utf8), for: name)
        let text = attributeText(
            try Self.validName(name), value: Array(value.utf8), separator: Self.firstSeparator, quote: ASCII.dquote)
        let at = element.nameRange.upperBound
        replace(at..<at, with: text, inNode: node)
        return element.attributeIndices.lowerBound
    }

    /// What goes before the first attribute given to an element that has none.
    public static let firstSeparator = [ASCII.space]

    /// The quote for an attribute inserted after parameter `anchor`: its own, or `"` when it has none.
    public func quote(forInsertionAfter anchor: Int) -> UInt8 {
        attributes[anchor].quote == 0 ? ASCII.dquote : attributes[anchor].quote
    }

    /// The bytes of an inserted attribute: `separator`, the name, `=`, and the value escaped for `quote`, in the
    /// document's ``encoding``.
    public func attributeText(_ name: [UInt8], value: [UInt8], separator: [UInt8], quote: UInt8) -> [UInt8] {
        separator + name + [ASCII.equals, quote] + encoding.encode(Entities.escape(value, quote: quote)) + [quote]
    }

    /// The bytes of `name`, or why it cannot stand as an attribute name.
    public static func validName(_ name: String) throws(EditError) -> [UInt8] {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ ASCII.isNameByte($0) && $0 != ASCII.lbrace && $0 != ASCII.amp }) else {
            throw .invalidName(name)
        }
        return bytes
    }

    /// The whitespace to put before an attribute inserted after `anchor`: the line break and
    /// indentation of its neighbour when attributes stand one per line, else its own spacing.
    public func separator(forInsertionAfter anchor: Int) -> [UInt8] {
        let element = nodes[Int(attributes[anchor].node)]
        let siblings = element.attributeIndices
        // The first attribute usually shares the tag's line: prefer the spacing of the next one.
        let model = (anchor == siblings.lowerBound && siblings.count > 1) ? anchor + 1 : anchor
        let ws = bytes[attributes[model].leadingWhitespace]
        guard let lastBreak = ws.lastIndex(of: ASCII.lf) else {
            return ws.isEmpty ? [ASCII.space] : Array(ws)
        }
        let lineEnding: [UInt8] =
            (lastBreak > ws.startIndex && bytes[lastBreak - 1] == ASCII.cr) ? [ASCII.cr, ASCII.lf] : [ASCII.lf]
        return lineEnding + bytes[(lastBreak + 1)..<ws.endIndex]
    }

    /// Replaces `range` (inside start tag `node`) with `replacement`, rescans that one tag and
    /// shifts every later span. Falls back to a full scan should the tag's extent or name change
    /// (the name is quoted in diagnostics of other nodes, such as "element <x> is never closed").
    mutating func replace(_ range: Range<Int>, with replacement: [UInt8], inNode node: Int) {
        let old = nodes[node]
        let delta = replacement.count - range.count
        // A copy: a slice would keep the buffer shared and make the edit copy it.
        let oldName = Array(bytes[old.nameRange])
        let removed = Array(bytes[range])
        var names = old.attributeIndices.filter { attributes[$0].range.overlaps(range) }.map { name($0) }
        bytes.replaceSubrange(range, with: replacement)
        let rescanned = bytes.withUnsafeBufferPointer { p -> Scanner in
            var scanner = Scanner(p)
            _ = scanner.scanStartTag(old.range.lowerBound, parent: old.parent)
            return scanner
        }
        let tag = rescanned.nodes[0]
        guard tag.range.upperBound == old.range.upperBound + delta, tag.kind == old.kind,
              tag.nameRange == old.nameRange, bytes[tag.nameRange].elementsEqual(oldName) else {
            rescan(recording: Change(range: range, removed: removed, inserted: replacement, node: node,
                                     attributes: old.attributeIndices, attributeCount: -1, names: names))
            return
        }
        spliceSpans(tag, of: rescanned, into: node, old: old, delta: delta)
        spliceExtras(of: rescanned, into: node, old: old, delta: delta)
        let written = range.lowerBound..<range.lowerBound + replacement.count
        for a in rescanned.attributes where a.range.overlaps(written) {
            names.append(String(decoding: bytes[a.nameRange], as: UTF8.self))
        }
        journal.append(Change(range: range, removed: removed, inserted: replacement, node: node,
                              attributes: old.attributeIndices, attributeCount: Int(tag._attributeCount), names: names))
    }

    /// Puts the rescanned tag and its attributes in place of the old ones and shifts the later
    /// nodes and attributes (only when something moved: an edit of equal length shifts nothing).
    mutating func spliceSpans(_ tag: Node, of rescanned: Scanner, into node: Int, old: Node, delta: Int) {
        var tag = tag
        let d32 = Int32(delta)
        let oldAttributes = old.attributeIndices
        let countDelta = Int32(tag._attributeCount - old._attributeCount)
        tag._firstAttribute = old._firstAttribute
        tag.parent = old.parent
        nodes[node] = tag
        if d32 != 0 || countDelta != 0 {
            for k in (node + 1)..<nodes.count {
                nodes[k]._start += d32; nodes[k]._end += d32
                nodes[k]._nameEnd += d32; nodes[k]._bodyEnd += d32
                nodes[k]._firstAttribute += countDelta
            }
        }
        let n32 = Int32(node)
        attributes.replaceSubrange(oldAttributes, with: rescanned.attributes.map { a in
            var a = a
            a.node = n32
            return a
        })
        if d32 != 0 {
            for k in (oldAttributes.lowerBound + Int(tag._attributeCount))..<attributes.count {
                attributes[k]._start += d32; attributes[k]._nameStart += d32; attributes[k]._nameEnd += d32
                attributes[k]._valueStart += d32; attributes[k]._valueEnd += d32; attributes[k]._end += d32
            }
        }
    }

    /// The same for the tag's strays and diagnostics.
    mutating func spliceExtras(of rescanned: Scanner, into node: Int, old: Node, delta: Int) {
        let n32 = Int32(node), d32 = Int32(delta)
        let strayStart = strays.firstIndex { $0.node >= n32 } ?? strays.count
        let strayEnd = strays[strayStart...].firstIndex { $0.node > n32 } ?? strays.count
        strays.replaceSubrange(strayStart..<strayEnd, with: rescanned.strays.map { s in
            var s = s
            s.node = n32
            return s
        })
        for k in (strayStart + rescanned.strays.count)..<strays.count {
            strays[k]._start += d32; strays[k]._end += d32
        }
        let oldEnd = old.range.upperBound
        var kept = diagnostics.filter { $0.node != n32 }
        for k in kept.indices where kept[k].offset >= oldEnd {
            kept[k].offset += delta
        }
        kept += rescanned.diagnostics.map { d in
            var d = d
            if d.node >= 0 { d.node = n32 }
            return d
        }
        diagnostics = kept.sortedByOffset()
    }
}

/// One replacement made by an edit: enough to undo it, and to update what was derived from the
/// document (a ``NameIndex``, the editor's rows) without looking at the rest of the file.
public struct Change: Sendable, Equatable {
    /// The bytes replaced, in the document as it was before.
    public let range: Range<Int>
    /// What those bytes were.
    public let removed: [UInt8]
    /// What replaced them.
    public let inserted: [UInt8]
    /// The start tag rescanned (node indices stay put unless ``rescanned``).
    public let node: Int
    /// That tag's attributes before the change.
    public let attributes: Range<Int>
    /// How many attributes the tag has after it; -1 when the whole document was scanned again
    /// (the tag's name or extent changed), which invalidates every index.
    public let attributeCount: Int
    /// The names (as written) of the parameters whose bytes it replaced or wrote: a renamed
    /// parameter's old and new name, a removed or inserted one's. Empty when ``rescanned``.
    public let names: [String]

    /// Whether the whole document was scanned again.
    public var rescanned: Bool { attributeCount < 0 }
    /// The bytes the change wrote, in the document as it is after.
    public var insertedRange: Range<Int> { range.lowerBound..<range.lowerBound + inserted.count }
}

extension CfgDocument {
    /// Scans the bytes anew (an edit changed a tag's name or extent), keeping the journal.
    mutating func rescan(recording change: Change) {
        let kept = journal
        self = CfgDocument(bytes: bytes)
        journal = kept + [change]
    }

    /// Replaces `range` with `replacement` wherever it is: inside one start tag, by rescanning that
    /// tag; anywhere else, by scanning the document again. Undo uses it to revert a ``Change``.
    public mutating func replaceBytes(_ range: Range<Int>, with replacement: [UInt8]) {
        let node = nodeIndex(containing: range)
        if let node, nodes[node].isElement,
           range.lowerBound >= nodes[node].nameRange.upperBound, range.upperBound <= nodes[node].closingStart {
            replace(range, with: replacement, inNode: node)
            return
        }
        let removed = Array(bytes[range])
        bytes.replaceSubrange(range, with: replacement)
        rescan(recording: Change(range: range, removed: removed, inserted: replacement, node: node ?? 0,
                                 attributes: 0..<0, attributeCount: -1, names: []))
    }

    /// Undoes `change`, the last change still in effect (undo goes newest first).
    public mutating func revert(_ change: Change) {
        replaceBytes(change.insertedRange, with: change.removed)
    }

    /// Forgets the changes recorded so far (the caller has taken them).
    public mutating func clearJournal() {
        journal.removeAll()
    }

    /// The node whose bytes hold all of `range` (a node's end counts for an empty range).
    func nodeIndex(containing range: Range<Int>) -> Int? {
        var lo = 0, hi = nodes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if nodes[mid].range.upperBound < range.upperBound { lo = mid + 1 } else { hi = mid }
        }
        guard lo < nodes.count, nodes[lo].range.lowerBound <= range.lowerBound else { return nil }
        return lo
    }
}
