// The editor's frame shows every character that could drive the terminal spelled out, never raw.
import CfgDocument
import Editor
import Foundation
import Screen
import Testing

@Suite("The editor shows hostile characters visibly")
struct HostileFrameTests {
    @Test("ESC, BEL, C1 and bidi characters in a value appear as \\e, \\x07, \\u009B, \\u202E; widths stay right")
    func spelledInCells() {
        let text = "<device device.wifi.ssid=\"a&#27;[2J&#7;b&#x9B;c&#x202E;d\" device.wifi.ssid.set=\"1\"/>\n"
        var state = EditorState(bytes: Array(text.utf8), path: "w.cfg", now: Date(timeIntervalSince1970: 1_800_000_000))
        _ = state.update(.resize(width: 100, height: 30))
        for key: Key in [.character("/"), .character("s"), .character("s"), .character("i"), .enter] {
            _ = state.update(.key(key))
        }
        let frame = Screen.render(state)
        let shown = frame.text
        #expect(shown.contains("a\\e[2J\\x07b\\u009Bc\\u202Ed"), "\(shown)")
        let raw = shown.unicodeScalars.filter { $0.value == 0x1B || $0.value == 0x07 || (0x80...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value) }
        #expect(raw.isEmpty)
        for row in shown.split(separator: "\n") { #expect(row.count <= 100) }
    }
}
