/// The total scanner: every byte sequence becomes nodes, attributes, strays and diagnostics
/// whose ranges tile the input exactly.
struct Scanner {
    let p: UnsafeBufferPointer<UInt8>
    let n: Int
    var nodes: [Node] = []
    var attributes: [Attribute] = []
    var strays: [Stray] = []
    var diagnostics: [Diagnostic] = []
    var stack: [Int32] = []
    var reportedOutsideText = false

    init(_ p: UnsafeBufferPointer<UInt8>) {
        self.p = p
        self.n = p.count
    }

    mutating func scanDocument() {
        var i = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
            append(.byteOrderMark, 0, 3)
            i = 3
        }
        while i < n {
            if p[i] != ASCII.lt {
                i = scanText(i)
                continue
            }
            guard i + 1 < n else {
                diagnose(i, "'<' at the end of the file: the file looks truncated")
                append(.text, i, n)
                break
            }
            switch p[i + 1] {
            case ASCII.question: i = scanProcessingInstruction(i)
            case ASCII.bang:
                if hasPrefix("<!--", at: i) {
                    i = scanDelimited(i, open: 4, close: "-->", kind: .comment, what: "comment")
                } else if hasPrefix("<![CDATA[", at: i) {
                    i = scanDelimited(i, open: 9, close: "]]>", kind: .cdata, what: "CDATA section")
                } else {
                    i = scanDoctype(i)
                }
            case ASCII.slash: i = scanEndTag(i)
            default:
                if ASCII.isNameByte(p[i + 1]) && p[i + 1] != ASCII.bang {
                    i = scanStartTag(i, parent: stack.last ?? -1)
                } else {
                    diagnose(i, "'<' is not followed by an element name; write &lt; for a literal '<'")
                    append(.text, i, i + 1)
                    i += 1
                }
            }
        }
        for open in stack.reversed() {
            let node = nodes[Int(open)]
            diagnostics.append(Diagnostic(
                offset: node.range.lowerBound, severity: .error,
                message: "element <\(string(node.nameRange))> is never closed", node: -1))
        }
    }

    // MARK: - Pieces

    @inline(__always) mutating func append(
        _ kind: Node.Kind, _ start: Int, _ end: Int, nameEnd: Int = 0, bodyEnd: Int = 0
    ) {
        nodes.append(
            Node(
                kind: kind, _start: Int32(start), _end: Int32(end), _nameEnd: Int32(nameEnd == 0 ? start : nameEnd),
                _bodyEnd: Int32(bodyEnd == 0 ? end : bodyEnd), parent: stack.last ?? -1,
                _firstAttribute: Int32(attributes.count), _attributeCount: 0))
    }

    mutating func diagnose(_ offset: Int, _ message: String, severity: Diagnostic.Severity = .error, node: Int32 = -1) {
        diagnostics.append(Diagnostic(offset: offset, severity: severity, message: message, node: node))
    }

    func hasPrefix(_ s: StaticString, at i: Int) -> Bool {
        let len = s.utf8CodeUnitCount
        guard i + len <= n else { return false }
        let u = s.utf8Start
        for k in 0..<len where p[i + k] != u[k] { return false }
        return true
    }

    /// The offset of the first occurrence of `s` at or after `i`, or nil.
    func find(_ s: StaticString, from i: Int) -> Int? {
        let len = s.utf8CodeUnitCount
        let first = s.utf8Start[0]
        var j = i
        while j + len <= n {
            if p[j] == first && hasPrefix(s, at: j) { return j }
            j += 1
        }
        return nil
    }

    func string(_ r: Range<Int>) -> String {
        let clipped = r.clamped(to: 0..<n)
        let shown = clipped.count > 60 ? clipped.lowerBound..<clipped.lowerBound + 60 : clipped
        return String(decoding: UnsafeBufferPointer(rebasing: p[shown]), as: UTF8.self)
    }

    mutating func scanText(_ i: Int) -> Int {
        var j = i
        var blank = true
        while j < n && p[j] != ASCII.lt {
            if blank && !ASCII.isSpace(p[j]) { blank = false }
            j += 1
        }
        if !blank && stack.isEmpty && !reportedOutsideText && !onlyTemplateDirectives(i..<j) {
            reportedOutsideText = true
            var k = i
            while ASCII.isSpace(p[k]) { k += 1 }
            diagnose(k, "text outside any element is not part of the configuration", severity: .warning)
        }
        append(.text, i, j)
        return j
    }

    /// Whether `range` holds only template directives (`{% if x %}`, `{/if}`, `${X}`) and spaces: a template's
    /// control between elements, which lint reports once for the file, not text outside an element.
    func onlyTemplateDirectives(_ range: Range<Int>) -> Bool {
        var j = range.lowerBound
        while j < range.upperBound {
            if ASCII.isSpace(p[j]) { j += 1; continue }
            let open = p[j] == ASCII.dollar && j + 1 < range.upperBound ? j + 1 : j
            guard p[open] == ASCII.lbrace else { return false }
            let k = skipBraceGroup(open)
            guard k <= range.upperBound, p[k - 1] == ASCII.rbrace, k > open + 1 else { return false }
            j = k
        }
        return true
    }

    mutating func scanProcessingInstruction(_ i: Int) -> Int {
        let end: Int
        if let close = find("?>", from: i + 2) {
            end = close + 2
        } else {
            diagnose(i, "processing instruction '<?' is never closed with '?>'")
            end = n
        }
        let isDeclaration =
            hasPrefix("<?xml", at: i) && (i + 5 < n) && (ASCII.isSpace(p[i + 5]) || p[i + 5] == ASCII.question)
        if isDeclaration && !(i == 0 || (i == 3 && nodes.first?.kind == .byteOrderMark)) {
            diagnose(i, "the XML declaration must be the first thing in the file")
        }
        append(isDeclaration ? .xmlDeclaration : .processingInstruction, i, end)
        return end
    }

    mutating func scanDelimited(_ i: Int, open: Int, close: StaticString, kind: Node.Kind, what: String) -> Int {
        let end: Int
        if let c = find(close, from: i + open) {
            end = c + close.utf8CodeUnitCount
        } else {
            diagnose(i, "\(what) is never closed with '\(close)'")
            end = n
        }
        append(kind, i, end)
        return end
    }

    /// `<!DOCTYPE ...>` and other `<!` declarations: kept as they are, never processed.
    mutating func scanDoctype(_ i: Int) -> Int {
        var j = i + 2
        var depth = 0
        var quote: UInt8 = 0
        while j < n {
            let c = p[j]
            if quote != 0 {
                if c == quote { quote = 0 }
            } else if c == ASCII.dquote || c == ASCII.squote {
                quote = c
            } else if c == ASCII.lbracket {
                depth += 1
            } else if c == ASCII.rbracket {
                depth -= 1
            } else if c == ASCII.gt && depth <= 0 {
                append(.doctype, i, j + 1)
                return j + 1
            }
            j += 1
        }
        diagnose(i, "declaration '<!' is never closed with '>'")
        append(.doctype, i, n)
        return n
    }

    /// Scans a name loosely: XML name bytes plus template groups such as `{$row.line}` or `${X}`.
    func scanName(_ i: Int) -> Int {
        var j = i
        while j < n {
            let c = p[j]
            if c >= 64 && c != ASCII.lbrace {
                j += 1
            } else if c == ASCII.lbrace {
                j = skipBraceGroup(j)
            } else if ASCII.isNameByte(c) {
                j += 1
            } else {
                break
            }
        }
        return j
    }

    /// Skips a balanced `{...}` group (which may hold spaces), never past a tag boundary.
    func skipBraceGroup(_ i: Int) -> Int {
        var depth = 0
        var j = i
        while j < n {
            let c = p[j]
            if c == ASCII.lbrace {
                depth += 1
            } else if c == ASCII.rbrace {
                depth -= 1
                if depth == 0 { return j + 1 }
            } else if c == ASCII.lt || c == ASCII.gt || c == ASCII.lf {
                return j
            }
            j += 1
        }
        return j
    }

    @inline(__always) func skipSpace(_ i: Int) -> Int {
        var j = i
        while j < n && ASCII.isSpace(p[j]) { j += 1 }
        return j
    }

    mutating func scanEndTag(_ i: Int) -> Int {
        let nameEnd = scanName(i + 2)
        var j = skipSpace(nameEnd)
        let bodyEnd = j
        let nodeIndex = Int32(nodes.count)
        if j < n && p[j] == ASCII.gt {
            j += 1
        } else {
            diagnose(i, "end tag </\(string(i + 2..<nameEnd))> is not closed with '>'", node: nodeIndex)
        }
        let name = i + 2..<nameEnd
        if nameEnd == i + 2 {
            diagnose(i, "end tag without an element name", node: nodeIndex)
        }
        // Match against the open elements: pop to the match, report what was left open.
        if let depth = stack.lastIndex(where: { sameName(nodes[Int($0)].nameRange, name) }) {
            for open in stack[(depth + 1)...].reversed() {
                diagnose(nodes[Int(open)].range.lowerBound,
                         "element <\(string(nodes[Int(open)].nameRange))> is not closed before </\(string(name))>")
            }
            stack.removeSubrange(depth...)
        } else {
            diagnose(i, "end tag </\(string(name))> has no matching start tag")
        }
        append(.endTag, i, j, nameEnd: nameEnd, bodyEnd: bodyEnd)
        return j
    }

    func sameName(_ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where p[a.lowerBound + k] != p[b.lowerBound + k] { return false }
        return true
    }

    /// Scans one start tag at `i` (which holds `<`) with its attributes; appends one node. The
    /// scanner's hot loop: its parts are inlined, as measured in `slcfg-bench`.
    mutating func scanStartTag(_ i: Int, parent: Int32) -> Int {
        let nodeIndex = Int32(nodes.count)
        let firstAttribute = attributes.count
        let nameEnd = scanName(i + 1)
        var j = nameEnd
        var close: (kind: Node.Kind, bodyEnd: Int, end: Int)
        while true {
            let wsStart = j
            j = skipSpace(j)
            if let found = tagEnd(at: j, tag: i..<nameEnd, node: nodeIndex) {
                close = found
                break
            }
            if let next = skipTemplateDirective(at: j, wsStart: wsStart, node: nodeIndex) {
                j = next
            } else {
                j = scanAttribute(at: j, wsStart: wsStart, node: nodeIndex, firstAttribute: firstAttribute)
            }
        }
        nodes.append(Node(
            kind: close.kind, _start: Int32(i), _end: Int32(close.end), _nameEnd: Int32(nameEnd),
            _bodyEnd: Int32(close.bodyEnd), parent: parent, _firstAttribute: Int32(firstAttribute),
            _attributeCount: Int32(attributes.count - firstAttribute)))
        if close.kind == .startTag { stack.append(nodeIndex) }
        return close.end
    }

    /// Where the tag ends when it ends at `j`: `>`, `/>`, or (both reported) the next `<` or the
    /// end of the input; nil when an attribute or something else comes first.
    @inline(__always)
    mutating func tagEnd(at j: Int, tag: Range<Int>, node: Int32) -> (kind: Node.Kind, bodyEnd: Int, end: Int)? {
        guard j < n else {
            diagnose(
                tag.lowerBound,
                "start tag <\(string(tag.lowerBound + 1..<tag.upperBound))> is not closed with '>': the file looks "
                    + "truncated",
                node: node)
            return (.startTag, n, n)
        }
        let c = p[j]
        if c == ASCII.gt { return (.startTag, j, j + 1) }
        if c == ASCII.slash && j + 1 < n && p[j + 1] == ASCII.gt { return (.emptyElementTag, j, j + 2) }
        guard c == ASCII.lt else { return nil }
        diagnose(
            tag.lowerBound,
            "start tag <\(string(tag.lowerBound + 1..<tag.upperBound))> is not closed with '>' before the next '<'",
            node: node)
        return (.startTag, j, j)
    }

    /// A template directive at `j` ({% if %}, {if ...}, {{ x }}, {# #}) kept as a stray, unless a
    /// name goes on after it; returns where scanning goes on, or nil when there is none. Not a
    /// diagnostic: lint reports a template once, as a whole (`TemplateSurvey`).
    @inline(__always)
    mutating func skipTemplateDirective(at j: Int, wsStart: Int, node: Int32) -> Int? {
        guard j + 1 < n, p[j] == ASCII.lbrace || (p[j] == ASCII.dollar && p[j + 1] == ASCII.lbrace) else { return nil }
        let k = skipBraceGroup(p[j] == ASCII.dollar ? j + 1 : j)
        guard isDirective(j..<k) else { return nil }
        strays.append(Stray(_start: Int32(wsStart), _end: Int32(k), node: node))
        return k
    }

    /// Whether the brace group `group` where an attribute should start is a directive, not the start of a name
    /// (`{x}="1"` and `{$row.line}.label="x"` are names): `{if $x}`, `{/if}`, `{else}` and `{% endif %}` always;
    /// `{$x=$x+1}` and `${F(x)}` when no name follows; otherwise a group holding a space, or one no name follows.
    func isDirective(_ group: Range<Int>) -> Bool {
        let k = group.upperBound
        guard k < n else { return true }
        guard p[k] != ASCII.equals else { return false }
        let followedByName = ASCII.isNameByte(p[k])
        let opener = p[group.lowerBound + 1]
        if p[group.lowerBound] == ASCII.dollar || opener == ASCII.dollar { return !followedByName }
        if opener == ASCII.slash || opener == ASCII.percent || opener == ASCII.hash { return true }
        if (opener | 0x20) >= UInt8(ascii: "a") && (opener | 0x20) <= UInt8(ascii: "z") { return true }
        return !followedByName || p[group].contains(where: ASCII.isSpace)
    }

    /// One attribute at `j` (or what stands where one should: a stray, reported); returns its end.
    @inline(__always)
    mutating func scanAttribute(at j: Int, wsStart: Int, node: Int32, firstAttribute: Int) -> Int {
        let nameStart = j
        let nameEnd = scanName(j)
        guard nameEnd > nameStart else {
            // '=', a quote or a lone '/': a value without a name.
            let c = p[j]
            var k = j + 1
            if c == ASCII.dquote || c == ASCII.squote {
                while k < n && p[k] != c && p[k] != ASCII.lt { k += 1 }
                if k < n && p[k] == c { k += 1 }
            }
            strays.append(Stray(_start: Int32(wsStart), _end: Int32(k), node: node))
            diagnose(j, "unexpected \(string(j..<k)) where an attribute name should be", node: node)
            return k
        }
        var k = skipSpace(nameEnd)
        guard k < n && p[k] == ASCII.equals else {
            strays.append(Stray(_start: Int32(wsStart), _end: Int32(nameEnd), node: node))
            diagnose(
                nameStart, "\(string(nameStart..<nameEnd)) has no value (expected '=\"...\"')",
                severity: p[nameStart] == ASCII.dollar || p[nameStart] == ASCII.lbrace ? .warning : .error, node: node)
            return nameEnd
        }
        k = skipSpace(k + 1)
        let quoted = k < n && (p[k] == ASCII.dquote || p[k] == ASCII.squote)
        let quote = quoted ? p[k] : 0
        let value = quoted ? scanQuotedValue(at: k, name: nameStart..<nameEnd, node: node) : scanBareValue(at: k)
        if !quoted {
            diagnose(nameStart, "the value of \(string(nameStart..<nameEnd)) is not in quotes", node: node)
        }
        if wsStart == nameStart && attributes.count > firstAttribute
            && attributes[attributes.count - 1]._end == Int32(nameStart)
        {
            diagnose(nameStart, "no space between attributes before \(string(nameStart..<nameEnd))", node: node)
        }
        attributes.append(Attribute(
            _start: Int32(wsStart), _nameStart: Int32(nameStart), _nameEnd: Int32(nameEnd),
            _valueStart: Int32(value.range.lowerBound), _valueEnd: Int32(value.range.upperBound),
            _end: Int32(value.end), node: node, quote: quote))
        return value.end
    }

    /// The value in quotes whose opening quote is at `k`, and where the attribute ends (after the
    /// closing quote). Reports a value never closed, `<` inside it and `&` that is no entity.
    @inline(__always)
    mutating func scanQuotedValue(at k: Int, name: Range<Int>, node: Int32) -> (range: Range<Int>, end: Int) {
        let quote = p[k]
        let valueStart = k + 1
        var v = valueStart
        var sawLt = false, sawAmp = false
        // Eight bytes at a time while none of them is the quote, '<' or '&'.
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let q = ones &* UInt64(quote), l = ones &* UInt64(ASCII.lt), a = ones &* UInt64(ASCII.amp)
        let raw = UnsafeRawPointer(p.baseAddress!)
        while v + 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: v, as: UInt64.self)
            let x = w ^ q, y = w ^ l, z = w ^ a
            let hit = ((x &- ones) & ~x) | ((y &- ones) & ~y) | ((z &- ones) & ~z)
            if hit & highs != 0 { break }
            v += 8
        }
        while v < n {
            let b = p[v]
            if b == quote { break }
            if b == ASCII.lt { sawLt = true } else if b == ASCII.amp { sawAmp = true }
            v += 1
        }
        if v == n {
            diagnose(
                k,
                "the value of \(string(name)) is never closed with "
                    + "\(quote == ASCII.dquote ? "'\"'" : "\"'\""): the file looks truncated",
                node: node)
        }
        if sawLt { diagnose(valueStart, "'<' inside the value of \(string(name)); write &lt;", node: node) }
        if sawAmp { checkEntities(valueStart..<v, node: node) }
        return (valueStart..<v, v < n ? v + 1 : n)
    }

    /// A value without quotes at `k`: up to white space, `>`, `<` or `/>`.
    @inline(__always)
    func scanBareValue(at k: Int) -> (range: Range<Int>, end: Int) {
        var v = k
        while v < n && !ASCII.isSpace(p[v]) && p[v] != ASCII.gt && p[v] != ASCII.lt
            && !(p[v] == ASCII.slash && v + 1 < n && p[v + 1] == ASCII.gt) { v += 1 }
        return (k..<v, v)
    }

    /// Reports `&` that does not start one of the five predefined entities or a character reference.
    mutating func checkEntities(_ r: Range<Int>, node: Int32) {
        var v = r.lowerBound
        while v < r.upperBound {
            if p[v] == ASCII.amp {
                let (_, length) = Entities.decode(p, at: v, end: r.upperBound)
                if length == 0 {
                    var e = v + 1
                    while e < r.upperBound && e < v + 12 && p[e] != ASCII.semicolon && !ASCII.isSpace(p[e]) { e += 1 }
                    let shown = e < r.upperBound && p[e] == ASCII.semicolon ? string(v..<e + 1) : "&"
                    diagnose(v, "\(shown) is not a predefined entity (kept as written); write &amp; for a literal '&'",
                             severity: .warning, node: node)
                }
            }
            v += 1
        }
    }
}
