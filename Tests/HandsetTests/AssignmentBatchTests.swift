// A batch of assignments against the same assignments made one at a time, and placement against
// the rule as first written (a scan of every parameter), over the fixtures and the corpus.
import Testing
import CfgDocument
import Handset
import TestSupport

@Suite("Assignment batches")
struct AssignmentBatchTests {
    @Test("A batch writes what its assignments write one at a time, with the same changes and errors",
          arguments: Samples.fixtures)
    func batchIsSequential(file: SampleFile) {
        expectBatchIsSequential(file)
    }

    @Test("A batch writes what its assignments write one at a time, over the corpus",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func batchIsSequentialOnCorpus(file: SampleFile) {
        expectBatchIsSequential(file)
    }

    @Test("Placement answers what a scan of every parameter answers", arguments: Samples.all)
    func placementIsTheRule(file: SampleFile) {
        let document = CfgDocument(bytes: file.bytes)
        var random = SplitMix(seed: 7)
        for name in (0..<40).map({ _ in Self.name(in: document, &random, earlier: []) }) {
            #expect(document.placement(for: name) == Self.scannedPlacement(document, name), "\(file.name): \(name)")
        }
    }

    @Test("Many new names in one element land in order, each after its closest relative")
    func manyNewNames() throws {
        var document = CfgDocument("<polycomConfig>\n  <device device.set=\"1\"\n    device.a.b=\"1\"/>\n</polycomConfig>\n")
        let changes = try document.assign(
            [("device.a.c", "2"), ("device.a.b.x", "3"), ("device.a.c.y", "<&\""), ("device.z", "4")], enable: false)
        #expect(changes.map(\.name) == ["device.a.c", "device.a.b.x", "device.a.c.y", "device.z"])
        #expect(String(decoding: document.bytes, as: UTF8.self) == """
            <polycomConfig>
              <device device.set="1"
                device.a.b="1"
                device.a.b.x="3"
                device.a.c="2"
                device.a.c.y="&lt;&amp;&quot;"
                device.z="4"/>
            </polycomConfig>

            """)
    }

    @Test("A failing assignment in a batch changes nothing and is named")
    func failureChangesNothing() {
        let text = "<polycomConfig><device device.set=\"1\"/></polycomConfig>"
        var document = CfgDocument(text)
        #expect(throws: AssignmentError(name: "bad name", description: EditError.invalidName("bad name").description)) {
            try document.assign([("device.a", "1"), ("bad name", "2")], enable: true)
        }
        #expect(String(decoding: document.bytes, as: UTF8.self) == text)
    }

    private func expectBatchIsSequential(_ file: SampleFile) {
        let original = CfgDocument(bytes: file.bytes)
        var random = SplitMix(seed: UInt64(file.bytes.count))
        for round in 0..<6 {
            var batch: [(name: String, value: String)] = []
            for _ in 0..<(4 + round * 3) {
                batch.append((Self.name(in: original, &random, earlier: batch.map(\.name)), Self.value(&random)))
            }
            let enable = round % 2 == 1
            var together = original, apart = original
            let batched = Result { () throws(AssignmentError) in try together.assign(batch, enable: enable) }
            let single = Result { () throws(AssignmentError) in
                var changes: [Assignment] = []
                for assignment in batch { changes += try apart.assign([assignment], enable: enable) }
                return changes
            }
            let context = "\(file.name), round \(round): \(batch.map(\.name))"
            switch (batched, single) {
            case (.success(let a), .success(let b)):
                #expect(a == b, "\(context)")
                #expect(together.bytes == apart.bytes, "\(context)")
                let fresh = CfgDocument(bytes: together.bytes)
                #expect(together.attributes == fresh.attributes && together.nodes == fresh.nodes, "\(context)")
            case (.failure(let a), .failure(let b)):
                #expect(a == b, "\(context)")
                #expect(together.bytes == original.bytes, "\(context)")
            default:
                Issue.record("\(context): one way failed, the other did not: \(batched) / \(single)")
            }
        }
    }

    /// A name to assign: one of the file's (as written, or in another case), a relative of one (a
    /// new last component, a longer name, a shorter one), one of a new family, an earlier name of
    /// the batch, or now and then a name that is refused.
    static func name(in document: CfgDocument, _ random: inout SplitMix, earlier: [String]) -> String {
        let k = random.next() % 1000
        let known = document.parameterCount > 0
            ? document.name(Int(random.next() % UInt64(document.parameterCount))) : "device.prov.user"
        var components = known.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch random.next() % 10 {
        case 0: return known
        case 1: return known.uppercased()
        case 2: components[components.count - 1] = "new\(k)"
        case 3: components.append("extra\(k)")
        case 4: components = Array(components.prefix(2)) + ["n\(k)"]
        case 5: components = ["fam\(k % 3)", "x\(k)"]
        case 6: components = ["single\(k)"]
        case 7: if let name = earlier.randomElement(using: &random) { return name }
        case 8: return random.next() % 16 == 0 ? "bad name" : known + ".set"
        default: components.insert("mid\(k % 2)", at: min(2, components.count))
        }
        return components.joined(separator: ".")
    }

    static func value(_ random: inout SplitMix) -> String {
        ["1", "0", "", "a<b&c\"d'e", "v\(random.next() % 50)", random.next() % 7 == 0 ? "\u{1}" : "x"]
            .randomElement(using: &random)!
    }

    /// The placement rule as first written: the parameter sharing the most components (at least
    /// the rule's minimum), the last of equals; else the busiest element of the family; else the root.
    static func scannedPlacement(_ document: CfgDocument, _ name: String) -> Placement? {
        let key = Self.folded(name).split(separator: ".", omittingEmptySubsequences: false)
        let enough = max(2, min(3, key.count - 1))
        var best = 0, bestIndex = -1
        for i in 0..<document.parameterCount {
            let other = Self.folded(document.name(i)).split(separator: ".", omittingEmptySubsequences: false)
            let shared = zip(key, other).prefix { $0 == $1 }.count
            if shared >= enough && shared >= best { (best, bestIndex) = (shared, i) }
        }
        if bestIndex >= 0 { return .after(bestIndex) }
        let family = Self.folded((name.split(separator: ".").first.map(String.init) ?? name) + ".")
        var counts: [Int: Int] = [:]
        for i in 0..<document.parameterCount where Self.folded(document.name(i)).hasPrefix(family) {
            counts[Int(document.attributes[i].node), default: 0] += 1
        }
        if let busiest = counts.max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }) {
            return .inElement(busiest.key)
        }
        return document.nodes.indices.first { document.nodes[$0].isElement && document.nodes[$0].parent == -1 }
            .map { .inElement($0) }
    }

    /// ASCII lower case only, as parameter names compare.
    static func folded(_ name: String) -> String {
        String(decoding: name.utf8.map { $0 >= 65 && $0 <= 90 ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// A small seeded generator, so that each run tries the same cases.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E9B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
