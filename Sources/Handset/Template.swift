import CfgDocument

/// A template file (Smarty, Jinja, Blade, `##X##` markers): which kind, how many directives the scanner skipped
/// between attributes and elements, and how many placeholders stand in names and values.
public struct TemplateSurvey: Sendable, Equatable {
    /// The template languages told apart by their syntax.
    public enum Kind: String, Sendable, CaseIterable {
        case smarty = "Smarty"
        case jinja = "Jinja"
        case blade = "Blade"
        case markers = "##X## marker"
        case substitutions = "${X} substitution"
    }

    /// The language most of the file's constructs belong to.
    public var kind: Kind
    /// Constructs outside names and values: `{if}`, `{% endif %}`, `@foreach(…)`, `{{ XX_fkeys }}` between
    /// attributes.
    public var directives: Int
    /// Constructs inside names and values: `{$row.line}`, `{{ ip }}`, `##SERVER##`.
    public var placeholders: Int
    /// The byte offset of the first construct.
    public var offset: Int

    /// What lint says about the file, once.
    public var message: String {
        let what = switch kind {
        case .markers, .substitutions: "a template of \(kind.rawValue)s"
        default: "a \(kind.rawValue) template"
        }
        var parts: [String] = []
        if directives > 0 {
            parts.append(
                "\(Self.count(directives, "directive")) skipped (the attributes between them are checked as usual)")
        }
        if placeholders > 0 {
            parts.append("\(Self.count(placeholders, "placeholder")) in names and values taken as they are")
        }
        return "\(what): " + parts.joined(separator: ", ")
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    /// The survey of `document`, or nil when it holds no template construct.
    public static func of(_ document: CfgDocument) -> TemplateSurvey? {
        var directives = 0, placeholders = 0, first: Int?
        var kinds: [Kind: Int] = [:]
        var locator = PlaceLocator(document)
        TemplateSyntax.forEachConstruct(in: document.bytes) { offset, kind, loose in
            switch locator.place(of: offset) {
            case .markup: return
            case .nameOrValue:
                guard !loose else { return }
                placeholders += 1
            case .between:
                directives += 1
            }
            first = first ?? offset
            kinds[kind, default: 0] += 1
        }
        guard let first else { return nil }
        let kind = Kind.allCases.max { kinds[$0, default: 0] < kinds[$1, default: 0] } ?? .smarty
        return TemplateSurvey(kind: kind, directives: directives, placeholders: placeholders, offset: first)
    }
}

/// Where an offset falls in a document, visited in increasing order: a cursor, not a search per construct.
struct PlaceLocator {
    enum Place { case markup, nameOrValue, between }
    let document: CfgDocument
    var node = 0

    init(_ document: CfgDocument) { self.document = document }

    mutating func place(of offset: Int) -> Place {
        let nodes = document.nodes
        while node + 1 < nodes.count && nodes[node].range.upperBound <= offset { node += 1 }
        guard node < nodes.count else { return .between }
        switch nodes[node].kind {
        case .comment, .cdata, .doctype, .processingInstruction, .xmlDeclaration, .byteOrderMark: return .markup
        case .text, .endTag: return .between
        case .startTag, .emptyElementTag:
            let inside = document.attributes[nodes[node].attributeIndices].contains {
                $0.nameRange.contains(offset) || $0.valueRange.contains(offset)
            }
            return inside ? .nameOrValue : .between
        }
    }
}

/// The syntax of template constructs, over bytes.
enum TemplateSyntax {
    static let bladeWords: Set<String> = [
        "if", "elseif", "else", "endif", "foreach", "endforeach", "for", "endfor", "forelse", "endforelse",
        "unless", "endunless", "isset", "endisset", "php", "endphp", "include", "section", "endsection", "yield",
    ]

    /// Calls `body(offset, kind, loose)` for each construct; `loose` marks a bare `{word …}`, a directive between
    /// attributes but, inside a value, as likely a password's braces.
    static func forEachConstruct(in bytes: [UInt8], _ body: (Int, TemplateSurvey.Kind, Bool) -> Void) {
        var j = 0
        let n = bytes.count
        while j < n {
            let c = bytes[j]
            if c == UInt8(ascii: "{"), let (end, kind, loose) = brace(bytes, at: j) {
                body(j, kind, loose)
                j = end
            } else if c == UInt8(ascii: "$"), j + 1 < n, bytes[j + 1] == UInt8(ascii: "{"),
                      let end = balanced(bytes, at: j + 1) {
                body(j, .substitutions, false)
                j = end
            } else if c == UInt8(ascii: "@"), let end = bladeDirective(bytes, at: j) {
                body(j, .blade, false)
                j = end
            } else if c == UInt8(ascii: "#"), let end = marker(bytes, at: j) {
                body(j, .markers, false)
                j = end
            } else {
                j += 1
            }
        }
    }

    /// A `{…}` construct at `j`: its end, its kind, and whether it is a bare `{word …}`.
    static func brace(_ b: [UInt8], at j: Int) -> (Int, TemplateSurvey.Kind, Bool)? {
        guard j + 1 < b.count else { return nil }
        let next = b[j + 1]
        switch next {
        case UInt8(ascii: "%"): return close(b, from: j + 2, "%}").map { ($0, .jinja, false) }
        case UInt8(ascii: "#"): return close(b, from: j + 2, "#}").map { ($0, .jinja, false) }
        case UInt8(ascii: "!"): return close(b, from: j + 2, "!!}").map { ($0, .blade, false) }
        case UInt8(ascii: "{"):
            let blade = j + 3 < b.count && b[j + 2] == UInt8(ascii: "-") && b[j + 3] == UInt8(ascii: "-")
            return close(b, from: j + 2, "}}").map { ($0, blade ? .blade : .jinja, false) }
        case UInt8(ascii: "$"), UInt8(ascii: "/"): return close(b, from: j + 2, "}").map { ($0, .smarty, false) }
        default:
            guard isLetter(next) else { return nil }
            return close(b, from: j + 2, "}").map { ($0, .smarty, true) }
        }
    }

    /// The end of `terminator` searched from `from` on the same line.
    static func close(_ b: [UInt8], from: Int, _ terminator: StaticString) -> Int? {
        let t = UnsafeBufferPointer(start: terminator.utf8Start, count: terminator.utf8CodeUnitCount)
        var k = from
        while k + t.count <= b.count {
            if b[k] == UInt8(ascii: "\n") || b[k] == UInt8(ascii: "<") { return nil }
            if b[k] == t[0] && b[k..<k + t.count].elementsEqual(t) { return k + t.count }
            k += 1
        }
        return nil
    }

    /// The end of the balanced `{…}` group at `j`, on its line.
    static func balanced(_ b: [UInt8], at j: Int) -> Int? {
        var depth = 0
        for k in j..<b.count {
            switch b[k] {
            case UInt8(ascii: "{"): depth += 1
            case UInt8(ascii: "}"): depth -= 1; if depth == 0 { return k + 1 }
            case UInt8(ascii: "\n"), UInt8(ascii: "<"): return nil
            default: break
            }
        }
        return nil
    }

    /// A Blade `@word` (with its parenthesised argument) at `j`, not inside a word (an e-mail address).
    static func bladeDirective(_ b: [UInt8], at j: Int) -> Int? {
        guard j == 0 || !(isLetter(b[j - 1]) || isDigit(b[j - 1]) || b[j - 1] == UInt8(ascii: ".")) else { return nil }
        var k = j + 1
        while k < b.count && isLetter(b[k]) { k += 1 }
        guard k > j + 1, bladeWords.contains(String(decoding: b[j + 1..<k], as: UTF8.self)) else { return nil }
        guard k < b.count && b[k] == UInt8(ascii: "(") else { return k }
        var depth = 0
        while k < b.count && b[k] != UInt8(ascii: "\n") {
            if b[k] == UInt8(ascii: "(") { depth += 1 }
            if b[k] == UInt8(ascii: ")") { depth -= 1; if depth == 0 { return k + 1 } }
            k += 1
        }
        return k
    }

    /// Whether `text` holds a template construct (a placeholder in a `CONFIG_FILES` entry: `{$mac}_reg.cfg`).
    static func holdsConstruct(_ text: String) -> Bool {
        var found = false
        forEachConstruct(in: Array(text.utf8)) { _, _, loose in found = found || !loose }
        return found
    }

    /// A `##NAME##` marker (letters, digits, `_`, `-` and `.`) at `j`.
    static func marker(_ b: [UInt8], at j: Int) -> Int? {
        guard j + 1 < b.count, b[j + 1] == UInt8(ascii: "#"), j == 0 || b[j - 1] != UInt8(ascii: "#") else {
            return nil
        }
        var k = j + 2
        while k < b.count && (isLetter(b[k]) || isDigit(b[k]) || "_-.".utf8.contains(b[k])) { k += 1 }
        guard k > j + 2, k + 1 < b.count, b[k] == UInt8(ascii: "#"), b[k + 1] == UInt8(ascii: "#") else { return nil }
        return k + 2
    }

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
    static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}
