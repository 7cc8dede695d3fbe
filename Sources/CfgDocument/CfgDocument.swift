/// The lossless model of one `.cfg` file: its bytes and the spans a total scanner found in them.
///
/// Serialising is the bytes themselves (``fileBytes``: a UTF-16 file's text is held as UTF-8 and written back as
/// UTF-16); every edit replaces one span and shifts the rest, so nothing that was not edited moves or changes.
public struct CfgDocument: Sendable {
    /// The document as it would be written now, but that a UTF-16 file is held as its UTF-8 text: every range
    /// indexes these bytes. What goes to disk is ``fileBytes``.
    public internal(set) var bytes: [UInt8]
    /// Every top-level piece, in order; their ranges tile ``bytes``.
    public internal(set) var nodes: [Node]
    /// Every attribute of every start tag, in document order: the parameters.
    public internal(set) var attributes: [Attribute]
    /// Bytes inside start tags that are not attributes, in document order.
    public internal(set) var strays: [Stray]
    /// Problems found in the input, sorted by offset.
    public internal(set) var diagnostics: [Diagnostic]
    /// The encoding the XML declaration names: values are read through it and edits written in it.
    public let encoding: DeclaredEncoding
    /// Every change made since the document was scanned or ``clearJournal()`` was called, oldest
    /// first: what undo reverts and what derived indexes follow.
    public internal(set) var journal: [Change] = []

    /// The largest input slcfg models: offsets are kept in 32 bits.
    public static let maximumSize = Int(Int32.max) - 1

    /// The deepest nesting of elements the commands and the editor take: no configuration file
    /// comes near it, and paths printed per element grow with it.
    public static let maximumNesting = 10_000

    /// How deeply elements nest (0: no element); linear, a node's parent coming before it.
    public var nestingDepth: Int {
        var depths = [Int32](repeating: 0, count: nodes.count)
        var deepest: Int32 = 0
        for (k, node) in nodes.enumerated() where node.isElement {
            let parent = Int(node.parent)
            depths[k] = (parent >= 0 && parent < k ? depths[parent] : 0) + 1
            deepest = max(deepest, depths[k])
        }
        return Int(deepest)
    }

    /// Scans `bytes`, a file's contents. Never fails: malformed input yields diagnostics. A file with a UTF-16
    /// byte-order mark is scanned as its UTF-8 text; when it is not well-formed UTF-16 its bytes are kept as they
    /// are, and its encoding is one slcfg does not read (nothing is written into it).
    /// - Precondition: `bytes.count <=` ``maximumSize`` (callers refuse larger files with a message).
    public init(bytes: [UInt8]) {
        let declared = DeclaredEncoding(declaredIn: bytes)
        guard case .utf16(let bigEndian) = declared else {
            self.init(text: bytes, encoding: declared)
            return
        }
        if let text = DeclaredEncoding.utf8(ofUTF16: bytes, bigEndian: bigEndian), text.count <= Self.maximumSize {
            self.init(text: text, encoding: declared)
        } else {
            self.init(text: bytes, encoding: .unsupported(declared.name + " that is not well-formed"))
        }
    }

    /// Scans `text`, the bytes a document of `encoding` holds (UTF-8 for a UTF-16 file: ``bytes`` of another
    /// document of that encoding).
    public init(text bytes: [UInt8], encoding: DeclaredEncoding) {
        precondition(bytes.count <= Self.maximumSize, "input larger than CfgDocument.maximumSize")
        self.bytes = bytes
        let scanned = bytes.withUnsafeBufferPointer { p -> Scanner in
            var scanner = Scanner(p)
            scanner.scanDocument()
            return scanner
        }
        nodes = scanned.nodes
        attributes = scanned.attributes
        strays = scanned.strays
        diagnostics = scanned.diagnostics.sortedByOffset()
        self.encoding = encoding
    }

    /// The document as it would be written to its file now: ``bytes``, as UTF-16 for a UTF-16 file.
    public var fileBytes: [UInt8] { encoding.fileBytes(bytes) }

    /// Scans UTF-8 text.
    public init(_ text: String) {
        self.init(bytes: Array(text.utf8))
    }

    // MARK: - Reading parameters

    /// The number of parameters (attributes).
    public var parameterCount: Int { attributes.count }

    /// The name of parameter `i` as written.
    public func nameBytes(_ i: Int) -> ArraySlice<UInt8> { bytes[attributes[i].nameRange] }

    /// The name of parameter `i` as written.
    public func name(_ i: Int) -> String { String(decoding: nameBytes(i), as: UTF8.self) }

    /// The raw value of parameter `i`, entities as written.
    public func rawValue(_ i: Int) -> ArraySlice<UInt8> { bytes[attributes[i].valueRange] }

    /// The decoded value of parameter `i` as UTF-8 bytes, read through the declared ``encoding`` (newlines kept as
    /// they are).
    public func valueBytes(_ i: Int) -> [UInt8] {
        encoding.isSingleByte ? Entities.decode(encoding.utf8(rawValue(i))) : Entities.decode(rawValue(i))
    }

    /// The decoded value of parameter `i` (invalid UTF-8 shown as U+FFFD).
    public func value(_ i: Int) -> String { String(decoding: valueBytes(i), as: UTF8.self) }

    /// The name of an element node as written.
    public func elementName(_ node: Int) -> String {
        String(decoding: bytes[nodes[node].nameRange], as: UTF8.self)
    }

    /// Every parameter whose name is `name`: exact matches, or when there are none, ASCII
    /// case-insensitive ones. Document order.
    public func indices(named name: String) -> [Int] {
        NameIndex(self, names: [name])[name] ?? []
    }

    /// The first parameter named `name` (exact match first, then case-insensitive).
    public func index(named name: String) -> Int? { indices(named: name).first }

    /// ``indices(named:)`` for many names in one pass over the parameters (a menu's worth of
    /// lookups in a 500,000-parameter file costs one scan, not one each). Keyed by the names asked.
    public func indices(named names: [String]) -> [String: [Int]] {
        NameIndex(self, names: names).found
    }
}

extension CfgDocument {
    /// What the scanner says of the document now that it did not say of it before an edit
    /// (`before`: the diagnostics then), compared by message since offsets move: empty when the
    /// edits left the file as well-formed as it was. A save refuses anything else.
    public func diagnosticsAdded(since before: [Diagnostic]) -> [Diagnostic] {
        var known: [String: Int] = [:]
        for d in before { known[d.message, default: 0] += 1 }
        return diagnostics.filter { d in
            guard let n = known[d.message], n > 0 else { return true }
            known[d.message] = n - 1
            return false
        }
    }
}

extension Array where Element == Diagnostic {
    func sortedByOffset() -> [Diagnostic] {
        enumerated().sorted { ($0.element.offset, $0.offset) < ($1.element.offset, $1.offset) }.map(\.element)
    }
}

extension CfgDocument {
    /// The document rebuilt from its spans alone: tag names, each attribute's whitespace, name,
    /// `=`, quotes and value, strays, closings, and the other nodes. Equal to ``bytes`` whenever
    /// the scanner's spans tile the input, which is what the tests check.
    public func reassembled() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var strayIndex = 0
        for (n, node) in nodes.enumerated() {
            guard node.isElement else {
                out += bytes[node.range]
                continue
            }
            out.append(ASCII.lt)
            out += bytes[node.nameRange]
            var pieces: [(Int, [UInt8])] = []
            for i in node.attributeIndices {
                let a = attributes[i]
                var piece = Array(bytes[a.leadingWhitespace]) + bytes[a.nameRange] + bytes[a.equalsRange]
                if a.quote != 0 { piece.append(a.quote) }
                piece += bytes[a.valueRange]
                if a.quote != 0 && a.range.upperBound > a.valueRange.upperBound { piece.append(a.quote) }
                pieces.append((a.range.lowerBound, piece))
            }
            while strayIndex < strays.count && strays[strayIndex].node == Int32(n) {
                pieces.append((strays[strayIndex].range.lowerBound, Array(bytes[strays[strayIndex].range])))
                strayIndex += 1
            }
            pieces.sort { $0.0 < $1.0 }
            var position = node.nameRange.upperBound
            for (start, piece) in pieces {
                if start != position { return out }   // a gap or an overlap: not a tiling
                out += piece
                position += piece.count
            }
            // Trailing whitespace before the closing, then the closing itself.
            let trailing = bytes[position..<node.closingStart]
            guard trailing.allSatisfy(ASCII.isSpace) else { return out }
            out += trailing
            out += bytes[node.closingStart..<node.range.upperBound]
        }
        return out
    }
}

extension CfgDocument {
    /// The text of the comment just before the element holding parameter `i` (only whitespace
    /// between them), trimmed; nil when there is none. Real files document values there.
    public func comment(before i: Int) -> String? {
        var k = Int(attributes[i].node) - 1
        while k >= 0 {
            let node = nodes[k]
            if node.kind == .text && bytes[node.range].allSatisfy(ASCII.isSpace) {
                k -= 1
                continue
            }
            guard node.kind == .comment, node.range.count >= 7 else { return nil }
            let body = bytes[(node.range.lowerBound + 4)..<(node.range.upperBound - 3)]
            let text = String(decoding: body, as: UTF8.self)
            return text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingCharacters(in: " \t-=") }
                .filter { !$0.isEmpty }.joined(separator: " ")
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
