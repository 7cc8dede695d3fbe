import CfgDocument
import Foundation

/// A firmware's own parameter schema (`polycomConfig.xsd`, shipped with every firmware package): each parameter's
/// type (boolean, integer range, string length, enumeration), default and line of documentation.
public struct FirmwareSchema: Sendable {
    /// What values a parameter of the schema takes.
    public enum ValueType: Sendable, Equatable {
        case boolean
        /// A whole number in the range; `allowsEmpty`: the `UIntNull_…` unions, which take "" too.
        case integer(ClosedRange<Int>, allowsEmpty: Bool)
        /// Text of at most `maxLength` characters (nil: no limit).
        case text(maxLength: Int?)
        /// One of the values listed (compared ignoring case, as the catalogue does).
        case enumeration([String])
    }

    /// One parameter the schema declares.
    public struct Parameter: Sendable, Equatable {
        public var name: String
        public var type: ValueType?
        public var documentation: String
        /// The default its documentation states (`default "…"` or `default 0 (false)`), if it states one.
        public var defaultValue: String?

        public init(name: String, type: ValueType?, documentation: String, defaultValue: String?) {
            self.name = name
            self.type = type
            self.documentation = documentation
            self.defaultValue = defaultValue
        }
    }

    /// The file the schema came from, as messages name it (`polycomConfig.xsd`).
    public var source: String
    /// The declared parameters, by lower-cased name.
    public var parameters: [String: Parameter]

    /// The parameter named `name`, ignoring case.
    public func parameter(_ name: String) -> Parameter? { parameters[name.lowercased()] }

    /// The names a schema is looked for under, in the directory of the files read.
    public static let fileNames = ["polycomConfig.xsd", "Config/polycomConfig.xsd"]

    /// Why a value is not one the schema allows for `name`, or nil (also when the schema does not type it).
    public func problem(_ value: String, for name: String) -> String? {
        guard let type = parameter(name)?.type else { return nil }
        let shown = "\"\(LintRun.short(value))\""
        switch type {
        case .boolean:
            guard !["0", "1", "true", "false"].contains(value) else { return nil }
            return "\(shown) is not a boolean for \(name) (\(source) allows 0, 1, true or false)"
        case .integer(let range, let allowsEmpty):
            if value.isEmpty && allowsEmpty { return nil }
            let span = "\(range.lowerBound)–\(range.upperBound)"
            let allowed = allowsEmpty ? "empty, or \(span)" : span
            guard let number = Int(value) else {
                return "\(shown) is not a whole number for \(name) (\(source) allows \(allowed))"
            }
            guard !range.contains(number) else { return nil }
            return "\(number) is outside \(span) for \(name) (\(source)\(allowsEmpty ? "; empty is allowed too" : ""))"
        case .text(let maxLength):
            guard let maxLength, value.count > maxLength else { return nil }
            return "\(name) holds \(value.count) characters, more than the \(maxLength) \(source) allows"
        case .enumeration(let values):
            guard !values.contains(where: { $0.caseInsensitiveCompare(value) == .orderedSame }) else { return nil }
            let shownValues = values.prefix(12).map { $0.isEmpty ? "(empty)" : $0 }.joined(separator: ", ")
            let listed = values.count > 12 ? "\(shownValues), … (\(values.count) in all)" : shownValues
            return "\(shown) is not a value \(source) allows for \(name): \(listed)"
        }
    }
}

/// Why a schema file was not used: one line, and the run goes on without it.
public struct SchemaError: Error, Equatable {
    /// Where in the schema, when one place is to blame.
    public var line: Int?, column: Int?
    /// What is wrong with it.
    public var reason: String

    public init(line: Int? = nil, column: Int? = nil, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// The line people read: `PATH:LINE:COLUMN: reason; it was not used`.
    public func message(path: String) -> String {
        let place = line.map { ":\($0):\(column ?? 1)" } ?? ""
        return "\(path)\(place): \(reason); the schema was not used"
    }
}

extension FirmwareSchema {
    /// Reads a schema from its bytes; `source` names it in findings (`polycomConfig.xsd`). Refuses a file that is
    /// not well-formed XML or declares no parameter (a foreign XSD).
    public init(bytes: [UInt8], source: String) throws(SchemaError) {
        guard bytes.count <= CfgDocument.maximumSize else { throw SchemaError(reason: "too large for a schema") }
        let document = CfgDocument(bytes: bytes)
        if let error = document.diagnostics.first(where: { $0.severity == .error }) {
            let (line, column) = LineIndex(bytes).location(of: error.offset)
            throw SchemaError(line: line, column: column, reason: "\(error.message): not well-formed XML")
        }
        var reader = SchemaReader(document)
        reader.read()
        guard !reader.parameters.isEmpty else {
            throw SchemaError(reason: "it declares no parameter (no xsd:attribute with a name): not a firmware schema")
        }
        self.init(source: source, parameters: reader.parameters)
    }
}

/// One pass over a schema's nodes: the named simple types, then the attributes that use them.
struct SchemaReader {
    let document: CfgDocument
    var types: [String: FirmwareSchema.ValueType] = [:]
    var parameters: [String: FirmwareSchema.Parameter] = [:]
    /// The type being read (its facets so far) and how deeply simple types nest in it.
    var facets = Facets()
    var typeDepth = 0
    var typeName: String?
    /// The attribute being read, its type name or inline type, and whether its documentation text is being read.
    var attribute: FirmwareSchema.Parameter?
    var attributeTypeName: String?
    var inDocumentation = false

    struct Facets {
        var base = ""
        var minimum: Int?, maximum: Int?, maxLength: Int?
        var values: [String] = []
        var allowsEmpty = false

        var type: FirmwareSchema.ValueType? {
            if base.hasSuffix("boolean") { return .boolean }
            if let minimum, let maximum, minimum <= maximum {
                return .integer(minimum...maximum, allowsEmpty: allowsEmpty)
            }
            if !values.isEmpty { return .enumeration(values + (allowsEmpty ? [""] : [])) }
            if base.hasSuffix("string") { return .text(maxLength: maxLength) }
            return nil
        }
    }

    init(_ document: CfgDocument) {
        self.document = document
        parameters.reserveCapacity(document.nodes.count / 6)
    }

    mutating func read() {
        for k in document.nodes.indices {
            let node = document.nodes[k]
            switch node.kind {
            case .startTag, .emptyElementTag: open(k, empty: node.kind == .emptyElementTag)
            case .endTag: close(localName(of: k))
            case .text where inDocumentation && attribute != nil:
                attribute!.documentation += String(decoding: Entities.decode(document.bytes[node.range]), as: UTF8.self)
            default: break
            }
        }
    }

    /// The element's name without its namespace prefix, when it is one the reader looks at (a String made only
    /// for those: a schema has 100,000 elements).
    func localName(of node: Int) -> Substring {
        let range = document.nodes[node].nameRange
        let bytes = document.bytes[range]
        let local = bytes.lastIndex(of: UInt8(ascii: ":")).map { bytes[($0 + 1)...] } ?? bytes
        guard let first = local.first, Self.firstBytes.contains(first) else { return "" }
        return Substring(String(decoding: local, as: UTF8.self))
    }

    /// The first bytes of the element names the reader looks at.
    static let firstBytes: Set<UInt8> = Set("sramMed".utf8)

    func attributeValue(_ node: Int, _ name: StaticString) -> String? {
        let wanted = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        return document.nodes[node].attributeIndices.first { document.nameBytes($0).elementsEqual(wanted) }
            .map { document.value($0) }
    }

    mutating func open(_ node: Int, empty: Bool) {
        switch localName(of: node) {
        case "simpleType":
            if typeDepth == 0 { facets = Facets(); typeName = attributeValue(node, "name") }
            if !empty { typeDepth += 1 }
        case "restriction" where typeDepth > 0:
            let base = attributeValue(node, "base") ?? ""
            if !base.hasSuffix("string") || facets.base.isEmpty { facets.base = base }
        case "minInclusive" where typeDepth > 0: facets.minimum = attributeValue(node, "value").flatMap { Int($0) }
        case "maxInclusive" where typeDepth > 0: facets.maximum = attributeValue(node, "value").flatMap { Int($0) }
        case "maxLength" where typeDepth > 0: facets.maxLength = attributeValue(node, "value").flatMap { Int($0) }
        case "enumeration" where typeDepth > 0:
            let value = attributeValue(node, "value") ?? ""
            if value.isEmpty { facets.allowsEmpty = true } else { facets.values.append(value) }
        case "attribute":
            guard let name = attributeValue(node, "name") else { return }
            attribute = FirmwareSchema.Parameter(name: name, type: nil, documentation: "", defaultValue: nil)
            attributeTypeName = attributeValue(node, "type")
            if empty { finishAttribute() }
        case "documentation": inDocumentation = !empty
        default: break
        }
    }

    mutating func close(_ name: Substring) {
        switch name {
        case "simpleType" where typeDepth > 0:
            typeDepth -= 1
            guard typeDepth == 0 else { return }
            if let typeName { types[typeName] = facets.type } else if attribute != nil { attribute!.type = facets.type }
        case "attribute": finishAttribute()
        case "documentation": inDocumentation = false
        default: break
        }
    }

    mutating func finishAttribute() {
        guard var parameter = attribute else { return }
        if let typeName = attributeTypeName {
            parameter.type = types[typeName] ?? (typeName.hasSuffix("boolean") ? .boolean : nil)
                ?? (typeName.hasSuffix(":string") || typeName == "string" ? .text(maxLength: nil) : nil)
        }
        if !parameter.documentation.isEmpty {
            parameter.documentation = parameter.documentation.trimmedOf(" \t\r\n")
            parameter.defaultValue = Self.statedDefault(parameter.documentation)
        }
        parameters[parameter.name.lowercased()] = parameter
        attribute = nil
        attributeTypeName = nil
    }

    /// The default a documentation line states: `default "x"` gives x, `default 0 (false)` gives 0.
    static func statedDefault(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        let key = Array("default ".utf8)
        guard bytes.count >= key.count,
              let start = (0...(bytes.count - key.count)).reversed().first(where: {
                  bytes[$0] == key[0] && bytes[$0..<$0 + key.count].elementsEqual(key)
              })
        else { return nil }
        let rest = bytes[(start + key.count)...]
        if rest.first == UInt8(ascii: "\"") {
            let inside = rest.dropFirst()
            return inside.firstIndex(of: UInt8(ascii: "\"")).map { String(decoding: inside[..<$0], as: UTF8.self) }
        }
        let word = rest.prefix { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: ".") && $0 != UInt8(ascii: "(") }
        return word.isEmpty ? nil : String(decoding: word, as: UTF8.self)
    }
}

extension Catalogue {
    /// What `get` adds about a name the file lacks: the default the handset then uses, or the name it was likely
    /// meant to be; nil when nothing is known.
    public func absenceNote(for name: String) -> String? {
        if let info = info(for: name), !info.defaultValue.isEmpty {
            let value = isSecret(name) ? "" : ", \"\(info.defaultValue)\""
            return "\(name) is not in the file: the handset uses its default\(value)"
                + (schema?.parameter(name) != nil ? " (\(schema!.source))" : "")
        }
        guard !isKnown(name), let suggestion = nearMiss(for: name) else { return nil }
        return "\(name) is not a parameter the handset knows; did you mean \(suggestion)?"
    }

    /// What `set` warns about an assignment: a name the handset does not know (with the likely one), or a value
    /// outside the schema's type for it; nil when neither.
    public func assignmentWarning(_ name: String, _ value: String) -> String? {
        if !isKnown(name) && info(for: name) == nil {
            guard let suggestion = nearMiss(for: name) else { return nil }
            return "\(name) is not a parameter the handset knows, so it ignores it; did you mean \(suggestion)?"
        }
        guard !value.isEmpty, !LintRun.isPlaceholder(value) else { return nil }
        return schema?.problem(value, for: name)
    }
}
