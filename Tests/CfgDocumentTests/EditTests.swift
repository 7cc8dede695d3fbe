import Testing
import CfgDocument
import TestSupport

@Suite("Edits")
struct EditTests {
    @Test("Setting a value replaces only the value, escaping &, < and the attribute's quote")
    func setEscapes() {
        var document = CfgDocument("<c a=\"1\" b='x'/>\n")
        let changedA = document.setValue(0, to: "say \"hi\" & <bye> 'ok'")
        let changedB = document.setValue(1, to: "it's \"q\"")
        #expect(changedA && changedB)
        #expect(text(document) == "<c a=\"say &quot;hi&quot; &amp; &lt;bye> 'ok'\" b='it&apos;s \"q\"'/>\n")
        #expect(document.value(0) == "say \"hi\" & <bye> 'ok'")
        #expect(document.value(1) == "it's \"q\"")
        expectConsistent(document)
    }

    @Test("Setting a value equal to the decoded value changes nothing, even when written with entities")
    func setSameValueIsNoOp() {
        let source = "<c a=\"x &amp; y\" b=\"&#65;\"/>"
        var document = CfgDocument(source)
        let changedA = document.setValue(0, to: "x & y")
        let changedB = document.setValue(1, to: "A")
        #expect(!changedA && !changedB)
        #expect(text(document) == source)
    }

    @Test("A value keeps its newlines, CRLF included, both when read and when set")
    func newlinesKept() {
        var document = CfgDocument("<c\r\n cert=\"-----BEGIN\r\nAAAA\r\n-----END\"\r\n/>")
        #expect(document.value(0) == "-----BEGIN\r\nAAAA\r\n-----END")
        document.setValue(0, to: "A\nB")
        #expect(text(document) == "<c\r\n cert=\"A\nB\"\r\n/>")
        expectConsistent(document)
    }

    @Test("Setting an unquoted value puts it in double quotes")
    func setUnquoted() {
        var document = CfgDocument("<c a=1 b=\"2\"/>")
        document.setValue(0, to: "x y")
        #expect(text(document) == "<c a=\"x y\" b=\"2\"/>")
        expectConsistent(document)
    }

    @Test("Insertion into one attribute per line copies the line ending and indentation", arguments: ["\n", "\r\n"])
    func insertOnePerLine(eol: String) throws {
        var document = CfgDocument("<polycomConfig>\(eol)  <dev\(eol)    a=\"1\"\(eol)    b=\"2\"\(eol)  />\(eol)</polycomConfig>\(eol)")
        let new = try document.insert("c", value: "3", after: 1)
        #expect(new == 2)
        #expect(text(document) == "<polycomConfig>\(eol)  <dev\(eol)    a=\"1\"\(eol)    b=\"2\"\(eol)    c=\"3\"\(eol)  />\(eol)</polycomConfig>\(eol)")
        expectConsistent(document)
    }

    @Test("Insertion after the first attribute on the tag line copies the next attribute's line")
    func insertAfterFirstOnTagLine() throws {
        var document = CfgDocument("<dev a=\"1\"\n     b=\"2\"/>")
        try document.insert("c", value: "3", after: 0)
        #expect(text(document) == "<dev a=\"1\"\n     c=\"3\"\n     b=\"2\"/>")
        expectConsistent(document)
    }

    @Test("Insertion into an element written on one line stays on that line")
    func insertOneLine() throws {
        var document = CfgDocument("<device.sec.TLS device.sec.TLS.customCaCert1=\"\" device.sec.TLS.customCaCert2=\"\">\n</device.sec.TLS>\n")
        try document.insert("device.sec.TLS.customCaCert2.set", value: "1", after: 1)
        #expect(text(document) == "<device.sec.TLS device.sec.TLS.customCaCert1=\"\" device.sec.TLS.customCaCert2=\"\" device.sec.TLS.customCaCert2.set=\"1\">\n</device.sec.TLS>\n")
        expectConsistent(document)
    }

    @Test("Insertion with tab indentation keeps the tabs")
    func insertTabs() throws {
        var document = CfgDocument("<PHONE>\n\t<SECURITY\n\t\tsec.srtp.enable=\"1\"\n\t\tsec.srtp.offer=\"0\"\n\t/>\n</PHONE>")
        try document.insert("sec.srtp.require", value: "0", inElement: 2)
        #expect(text(document) == "<PHONE>\n\t<SECURITY\n\t\tsec.srtp.enable=\"1\"\n\t\tsec.srtp.offer=\"0\"\n\t\tsec.srtp.require=\"0\"\n\t/>\n</PHONE>")
        expectConsistent(document)
    }

    @Test("Insertion works with '/>', '>' and '></x>' closings", arguments: [
        ("<x a=\"1\"/>", "<x a=\"1\" b=\"2\"/>"),
        ("<x a=\"1\">\n</x>", "<x a=\"1\" b=\"2\">\n</x>"),
        ("<x a=\"1\"></x>", "<x a=\"1\" b=\"2\"></x>"),
        ("<x a=\"1\" />", "<x a=\"1\" b=\"2\" />"),
        ("<x/>", "<x b=\"2\"/>"),
        ("<x></x>", "<x b=\"2\"></x>"),
    ])
    func insertClosings(source: String, expected: String) throws {
        var document = CfgDocument(source)
        try document.insert("b", value: "2", inElement: 0)
        #expect(text(document) == expected)
        expectConsistent(document)
    }

    @Test("Insertion escapes the value for the neighbour's quote character")
    func insertEscapes() throws {
        var document = CfgDocument("<x a='1'/>")
        try document.insert("b", value: "a'b&c", after: 0)
        #expect(text(document) == "<x a='1' b='a&apos;b&amp;c'/>")
    }

    @Test("An invalid name is refused and nothing changes")
    func invalidName() {
        var document = CfgDocument("<x a=\"1\"/>")
        #expect(throws: EditError.invalidName("b c")) { try document.insert("b c", value: "2", after: 0) }
        #expect(throws: EditError.invalidName("")) { try document.rename(0, to: "") }
        #expect(text(document) == "<x a=\"1\"/>")
    }

    @Test("Renaming changes only the name bytes")
    func rename() throws {
        var document = CfgDocument("<x\n  device.sec.TLS.cusomCaCert2.set = \"1\"\n/>")
        try document.rename(0, to: "device.sec.TLS.customCaCert2.set")
        #expect(text(document) == "<x\n  device.sec.TLS.customCaCert2.set = \"1\"\n/>")
        expectConsistent(document)
    }

    @Test("Removing takes the attribute and the whitespace before it, nothing else")
    func remove() {
        var document = CfgDocument("<x\r\n  a=\"1\"\r\n  b=\"2\"\r\n  c=\"3\"\r\n/>")
        document.remove(1)
        #expect(text(document) == "<x\r\n  a=\"1\"\r\n  c=\"3\"\r\n/>")
        #expect(document.parameterCount == 2)
        expectConsistent(document)
    }

    @Test("Edits in one element leave later elements, strays and diagnostics consistent")
    func laterSpansShift() throws {
        var document = CfgDocument("<r>\n<a x=\"1\" {if $y}y=\"2\"{/if}/>\n<b z=\"3\" q=4/>\n</r>")
        document.setValue(0, to: "longer value")
        expectConsistent(document)
        try document.insert("w", value: "5", after: 0)
        expectConsistent(document)
        document.remove(0)
        expectConsistent(document)
        #expect(document.value(document.index(named: "z")!) == "3")
        #expect(text(document) == "<r>\n<a w=\"5\" {if $y}y=\"2\"{/if}/>\n<b z=\"3\" q=4/>\n</r>")
    }
}

@Suite("Reading")
struct ReadingTests {
    @Test("Values decode the five entities and character references and nothing else")
    func decoding() {
        let document = CfgDocument("<x a=\"&amp;&lt;&gt;&quot;&apos;&#233;&#xE9;&lol;&#0;&\"/>")
        #expect(document.value(0) == "&<>\"'éé&lol;&#0;&")
    }

    @Test("Lookup is exact first, then case-insensitive")
    func lookup() {
        let document = CfgDocument("<x device.sec.tls.customCaCert1=\"a\" device.sec.TLS.customCaCert2=\"b\" device.sec.TLS.customcacert2=\"c\"/>")
        #expect(document.indices(named: "device.sec.TLS.customCaCert1") == [0])
        #expect(document.indices(named: "device.sec.TLS.customCaCert2") == [1])
        #expect(document.indices(named: "DEVICE.SEC.TLS.CUSTOMCACERT2") == [1, 2])
        #expect(document.index(named: "missing") == nil)
    }

    @Test("Parameters know their line and column")
    func pathsAndLocations() {
        let document = CfgDocument("\u{FEFF}<r>\r\n  <!-- c -->\r\n  <a\r\n\tx=\"1\" é=\"2\" y=\"3\"/>\r\n  <b><c z=\"\"/></b>\r\n</r>")
        let lines = LineIndex(document.bytes)
        #expect(lines.location(of: document.attributes[0].nameRange.lowerBound) == (4, 2))
        #expect(lines.location(of: document.attributes[2].nameRange.lowerBound) == (4, 14))
        #expect(lines.location(of: document.nodes[1].range.lowerBound) == (1, 1))
        var cursor = LocationCursor(lines)
        for i in 0..<document.parameterCount {
            let offset = document.attributes[i].nameRange.lowerBound
            #expect(cursor.location(of: offset) == lines.location(of: offset))
        }
    }

    @Test("Malformed input is reported with offsets and still lists its parameters")
    func diagnostics() {
        let document = CfgDocument("<r>\n<a x=\"1\" {if $y}y=\"2\"{/if} z=3/>\n<b q=\"never closed")
        #expect(document.diagnostics.map(\.message) == [
            "element <r> is never closed",
            "the value of z is not in quotes",
            "start tag <b> is not closed with '>': the file looks truncated",
            "element <b> is never closed",
            "the value of q is never closed with '\"': the file looks truncated",
        ])
        #expect(document.diagnostics.map(\.offset) == [0, 31, 37, 37, 42])
        #expect(document.strays.map { String(decoding: document.bytes[$0.range], as: UTF8.self) } == [" {if $y}", "{/if}"])
        #expect(document.parameterCount == 4)
    }

    @Test("A DOCTYPE with entities is kept as text and never expanded")
    func billionLaughs() {
        let source = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;\">]>\n<r a=\"&lol1;\"/>"
        let document = CfgDocument(source)
        #expect(document.value(0) == "&lol1;")
        #expect(document.nodes[0].kind == .doctype)
        #expect(text(document) == source)
    }

    @Test("Edits inside a truncated tag keep the spans equal to a fresh scan; nothing is inserted after a value that never ends")
    func truncatedTagEdits() throws {
        var document = CfgDocument("<r>\n  <device a=\"1\" b=\"2\" c=\"3\"\n    d=\"4")
        document.remove(0)
        document.remove(0)
        document.remove(0)
        #expect(throws: EditError.unterminatedValue("d")) { try document.insert("p.new3", value: "x", after: 0) }
        #expect(throws: EditError.unterminatedValue("d")) { try document.insert("p.new3", value: "x", inElement: Int(document.attributes[0].node)) }
        expectConsistent(document)
        #expect(text(document) == "<r>\n  <device\n    d=\"4")
        document.setValue(0, to: "5")
        expectConsistent(document)
        #expect(text(document) == "<r>\n  <device\n    d=\"5")
    }
}

@Suite("Removing many parameters at once")
struct BatchRemovalTests {
    @Test("remove(indices:) gives the bytes and spans of removing them one by one, last first, on every fixture and variant",
          arguments: Samples.fixtures)
    func sameAsOneByOne(file: SampleFile) {
        expectBatchMatches(file)
    }

    @Test("The same on every corpus file and variant",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func sameAsOneByOneCorpus(file: SampleFile) {
        expectBatchMatches(file)
    }

    private func expectBatchMatches(_ file: SampleFile) {
        for (variant, bytes) in Samples.variants(file.bytes) {
            let document = CfgDocument(bytes: bytes)
            guard document.parameterCount > 1 else { continue }
            for stride in [1, 2, 3] {
                let chosen = Array(Swift.stride(from: 0, to: document.parameterCount, by: stride))
                var batch = document, single = document
                batch.remove(indices: chosen.shuffled())
                for i in chosen.reversed() { single.remove(i) }
                #expect(batch.bytes == single.bytes, "\(file.name) \(variant) every \(stride)")
                expectConsistent(batch)
                let change = batch.journal
                batch.clearJournal()
                for c in change.reversed() { batch.revert(c) }
                #expect(batch.bytes == bytes, "\(file.name) \(variant): the journal reverts it")
            }
        }
    }

    @Test("An edit that would break XML is refused and changes nothing: a duplicate attribute by rename or insert, a control character in a value")
    func editsKeepXML() throws {
        let original = "<c a=\"1\" A=\"2\" b=\"3\"/>\n"
        var document = CfgDocument(original)
        #expect(throws: EditError.duplicateAttribute("a")) { try document.rename(1, to: "a") }
        #expect(throws: EditError.duplicateAttribute("b")) { try document.insert("b", value: "4", after: 0) }
        #expect(throws: EditError.controlCharacter(name: "d", byte: 0x1B)) {
            try document.insert("d", value: "x\u{1B}[2J", after: 0)
        }
        #expect(throws: EditError.controlCharacter(name: "d", byte: 0)) {
            try CfgDocument.checkValue([0x61, 0x00], for: "d")
        }
        try CfgDocument.checkValue(Array("tab\tline\r\nend".utf8), for: "d")
        #expect(document.bytes == Array(original.utf8))
        try document.rename(1, to: "B")
        #expect(text(document) == "<c a=\"1\" B=\"2\" b=\"3\"/>\n")
    }

    @Test("What an edit added to the scanner's diagnostics, by message: nothing for a clean edit, the new complaint for a broken one")
    func diagnosticsAdded() {
        var document = CfgDocument("<c a=\"1\" b=c/>\n")
        let before = document.diagnostics
        #expect(before.map(\.message) == ["the value of b is not in quotes"])
        document.setValue(0, to: "2")
        #expect(document.diagnosticsAdded(since: before).isEmpty)
        document.replaceBytes(3..<4, with: Array("a a".utf8))
        #expect(document.diagnosticsAdded(since: before).map(\.message) == ["a has no value (expected '=\"...\"')"])
    }
}
