import Foundation
import Testing
import PropertyBased
import TestSupport
import CfgDocument
import Handset
import Files
@testable import Editor

private let now = Date(timeIntervalSince1970: 1_800_000_000)

/// Keys that edit, undo, redo and move (typed values end with Enter; Esc leaves any prompt).
private let editingKeys: [Key] = [.down, .down, .up, .tab, .backTab, .character(" "), .character(" "), .enter, .character("x"),
                                  .character("u"), .control("r"), .character("f"), .escape, .end, .pageUp, .right, .left]

/// Every lower-cased name whose values or spellings differ between two documents, the slow way.
private func changedNames(_ a: CfgDocument, _ b: CfgDocument) -> Set<String> {
    var values: [String: ([String], [String])] = [:]
    // A name's spelling counts too: a case-only rename is a change.
    for i in 0..<a.parameterCount { values[a.name(i).lowercased(), default: ([], [])].0.append(a.name(i) + "=" + a.value(i)) }
    for i in 0..<b.parameterCount { values[b.name(i).lowercased(), default: ([], [])].1.append(b.name(i) + "=" + b.value(i)) }
    return Set(values.filter { $0.value.0 != $0.value.1 }.keys)
}

@Suite("Incremental editor state")
struct IncrementalTests {
    @Test("After any keys, the state kept edit by edit equals one built from the bytes, and undoing everything gives the file back")
    func keptStateEqualsFresh() async {
        let files = Samples.fixtures.filter { ["spectralink-wireless.cfg", "polycom-ucs-device.cfg", "adhoc-bom-crlf-nonl.cfg"].contains($0.name) }
        await propertyCheck(count: 150, input: Gen.element(of: files), Gen.element(of: editingKeys).array(of: 1...40)) { file, keys in
            guard let file else { return }
            var state = EditorState(bytes: file.bytes, path: "f.cfg", now: now)
            _ = state.update(.resize(width: 80, height: 24))
            for key in keys.compactMap({ $0 }) { _ = state.update(.key(key)) }
            let document = state.document
            #expect(state.file.names.found == document.indices(named: state.file.names.names), "\(file.name)")
            let fresh = ParameterRows(document)
            #expect(state.derived.parameterRows.elements == fresh.elements && state.derived.parameterRows.firstParameters == fresh.firstParameters)
            #expect((0..<fresh.count).map { state.derived.parameterRows[$0] } == (0..<fresh.count).map { fresh[$0] })
            let menu = document.menuNodes(findings: state.findings, now: now)
            #expect(state.menu.map(\.status) == menu.map(\.status) && state.menu.map(\.index) == menu.map(\.index))
            #expect(state.menu.map(\.setValue) == menu.map(\.setValue))
            #expect(state.modified == (document.bytes != state.original))
            let unsaved = UnsavedFile(path: "f.cfg", original: state.original, changes: state.file.unsavedChanges)
            #expect(unsaved.bytes() == document.bytes, "what the recovery journal writes: \(file.name) \(keys)")
            #expect(state.file.modifiedNames == changedNames(document, CfgDocument(bytes: state.original)), "\(file.name) \(keys)")
            while state.history.undo.count > 0 { _ = state.update(.key(.escape)); _ = state.update(.key(.character("u"))) }
            #expect(state.document.bytes == file.bytes, "\(file.name) \(keys)")
            #expect(!state.modified && state.file.modifiedNames.isEmpty)
        }
    }

    @Test("The recovery journal's replay of random splices, big and small, gives the document's bytes")
    func journalReplay() async {
        await propertyCheck(
            count: 200, input: Gen.element(of: Samples.fixtures), Gen.int(in: 0...1000).array(of: 1...30)
        ) { file, numbers in
            guard let file else { return }
            var document = CfgDocument(bytes: file.bytes)
            for pair in stride(from: 0, to: numbers.count - 1, by: 2) {
                let count = document.bytes.count
                let start = count == 0 ? 0 : numbers[pair] * count / 1000
                let end = min(count, start + numbers[pair + 1] % 7 * numbers[pair + 1] % 200)
                document.replaceBytes(start..<end, with: Array(repeating: UInt8(0x41 + pair % 26), count: numbers[pair] % 5))
            }
            let unsaved = UnsavedFile(path: "f.cfg", original: file.bytes, changes: document.journal)
            #expect(unsaved.bytes() == document.bytes, "\(file.name) \(numbers)")
        }
    }

    @Test("Undo past a save marks the row changed again: the saved file is what * compares with")
    func undoPastSave() throws {
        let bytes = Array("<polycomConfig><device device.set=\"1\" device.sec.TLS.customCaCert1.set=\"0\"/></polycomConfig>\n".utf8)
        var state = EditorState(bytes: bytes, path: "f.cfg", now: now)
        _ = state.update(.resize(width: 80, height: 24))
        _ = state.update(.key(.tab))
        _ = state.update(.key(.character(" ")))
        let row = try #require(state.currentRow)
        #expect(state.isModified(row) && state.modified)
        #expect(state.update(.key(.character("s"))) == [.inspect("f.cfg")])
        _ = state.update(.inspected(path: "f.cfg", FileStatus(exists: true, bytes: bytes)))
        _ = state.update(.key(.character("y")))
        _ = state.update(.filesWritten([FileWritten(path: "f.cfg", result: .success(FileSnapshot(size: 0, modified: 0, modifiedNanoseconds: 0, hash: 0)))]))
        #expect(!state.isModified(row) && !state.modified)
        _ = state.update(.key(.character("u")))
        #expect(state.isModified(row) && state.modified && state.document.bytes == bytes)
        _ = state.update(.key(.control("r")))
        #expect(!state.isModified(row) && !state.modified)
    }

    @Test("All Parameters rows: a heading for each element with parameters, then its parameters, found by binary search")
    func parameterRows() {
        let document = CfgDocument("<a x=\"1\" y=\"2\"><b/><c z=\"3\"/></a>\n")
        let rows = ParameterRows(document)
        #expect((0..<rows.count).map { rows[$0] } == [.element(0), .parameter(0), .parameter(1), .element(2), .parameter(2)])
        #expect([0, 1, 2].map { rows.row(ofParameter: $0) } == [1, 2, 4])
    }
}
