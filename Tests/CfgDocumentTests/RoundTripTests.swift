import Testing
import CfgDocument
import TestSupport

@Suite("Round trip")
struct RoundTripTests {
    @Test("The project's fixtures are all there, and are what Tests/Fixtures/generate.py writes")
    func fixturesAreThere() {
        #expect(Samples.fixtures.count == 18)
        #expect(Samples.fixtures.allSatisfy { !$0.bytes.isEmpty })
        let check = run("/usr/bin/env", ["python3", Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("generate.py").path, "--check"])
        #expect(check.status == 0, "\(check.stderr)")
    }

    @Test("The external corpus has the 40 real files", .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)))
    func corpusIsThere() {
        #expect(Samples.corpus.count == 40)
    }

    @Test("Every fixture and its LF, CRLF, BOM, tab and no-final-newline variants come back byte for byte",
          arguments: Samples.fixtures)
    func fixtureRoundTrip(file: SampleFile) {
        expectRoundTrip(file)
    }

    @Test("Every corpus file and its LF, CRLF, BOM, tab and no-final-newline variants come back byte for byte",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func corpusRoundTrip(file: SampleFile) {
        expectRoundTrip(file)
    }

    private func expectRoundTrip(_ file: SampleFile) {
        for (variant, bytes) in Samples.variants(file.bytes) {
            let document = CfgDocument(bytes: bytes)
            #expect(document.bytes == bytes, "\(file.name) \(variant)")
            #expect(document.reassembled() == bytes, "spans do not tile \(file.name) \(variant)")
        }
    }

    @Test("Node ranges tile the input in order, in every fixture and corpus file")
    func nodesTile() {
        for file in Samples.all {
            let document = CfgDocument(bytes: file.bytes)
            var position = 0
            for node in document.nodes {
                #expect(node.range.lowerBound == position, "\(file.name)")
                position = node.range.upperBound
            }
            #expect(position == file.bytes.count, "\(file.name)")
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
