// Replaying one side's parameter changes onto the other's file: what each changed, what both changed, the replay.
import Testing
import CfgDocument
import Handset

@Suite("Parameter merge")
struct ParameterMergeTests {
    let base = CfgDocument("<r a=\"1\" b=\"2\" c=\"3\"/>\n")

    @Test("Changes, insertions and removals since the base are found in order; unchanged names are not")
    func changes() {
        let mine = CfgDocument("<r a=\"1\" b=\"20\" d=\"4\"/>\n")
        let found = ParameterMerge.changes(from: base, to: mine)
        #expect(found.map(\.key) == ["b", "d", "c"])
        #expect(found.map(\.change) == [.init(name: "b", value: "20"), .init(name: "d", value: "4"),
                                        .init(name: "c", value: nil)])
    }

    @Test("Only names both changed to different values conflict; the replay keeps theirs where asked")
    func conflictsAndReplay() throws {
        let mine = ParameterMerge.changes(from: base, to: CfgDocument("<r a=\"10\" b=\"20\" c=\"3\" d=\"4\"/>\n"))
        var theirs = CfgDocument("<r a=\"10\" b=\"22\"/>\n")
        let conflicts = ParameterMerge.conflicts(mine, ParameterMerge.changes(from: base, to: theirs))
        #expect(conflicts == [.init(name: "b", mine: "20", theirs: "22")])
        _ = try ParameterMerge.replay(mine, onto: &theirs, keepingTheirs: ["b"])
        #expect(String(decoding: theirs.bytes, as: UTF8.self) == "<r a=\"10\" b=\"22\" d=\"4\"/>\n")
    }

    @Test("A removal replayed removes the name from their file")
    func removal() throws {
        let mine = ParameterMerge.changes(from: base, to: CfgDocument("<r a=\"1\" b=\"2\"/>\n"))
        var theirs = CfgDocument("<r a=\"5\" b=\"2\" c=\"3\"/>\n")
        #expect(ParameterMerge.conflicts(mine, ParameterMerge.changes(from: base, to: theirs)).isEmpty)
        _ = try ParameterMerge.replay(mine, onto: &theirs)
        #expect(String(decoding: theirs.bytes, as: UTF8.self) == "<r a=\"5\" b=\"2\"/>\n")
    }
}
