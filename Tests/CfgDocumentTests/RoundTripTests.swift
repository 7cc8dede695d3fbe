import Testing
import CfgDocument

@Suite("Round trip")
struct RoundTripTests {
    @Test("The corpus has the 40 real files")
    func corpusIsThere() {
        #expect(Corpus.files.count == 40)
    }

    @Test("Every corpus file and its LF, CRLF, BOM, tab and no-final-newline variants come back byte for byte",
          arguments: Corpus.files.map(\.name))
    func corpusRoundTrip(name: String) {
        for (variant, bytes) in Corpus.variants(Corpus.file(name)) {
            let document = CfgDocument(bytes: bytes)
            #expect(document.bytes == bytes, "\(variant)")
            #expect(document.reassembled() == bytes, "spans do not tile \(variant)")
        }
    }

    @Test("Node ranges tile the input in order")
    func nodesTile() {
        for (_, bytes) in Corpus.files {
            let document = CfgDocument(bytes: bytes)
            var position = 0
            for node in document.nodes {
                #expect(node.range.lowerBound == position)
                position = node.range.upperBound
            }
            #expect(position == bytes.count)
        }
    }

    @Test("Malformed inputs still round-trip", arguments: [
        "", "<", "<<", "<a", "<a b", "<a b=", "<a b=\"", "<a b=\"1", "<a b='1'", "</", "</a", "<!--", "<!-- x",
        "<?xml", "<![CDATA[", "<!DOCTYPE x [<!ENTITY a \"b\">]>", "<a b=c d = 'e' />", "<a {if $x}b=\"1\"{/if}/>",
        "<a\n\n  b=\"1\"\n\n  c=\"2\"\n/>", "<a b=\"1\"c=\"2\">", "text only", "\u{FEFF}<a/>", "<a><b></a>", "</x><y>",
        "<a b=\"&bogus; & &#xZZ; &#0;\"/>", "<a =\"1\"/>", "<a / b=\"1\">", "<a b=\"<\"/>", "<a ${X(${Y})} />",
    ])
    func malformed(text: String) {
        let bytes = Array(text.utf8)
        let document = CfgDocument(bytes: bytes)
        #expect(document.bytes == bytes)
        #expect(document.reassembled() == bytes)
    }

    @Test("Invalid UTF-8 and binary junk round-trip")
    func binary() {
        let bytes: [UInt8] = [0xFF, 0xFE, 0x3C, 0x61, 0x20, 0x62, 0x3D, 0x22, 0xC3, 0x28, 0x22, 0x00, 0x3E, 0x80, 0x3C]
        let document = CfgDocument(bytes: bytes)
        #expect(document.bytes == bytes)
        #expect(document.reassembled() == bytes)
    }
}
