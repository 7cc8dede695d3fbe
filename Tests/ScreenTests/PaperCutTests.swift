import Foundation
import Testing
import TestSupport
import Editor
import Screen
import Handset
import Certificates
import Files

/// Applies events to a state (a save's look at the disk finds nothing there).
private func run(_ state: inout EditorState, _ events: [Event]) {
    for e in events {
        for effect in state.update(e) {
            if case .inspect(let path) = effect { _ = state.update(.inspected(path: path, FileStatus(exists: false))) }
        }
    }
}

private func keys(_ keys: Key...) -> [Event] { keys.map { .key($0) } }
private func typed(_ text: String) -> [Event] { text.map { .key(.character($0)) } }

/// The rows of a frame, as text.
private func lines(_ frame: Frame) -> [String] { frame.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

@Suite("Editor paper cuts")
struct PaperCutTests {
    @Test("The details pane scrolls with J and K and says what is below; at 80x24 the .set line is reachable")
    func detailsScroll() {
        var state = sample()
        run(&state, keys(.tab))
        let last = String(state.findings(of: state.currentRow!).last!.message.suffix(30))
        var text = Screen.render(state).text.replacingOccurrences(of: "\n ", with: " ")
        #expect(!text.contains(last))
        #expect(text.contains("more lines: J scrolls down, K up"))
        for _ in 0..<20 { run(&state, keys(.character("J"))) }
        text = Screen.render(state).text.replacingOccurrences(of: "\n ", with: " ")
        #expect(text.contains(last))
        #expect(text.contains("above: K scrolls up"))
        run(&state, keys(.down))
        #expect(state.detailsScroll == 0)
    }

    @Test("A value cut at the column's width ends in …")
    func ellipsis() {
        var frame = Frame(width: 10, height: 1)
        frame.put("abcdefghijkl", row: 0, column: 0, role: .row)
        #expect(frame.text == "abcdefghi…\n")
        frame.put("日本語のテキスト", row: 0, column: 0, role: .row)
        #expect(frame.text == "日本語の…\n")
        frame.put("short", row: 0, column: 0, role: .row, limit: 5)
        #expect(frame.text.hasPrefix("short"))
    }

    @Test("A message longer than the line is cut with '(M: all)', and M shows every message in full")
    func messageLog() {
        var state = sample(width: 60, height: 15)
        run(&state, keys(.character("i")))
        run(&state, keys(.tab))
        run(&state, typed("/no/such/directory/with/a/long/name/to/a/certificate-file-that-is-missing.pem") + keys(.enter))
        run(&state, [.fileRead(path: "/no/such/directory/with/a/long/name/to/a/certificate-file-that-is-missing.pem",
                                .failure(FileError(path: "/no/such/directory/with/a/long/name/to/a/certificate-file-that-is-missing.pem",
                                                   message: "cannot open: No such file or directory; check the path")))])
        let status = lines(Screen.render(state))[14]
        #expect(status.hasSuffix("… (M: all)"))
        run(&state, keys(.character("M")))
        let text = Screen.render(state).text
        #expect(text.contains("Messages ("))
        #expect(text.replacingOccurrences(of: "\n", with: " ").contains("cannot open: No such file or directory; check the path"))
        run(&state, keys(.character("x")))
        #expect(state.mode == .messages(Pager(upwards: true, limit: state.messageLog.count * 4)))
        run(&state, keys(.character("q")))
        #expect(state.mode == .browse)
    }

    @Test("Help scrolls with PgDn, Space, b, PgUp and ↑↓, ignores other keys, and closes with q, Esc or ?")
    func helpScrolls() {
        var state = sample()
        let page = state.pageSize
        run(&state, keys(.character("?"), .pageDown, .character(" "), .down, .character("x"), .character("b")))
        #expect(state.mode == .help(Pager(scroll: page + 1)))
        run(&state, keys(.pageUp, .up))
        #expect(state.mode == .help(Pager(scroll: 0)))
        for closer: Key in [.character("q"), .escape, .character("?")] {
            run(&state, keys(.character("?"), closer))
            #expect(state.mode == .browse)
        }
    }

    @Test("A slot holding a certificate with a long name shows its date: the name is cut")
    func longCertificateName() {
        var state = sample()
        let long = TestPKI.issue(cn: "Example Corporation Enterprise Root Certification Authority G2", org: nil,
                                 serial: [0x42], ca: true, issuer: nil)
        run(&state, keys(.tab) + [.paste(long.pem)])
        let row = lines(Screen.render(state)).first { $0.contains("Platform CA 1") } ?? ""
        #expect(row.hasSuffix("Platform CA 1             E…, until 2033-05-18 applied"), "\(row)")
        #expect(state.displayValue(of: state.currentRow!)
            == "Example Corporation Enterprise Root Certification Authority G2, until 2033-05-18")
    }

    @Test("A narrow breadcrumb drops its first parts, the same on every screen, and keeps the specific end")
    func breadcrumb() {
        var state = sample(width: 60, height: 24)
        run(&state, keys(.enter, .enter))
        let crumb = lines(Screen.render(state))[1]
        #expect(crumb.hasPrefix(" … › "), "\(crumb)")
        #expect(crumb.trimmingCharacters(in: .whitespaces).hasSuffix(state.breadcrumb.last!), "\(crumb)")
    }

    @Test("All Parameters cuts a long name in the middle; the status column fits 'ignored (.set misspelled)' at 100")
    func columns() {
        #expect(Screen.cutMiddle("device.sec.TLS.profileSelection.provisioning", width: 30)
            == "device.sec.TLS.…n.provisioning")
        let one = "<polycomConfig>\n  <device device.set=\"1\" device.sec.TLS.customCaCert1=\"\" "
            + "device.sec.TLS.cusomCaCert1.set=\"1\"/>\n</polycomConfig>\n"
        var state = EditorState(bytes: Array(one.utf8), path: "w.cfg", now: fixedNow)
        run(&state, [.resize(width: 100, height: 30)])
        #expect(Screen.render(state).text.contains("ignored (.set misspelled)"))
    }

    @Test("A rename that changes only the case (f on a case variant) marks its row as changed")
    func caseOnlyRename() {
        let text = "<polycomConfig>\n  <device device.set=\"1\" device.sec.tls.customCaCert1=\"\"/>\n</polycomConfig>\n"
        var state = EditorState(bytes: Array(text.utf8), path: "w.cfg", now: fixedNow)
        run(&state, [.resize(width: 100, height: 30)] + keys(.tab))
        let row = state.currentRow!
        #expect(!state.isModified(row))
        run(&state, keys(.character("f")))
        #expect(state.document.name(1) == "device.sec.TLS.customCaCert1")
        #expect(state.isModified(row))
    }

    @Test("The built-in sample says so in its title; a file read from disk does not")
    func sampleTitle() {
        #expect(sample().title == "wireless.cfg (sample)")
        #expect(EditorState(bytes: [], path: "wireless.cfg").title == "wireless.cfg")
    }

    @Test("A secret typed in the New value prompt is masked; Ctrl-R shows it while typing")
    func secretPrompt() {
        var state = sample()
        run(&state, keys(.character("/")) + typed("server password") + keys(.enter, .enter) + typed("s3cret"))
        var status = lines(Screen.render(state))[23]
        #expect(status.hasPrefix(" New value (Ctrl-R shows): ******"))
        #expect(!Screen.render(state).text.contains("s3cret"))
        run(&state, keys(.control("r")))
        status = lines(Screen.render(state))[23]
        #expect(status.hasPrefix(" New value: s3cret"))
    }

    @Test("A failed search leaves the cursor where it was and says not found; n says when it wraps")
    func search() {
        var state = sample()
        run(&state, keys(.down, .down))
        let before = state.cursor
        run(&state, keys(.character("/")) + typed("no-such-thing") + keys(.enter))
        #expect(state.cursor == before)
        #expect(state.message == "not found: \"no-such-thing\"")
        run(&state, keys(.character("/")) + typed("server password") + keys(.enter))
        #expect(state.message == "")
        run(&state, keys(.character("n")))
        #expect(state.message == "search wrapped to the top")
    }

    @Test("Behind the 'terminal too small' screen, which shows the size, only q acts, and only when nothing is unsaved")
    func tooSmallIgnoresKeys() {
        var state = sample()
        run(&state, [.resize(width: 30, height: 8)] + keys(.tab, .character(" ")) + [.paste("x")])
        #expect(!state.modified && state.mode == .browse)
        #expect(Screen.render(state).text.contains("30x8, need"))
        #expect(state.update(.key(.character("q"))) == [.quit])
        run(&state, [.resize(width: 80, height: 24)] + keys(.tab, .character(" ")) + [.resize(width: 50, height: 12)])
        #expect(state.modified)
        #expect(state.update(.key(.character("q"))) == [])
        let words = Screen.render(state).text.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        #expect(words == "terminal too small: 50x12, need 60x15; enlarge it to save your changes")
    }

    @Test("A picker jumps on a digit or first letter (the next match, round again) and takes Home and End")
    func pickerJumps() {
        var picker = Picker(choices: ["0", "1", "2", "3", "4"], selected: 0)
        _ = picker.update(.character("4"))
        #expect(picker.selected == 4)
        _ = picker.update(.home)
        #expect(picker.selected == 0)
        _ = picker.update(.end)
        #expect(picker.selected == 4)
        var named = Picker(choices: ["FTP", "TFTP", "HTTP", "HTTPS", "FTPS"], selected: 0)
        _ = named.update(.character("h"))
        #expect(named.selected == 2)
        _ = named.update(.character("H"))
        #expect(named.selected == 3)
        _ = named.update(.character("f"))
        #expect(named.selected == 4)
        _ = named.update(.character("f"))
        #expect(named.selected == 0)
        _ = named.update(.character("x"))
        #expect(named.selected == 0)
    }

    @Test("The save preview scrolls sideways with → and ←")
    func diffSideways() {
        var state = sample()
        run(&state, keys(.tab, .character(" "), .character("s"), .enter))
        guard case .diff = state.mode else { Issue.record("no preview: \(state.mode)"); return }
        let first = Screen.render(state).text
        #expect(first.contains("+<!-- wireless.cfg: Spectralink 84-Series wireless, security and provisioning s…"))
        run(&state, keys(.right))
        let shifted = Screen.render(state).text
        // The gutter stays: the line still says it is added.
        #expect(shifted.contains("\n+pectralink 84-Series wireless, security and provisioning settings -->\n"))
        run(&state, keys(.left))
        #expect(Screen.render(state).text == first)
    }

    @Test("The Server Type picker shows what each number means")
    func serverTypePicker() {
        var state = sample()
        run(&state, keys(.character("/")) + typed("server type") + keys(.enter, .enter))
        let text = Screen.render(state).text
        for label in ["0 (FTP)", "1 (TFTP)", "2 (HTTP)", "3 (HTTPS)", "4 (FTPS)"] { #expect(text.contains(label), "\(label)") }
    }

    @Test("With the firmware's schema, the details pane shows its documentation line and the picker its values")
    func schemaInEditor() throws {
        var state = sample()
        let schema = try FirmwareSchema(bytes: Array(Data(contentsOf: Samples.schemaFile)), source: "polycomConfig.xsd")
        state.use(Catalogue.shared.with(schema: schema))
        run(&state, keys(.character("/")) + typed("server type") + keys(.enter))
        let details = Screen.render(state).text.replacingOccurrences(of: "\n ", with: " ")
        #expect(details.contains("polycomConfig.xsd: enum allowed values: \"\" \"0\" \"FTP\" \"3\" \"HTTPS\""))
        run(&state, keys(.enter))
        guard case .pick(let picker) = state.mode else { Issue.record("no picker"); return }
        #expect(picker.choices == ["0", "3", "4"])
    }

    @Test("t names the theme it switched to")
    func themeName() {
        var state = sample()
        state.themeNames = ["default", "light", "high-contrast", "mono"]
        run(&state, keys(.character("t")))
        #expect(state.message == "theme: light (t for the next: high-contrast)")
        run(&state, keys(.character("t"), .character("t"), .character("t")))
        #expect(state.message == "theme: default (t for the next: light)")
    }

    @Test("The help screen wraps at 60 columns: no line is cut")
    func helpAt60() {
        var state = sample(width: 60, height: 50)
        run(&state, keys(.character("?")))
        var text = Screen.render(state).text
        run(&state, keys(.pageDown))
        text += Screen.render(state).text
        #expect(!text.contains("…"))
        for line in Screen.helpLines {
            for word in line.split(separator: " ") where word.count > 2 { #expect(text.contains(word), "\(word)") }
        }
    }

    @Test("A slot's details give the role on its own line and SHA-256 with colons, wrapped")
    func fingerprints() {
        var state = sample(width: 80, height: 60)
        run(&state, keys(.tab) + [.paste(TestPKI.shared.root.pem)])
        let text = Screen.render(state).text
        #expect(text.contains(" Role: root CA (self-signed)\n"))
        #expect(text.contains(" Issuer: CN=Test Root CA,O=Spectralink Lab\n"))
        #expect(text.contains(" SHA-256: " + CertificateFacts.colonHex(try! CertificateInput(TestPKI.shared.root.der).certificates[0].sha256).prefix(60)))
    }

    @Test("Paste box counts in singular and plural; the title says 1 warning")
    func wording() {
        var state = sample()
        run(&state, keys(.tab, .character("p"), .character("x")))
        #expect(Screen.render(state).text.contains("1 character, 1 line"))
        let one = "<polycomConfig>\n  <device device.set=\"1\" device.sec.TLS.cusomCaCert2.set=\"0\"/>\n</polycomConfig>\n"
        var single = EditorState(bytes: Array(one.utf8), path: "one.cfg", now: fixedNow)
        run(&single, [.resize(width: 80, height: 24)])
        #expect(lines(Screen.render(single))[0].hasSuffix("0 errors · 1 warning · 0 info"))
    }
}
