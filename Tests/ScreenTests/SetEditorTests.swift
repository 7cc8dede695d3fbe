import Foundation
import Testing
import TestSupport
import CfgDocument
import Editor
import Files
import Handset
import Screen

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let prov = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("prov").path

/// The fixture set (Tests/Fixtures/prov) in the editor at 100x30, after `keys`.
private func session(_ keys: [Key] = [], mac: String? = nil) throws -> EditorState {
    let set = try ProvisioningSet.resolve(root: prov, isDirectory: true, mac: mac, model: nil,
        files: SetFiles(read: { try? FileStore.read($0) }, realPath: FileStore.realPath))
    var state = EditorState(set: set, snapshots: set.members.map { _ in nil }, now: now)
    _ = state.update(.resize(width: 100, height: 30))
    for key in keys { _ = press(key, &state) }
    return state
}

/// Sends a key; a save's look at each file is answered with what the file holds on disk.
@discardableResult
private func press(_ key: Key, _ state: inout EditorState) -> [Effect] {
    var effects = state.update(.key(key))
    while case .inspect(let path)? = effects.last {
        let bytes = try? FileStore.read(path)
        effects = state.update(.inspected(path: path, FileStatus(exists: bytes != nil, bytes: bytes)))
    }
    return effects
}

private func text(_ path: String) -> String { String(decoding: (try? FileStore.read("\(prov)/\(path)")) ?? [], as: UTF8.self) }

/// The list area of the frame, trailing spaces dropped.
private func listLines(_ state: EditorState) -> [String] {
    let lines = Screen.render(state).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let layout = Layout(width: state.width, height: state.height)
    return lines[layout.listTop..<layout.listTop + layout.listHeight].filter { !$0.isEmpty }
}

/// The bytes of the set's files after the session's edits, by listed name.
private func documents(_ state: EditorState) -> [String: String] {
    Dictionary(uniqueKeysWithValues: state.workspace.files.map { ($0.displayName, String(decoding: $0.document.bytes, as: UTF8.self)) })
}

@Suite("The editor over a provisioning set")
struct SetEditorTests {
    @Test("The menus show the effective values, each row with the file it comes from")
    func rowsNameTheirFile() throws {
        let state = try session([.enter, .enter])   // TLS Security › Custom CA Certificates
        #expect(listLines(state) == [
            "› !Platform CA 1                        E…, until 2051-07-21 wireless.cfg ignored (.set=0)",
            "  !Platform CA 2                        (empty)                  site.cfg applied",
        ])
    }

    @Test("The details say which file and line supply the value and list the copies it shadows")
    func detailsListShadowed() throws {
        let state = try session([.tab, .tab])
        let frame = Screen.render(state).text
        #expect(frame.contains("From site.cfg:7 (CONFIG_FILES); edits go there"))
        #expect(frame.contains("Shadows wireless.cfg:9, which the handset does not use"))
    }

    @Test("Space flips the .set flag the handset uses (site.cfg's, listed first), not the one beside the value; every other byte of every file stays")
    func flagWhereItCounts() throws {
        var state = try session([.tab])
        _ = press(.character(" "), &state)
        #expect(state.message == "device.sec.TLS.customCaCert1.set = \"1\" in site.cfg")
        let files = documents(state)
        #expect(files["site.cfg"] == text("site.cfg").replacingOccurrences(of: "device.sec.TLS.customCaCert1.set=\"0\"", with: "device.sec.TLS.customCaCert1.set=\"1\""))
        #expect(files["wireless.cfg"] == text("wireless.cfg"))
        #expect(state.modified && state.workspace.changedMembers == [0])
        _ = press(.character("u"), &state)
        #expect(documents(state)["site.cfg"] == text("site.cfg") && !state.modified)
        _ = press(.control("r"), &state)
        #expect(documents(state)["site.cfg"] != text("site.cfg"))
    }

    @Test("An entry no file sets asks once which file takes it (the last listed by default), then goes there without asking again")
    func targetAskedOnce() throws {
        var state = try session()
        for key: Key in [.character("/")] + "Server User".map({ .character($0) }) + [.enter, .enter] + "admin".map({ .character($0) }) + [.enter] {
            _ = press(key, &state)
        }
        guard case .chooseTarget(let picker, .commit("admin")) = state.mode else { Issue.record("not asked: \(state.mode)"); return }
        #expect(picker.choices == ["site.cfg", "wireless.cfg"] && picker.selected == 1)
        _ = press(.enter, &state)   // wireless.cfg
        #expect(state.message == "device.prov.user = \"admin\" in wireless.cfg and its .set = 1")
        #expect(documents(state)["wireless.cfg"]!.contains("device.prov.user=\"admin\""))
        #expect(documents(state)["site.cfg"] == text("site.cfg"))
        for key: Key in [.character("/")] + "Server Password".map({ .character($0) }) + [.enter, .enter, .character("x"), .enter] { _ = press(key, &state) }
        #expect(state.mode == .browse && state.message == "device.prov.password = ******** in wireless.cfg and its .set = 1")
    }

    @Test("Save reviews every changed file in one diff, then writes each with the bytes it had plus its edits alone")
    func multiFileSave() throws {
        var state = try session([.tab, .character(" ")])
        for key: Key in [.character("/")] + "Server User".map({ .character($0) }) + [.enter, .enter, .character("a"), .enter, .enter] {
            _ = press(key, &state)
        }
        _ = press(.character("s"), &state)
        guard case .diff(let review) = state.mode else { Issue.record("no review: \(state.mode)"); return }
        #expect(review.summary == ["site.cfg: device.sec.TLS.customCaCert1.set: \"0\" → \"1\"", "wireless.cfg: device.prov.user: (none) → \"a\"", "wireless.cfg: device.prov.user.set: (none) → \"1\""])
        #expect(review.lines.filter { $0.hasPrefix("+++ ") } == ["+++ b\(prov)/site.cfg", "+++ b\(prov)/wireless.cfg"])
        let effects = press(.character("y"), &state)
        guard case .writeFiles(let writes)? = effects.first else { Issue.record("no write: \(effects)"); return }
        #expect(writes.map(\.path) == ["\(prov)/site.cfg", "\(prov)/wireless.cfg"])
        #expect(String(decoding: writes[0].bytes, as: UTF8.self) == text("site.cfg").replacingOccurrences(of: "device.sec.TLS.customCaCert1.set=\"0\"", with: "device.sec.TLS.customCaCert1.set=\"1\""))
        let wireless = String(decoding: writes[1].bytes, as: UTF8.self)
        #expect(wireless == text("wireless.cfg").replacingOccurrences(of: "      device.prov.serverType=\"4\"\n", with: "      device.prov.serverType=\"4\"\n      device.prov.user=\"a\"\n      device.prov.user.set=\"1\"\n"))
    }

    @Test("A save where one file fails says which were written and which not; the one not written keeps its edits for the next s")
    func partialFailure() throws {
        var state = try session([.tab, .character(" ")])
        for key: Key in [.character("/")] + "Server User".map({ .character($0) }) + [.enter, .enter, .character("a"), .enter, .enter, .character("s")] {
            _ = press(key, &state)
        }
        _ = press(.character("y"), &state)
        let snapshot = FileSnapshot(size: 1, modified: 0, modifiedNanoseconds: 0, hash: 0)
        _ = state.update(.filesWritten([
            FileWritten(path: "\(prov)/site.cfg", result: .success(snapshot)),
            FileWritten(path: "\(prov)/wireless.cfg", result: .failure(FileError(path: "\(prov)/wireless.cfg", message: "changed on disk since it was opened (by someone else); not written, so their change is kept"))),
        ]))
        #expect(state.message == "written: site.cfg; NOT written: wireless.cfg (\(prov)/wireless.cfg: changed on disk since it was opened (by someone else); not written, so their change is kept). The files not written still hold your edits: s tries them again")
        #expect(state.messageIsError && state.mode == .browse)
        #expect(state.modified && state.workspace.changedMembers == [1])
        _ = press(.character("s"), &state)
        guard case .diff(let review) = state.mode else { Issue.record("no review"); return }
        #expect(review.summary == ["wireless.cfg: device.prov.user: (none) → \"a\"", "wireless.cfg: device.prov.user.set: (none) → \"1\""])
    }

    @Test("A save looks at each changed file on disk: a read-only member asks before the review, about that file, and offers no save-as")
    func readOnlyMember() throws {
        var state = try session([.tab, .character(" ")])   // site.cfg changes
        #expect(state.update(.key(.character("s"))) == [.inspect("\(prov)/site.cfg")])
        let disk = Array(text("site.cfg").utf8)
        _ = state.update(.inspected(path: "\(prov)/site.cfg", FileStatus(exists: true, bytes: disk, readOnly: "mode 0444")))
        #expect(state.question?.prompt == "\(prov)/site.cfg is read-only; save anyway? (y/n)")
        _ = state.update(.key(.character("n")))
        #expect(state.mode == .browse && state.message == "not saved: \(prov)/site.cfg is read-only" && state.modified)
        _ = state.update(.key(.character("q")))
        #expect(state.question?.prompt == "Save changes? (y)es (n)o (c)ancel")
    }

    @Test("A member changed on disk since it was read asks about that file: reload drops its edits only, the other file is still saved")
    func conflictingMember() throws {
        let snapshots = ["site.cfg", "wireless.cfg"].map { FileSnapshot(size: 1, modified: 1, modifiedNanoseconds: 0, hash: FileSnapshot.hash(Array($0.utf8))) }
        let set = try ProvisioningSet.resolve(root: prov, isDirectory: true, mac: nil, model: nil,
            files: SetFiles(read: { try? FileStore.read($0) }, realPath: FileStore.realPath))
        var state = EditorState(set: set, snapshots: snapshots, now: now)
        _ = state.update(.resize(width: 100, height: 30))
        for key: Key in [.tab, .character(" ")] + [.character("/")] + "Server User".map({ .character($0) }) + [.enter, .enter, .character("a"), .enter, .enter] {
            _ = state.update(.key(key))
        }
        let theirs = Array(("<!-- theirs -->\n" + text("wireless.cfg")).utf8)
        #expect(state.update(.key(.character("s"))) == [.inspect("\(prov)/site.cfg")])
        #expect(state.update(.inspected(path: "\(prov)/site.cfg", FileStatus(exists: true, bytes: Array(text("site.cfg").utf8), snapshot: snapshots[0]))) == [.inspect("\(prov)/wireless.cfg")])
        let other = FileSnapshot(size: theirs.count, modified: 2, modifiedNanoseconds: 0, hash: FileSnapshot.hash(theirs))
        _ = state.update(.inspected(path: "\(prov)/wireless.cfg", FileStatus(exists: true, bytes: theirs, snapshot: other)))
        #expect(state.question?.prompt == "The file changed on disk: (o)verwrite (m)erge (r)eload (c)ancel")
        _ = state.update(.key(.character("r")))
        #expect(state.message == "reloaded wireless.cfg from disk; your edits were dropped")
        #expect(documents(state)["wireless.cfg"] == String(decoding: theirs, as: UTF8.self) && state.workspace.changedMembers == [0])
        #expect(state.update(.key(.character("s"))) == [.inspect("\(prov)/site.cfg")])
        _ = state.update(.inspected(path: "\(prov)/site.cfg", FileStatus(exists: true, bytes: Array(text("site.cfg").utf8), snapshot: snapshots[0])))
        guard case .diff(let review) = state.mode else { Issue.record("no review: \(state.mode)"); return }
        #expect(review.summary == ["site.cfg: device.sec.TLS.customCaCert1.set: \"0\" → \"1\""])
    }

    @Test("All Parameters shows the open file's parameters; a shadowed one says which file wins; o opens another file")
    func allParametersOfAFile() throws {
        var state = try session()
        let all = try #require(state.menu.firstIndex { $0.item == .allParameters })
        #expect(state.menu[all].label == "All Parameters of wireless.cfg (o: another file)")
        for key: Key in [.character("/")] + "serverType".map({ .character($0) }) + [.enter, .character("n")] { _ = press(key, &state) }
        guard case .parameter? = state.currentRow else { Issue.record("not on a parameter: \(String(describing: state.currentRow))"); return }
        #expect(Screen.render(state).text.contains("Not used: site.cfg:5 wins (listed first); edit it there"))
        _ = press(.character("o"), &state)
        _ = press(.up, &state)
        _ = press(.enter, &state)
        #expect(state.message == "All Parameters of site.cfg" && state.document.bytes == Array(text("site.cfg").utf8))
    }
}


@Suite("The editor over a set never saves through a link outside its directory unless told")
struct SetEditorConfinementTests {
    /// A set whose only member, `away.cfg`, is a link to a file outside the directory.
    private func linked(writeOutside: Bool) throws -> EditorState {
        let files: [String: String] = [
            "prov/000000000000.cfg": "<APPLICATION CONFIG_FILES=\"away.cfg\"/>\n",
            "prov/away.cfg": "<device device.set=\"1\" device.sec.TLS.customCaCert1.set=\"0\"/>\n",
        ]
        let access = SetFiles(
            read: { files[$0].map { Array($0.utf8) } },
            realPath: { $0 == "prov/away.cfg" ? "/elsewhere/away.cfg" : "/srv/" + $0 })
        let set = try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: nil, model: nil, files: access)
        var state = EditorState(set: set, snapshots: [nil], writeOutside: writeOutside, now: now)
        _ = state.update(.resize(width: 100, height: 30))
        for key: Key in [.tab, .character(" ")] { _ = press(key, &state) }
        return state
    }

    @Test("s after an edit of the link: not saved, the target named, the edit kept")
    func refused() throws {
        var state = try linked(writeOutside: false)
        #expect(press(.character("s"), &state) == [])
        #expect(state.mode == .browse)
        #expect(
            state.message
                == "not saved: away.cfg is a link to /elsewhere/away.cfg, outside the set's directory: not written; "
                + "open the set with --write-outside to write through it")
        #expect(state.workspace.changedMembers == [0])
    }

    @Test("With --write-outside the review opens and y writes through the link")
    func allowed() throws {
        var state = try linked(writeOutside: true)
        #expect(state.update(.key(.character("s"))) == [.inspect("prov/away.cfg")])
        let disk = Array("<device device.set=\"1\" device.sec.TLS.customCaCert1.set=\"0\"/>\n".utf8)
        _ = state.update(.inspected(path: "prov/away.cfg", FileStatus(exists: true, bytes: disk)))
        guard case .diff = state.mode else { Issue.record("no review: \(state.mode)"); return }
        let effects = press(.character("y"), &state)
        guard case .writeFiles(let writes)? = effects.first else { Issue.record("\(effects)"); return }
        #expect(writes.map(\.path) == ["prov/away.cfg"])
    }
}

@Suite("The editor over a fleet: m shows another handset's set")
struct HandsetPickerTests {
    static let handsets = ["0004f2000001", "0004f2000002", "0004f2abcdef"]

    @Test("m lists the handsets; typing part of a MAC narrows them; Enter asks the front end for that handset's set")
    func pick() throws {
        var state = try session()
        state.handsets = Self.handsets
        #expect(state.title.hasSuffix(" · no handset: m picks one"))
        _ = press(.character("m"), &state)
        guard case .handset = state.mode else { Issue.record("no picker"); return }
        let frame = Screen.render(state).text
        #expect(frame.contains("Handset: ▏ (3 of 3)"))
        #expect(frame.contains(" › 0004f2000001"))
        #expect(frame.contains("Show which handset? type part of its MAC"))
        for c in "ab:cd" { _ = press(.character(c), &state) }
        #expect(Screen.render(state).text.contains("Handset: ab:cd▏ (1 of 3)"))
        #expect(press(.enter, &state) == [.openHandset("0004f2abcdef")])
        #expect(state.mode == .browse)
    }

    @Test("A whole MAC no file names is taken as typed; Esc leaves the picker with nothing asked")
    func typedAndCancelled() throws {
        var state = try session()
        state.handsets = Self.handsets
        _ = press(.character("m"), &state)
        for c in "00-04-F2-99-99-99" { _ = press(.character(c), &state) }
        #expect(press(.enter, &state) == [.openHandset("0004f2999999")])
        _ = press(.character("m"), &state)
        #expect(press(.escape, &state) == [])
        #expect(state.mode == .browse)
    }

    @Test("m is refused while changes are unsaved, and on a set that has no handsets")
    func refused() throws {
        var state = try session()
        _ = press(.character("m"), &state)
        #expect(state.message == "m shows another handset's files: open a provisioning directory that has handsets")
        state.handsets = Self.handsets
        _ = press(.tab, &state)
        _ = press(.character(" "), &state)
        #expect(state.modified)
        _ = press(.character("m"), &state)
        #expect(state.message == "save (s) or undo (u) the changes before showing another handset")
    }

    @Test("The new handset's state keeps the handsets and theme, and its title names the handset")
    func switched() throws {
        var state = try session()
        state.handsets = Self.handsets
        _ = press(.character("t"), &state)
        var other = try session(mac: "00:04:F2:AB:CD:EF")
        other.handset = "0004f2abcdef"
        let next = state.switched(to: other)
        #expect(next.handsets == Self.handsets && next.themeIndex == state.themeIndex)
        #expect(next.title.hasSuffix(" · handset 0004f2abcdef"))
        #expect(next.message.hasPrefix("handset 0004f2abcdef: "))
    }
}

@Suite("Save-as errors where the prompt is")
struct SaveAsProblemTests {
    @Test("A save-as that cannot go there shows why above the prompt that comes back, until the next key")
    func problemShown() {
        var state = EditorState.sample(now: now)
        _ = state.update(.resize(width: 100, height: 30))
        _ = press(.character("w"), &state)
        _ = state.update(.key(.enter))
        _ = state.update(.inspected(path: "wireless.cfg", FileStatus(exists: true, isDirectory: true)))
        let frame = Screen.render(state).text
        #expect(frame.contains("wireless.cfg is a directory: type a file name"))
        #expect(frame.contains("Type another path; Tab completes, Enter saves, Esc cancels."))
        _ = press(.character("x"), &state)
        #expect(!Screen.render(state).text.contains("wireless.cfg is a directory"))
    }
}
