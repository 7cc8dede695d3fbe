import Foundation
import Testing
import TestSupport
import Certificates
import CfgDocument
import Editor
import Handset
import Files

private let pki = TestPKI.shared
private let now = Date(timeIntervalSince1970: 1_800_000_000)

/// A session on the sample at 80x24 after the given events. A save's look at the disk is
/// answered with `disk` (by default: the file as opened, or nothing for the sample).
private func session(_ events: [Event] = [], file: String? = nil, bytes: [UInt8]? = nil, disk: FileStatus? = nil) -> (EditorState, [Effect]) {
    var state = bytes.map { EditorState(bytes: $0, path: file ?? "wireless.cfg", now: now) } ?? EditorState.sample(now: now)
    var effects: [Effect] = []
    effects += state.update(.resize(width: 80, height: 24))
    for event in events {
        for effect in state.update(event) {
            effects.append(effect)
            if case .inspect(let path) = effect {
                let status = disk ?? bytes.map { FileStatus(exists: true, bytes: $0) } ?? FileStatus(exists: false)
                effects += state.update(.inspected(path: path, status))
            }
        }
    }
    return (state, effects)
}

/// Whether the session shows the save review, at its start.
private func reviewing(_ state: EditorState) -> Bool {
    if case .diff(let review) = state.mode { return review.scroll == 0 && review.column == 0 }
    return false
}

private func keys(_ keys: Key...) -> [Event] { keys.map { .key($0) } }
private func typed(_ text: String) -> [Event] { text.map { .key(.character($0)) } }

/// The focused row's label.
private func focus(_ state: EditorState) -> String {
    switch state.currentRow {
    case .menu(let m)?: return state.menu[m].label
    case .parameter(let i)?: return state.document.name(i)
    case .element(let n)?: return "<\(state.document.elementName(n))>"
    case nil: return ""
    }
}

private func value(_ state: EditorState, _ name: String) -> String? {
    state.document.index(named: name).map { state.document.value($0) }
}

@Suite("Editor update")
struct UpdateTests {
    @Test("The editor opens above the slots; Tab and Shift-Tab cycle CA 1, CA 2, device 1, device 2")
    func tabbing() {
        var (state, _) = session()
        #expect(focus(state) == "Custom CA Certificates")
        var seen: [String] = []
        for _ in 0..<5 { _ = state.update(.key(.tab)); seen.append(focus(state)) }
        #expect(seen == ["Platform CA 1", "Platform CA 2", "Device certificate 1", "Device certificate 2", "Platform CA 1"])
        _ = state.update(.key(.backTab))
        #expect(focus(state) == "Device certificate 2")
    }

    @Test("Tab leaves a submenu that does not show the slots")
    func tabFromSubmenu() {
        var (state, _) = session(keys(.character("/")) + typed("provisioning server") + keys(.enter, .enter))
        #expect(state.breadcrumb.last == "Provisioning Server")
        #expect(!state.rows.contains { state.slot(of: $0) != nil })
        _ = state.update(.key(.tab))
        #expect(focus(state) == "Platform CA 1")
        #expect(state.zoom.isEmpty)
    }

    @Test("A pasted chain in slot 2 stores its root as one line of base64 with .set=1")
    func pasteIntoSlot2() {
        let (state, _) = session(keys(.tab, .tab) + [.paste(pki.leaf.pem + pki.intermediate.pem + pki.root.pem)])
        #expect(value(state, "device.sec.TLS.customCaCert2") == PEM.base64Encode(pki.root.der))
        #expect(value(state, "device.sec.TLS.customCaCert2.set") == "1")
        #expect(state.message == "imported 'Test Root CA' into Platform CA 2; kept the root 'Test Root CA' of 3 "
            + "certificates (left out 'radius.lab.example', 'Test Issuing CA')")
        #expect(state.modified)
        #expect(state.isModified(state.currentRow!))
    }

    @Test("A pasted PKCS#7 bundle (PEM, from openssl crl2pkcs7) stores the root of its chain")
    func pastePKCS7() throws {
        let dir = temporaryDirectory()
        try (pki.leaf.pem + pki.intermediate.pem + pki.root.pem).write(
            to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
        let bundle = TestPKI.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem"], in: dir)
        let (state, _) = session(keys(.tab, .tab) + [.paste(bundle)])
        #expect(value(state, "device.sec.TLS.customCaCert2") == PEM.base64Encode(pki.root.der))
        #expect(state.message == "imported 'Test Root CA' into Platform CA 2; kept the root 'Test Root CA' of 3 "
            + "certificates (left out 'radius.lab.example', 'Test Issuing CA')")
    }

    @Test("A paste outside a slot is refused with what to do")
    func pasteElsewhere() {
        let (state, _) = session([.paste(pki.root.pem)])
        #expect(state.message == "to paste a certificate, first press Tab to go to a certificate slot")
        #expect(!state.modified)
    }

    @Test("A non-root paste asks before importing; y imports it")
    func nonRoot() {
        var (state, _) = session(keys(.tab) + [.paste(pki.intermediate.pem)])
        guard case .confirmNonRoot = state.mode else { Issue.record("no confirmation: \(state.mode)"); return }
        _ = state.update(.key(.character("y")))
        #expect(value(state, "device.sec.tls.customCaCert1") == PEM.base64Encode(pki.intermediate.der))
        #expect(state.message.hasPrefix("imported 'Test Issuing CA' into Platform CA 1; warning: 'Test Issuing CA' is an intermediate CA"))
    }

    @Test("p opens a paste box; Ctrl-D imports what was typed or pasted")
    func pasteBox() {
        let (state, _) = session(keys(.tab, .character("p")) + [.paste(pki.root.pem)] + keys(.control("d")))
        #expect(state.mode == .choosePurpose(slot: .ca(1), imported: "imported 'Test Root CA' into Platform CA 1"))
        #expect(value(state, "device.sec.tls.customCaCert1") == PEM.base64Encode(pki.root.der))
    }

    @Test("i asks for a file; Tab asks for completions; Enter reads it and imports")
    func importFile() {
        var (state, effects) = session(keys(.tab, .character("i")) + typed("/tmp/ro") + keys(.tab))
        #expect(effects == [.complete("/tmp/ro")])
        _ = state.update(.completions(["/tmp/root.pem"]))
        effects = state.update(.key(.enter))
        #expect(effects == [.readFile("/tmp/root.pem")])
        _ = state.update(.fileRead(path: "/tmp/root.pem", .success(pki.root.der)))
        #expect(value(state, "device.sec.tls.customCaCert1") == PEM.base64Encode(pki.root.der))
    }

    @Test("Space toggles the focused .set flag, inserting it when missing")
    func space() {
        var (state, _) = session(keys(.tab, .character(" ")))
        #expect(value(state, "device.sec.tls.customCaCert1.set") == "1")
        _ = state.update(.key(.character(" ")))
        #expect(value(state, "device.sec.tls.customCaCert1.set") == "0")
        let bare = Array("<r device.set=\"1\" device.prov.serverName=\"x\"/>".utf8)
        (state, _) = session(bytes: bare)
        _ = state.update(.key(.character("/")))
        for e in typed("Server Name") { _ = state.update(e) }
        _ = state.update(.key(.enter))
        _ = state.update(.key(.character(" ")))
        #expect(String(decoding: state.document.bytes, as: UTF8.self) == "<r device.set=\"1\" device.prov.serverName=\"x\" device.prov.serverName.set=\"1\"/>")
    }

    @Test("Enter edits a value in a one-line editor; Esc cancels, Enter sets")
    func editValue() {
        var (state, _) = session(keys(.character("/")) + typed("server name") + keys(.enter, .enter, .control("u")) + typed("prov.corp.example"))
        guard case .editValue(let line) = state.mode else { Issue.record("not editing"); return }
        #expect(line.line.string == "prov.corp.example")
        _ = state.update(.key(.escape))
        #expect(value(state, "device.prov.serverName") == "provisioning.example.com")
        for e in keys(.enter, .home, .character("x"), .end, .backspace, .enter) { _ = state.update(e) }
        #expect(value(state, "device.prov.serverName") == "xprovisioning.example.co")
    }

    @Test("An enumeration is a pick list; a boolean toggles")
    func pickAndToggle() {
        var (state, _) = session(keys(.character("/")) + typed("profileSelection.dot1x") + keys(.enter, .enter))
        #expect(state.mode == .pick(Picker(choices: ["PlatformProfile1", "PlatformProfile2"], selected: 0)))
        for e in keys(.down, .enter) { _ = state.update(e) }
        #expect(value(state, "device.sec.TLS.profileSelection.dot1x") == "PlatformProfile2")
        for e in [Event.key(.character("/"))] + typed("dot1x.strict") + keys(.enter, .enter) { _ = state.update(e) }
        // Name checking off is a weakening the handset would apply (the edit turns its .set on): asked first.
        #expect(state.question?.text == "this makes the handset accept any RADIUS server (802.1X) name: apply?")
        _ = state.update(.key(.character("y")))
        #expect(value(state, "device.sec.TLS.dot1x.strictCertCommonNameValidation") == "0")
        #expect(value(state, "device.sec.TLS.dot1x.strictCertCommonNameValidation.set") == "1")
    }

    @Test("u undoes and Ctrl-R redoes every edit")
    func undoRedo() {
        var (state, _) = session(keys(.tab) + [.paste(pki.root.pem)] + keys(.character("n"), .character(" ")))
        #expect(value(state, "device.sec.tls.customCaCert1.set") == "0")
        _ = state.update(.key(.character("u")))
        #expect(value(state, "device.sec.tls.customCaCert1.set") == "1")
        _ = state.update(.key(.character("u")))
        #expect(state.document.bytes == Array(Sample.text.utf8))
        #expect(!state.modified)
        _ = state.update(.key(.control("r")))
        #expect(value(state, "device.sec.tls.customCaCert1") == PEM.base64Encode(pki.root.der))
        _ = state.update(.key(.character("u")))
        _ = state.update(.key(.character("u")))
        #expect(state.message == "nothing to undo")
    }

    @Test("s looks at the file, shows the diff against it; y writes the file as it is expected on disk; then it is saved")
    func save() {
        let bytes = Array("<r\n  device.set=\"1\"\n  device.sec.TLS.customCaCert1=\"\"\n/>\n".utf8)
        let snapshot = FileSnapshot(size: bytes.count, modified: 1, modifiedNanoseconds: 2, hash: FileSnapshot.hash(bytes))
        var state = EditorState(bytes: bytes, path: "w.cfg", snapshot: snapshot, now: now)
        _ = state.update(.resize(width: 80, height: 24))
        for e in keys(.tab) + [.paste(pki.root.pem)] + keys(.character("n")) { _ = state.update(e) }
        #expect(state.update(.key(.character("s"))) == [.inspect("w.cfg")])
        #expect(state.mode == .checking(path: "w.cfg", saveAs: false))
        _ = state.update(.inspected(path: "w.cfg", FileStatus(exists: true, bytes: bytes, snapshot: snapshot)))
        #expect(reviewing(state))
        #expect(state.changeSummary == ["device.sec.TLS.customCaCert1: \"\" → (\(PEM.base64Encode(pki.root.der).count) characters)",
                                        "device.sec.TLS.customCaCert1.set: (none) → \"1\""])
        let effects = state.update(.key(.character("y")))
        #expect(effects == [.writeFiles([FileWrite(path: "w.cfg", bytes: state.document.bytes, expected: snapshot)])])
        #expect(state.mode == .saving)
        let saved = FileSnapshot(size: state.document.bytes.count, modified: 3, modifiedNanoseconds: 0, hash: FileSnapshot.hash(state.document.bytes))
        _ = state.update(.filesWritten([FileWritten(path: "w.cfg", result: .success(saved))]))
        #expect(!state.modified && state.mode == .browse && state.message == "saved w.cfg")
        #expect(state.update(.key(.character("q"))) == [.quit])
    }

    @Test("A UTF-16 file is edited as text: the review shows UTF-8 lines, the save and the recovery journal UTF-16")
    func saveUTF16() {
        func utf16(_ text: String) -> [UInt8] { ("\u{FEFF}" + text).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }
        let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r\n  device.set=\"1\"\n  device.sec.TLS.customCaCert1=\"\"\n/>\n"
        let bytes = utf16(text)
        let snapshot = FileSnapshot(size: bytes.count, modified: 1, modifiedNanoseconds: 2, hash: FileSnapshot.hash(bytes))
        var state = EditorState(bytes: bytes, path: "w.cfg", snapshot: snapshot, now: now)
        _ = state.update(.resize(width: 80, height: 24))
        for e in keys(.tab) + [.paste(pki.root.pem)] + keys(.character("n")) { _ = state.update(e) }
        let base64 = PEM.base64Encode(pki.root.der)
        let edited = text.replacingOccurrences(
            of: "customCaCert1=\"\"", with: "customCaCert1=\"\(base64)\"\n  device.sec.TLS.customCaCert1.set=\"1\"")
        #expect(state.unsavedFiles.map { $0.fileBytes() } == [utf16(edited)])
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "w.cfg", FileStatus(exists: true, bytes: bytes, snapshot: snapshot)))
        #expect(String(decoding: state.previewDiff, as: UTF8.self).contains("+  device.sec.TLS.customCaCert1.set=\"1\""))
        #expect(state.update(.key(.character("y"))) == [.writeFiles([FileWrite(path: "w.cfg", bytes: utf16(edited), expected: snapshot)])])
    }

    @Test("n or Esc in the diff returns to editing without writing")
    func diffBack() {
        var (state, _) = session(keys(.tab, .character(" "), .character("s")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        #expect(state.update(.key(.enter)) == [.inspect("wireless.cfg")])
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: false)))
        #expect(reviewing(state))
        #expect(state.update(.key(.escape)) == [])
        #expect(state.mode == .browse)
    }

    @Test("q with unsaved changes asks; c and Esc cancel, n quits, y saves and then quits")
    func quitPrompt() {
        var (state, _) = session(keys(.tab, .character(" "), .character("q")))
        #expect(state.mode == .quitPrompt)
        _ = state.update(.key(.character("c")))
        #expect(state.mode == .browse)
        _ = state.update(.key(.character("q")))
        _ = state.update(.key(.escape))
        #expect(state.mode == .browse)
        _ = state.update(.key(.character("q")))
        #expect(state.update(.key(.character("n"))) == [.quit])
        let bytes = Array("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>".utf8)
        (state, _) = session(keys(.tab, .character(" "), .character("q"), .character("y")), bytes: bytes)
        #expect(reviewing(state))
        guard case .writeFiles(let files)? = state.update(.key(.character("y"))).first, let path = files.first?.path, let written = files.first?.bytes else { Issue.record("no write"); return }
        let effects = state.update(.filesWritten([FileWritten(path: path, result: .success(FileSnapshot(size: written.count, modified: 0, modifiedNanoseconds: 0, hash: 0)))]))
        #expect(effects == [.quit])
    }

    @Test("An import that fails half-way (the flag's tag cannot be edited) changes nothing and leaves nothing to undo")
    func failedImportReverted() {
        let bytes = Array("<r>\n<a device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>\n<b x=\"1<2\" device.sec.TLS.customCaCert1.set=\"0\"/>\n</r>\n".utf8)
        var (state, _) = session(keys(.tab), bytes: bytes)
        _ = state.update(.paste(pki.root.pem))
        #expect(state.messageIsError && state.message == "the value of x at line 3, column 4 runs on into the markup after it (its closing quote is missing): close it first")
        #expect(state.document.bytes == bytes && !state.modified)
        _ = state.update(.key(.character("u")))
        #expect(state.message == "nothing to undo")
    }

    @Test("q without changes quits at once")
    func quitClean() {
        var (state, _) = session()
        #expect(state.update(.key(.character("q"))) == [.quit])
    }

    @Test("A file changed on disk: the editor offers overwrite (after the diff against theirs), reload or cancel")
    func changedOnDisk() {
        let bytes = Array("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>".utf8)
        var (state, _) = session(keys(.tab, .character(" "), .character("s"), .character("y")), bytes: bytes)
        let theirs = Array("<r device.set=\"0\"/>".utf8)
        _ = state.update(.changedOnDisk(path: "wireless.cfg", summary: "changed", current: theirs))
        #expect(state.mode == .conflict(summary: "changed", current: theirs))
        _ = state.update(.key(.character("o")))
        #expect(reviewing(state) && state.previewDiff.starts(with: Array("--- a/wireless.cfg".utf8)))
        #expect(String(decoding: state.previewDiff, as: UTF8.self).contains("-<r device.set=\"0\"/>"))
        #expect(state.update(.key(.character("y"))) == [.writeFiles([FileWrite(path: "wireless.cfg", bytes: state.document.bytes, expected: nil)])])
        _ = state.update(.changedOnDisk(path: "wireless.cfg", summary: "changed", current: theirs))
        _ = state.update(.key(.character("r")))
        #expect(state.document.bytes == theirs && !state.modified && state.mode == .browse)
    }

    @Test("m merges: my change replayed onto the file as someone else changed it; the review shows it, y writes both")
    func mergeDisjoint() {
        let bytes = Array("<r device.set=\"1\"\n  device.wifi.ssid=\"A\" device.wifi.ssid.set=\"1\"\n  device.prov.user=\"u\"/>\n".utf8)
        var (state, _) = session(keys(.character("/")) + typed("device.prov.user") + keys(.enter, .enter, .control("u"))
                                 + typed("admin") + keys(.enter), bytes: bytes)
        #expect(value(state, "device.prov.user") == "admin")
        let theirs = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"A\"", with: "\"B\"").utf8)
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: true, bytes: bytes)))
        _ = state.update(.changedOnDisk(path: "wireless.cfg", summary: "changed", current: theirs))
        #expect(state.question?.prompt == "The file changed on disk: (o)verwrite (m)erge (r)eload (w) save elsewhere (c)ancel")
        let effects = state.update(.key(.character("m")))
        #expect(effects == [.inspect("wireless.cfg")])
        #expect(state.message == "merged: your changes replayed onto the file as it is on disk now")
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: true, bytes: theirs)))
        #expect(reviewing(state))
        let diff = String(decoding: state.previewDiff, as: UTF8.self)
        #expect(diff.contains("-  device.prov.user=\"u\"/>\n+  device.prov.user=\"admin\"\n+  device.prov.user.set=\"1\"/>"))
        #expect(!diff.contains("-  device.wifi.ssid") && !diff.contains("+  device.wifi.ssid"))
        // Theirs (the SSID B) with mine (the user, and the .set the edit turned on).
        #expect(String(decoding: state.document.bytes, as: UTF8.self) == "<r device.set=\"1\"\n  device.wifi.ssid=\"B\" "
            + "device.wifi.ssid.set=\"1\"\n  device.prov.user=\"admin\"\n  device.prov.user.set=\"1\"/>\n")
    }

    @Test("m onto a file it cannot be replayed onto (now in an encoding slcfg does not write) keeps every edit")
    func mergeRefused() {
        let bytes = Array("<r device.set=\"1\" device.prov.user=\"u\"/>\n".utf8)
        var (state, _) = session(keys(.character("/")) + typed("device.prov.user") + keys(.enter, .enter, .control("u"))
                                 + typed("admin") + keys(.enter), bytes: bytes)
        let theirs = Array("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<r device.set=\"1\" device.prov.user=\"v\"/>\n".utf8)
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: true, bytes: bytes)))
        _ = state.update(.changedOnDisk(path: "wireless.cfg", summary: "changed", current: theirs))
        _ = state.update(.key(.character("m")))
        _ = state.update(.key(.character("m")))
        #expect(state.messageIsError && state.message.hasPrefix("not merged: "))
        #expect(state.message.hasSuffix("; your edits are kept (s asks again; w saves elsewhere)"))
        #expect(state.mode == .browse && state.modified && value(state, "device.prov.user") == "admin")
    }

    @Test("m with a parameter both changed asks for each, mine or theirs (secrets masked); the choice is kept")
    func mergeConflict() {
        let bytes = Array("<r device.set=\"1\" device.wifi.ssid=\"A\" device.prov.password=\"p1\" device.prov.user=\"u\"/>\n".utf8)
        var state = EditorState(bytes: bytes, path: "wireless.cfg", now: now)
        _ = state.update(.resize(width: 100, height: 30))
        for (name, value) in [("device.wifi.ssid", "Mine"), ("device.prov.password", "mine-pw")] {
            for e in keys(.character("/")) + typed(name) + keys(.enter, .enter, .control("u")) + typed(value) + keys(.enter) {
                _ = state.update(e)
            }
        }
        let theirs = Array("<r device.set=\"1\" device.wifi.ssid=\"Theirs\" device.prov.password=\"their-pw\" device.prov.user=\"v\"/>\n".utf8)
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: true, bytes: bytes)))
        _ = state.update(.changedOnDisk(path: "wireless.cfg", summary: "changed", current: theirs))
        _ = state.update(.key(.character("m")))
        #expect(state.question?.prompt == "device.wifi.ssid changed on both sides: (m)ine \"Mine\" (t)heirs \"Theirs\" (c)ancel")
        _ = state.update(.key(.character("t")))
        #expect(state.question?.prompt == "device.prov.password changed on both sides: (m)ine ******** (t)heirs ******** (c)ancel")
        _ = state.update(.key(.character("m")))
        #expect(state.message == "merged: your changes replayed onto the file as it is on disk now (1 kept as on disk)")
        #expect(value(state, "device.wifi.ssid") == "Theirs")
        #expect(value(state, "device.prov.password") == "mine-pw")
        #expect(value(state, "device.prov.user") == "v")
    }

    @Test("A file that cannot be written says so on opening; s says why it cannot save and that w saves elsewhere")
    func readOnly() {
        var state = EditorState(bytes: Array("<r a=\"1\"/>".utf8), path: "w.cfg", readOnlyReason: "w.cfg is not writable (Permission denied)", now: now)
        #expect(state.message == "read-only: w.cfg is not writable (Permission denied); s asks before writing, w saves elsewhere")
        for e in keys(.end, .enter, .character("2"), .enter, .character("s")) { _ = state.update(e) }
        _ = state.update(.inspected(path: "w.cfg", FileStatus(exists: true, bytes: Array("<r a=\"1\"/>".utf8), unwritable: "w.cfg is not writable (Permission denied)")))
        #expect(state.mode == .browse)
        #expect(state.message == "cannot save to w.cfg: w.cfg is not writable (Permission denied); w saves elsewhere")
    }

    @Test("/ searches labels, names and values; n and N move; Esc returns to where you were")
    func search() {
        var (state, _) = session(keys(.character("/")) + typed("plcmspip"))
        #expect(focus(state) == "Server User")
        _ = state.update(.key(.enter))
        #expect(focus(state) == "Server User")
        _ = state.update(.key(.character("n")))
        #expect(focus(state) == "device.prov.user")
        _ = state.update(.key(.character("N")))
        #expect(focus(state) == "Server User")
        let before = state.cursor
        for e in keys(.character("/")) + typed("nothing-like-this") + keys(.escape) { _ = state.update(e) }
        #expect(state.cursor == before)
    }

    @Test("f applies the focused finding's fix")
    func fix() {
        var (state, _) = session(keys(.tab))
        #expect(state.findings(of: state.currentRow!).map(\.rule) == ["case-variant", "case-variant"])
        _ = state.update(.key(.character("f")))
        #expect(state.document.index(named: "device.sec.TLS.customCaCert1").map { state.document.name($0) } == "device.sec.TLS.customCaCert1")
        #expect(state.message == "fixed: rename to device.sec.TLS.customCaCert1")
    }

    @Test("f on a fix that would weaken security asks first: n leaves the file alone, y applies it",
          arguments: [("device.sec.TLS.dot1x.strictCertCommonNameValidation", "0", "this makes the handset accept any RADIUS server (802.1X) name"),
                      ("device.sec.TLS.profile.caCertList2", "Builtin", "this makes Platform Profile 2 ignore your custom CA certificates"),
                      ("device.prov.serverType", "HTTP", "this makes the handset provision over HTTP, in clear text"),
                      ("device.wifi.securityMode", "None", "this puts the handset on a None network")])
    func fixWeakeningAsks(name: String, value: String, question: String) throws {
        let text = "<polycomConfig>\n  <device device.set=\"1\"\n    \(name)=\"\(value)\"\n    \(name).set=\"0\"/>\n</polycomConfig>\n"
        var (state, _) = session(keys(.character("/")) + typed(name) + keys(.enter), bytes: Array(text.utf8))
        #expect(state.currentRow.flatMap { state.parameterName(of: $0) }?.lowercased() == name.lowercased())
        _ = state.update(.key(.character("f")))
        guard case .confirmWeakening(.enable(name), let weakening) = state.mode else {
            Issue.record("f did not ask: \(state.mode)")
            return
        }
        #expect(weakening.question == question)
        _ = state.update(.key(.character("n")))
        #expect(state.mode == .browse)
        #expect(state.document.bytes == Array(text.utf8))
        #expect(state.message == "not applied: \(weakening.remedy)")
        _ = state.update(.key(.character("f")))
        _ = state.update(.key(.character("y")))
        #expect(state.mode == .browse)
        #expect(String(decoding: state.document.bytes, as: UTF8.self) == text.replacingOccurrences(of: ".set=\"0\"", with: ".set=\"1\""))
        #expect(state.message == "fixed: set \(name).set=\"1\"")
    }

    @Test("f on a secure value's set-flag finding applies it at once")
    func fixSecureValue() {
        let text = "<polycomConfig>\n  <device device.set=\"1\"\n    device.sec.TLS.profile.caCertList1=\"Platform1\"\n    device.sec.TLS.profile.caCertList1.set=\"0\"/>\n</polycomConfig>\n"
        var (state, _) = session(keys(.character("/")) + typed("device.sec.TLS.profile.caCertList1") + keys(.enter), bytes: Array(text.utf8))
        _ = state.update(.key(.character("f")))
        #expect(state.mode == .browse)
        #expect(String(decoding: state.document.bytes, as: UTF8.self) == text.replacingOccurrences(of: ".set=\"0\"", with: ".set=\"1\""))
    }

    @Test("Enter opens a menu (the breadcrumb follows); Esc and Left go back")
    func zoom() {
        var (state, _) = session(keys(.enter))
        #expect(state.breadcrumb.last == "Custom CA Certificates")
        #expect(state.rows.count == 2)
        _ = state.update(.key(.left))
        #expect(state.breadcrumb == ["Settings", "Advanced Settings", "Administration Settings", "TLS Security", "Custom CA Certificates"])
        #expect(focus(state) == "Custom CA Certificates")
    }

    @Test("The breadcrumb follows the cursor: into Provisioning Server and All Parameters without entering them")
    func breadcrumbFollows() {
        var (state, _) = session()
        let base = ["Settings", "Advanced Settings", "Administration Settings"]
        #expect(state.breadcrumb == base + ["TLS Security", "Custom CA Certificates"])
        _ = state.update(.key(.down))
        #expect(focus(state) == "Platform CA 1")
        #expect(state.breadcrumb == base + ["TLS Security", "Custom CA Certificates"])
        while focus(state) != "Server Type" { _ = state.update(.key(.down)) }
        #expect(state.breadcrumb == base + ["Provisioning Server"])
        while state.breadcrumb.last != "All Parameters" && state.cursor < state.rows.count - 1 { _ = state.update(.key(.down)) }
        #expect(focus(state) == "All Parameters")
        _ = state.update(.key(.down))
        _ = state.update(.key(.down))
        #expect(state.breadcrumb == base + ["All Parameters"])
    }

    @Test("Secrets are masked until revealed with r")
    func reveal() {
        var (state, _) = session(keys(.character("/")) + typed("server password") + keys(.enter))
        #expect(state.displayValue(of: state.currentRow!) == "********")
        _ = state.update(.key(.character("r")))
        #expect(state.displayValue(of: state.currentRow!) == "PlcmSpIp")
        // The sample is not on disk: the review would create it, password masked.
        let diff = String(decoding: state.previewDiff, as: UTF8.self)
        #expect(diff.contains("+      device.prov.password=\"********(changed)\"") && !diff.contains("password=\"PlcmSpIp\""))
    }

    @Test("A resize keeps the cursor visible and PgDn pages by the list's height")
    func resizeAndPage() {
        var (state, _) = session(keys(.pageDown))
        #expect(state.cursor == 1 + Layout(width: 80, height: 24).listHeight)
        _ = state.update(.resize(width: 60, height: 15))
        #expect(state.cursor >= state.scroll && state.cursor < state.scroll + state.pageSize)
        _ = state.update(.resize(width: 30, height: 8))
        _ = state.update(.resize(width: 80, height: 24))
        #expect(state.cursor >= state.scroll && state.cursor < state.scroll + state.pageSize)
    }
}

@Suite("Saving never replaces a file the user has not seen")
struct SaveSafetyTests {
    static let precious = Array("precious data\n".utf8)
    static let snapshot = FileSnapshot(size: 14, modified: 5, modifiedNanoseconds: 0, hash: FileSnapshot.hash(precious))
    static let existing = FileStatus(exists: true, bytes: precious, snapshot: snapshot, modifiedText: "2026-11-29 19:40")

    @Test("Save-as onto an existing file asks first; n asks for another name; y shows the diff against the file on disk, then writes")
    func saveAsOverwrite() {
        var (state, _) = session(keys(.tab, .character(" "), .character("s")))
        #expect(state.update(.key(.enter)) == [.inspect("wireless.cfg")])
        _ = state.update(.inspected(path: "wireless.cfg", Self.existing))
        #expect(state.mode == .confirmOverwrite(SaveTarget(member: 0, path: "wireless.cfg", disk: Self.precious, expected: Self.snapshot, saveAs: true), Self.existing))
        #expect(state.question?.prompt == "wireless.cfg exists (14 bytes, modified 2026-11-29 19:40): overwrite? (y/n)")
        _ = state.update(.key(.character("n")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        #expect(state.path == nil)
        _ = state.update(.key(.enter))
        _ = state.update(.inspected(path: "wireless.cfg", Self.existing))
        _ = state.update(.key(.character("y")))
        #expect(reviewing(state))
        let diff = String(decoding: state.previewDiff, as: UTF8.self)
        #expect(diff.hasPrefix("--- a/wireless.cfg\n+++ b/wireless.cfg\n@@ -1 +1,\(Sample.text.split(separator: "\n", omittingEmptySubsequences: false).count - 1) @@\n-precious data\n+<?xml"))
        #expect(state.update(.key(.character("y"))) == [.writeFiles([FileWrite(path: "wireless.cfg", bytes: state.document.bytes, expected: Self.snapshot)])])
    }

    @Test("A failed save-as leaves the file unnamed; s asks again; w and the quit prompt's w ask for a path")
    func failedSaveAs() {
        var (state, _) = session(keys(.tab, .character(" "), .character("s")))
        _ = state.update(.key(.enter))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: false, unwritable: "its directory /tmp/x/nodir does not exist")))
        let problem = "cannot save to wireless.cfg: its directory /tmp/x/nodir does not exist; choose another place"
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg", problem: problem)))
        #expect(state.message == problem)
        _ = state.update(.key(.enter))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: false)))
        _ = state.update(.key(.character("y")))
        _ = state.update(.filesWritten([FileWritten(path: "wireless.cfg", result: .failure(FileError(path: "wireless.cfg", message: "cannot create: Permission denied")))]))
        #expect(state.path == nil && state.displayName == "wireless.cfg" && state.modified)
        #expect(state.message == "not saved: wireless.cfg: cannot create: Permission denied; w saves elsewhere")
        _ = state.update(.key(.character("s")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("w")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("q")))
        _ = state.update(.key(.character("w")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        #expect(state.update(.key(.tab)) == [.complete("wireless.cfg")])
    }

    @Test("w on a named file saves a copy elsewhere; the editor then edits the copy")
    func saveAsCopy() {
        let bytes = Array("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>".utf8)
        var (state, _) = session(keys(.tab, .character(" "), .character("w")), bytes: bytes)
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        for _ in 0..<12 { _ = state.update(.key(.backspace)) }
        for e in typed("copy.cfg") { _ = state.update(e) }
        #expect(state.update(.key(.enter)) == [.inspect("copy.cfg")])
        _ = state.update(.inspected(path: "copy.cfg", FileStatus(exists: false)))
        #expect(state.update(.key(.character("y"))) == [.writeFiles([FileWrite(path: "copy.cfg", bytes: state.document.bytes, expected: nil)])])
        _ = state.update(.filesWritten([FileWritten(path: "copy.cfg", result: .success(FileSnapshot(size: 1, modified: 1, modifiedNanoseconds: 0, hash: 1)))]))
        #expect(state.path == "copy.cfg" && !state.modified)
    }

    @Test("A file deleted or moved since it was opened: s says it is gone and offers to write it again, save elsewhere or cancel")
    func gone() {
        let bytes = Array("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>".utf8)
        var (state, _) = session(keys(.tab, .character(" "), .character("s")), bytes: bytes, disk: FileStatus(exists: false))
        let target = SaveTarget(member: 0, path: "wireless.cfg", disk: nil, expected: nil, saveAs: false)
        #expect(state.mode == .gone(target))
        _ = state.update(.key(.character("c")))
        #expect(state.mode == .browse && state.message == "not saved")
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: false)))
        _ = state.update(.key(.character("s")))
        #expect(state.mode == .path(PathPrompt(.saveAs, "wireless.cfg")))
        _ = state.update(.key(.escape))
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: false)))
        _ = state.update(.key(.character("w")))
        #expect(reviewing(state))
        #expect(String(decoding: state.previewDiff, as: UTF8.self).hasPrefix("--- a/wireless.cfg\n+++ b/wireless.cfg\n@@ -0,0 +1 @@\n+<r"))
        #expect(state.update(.key(.character("y"))) == [.writeFiles([FileWrite(path: "wireless.cfg", bytes: state.document.bytes, expected: nil)])])
    }

    @Test("A read-only file (mode 0444, even for root) asks 'save anyway?' before the diff; n leaves it alone")
    func readOnlyBits() {
        let bytes = Array("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\"/>".utf8)
        let status = FileStatus(exists: true, bytes: bytes, readOnly: "mode 0444")
        var (state, _) = session(keys(.tab, .character(" "), .character("s")), bytes: bytes, disk: status)
        #expect(state.mode == .confirmReadOnly(SaveTarget(member: 0, path: "wireless.cfg", disk: bytes, expected: nil, saveAs: false), reason: "mode 0444"))
        _ = state.update(.key(.character("n")))
        #expect(state.mode == .browse && state.message == "not saved: wireless.cfg is read-only; w saves elsewhere")
        _ = state.update(.key(.character("s")))
        _ = state.update(.inspected(path: "wireless.cfg", status))
        _ = state.update(.key(.character("y")))
        #expect(reviewing(state))
    }

    @Test("A new file (the path did not exist) opens as a skeleton, says so, and its save creates it")
    func newFile() {
        var state = EditorState.newFile(path: "new.cfg", now: now)
        _ = state.update(.resize(width: 80, height: 24))
        #expect(state.message == "new.cfg does not exist: a new file, created when you save")
        #expect(state.update(.key(.character("s"))) == [.inspect("new.cfg")])
        _ = state.update(.inspected(path: "new.cfg", FileStatus(exists: false)))
        #expect(reviewing(state))
        #expect(String(decoding: state.previewDiff, as: UTF8.self) == "--- a/new.cfg\n+++ b/new.cfg\n@@ -0,0 +1,5 @@\n" + Sample.skeleton.split(separator: "\n").map { "+\($0)\n" }.joined())
    }
}

@Suite("Pasting a self-signed server certificate")
struct SelfSignedPasteTests {
    @Test("A v1 self-signed certificate pasted into slot 2 is imported at once, with the note in the message",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func pasteV1() {
        let dir = temporaryDirectory()
        TestPKI.openssl(["genrsa", "-out", "v1.key", "1024"], in: dir)
        TestPKI.openssl(["req", "-new", "-key", "v1.key", "-subj", "/CN=ftps.example.com", "-out", "v1.csr"], in: dir)
        TestPKI.openssl(["x509", "-req", "-in", "v1.csr", "-signkey", "v1.key", "-sha1", "-days", "3650", "-out", "v1.pem"], in: dir)
        let pem = String(decoding: contents(dir.appendingPathComponent("v1.pem")), as: UTF8.self)
        let (state, _) = session(keys(.tab, .tab) + [.paste(pem)])
        #expect(state.question?.text == "Use Platform CA 2 for")
        #expect(state.message.hasPrefix("imported 'ftps.example.com' into Platform CA 2; warning: 'ftps.example.com' is a self-signed server certificate: the handset will trust exactly this server"))
        #expect(value(state, "device.sec.TLS.customCaCert2.set") == "1")
    }
}

@Suite("Slots know their purpose")
struct SlotPurposeTests {
    @Test("After an import into a CA slot the editor asks which applications use it; 8 selects its profile for 802.1X")
    func dot1x() {
        var (state, _) = session(keys(.tab) + [.paste(pki.root.pem)])
        #expect(state.question?.prompt == "Use Platform CA 1 for (8)02.1X, (p)rovisioning, (b)oth, (n)either?")
        _ = state.update(.key(.character("8")))
        #expect(state.mode == .browse)
        #expect(state.message == "imported 'Test Root CA' into Platform CA 1; 802.1X now uses it (Platform Profile 1)")
        #expect(value(state, "device.sec.TLS.profileSelection.dot1x") == "PlatformProfile1")
        #expect(value(state, "device.sec.TLS.profileSelection.dot1x.set") == "1")
        #expect(value(state, "device.sec.TLS.profileSelection.provisioning") == "PlatformProfile2")
        #expect(value(state, "device.sec.TLS.profileSelection.provisioning.set") == "0")
        // Provisioning's PlatformProfile2 is not .set: the handset uses profile 1, whose list (All) has the slot too.
        #expect(state.applications(using: 1) == ["802.1X", "provisioning"])
        _ = state.update(.key(.character("u")))
        #expect(value(state, "device.sec.TLS.profileSelection.dot1x.set") == "0")
        #expect(value(state, "device.sec.tls.customCaCert1") == PEM.base64Encode(pki.root.der))
    }

    @Test("b makes both use it, as cert import --for does for each; n or any other key changes nothing more")
    func bothOrNeither() {
        var (state, _) = session(keys(.tab, .tab) + [.paste(pki.root.pem), .key(.character("b"))])
        #expect(state.message == "imported 'Test Root CA' into Platform CA 2; 802.1X and provisioning now use it "
            + "(Platform Profile 2)")
        #expect(value(state, "device.sec.TLS.profileSelection.dot1x") == "PlatformProfile2")
        #expect(value(state, "device.sec.TLS.profileSelection.provisioning.set") == "1")
        #expect(state.applications(using: 2) == ["802.1X", "provisioning"])
        var (other, _) = session(keys(.tab) + [.paste(pki.root.pem), .key(.character("x"))])
        #expect(other.message == "imported 'Test Root CA' into Platform CA 1; no application was changed to use it")
        #expect(value(other, "device.sec.TLS.profileSelection.dot1x.set") == "0")
        _ = other.update(.key(.escape))
    }
}

@Suite("A PKCS#12 file on a device slot")
struct PFXImportTests {
    /// The test leaf and its key as a PKCS#12 file made by openssl, with passphrase s3cret.
    static func pfx() -> (URL, [UInt8]) {
        let dir = temporaryDirectory()
        write(Array(pki.leaf.pem.utf8), to: dir.appendingPathComponent("c.pem"))
        write(Array(pki.leaf.keyPEM.utf8), to: dir.appendingPathComponent("k.pem"))
        TestPKI.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-out", "d.pfx", "-passout",
                         "pass:s3cret"], in: dir)
        return (dir, contents(dir.appendingPathComponent("d.pfx")))
    }

    @Test("i on a device slot takes a .pfx: the passphrase is asked masked, openssl opens it, both are imported")
    func importsWithPassphrase() throws {
        let (dir, bytes) = Self.pfx()
        let path = dir.appendingPathComponent("d.pfx").path
        var (state, _) = session(keys(.tab, .tab, .tab))
        _ = state.update(.fileRead(path: path, .success(bytes)))
        guard case .pfxPassphrase(let prompt) = state.mode else { Issue.record("\(state.mode)"); return }
        #expect(prompt.slot == 1 && prompt.fileName == "d.pfx")
        var effects: [Effect] = []
        for c in "s3cret" { effects = state.update(.key(.character(c))) }
        #expect(effects.isEmpty)
        effects = state.update(.key(.enter))
        #expect(effects == [.openPFX(bytes, source: path, passphrase: "s3cret", slot: 1)])
        #expect(state.message == "opening d.pfx…")
        let opened = Result { () throws(CertificateError) in
            try PKCS12.pem(of: bytes, shown: path, passphrase: "s3cret")
        }
        _ = state.update(.pfxOpened(slot: 1, source: path, opened))
        #expect(state.message == "imported 'radius.lab.example' with its key into Device certificate 1")
        #expect(value(state, "device.sec.TLS.customDeviceCert1.publicCert")?.contains("BEGIN CERTIFICATE") == true)
        #expect(value(state, "device.sec.TLS.customDeviceCert1.privateKey")?.contains("PRIVATE KEY") == true)
        #expect(value(state, "device.sec.TLS.customDeviceCert1.set") == "1")
        #expect(state.question?.prompt == "Use Device certificate 1 for (8)02.1X, (p)rovisioning, (b)oth, (n)either?")
        _ = state.update(.key(.character("8")))
        #expect(state.message == "imported 'radius.lab.example' with its key into Device certificate 1; the profile "
            + "802.1X selects now presents it")
        #expect(value(state, "device.sec.TLS.profile.deviceCert1") == "Platform1")
        #expect(value(state, "device.sec.TLS.profile.deviceCert1.set") == "1")
    }

    @Test("A wrong passphrase is said, nothing is imported; Esc at the prompt imports nothing")
    func wrongPassphraseOrEscape() {
        let (dir, bytes) = Self.pfx()
        let path = dir.appendingPathComponent("d.pfx").path
        let wrong = Result { () throws(CertificateError) in
            try PKCS12.pem(of: bytes, shown: "d.pfx", passphrase: "nope")
        }
        var (state, _) = session(keys(.tab, .tab, .tab))
        _ = state.update(.pfxOpened(slot: 1, source: path, wrong))
        #expect(state.message == "not imported: d.pfx: wrong passphrase (openssl could not verify the file with it)")
        #expect(value(state, "device.sec.TLS.customDeviceCert1.set") == nil)
        _ = state.update(.fileRead(path: path, .success(bytes)))
        _ = state.update(.key(.escape))
        #expect(state.mode == .browse && state.message == "not imported")
    }
}

@Suite("Nothing replaced without a word")
struct ReplaceCertificateTests {
    @Test("A paste onto a slot that holds another certificate asks first; n keeps it, y replaces it")
    func pasteAsks() {
        var (state, _) = session(keys(.tab))
        _ = state.update(.paste(pki.root.pem))
        #expect(state.message.hasPrefix("imported 'Test Root CA' into Platform CA 1"))
        _ = state.update(.key(.character("n")))
        _ = state.update(.paste(pki.leaf.pem + pki.intermediate.pem + pki.root.pem))
        #expect(state.mode == .choosePurpose(slot: .ca(1), imported: state.message))   // the same root: not the replace question
        _ = state.update(.key(.character("n")))
        let other = TestPKI.issue(cn: "Other Root", org: nil, serial: [0x44], ca: true, issuer: nil)
        _ = state.update(.paste(other.pem))
        #expect(state.question?.text == "Platform CA 1 holds 'Test Root CA' (until 2033-05-18): replace it with "
            + "'Other Root'?")
        _ = state.update(.key(.character("n")))
        #expect(state.message == "not imported: the slot keeps its certificate")
        #expect(state.slots.first?.facts?.displayName == "Test Root CA")
        _ = state.update(.paste(other.pem))
        _ = state.update(.key(.character("y")))
        #expect(state.message.hasPrefix("imported 'Other Root' into Platform CA 1"))
        #expect(state.slots.first?.facts?.displayName == "Other Root")
    }
}

@Suite("Status lines say what happened")
struct StatusWordingTests {
    @Test("A pasted chain says which root it kept and which certificates it left out")
    func chainKept() {
        var (state, _) = session(keys(.tab))
        _ = state.update(.paste(pki.leaf.pem + pki.intermediate.pem + pki.root.pem))
        #expect(state.message.hasPrefix("imported 'Test Root CA' into Platform CA 1; kept the root 'Test Root CA' of 3 "
            + "certificates (left out 'radius.lab.example', 'Test Issuing CA')"))
    }

    @Test("Importing into a slot whose .set is misspelled says it renamed the flag")
    func renameSaid() {
        let text = "<polycomConfig><device device.set=\"1\" device.sec.TLS.customCaCert2=\"\" "
            + "device.sec.TLS.cusomCaCert2.set=\"0\"/></polycomConfig>\n"
        var (state, _) = session(keys(.tab, .tab), bytes: Array(text.utf8))
        _ = state.update(.paste(pki.root.pem))
        #expect(state.message.contains("; renamed device.sec.TLS.cusomCaCert2.set to device.sec.TLS.customCaCert2.set"))
    }

    @Test("Undo and redo name the change and put the cursor on it, both ways")
    func undoRedo() {
        var (state, _) = session(keys(.tab))
        let slotRow = state.cursor
        _ = state.update(.paste(pki.root.pem))
        _ = state.update(.key(.character("n")))
        _ = state.update(.key(.home))
        #expect(state.cursor != slotRow)
        _ = state.update(.key(.character("u")))
        #expect(state.cursor == slotRow)
        #expect(state.message.hasPrefix("undone: Platform CA 1 "))
        #expect(state.message.contains("… → \"\""))
        _ = state.update(.key(.home))
        _ = state.update(.key(.control("r")))
        #expect(state.cursor == slotRow)
        #expect(state.message.hasPrefix("redone: Platform CA 1 \"\" → "))
        _ = state.update(.key(.home))
        _ = state.update(.key(.character("u")))
        #expect(state.cursor == slotRow)
    }
}

@Suite("The person's own weakening is asked about, as f asks")
struct WeakeningEditTests {
    static func file(value: String, set: String) -> [UInt8] {
        Array(("<polycomConfig><device device.set=\"1\" device.sec.TLS.prov.strictCertCommonNameValidation=\"\(value)\" "
            + "device.sec.TLS.prov.strictCertCommonNameValidation.set=\"\(set)\"/></polycomConfig>\n").utf8)
    }

    /// The session with the cursor on the provisioning name-check entry.
    static func focused(value: String, set: String) -> EditorState {
        let (state, _) = session(typed("/") + typed("tls.prov.strictcert") + keys(.enter),
                                 bytes: file(value: value, set: set))
        return state
    }

    @Test("Turning name checking off on an applied entry asks; n keeps it on, y turns it off")
    func valueAsks() {
        var state = Self.focused(value: "1", set: "1")
        _ = state.update(.key(.enter))
        if case .pick = state.mode { _ = state.update(.key(.character("0"))); _ = state.update(.key(.enter)) }
        #expect(state.question?.text.hasSuffix("name: apply?") == true, "\(state.mode) \(state.message)")
        _ = state.update(.key(.character("n")))
        #expect(value(state, "device.sec.TLS.prov.strictCertCommonNameValidation") == "1")
        _ = state.update(.key(.enter))
        if case .pick = state.mode { _ = state.update(.key(.character("0"))); _ = state.update(.key(.enter)) }
        _ = state.update(.key(.character("y")))
        #expect(value(state, "device.sec.TLS.prov.strictCertCommonNameValidation") == "0")
    }

    @Test("Space that would apply a 0 already written asks too")
    func spaceAsks() {
        var state = Self.focused(value: "0", set: "0")
        _ = state.update(.key(.character(" ")))
        #expect(state.question?.text.hasSuffix("name: apply?") == true, "\(state.mode) \(state.message)")
        _ = state.update(.key(.character("n")))
        #expect(value(state, "device.sec.TLS.prov.strictCertCommonNameValidation.set") == "0")
        _ = state.update(.key(.character(" ")))
        _ = state.update(.key(.character("y")))
        #expect(value(state, "device.sec.TLS.prov.strictCertCommonNameValidation.set") == "1")
    }
}
