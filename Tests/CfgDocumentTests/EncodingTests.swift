// The declared encoding: values read through it, edits written in it, every other byte kept.
import Foundation
import Testing
import TestSupport
import CfgDocument

private let latin1Head = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n<r a=\"Caf".utf8)

@Suite("Declared encodings")
struct EncodingTests {
    @Test("The declaration names the encoding, UTF-8 when it names none; a UTF-16 byte-order mark says UTF-16",
          arguments: [
            ("<?xml version=\"1.0\"?><r/>", DeclaredEncoding.utf8),
            ("<?xml version='1.0' encoding='iso-8859-1'?><r/>", .latin1),
            ("\u{FEFF}<?xml version=\"1.0\" encoding = \"Windows-1252\"?><r/>", .windows1252),
            ("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><r/>", .unsupported("Shift_JIS")),
            ("<r encoding=\"ISO-8859-1\"/>", .utf8),
          ])
    func declared(text: String, expected: DeclaredEncoding) {
        #expect(CfgDocument(text).encoding == expected)
        #expect(DeclaredEncoding(declaredIn: [0xFF, 0xFE, 0x3C, 0x00]) == .utf16(bigEndian: false))
        #expect(DeclaredEncoding(declaredIn: [0xFE, 0xFF, 0x00, 0x3C]) == .utf16(bigEndian: true))
    }

    @Test("A Latin-1 value reads as UTF-8 text; an edit writes Latin-1 bytes, a character reference for the rest")
    func latin1() {
        var document = CfgDocument(bytes: latin1Head + [0xE9, 0x22, 0x20, 0x62, 0x3D, 0x22, 0xFF, 0x22, 0x2F, 0x3E])
        let before = document.bytes
        #expect(document.value(0) == "Café")
        #expect(document.value(1) == "ÿ")
        let same = document.setValue(0, to: "Café")
        let changed = document.setValue(0, to: "Crème €")
        #expect(!same && changed)
        #expect(document.bytes == Array(before[..<(latin1Head.count - 3)]) + Array("Cr".utf8) + [0xE8]
            + Array("me &#8364;\" b=\"".utf8) + [0xFF] + Array("\"/>".utf8))
        #expect(document.value(0) == "Crème €")
        _ = try? document.insert("c", value: "ñ", after: 1)
        #expect(document.bytes.suffix(9) == Array("\" c=\"".utf8) + [0xF1] + Array("\"/>".utf8))
    }

    @Test("Windows-1252 reads 0x80 as the euro sign and writes it back as 0x80; undefined bytes read as U+FFFD")
    func windows1252() {
        let head = Array("<?xml version=\"1.0\" encoding=\"windows-1252\"?><r a=\"".utf8)
        var document = CfgDocument(bytes: head + [0x80, 0x81, 0x93, 0x22, 0x2F, 0x3E])
        #expect(document.value(0) == "€\u{FFFD}\u{201C}")
        let changed = document.setValue(0, to: "€ “x” ∞")
        #expect(changed)
        #expect(document.bytes == head + [0x80, 0x20, 0x93, 0x78, 0x94] + Array(" &#8734;\"/>".utf8))
    }

    @Test("A UTF-8 file is read and written as UTF-8, as before")
    func utf8() {
        var document = CfgDocument("<r a=\"Café\"/>")
        let changed = document.setValue(0, to: "Crème €")
        #expect(changed)
        #expect(document.bytes == Array("<r a=\"Crème €\"/>".utf8))
    }

    @Test("Declared ISO-8859-1, every fixture and variant: an edit writes Latin-1 bytes into that value alone",
          arguments: Samples.fixtures)
    func latin1Fixtures(file: SampleFile) { expectLatin1Edits(file) }

    @Test("The same on every corpus file and variant",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func latin1Corpus(file: SampleFile) { expectLatin1Edits(file) }

    /// Each variant behind a Latin-1 declaration (its own declaration dropped): setting the first and the last
    /// terminated parameter changes only their value bytes, and the values read back.
    private func expectLatin1Edits(_ file: SampleFile) {
        let declaration = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n".utf8)
        for (variant, original) in Samples.variants(file.bytes) {
            var body = original.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(original.dropFirst(3)) : original
            if body.starts(with: Array("<?xml".utf8)), let end = body.firstRange(of: Array("?>".utf8)) {
                body.removeSubrange(..<end.upperBound)
            }
            let bytes = declaration + body
            var document = CfgDocument(bytes: bytes)
            #expect(document.encoding == .latin1)
            guard document.parameterCount > 0 else { continue }
            let edited = Set([0, document.parameterCount - 1]).filter { document.isTerminated($0) }
            var expected = bytes
            for i in edited.sorted(by: >) {
                let quote = document.attributes[i].quote
                let text = Array("Cr".utf8) + [0xE8] + Array("me &#8734;".utf8)
                expected.replaceSubrange(
                    document.attributes[i].valueRange, with: quote == 0 ? [0x22] + text + [0x22] : text)
                document.setValue(i, to: "Crème ∞")
            }
            #expect(document.bytes == expected, "\(file.name) \(variant)")
            let reread = CfgDocument(bytes: document.bytes)
            for i in edited { #expect(reread.value(i) == "Crème ∞", "\(file.name) \(variant)") }
        }
    }

    @Test("A UTF-16 file reads as UTF-8 text and an edit writes UTF-16, in either byte order, every other byte kept",
          arguments: [false, true])
    func utf16(bigEndian: Bool) {
        let text = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<r a=\"Café 𝄞\" b=\"x\"/>\r\n"
        var document = CfgDocument(bytes: utf16Bytes(text, bigEndian: bigEndian))
        #expect(document.encoding == .utf16(bigEndian: bigEndian))
        #expect(document.encoding.name == (bigEndian ? "UTF-16BE" : "UTF-16LE"))
        #expect(document.value(0) == "Café 𝄞")
        #expect(document.fileBytes == utf16Bytes(text, bigEndian: bigEndian))
        let changed = document.setValue(1, to: "Crème €")
        #expect(changed)
        #expect(document.bytes == Array(text.replacingOccurrences(of: "b=\"x\"", with: "b=\"Crème €\"").utf8))
        #expect(document.fileBytes == utf16Bytes(
            text.replacingOccurrences(of: "b=\"x\"", with: "b=\"Crème €\""), bigEndian: bigEndian))
        let reread = CfgDocument(bytes: document.fileBytes)
        #expect(reread.value(1) == "Crème €" && reread.encoding == .utf16(bigEndian: bigEndian))
    }

    @Test("UTF-16 that is not well-formed (an odd length, a lone surrogate) is kept byte for byte and not read",
          arguments: [
            [0xFF, 0xFE, 0x3C, 0x00, 0x72, 0x00, 0x2F, 0x00, 0x3E, 0x00, 0x0A],
            [0xFF, 0xFE, 0x3C, 0x00, 0x72, 0x00, 0x20, 0x00, 0x61, 0x00, 0x3D, 0x00, 0x22, 0x00, 0x00, 0xD8,
             0x22, 0x00, 0x2F, 0x00, 0x3E, 0x00],
          ] as [[UInt8]])
    func malformedUTF16(bytes: [UInt8]) {
        let document = CfgDocument(bytes: bytes)
        #expect(document.encoding == .unsupported("UTF-16LE that is not well-formed"))
        #expect(document.bytes == bytes && document.fileBytes == bytes)
    }

    @Test("Every fixture and variant as UTF-16 LE and BE comes back byte for byte, and an edit changes that value",
          arguments: Samples.fixtures)
    func utf16Fixtures(file: SampleFile) { expectUTF16RoundTrip(file) }

    @Test("The same on every corpus file and variant as UTF-16",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func utf16Corpus(file: SampleFile) { expectUTF16RoundTrip(file) }

    /// Each UTF-8 variant written as UTF-16 (a UTF-8 byte-order mark becomes the UTF-16 one, else one is added):
    /// read and written back whole, and with its first and last terminated value set, equal to the UTF-8 document
    /// edited the same way and written as UTF-16.
    private func expectUTF16RoundTrip(_ file: SampleFile) {
        for (variant, original) in Samples.variants(file.bytes) {
            guard let text = String(validating: original, as: UTF8.self) else { continue }
            let withMark = text.hasPrefix("\u{FEFF}") ? text : "\u{FEFF}" + text
            for bigEndian in [false, true] {
                let bytes = utf16Bytes(withMark, bigEndian: bigEndian)
                var document = CfgDocument(bytes: bytes)
                var plain = CfgDocument(withMark)
                #expect(document.fileBytes == bytes, "\(file.name) \(variant)")
                #expect(document.bytes == plain.bytes, "\(file.name) \(variant)")
                let edited = Set([0, document.parameterCount - 1]).filter {
                    document.parameterCount > 0 && document.isTerminated($0)
                }
                for i in edited {
                    document.setValue(i, to: "Crème ∞ 𝄞")
                    plain.setValue(i, to: "Crème ∞ 𝄞")
                }
                #expect(document.fileBytes == utf16Bytes(String(decoding: plain.bytes, as: UTF8.self),
                                                         bigEndian: bigEndian), "\(file.name) \(variant)")
            }
        }
    }
}

/// `text` as UTF-16 bytes in the byte order given.
private func utf16Bytes(_ text: String, bigEndian: Bool) -> [UInt8] {
    text.utf16.flatMap { unit in
        bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
    }
}
