import Testing
import PropertyBased
import CfgDocument
import TestSupport

/// The edits the properties below draw: set, rename, insert, remove, each on a random parameter.
private func randomEdit(_ document: inout CfgDocument, kind: Int, pick: Int) {
    guard document.parameterCount > 0 else { return }
    let i = pick % document.parameterCount
    switch kind % 4 {
    case 0: document.setValue(i, to: "v\(pick % 97)&<\"'\r\n")
    case 1: try? document.rename(i, to: pick % 2 == 0 ? "device.set" : "device.sec.TLS.customCaCert1.set")
    case 2: _ = try? document.insert(pick % 3 == 0 ? "DEVICE.SET" : "device.set", value: "1", after: i)
    default: document.remove(i)
    }
}

@Suite("Journal and name index")
struct JournalTests {
    @Test("Reverting every journalled change, newest first, gives back every fixture and variant byte for byte, with spans equal to a fresh scan",
          arguments: Samples.fixtures)
    func revertFixture(file: SampleFile) {
        expectRevertsExactly(file)
    }

    @Test("Reverting every journalled change gives back every corpus file and variant byte for byte",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func revertCorpus(file: SampleFile) {
        expectRevertsExactly(file)
    }

    private func expectRevertsExactly(_ file: SampleFile) {
        for (variant, bytes) in Samples.variants(file.bytes) {
            var document = CfgDocument(bytes: bytes)
            for step in 0..<12 { randomEdit(&document, kind: step, pick: step * 7919 + bytes.count) }
            let changes = document.journal
            document.clearJournal()
            for change in changes.reversed() { document.revert(change) }
            #expect(document.bytes == bytes, "\(file.name) \(variant)")
            expectConsistent(document)
        }
    }

    @Test("A change records the bytes it replaced and wrote, the tag, and the tag's attributes before and after")
    func changeRecord() throws {
        var document = CfgDocument("<a x=\"1\"/>\n<b y=\"2\" z=\"3\"/>\n")
        try document.insert("w", value: "4", after: 1)
        let changes = document.journal
        #expect(changes.count == 1)
        let change = try #require(changes.first)
        #expect(change.range == 19..<19 && change.removed == [] && change.inserted == Array(" w=\"4\"".utf8))
        #expect(change.node == 2 && change.attributes == 1..<3 && change.attributeCount == 3 && !change.rescanned)
        #expect(change.insertedRange == 19..<25)
    }

    @Test("Renaming an element's tag (a full rescan) is journalled as one and reverted exactly")
    func rescanReverted() {
        let original = "<a x=\"1\"><b y=\"2\"/></a>\n"
        var document = CfgDocument(original)
        document.replaceBytes(1..<2, with: Array("c".utf8))
        #expect(String(decoding: document.bytes, as: UTF8.self) == "<c x=\"1\"><b y=\"2\"/></a>\n")
        #expect(document.journal.map(\.rescanned) == [true])
        let change = document.journal[0]
        document.revert(change)
        #expect(String(decoding: document.bytes, as: UTF8.self) == original)
        expectConsistent(document)
    }

    @Test("A name index kept through random edits answers what a fresh lookup does, exact spellings before folded ones")
    func indexFollowsEdits() async {
        let names = ["device.set", "device.sec.TLS.customCaCert1.set", "DEVICE.SET", "device.sec.tls.customcacert1"]
        let edits = PropertyBased.zip(Gen.int(in: 0...3), Gen.int(in: 0...100_000)).array(of: 1...15)
        await propertyCheck(count: 200, input: Gen.element(of: Samples.fixtures), edits) { file, edits in
            guard let file else { return }
            var document = CfgDocument(bytes: file.bytes)
            var index = NameIndex(document, names: names)
            for (kind, pick) in edits {
                randomEdit(&document, kind: kind ?? 0, pick: pick ?? 0)
                index.update(after: document.journal, in: document)
                document.clearJournal()
            }
            for name in names {
                #expect(index[name] == document.indices(named: name), "\(file.name) \(name)")
            }
        }
    }

    @Test("Watching a name later scans once and then follows edits too")
    func watchLater() throws {
        var document = CfgDocument("<a device.set=\"1\" b=\"2\"/>\n")
        var index = NameIndex(document, names: ["device.set"])
        #expect(index["b"] == nil)
        #expect(index.indices(of: "b", in: document) == [1])
        try document.insert("B", value: "3", after: 0)
        index.update(after: document.journal, in: document)
        #expect(index["b"] == [2])
        #expect(index["device.set"] == [0])
        #expect(index.indices(of: "B", in: document) == [1])
    }
}
