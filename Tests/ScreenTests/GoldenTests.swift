import Foundation
import Testing
import TestSupport
import Editor
import Screen

/// Compares a frame with `Golden/NAME.txt`; `SLCFG_RECORD=1 swift test` writes the files anew.
func expectGolden(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    if ProcessInfo.processInfo.environment["SLCFG_RECORD"] == "1" {
        try? frame.text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "(no golden file \(name).txt: run SLCFG_RECORD=1 swift test)"
    #expect(frame.text == expected, "frame \(name) differs from Golden/\(name).txt", sourceLocation: sourceLocation)
}

let fixedNow = Date(timeIntervalSince1970: 1_800_000_000)

func sample(width: Int = 80, height: Int = 24) -> EditorState {
    var state = EditorState.sample(now: fixedNow)
    _ = state.update(.resize(width: width, height: height))
    return state
}

@Suite("Screen frames")
struct GoldenTests {
    @Test("The sample opens on the TLS Security menu at 80x24")
    func opening() {
        expectGolden(Screen.render(sample()), "opening-80x24")
    }
}
