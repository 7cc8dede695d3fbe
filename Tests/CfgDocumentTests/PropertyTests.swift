import Testing
import PropertyBased
import CfgDocument
import TestSupport

/// Bytes that matter to the scanner, plus UTF-8 lead and continuation bytes and junk.
private let markupBytes: [UInt8] = Array("<>/=\"' \n\r\tab.{}$&;#!?-[]x1".utf8) + [0xC3, 0xA9, 0xFF, 0x00]
/// A fixture or corpus file (the fixtures are never empty; a test in RoundTripTests checks it).
private let sampleFile = Gen.element(of: Samples.all)

@Suite("Properties")
struct PropertyTests {
    @Test("Random byte strings round-trip and their spans tile them")
    func randomBytes() async {
        await propertyCheck(count: 500, input: Gen.element(of: markupBytes).array(of: 0...200)) { bytes in
            let input = bytes.compactMap { $0 }
            let document = CfgDocument(bytes: input)
            #expect(document.bytes == input)
            #expect(document.reassembled() == input)
        }
    }

    @Test("Random mutations of fixture and corpus files round-trip")
    func mutatedCorpus() async {
        let mutation = PropertyBased.zip(Gen.int(in: 0...Int.max), Gen.int(in: 0...2), Gen.element(of: markupBytes))
        await propertyCheck(count: 300, input: sampleFile, mutation.array(of: 1...20)) { file, mutations in
            guard let file else { return }
            var bytes = file.bytes
            for (position, kind, byte) in mutations where !bytes.isEmpty {
                let at = position % bytes.count
                switch kind {
                case 0: bytes.insert(byte ?? 0, at: at)
                case 1: bytes.remove(at: at)
                default: bytes[at] = byte ?? 0
                }
            }
            let document = CfgDocument(bytes: bytes)
            #expect(document.bytes == bytes)
            #expect(document.reassembled() == bytes)
        }
    }

    @Test("Setting a random parameter to its own value is a no-op")
    func ownValue() async {
        await propertyCheck(count: 300, input: sampleFile, Gen.int(in: 0...Int.max)) { file, pick in
            guard let file else { return }
            var document = CfgDocument(bytes: file.bytes)
            guard document.parameterCount > 0 else { return }
            let i = pick % document.parameterCount
            let changed = document.setValue(i, to: document.valueBytes(i))
            #expect(!changed)
            #expect(document.bytes == file.bytes)
        }
    }

    @Test("Setting a random parameter to a new value changes only that value's bytes")
    func newValue() async {
        let values = Gen.element(of: Array("ab1 &<>\"'\n\r=/é".unicodeScalars)).array(of: 0...30)
        await propertyCheck(count: 300, input: sampleFile, Gen.int(in: 0...Int.max), values) { file, pick, scalars in
            guard let file else { return }
            let original = file.bytes
            var document = CfgDocument(bytes: original)
            guard document.parameterCount > 0 else { return }
            let i = pick % document.parameterCount
            let value = String(String.UnicodeScalarView(scalars.compactMap { $0 }))
            let a = document.attributes[i]
            let before = document.valueBytes(i)
            document.setValue(i, to: value)
            guard before != Array(value.utf8) else {
                #expect(document.bytes == original)
                return
            }
            let quote = a.quote == 0 ? UInt8(ascii: "\"") : a.quote
            var escaped = Entities.escape(Array(value.utf8), quote: quote)
            if a.quote == 0 { escaped = [quote] + escaped + [quote] }
            #expect(document.bytes == Array(original[..<a.valueRange.lowerBound]) + escaped + original[a.valueRange.upperBound...])
            #expect(document.value(i) == value)
            expectConsistent(document)
        }
    }

    @Test("Random sequences of edits keep the spans equal to a fresh scan")
    func editSequences() async {
        let edit = PropertyBased.zip(Gen.int(in: 0...3), Gen.int(in: 0...Int.max))
        await propertyCheck(count: 150, input: sampleFile, edit.array(of: 1...8)) { file, edits in
            guard let file else { return }
            var document = CfgDocument(bytes: file.bytes)
            for (step, (kind, pick)) in edits.enumerated() where document.parameterCount > 0 {
                let i = pick % document.parameterCount
                switch kind {
                case 0: document.setValue(i, to: "v\(step)\n&\"")
                case 1: _ = try? document.insert("p.new\(step)", value: "x", after: i)
                case 2: _ = try? document.rename(i, to: "renamed.\(step)")
                default: document.remove(i)
                }
            }
            expectConsistent(document)
        }
    }

    @Test("Line and column agree with a plain count on long lines (past the 4 KB checkpoints), with BOM, CRLF, lone CR and UTF-8")
    func locations() async {
        let pieces = ["a", "é", "日", "\n", "\r\n", "\r", " x=\"1\"", String(repeating: "b", count: 5000)]
        await propertyCheck(count: 40, input: Gen.element(of: pieces).array(of: 0...60), Gen.bool) { chosen, bom in
            let text = chosen.compactMap { $0 }.joined()
            let bytes = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
            let index = LineIndex(bytes)
            var cursor = LocationCursor(index)
            for offset in stride(from: bom ? 3 : 0, through: bytes.count, by: 97) {
                // The plain count: lines end at LF, CRLF or a lone CR; columns count characters, not the BOM.
                var line = 1, column = 1
                var i = bom ? 3 : 0
                while i < offset {
                    let c = bytes[i]
                    if c == 10 || (c == 13 && (i + 1 >= bytes.count || bytes[i + 1] != 10)) { line += 1; column = 1 }
                    else if c & 0xC0 != 0x80 { column += 1 }
                    i += 1
                }
                let found = index.location(of: offset)
                #expect(found.line == line && found.column == column, "offset \(offset)")
                let walked = cursor.location(of: offset)
                #expect(walked.line == line && walked.column == column, "cursor at \(offset)")
            }
        }
    }
}
