/// One top-level piece of a document: text, markup, or a tag, as a byte range of the source.
public struct Node: Sendable, Equatable {
    /// What a node is.
    public enum Kind: UInt8, Sendable {
        case byteOrderMark, xmlDeclaration, processingInstruction, comment, cdata, doctype, text
        case startTag, emptyElementTag, endTag
    }

    /// What this node is.
    public var kind: Kind
    var _start: Int32
    var _end: Int32
    var _nameEnd: Int32
    var _bodyEnd: Int32
    /// The index of the start tag of the element that encloses this node, or -1 at the top level.
    public var parent: Int32
    var _firstAttribute: Int32
    var _attributeCount: Int32

    /// The bytes of the node in the source.
    public var range: Range<Int> { Int(_start)..<Int(_end) }
    /// The element name of a tag (empty for other nodes).
    public var nameRange: Range<Int> {
        switch kind {
        case .startTag, .emptyElementTag: return Int(_start) + 1..<Int(_nameEnd)
        case .endTag: return Int(_start) + 2..<Int(_nameEnd)
        default: return Int(_start)..<Int(_start)
        }
    }
    /// Where the closing `>` or `/>` of a tag starts (its end when the tag is not closed).
    public var closingStart: Int { Int(_bodyEnd) }
    /// The indices of this tag's attributes in ``CfgDocument/attributes``.
    public var attributeIndices: Range<Int> {
        Int(_firstAttribute)..<Int(_firstAttribute) + Int(_attributeCount)
    }
    /// Whether this node opens or is an element (a start tag or an empty-element tag).
    public var isElement: Bool { kind == .startTag || kind == .emptyElementTag }
}

/// One attribute (a parameter) inside a start tag, as byte offsets into the source.
public struct Attribute: Sendable, Equatable {
    var _start: Int32
    var _nameStart: Int32
    var _nameEnd: Int32
    var _valueStart: Int32
    var _valueEnd: Int32
    var _end: Int32
    /// The node (start tag) this attribute belongs to.
    public var node: Int32
    /// The quote character (`"` or `'`), or 0 for an unquoted value.
    public var quote: UInt8

    /// The whole attribute including its leading whitespace.
    public var range: Range<Int> { Int(_start)..<Int(_end) }
    /// The whitespace before the name.
    public var leadingWhitespace: Range<Int> { Int(_start)..<Int(_nameStart) }
    /// The name as written.
    public var nameRange: Range<Int> { Int(_nameStart)..<Int(_nameEnd) }
    /// The bytes between the name and the opening quote: `=` with any spaces around it.
    public var equalsRange: Range<Int> { Int(_nameEnd)..<(Int(_valueStart) - (quote == 0 ? 0 : 1)) }
    /// The raw value between the quotes, entities not decoded.
    public var valueRange: Range<Int> { Int(_valueStart)..<Int(_valueEnd) }
}

/// Bytes inside a start tag that are not an attribute (a template directive, a name without a value).
public struct Stray: Sendable, Equatable {
    var _start: Int32
    var _end: Int32
    /// The node (start tag) this piece belongs to.
    public var node: Int32
    /// The bytes of the piece, its leading whitespace included.
    public var range: Range<Int> { Int(_start)..<Int(_end) }
}

/// Something wrong with the input, at a byte offset. The document still round-trips.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// How bad it is.
    public enum Severity: String, Sendable { case error, warning }
    /// The byte offset in the source where the problem is.
    public var offset: Int
    /// How bad it is.
    public var severity: Severity
    /// What is wrong, in words for people.
    public var message: String
    /// The tag whose scan produced it, or -1 for a problem of the element structure.
    var node: Int32

    public var description: String { "\(offset): \(severity.rawValue): \(message)" }
}
