import Foundation
import Testing
import TestSupport
import Editor
import Screen
import Certificates
import Files

/// One letter per role, for the roles layer of golden files.
private let roleLetters: [Role: Character] = [
    .title: "T", .breadcrumb: "B", .row: ".", .selected: "S", .modified: "M", .setOn: "+", .setOff: "-", .warning: "W",
    .error: "E", .info: "I", .diffAdded: "A", .diffRemoved: "D", .diffHunk: "H", .status: "s", .secret: "X", .details: "d",
    .heading: "h", .dim: "m", .prompt: "P",
]

/// The frame's roles, one letter a cell, one line a row (so a colour or attribute change shows).
func rolesLayer(_ frame: Frame) -> String {
    (0..<frame.height).map { r in String((0..<frame.width).map { roleLetters[frame[r, $0].role]! }) }.joined(separator: "\n") + "\n"
}

/// Compares a frame, its text and then its roles, with `Golden/NAME.txt`; `SLCFG_RECORD=1 swift
/// test` writes the files anew.
func expectGolden(_ frame: Frame, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name).txt")
    let actual = frame.text + "--- roles (T title, B breadcrumb, . row, S selected, M modified, + setOn, - setOff, W warning, E error, I info, A/D/H diff, s status, X secret, d details, h heading, m dim, P prompt)\n" + rolesLayer(frame)
    if ProcessInfo.processInfo.environment["SLCFG_RECORD"] == "1" {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? "(no golden file \(name).txt: run SLCFG_RECORD=1 swift test)"
    #expect(actual == expected, "frame \(name) differs from Golden/\(name).txt (text or roles)", sourceLocation: sourceLocation)
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

/// A fixed root certificate, so that frames showing it never change.
private let goldenRoot = """
-----BEGIN CERTIFICATE-----
MIIBqTCCAU+gAwIBAgICEjQwCgYIKoZIzj0EAwIwMzEYMBYGA1UECgwPU3BlY3Ry
YWxpbmsgTGFiMRcwFQYDVQQDDA5Hb2xkZW4gUm9vdCBDQTAeFw0yNjExMjkxNTM3
MDhaFw0zNjExMjYxNTM3MDhaMDMxGDAWBgNVBAoMD1NwZWN0cmFsaW5rIExhYjEX
MBUGA1UEAwwOR29sZGVuIFJvb3QgQ0EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNC
AATrQ+dTU5YBRoYytuq23L4TvExfJJuUnzmVfWcR3rkUi5VnvioPN8FNbSihg8Pe
ePSEyXhK9PqybxLDs8qsx1XGo1MwUTAdBgNVHQ4EFgQUegent1psYwvVeGHEFyra
yJ+w+cIwHwYDVR0jBBgwFoAUegent1psYwvVeGHEFyrayJ+w+cIwDwYDVR0TAQH/
BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiEApxUQ1htG2SvtYFq8G6sIjmZ3ntSM
WSWzRQyumTspGrkCIBNF49966T0Qif+CTZCBp4xzJwv+zOATguzhSnoDcfiO
-----END CERTIFICATE-----
"""
private let goldenRootDER = try! CertificateInput(Array(goldenRoot.utf8)).certificates[0].der

/// Applies events; a save's look at the disk finds no file there.
private func apply(_ state: inout EditorState, _ events: [Event]) {
    for e in events {
        for effect in state.update(e) {
            if case .inspect(let path) = effect { _ = state.update(.inspected(path: path, FileStatus(exists: false))) }
        }
    }
}

extension GoldenTests {
    @Test("A certificate slot after a paste: the row, the facts in the details pane, the message")
    func slotDetails() {
        var state = sample()
        apply(&state, [.key(.tab), .key(.tab), .paste(goldenRoot)])
        expectGolden(Screen.render(state), "slot-details-80x24")
    }

    @Test("A parameter's details: label, name as written, value, .set, values and the file's comment")
    func parameterDetails() {
        var state = sample()
        apply(&state, [.key(.character("/"))] + "server type".map { .key(.character($0)) } + [.key(.enter)])
        expectGolden(Screen.render(state), "parameter-details-80x24")
    }

    @Test("The pick list of an enumeration")
    func pickList() {
        var state = sample()
        apply(&state, [.key(.character("/"))] + "dot1x profile".map { .key(.character($0)) } + [.key(.escape)])
        apply(&state, [.key(.character("/"))] + "profileSelection.dot1x".map { .key(.character($0)) } + [.key(.enter), .key(.enter), .key(.down)])
        expectGolden(Screen.render(state), "pick-list-80x24")
    }

    @Test("The Wi-Fi menus on the sample at 100x30: the network, WPA2-Enterprise and the radio, the password masked")
    func wifiMenus() {
        var state = sample(width: 100, height: 30)
        apply(&state, [.key(.character("/"))] + "anonymous identity".map { .key(.character($0)) } + [.key(.enter)])
        expectGolden(Screen.render(state), "wifi-menus-100x30")
    }

    @Test("The EAP method's pick list at 100x30")
    func eapMethodPickList() {
        var state = sample(width: 100, height: 30)
        apply(&state, [.key(.character("/"))] + "eap method".map { .key(.character($0)) } + [.key(.enter), .key(.enter)])
        expectGolden(Screen.render(state), "eap-method-pick-list-100x30")
    }

    @Test("A CA slot's details say which applications use it, before and after the purpose question")
    func slotUsedFor() {
        var state = sample(width: 100, height: 50)
        apply(&state, [.key(.tab), .paste(goldenRoot)])
        #expect(Screen.render(state).text.contains(" Used for: 802.1X and provisioning (the profile each selects trusts it)"))
        apply(&state, [.key(.character("n")), .key(.tab), .paste(goldenRoot), .key(.character("p"))])
        #expect(state.message.hasSuffix("; provisioning now uses it (Platform Profile 2)"))
        // 802.1X still selects profile 1 (its selection is not .set), whose list (All) trusts every slot.
        #expect(Screen.render(state).text.contains(" Used for: 802.1X and provisioning (the profile each selects trusts it)"))
    }

    @Test("The diff preview: summary, coloured hunks, secrets masked")
    func diffPreview() {
        var state = sample()
        apply(&state, [.key(.tab), .paste(goldenRoot), .key(.character("8")), .key(.character("/"))] + "server password".map { .key(.character($0)) }
              + [.key(.enter), .key(.enter)] + "n3w-secret".map { .key(.character($0)) } + [.key(.enter), .key(.character("s")), .key(.enter)])
        let frame = Screen.render(state)
        expectGolden(frame, "diff-preview-80x24")
        #expect(!frame.text.contains("n3w-secret") && !frame.text.contains("password=\"PlcmSpIp"))
        #expect(frame[4, 0].role == .diffHunk || frame.cells.contains { $0.role == .diffAdded })
    }

    @Test("The help screen lists every key")
    func help() {
        var state = sample()
        apply(&state, [.key(.character("?"))])
        expectGolden(Screen.render(state, themeName: "default"), "help-80x24")
    }

    @Test("Below the minimum size the screen says so, and recovers when it grows")
    func tooSmall() {
        var state = sample()
        apply(&state, [.resize(width: 30, height: 8)])
        expectGolden(Screen.render(state), "too-small-30x8")
        apply(&state, [.resize(width: 80, height: 24)])
        #expect(Screen.render(state).text == Screen.render(sample()).text)
    }

    @Test("Wide characters and long base64 values are clipped at the edge, never cut in half")
    func wideAndLong() {
        let base64 = PEM.base64Encode(goldenRootDER)
        let text = "<polycomConfig>\n  <device device.set=\"1\" device.sec.TLS.customCaCert1=\"\(base64)\" device.sec.TLS.customCaCert1.set=\"1\">\n    <lcl lcl.ml.lang=\"日本語のテキストはとても長いのでここで切れるはずですがどうでしょうか\" up.welcome=\"Grüße 👋 café\"/>\n  </device>\n</polycomConfig>\n"
        var state = EditorState(bytes: Array(text.utf8), path: "wide.cfg", now: fixedNow)
        apply(&state, [.resize(width: 61, height: 16), .key(.end)])
        let frame = Screen.render(state)
        expectGolden(frame, "wide-61x16")
        // Every wide character is followed by its continuation cell, and no continuation stands alone.
        for row in 0..<frame.height {
            for column in 0..<frame.width {
                let cell = frame[row, column]
                if cell.text.isEmpty {
                    #expect(column > 0 && frame[row, column - 1].text.terminalWidth == 2, "row \(row) column \(column)")
                } else if cell.text.terminalWidth == 2 {
                    #expect(column + 1 < frame.width && frame[row, column + 1].text.isEmpty, "row \(row) column \(column)")
                }
            }
        }
    }
}

@Suite("Themes")
struct ThemeTests {
    @Test("The built-in themes are the files of themes/, and every one parses")
    func builtinMatchesFiles() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../themes").standardized
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".toml") }.sorted()
        #expect(files == ["default.toml", "high-contrast.toml", "light.toml", "mono.toml"])
        for theme in Theme.builtin {
            let file = try String(contentsOf: directory.appendingPathComponent("\(theme.name).toml"), encoding: .utf8)
            #expect(try Theme(toml: file, source: theme.name) == theme)
        }
        #expect(Theme.builtin.map(\.name) == ["default", "light", "high-contrast", "mono"])
        #expect(Theme.builtin.last!.styles.values.allSatisfy { $0.foreground == nil && $0.background == nil })
    }

    @Test("Selection never relies on colour alone: every theme marks it with an attribute")
    func selection() {
        for theme in Theme.builtin {
            let style = theme.style(.selected)
            #expect(style.reverse || style.bold || style.background != nil, "\(theme.name)")
        }
    }

    @Test("A theme is found by path, in XDG_CONFIG_HOME, or built in; errors say what is wrong")
    func loading() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("slcfg/themes"), withIntermediateDirectories: true)
        write(Array("name = \"mine\"\n[roles.title]\nfg = \"bright-red\"\n".utf8), to: dir.appendingPathComponent("slcfg/themes/mine.toml"))
        let mine = try Theme.load("mine", environment: ["XDG_CONFIG_HOME": dir.path])
        #expect(mine.style(.title).foreground == "bright-red")
        #expect(try Theme.load(dir.appendingPathComponent("slcfg/themes/mine.toml").path, environment: [:]).name == "mine")
        #expect(try Theme.load("mono", environment: [:]).name == "mono")
        #expect(throws: ThemeError("no theme 'nope': built-in themes are default, light, high-contrast, mono; or give a path to a .toml file")) {
            try Theme.load("nope", environment: [:])
        }
        #expect(throws: ThemeError("t: unknown role 'titel'; roles are \(Role.allCases.map(\.rawValue).joined(separator: ", "))")) {
            try Theme(toml: "[roles.titel]\nfg = \"red\"\n", source: "t")
        }
        #expect(throws: ThemeError("t: roles.title.fg must be one of black, red, green, yellow, blue, magenta, cyan, white, default, or bright-NAME")) {
            try Theme(toml: "[roles.title]\nfg = \"purple\"\n", source: "t")
        }
    }
}
