// The recovery journal as a person meets it: the editor killed, reopened, and its changes back.
import Foundation
import Glibc
import Testing
import TestSupport

private let wireless = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<polycomConfig>\r\n\t<device device.set=\"1\"\r\n\t\tdevice.sec.tls.customCaCert1=\"\"\r\n\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n\t\tdevice.sec.TLS.customCaCert2=\"\"\r\n\t\tdevice.sec.TLS.customCaCert2.set=\"0\"\r\n\t/>\r\n</polycomConfig>\r\n"

private let tmuxAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

@Suite("Recovery journals in tmux", .enabled(if: tmuxAvailable), .serialized)
struct RecoveryTmuxTests {
    /// A directory holding `wireless.cfg` (or a set: `000000000000.cfg` listing it), and tmux there.
    func fixture(set: Bool = false) -> (Tmux, URL, URL) {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array(wireless.utf8), to: file)
        if set {
            write(Array("<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"wireless.cfg\"/>\n".utf8),
                  to: dir.appendingPathComponent("000000000000.cfg"))
        }
        return (Tmux(directory: dir), dir, file)
    }

    /// The edit of these tests (slot 1's `.set` flipped), saved at once: what recovery must give back.
    func savedWithoutKill() throws -> [UInt8] {
        let (tmux, _, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"))
        tmux.keys("s")
        try #require(tmux.waitFor("Review the changes"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("saved wireless.cfg"), "\(tmux.capture())")
        return contents(file)
    }

    /// Every file and directory under `state` has no group or other permission bits.
    func expectPrivate(_ state: URL) {
        let paths = [state.path] + ((FileManager.default.enumerator(atPath: state.path)?.allObjects as? [String]) ?? [])
            .map { state.path + "/" + $0 }
        for path in paths {
            var st = stat()
            #expect(stat(path, &st) == 0 && st.st_mode & 0o077 == 0, "\(path) is mode \(String(st.st_mode, radix: 8))")
        }
    }

    @Test("Edits, the editor killed (SIGHUP at once, SIGKILL after 1.5 s), reopened: r, s, y saves what s, y would have",
          arguments: [(SIGHUP, 0.0), (SIGKILL, 1.5)])
    func recoverAfterKill(signal: Int32, wait: Double) throws {
        let expected = try savedWithoutKill()
        let (tmux, dir, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"))
        usleep(useconds_t(wait * 1_000_000))
        kill(try #require(tmux.slcfgPID()), signal)
        try #require(tmux.waitFor("EXIT="), "\(tmux.capture())")
        #expect(contents(file) == Array(wireless.utf8), "nothing is written to the file on a kill")
        expectPrivate(dir.appendingPathComponent("state"))
        let again = Tmux(directory: dir)
        again.start(["wireless.cfg"], width: 200)
        try #require(again.waitFor("wireless.cfg has unsaved changes from a session that ended"), "\(again.capture())")
        #expect(again.capture().contains(", 1 changes): (r)ecover (d)iscard (v)iew the changes (q)uit"))
        again.keys("r")
        try #require(again.waitFor("recovered the unsaved changes"), "\(again.capture())")
        #expect(again.capture().contains("[modified]"))
        again.keys("s")
        try #require(again.waitFor("Review the changes"), "\(again.capture())")
        again.keys("y")
        try #require(again.waitFor("saved wireless.cfg"), "\(again.capture())")
        #expect(contents(file) == expected)
        again.keys("q")
        try #require(again.waitFor("EXIT=0"), "\(again.capture())")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/state/slcfg")) ?? []
        #expect(left.isEmpty, "a clean quit removes the journal: \(left)")
    }

    @Test("d discards: the file opens as it is on disk, and the journal is kept aside")
    func discard() throws {
        let (tmux, dir, file) = fixture()
        tmux.start(["wireless.cfg"])
        try #require(tmux.waitFor("Custom CA Certificates"))
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"))
        kill(try #require(tmux.slcfgPID()), SIGTERM)
        try #require(tmux.waitFor("EXIT=143"), "\(tmux.capture())")
        let again = Tmux(directory: dir)
        again.start(["wireless.cfg"])
        try #require(again.waitFor("(r)ecover (d)iscard"), "\(again.capture())")
        again.keys("d")
        try #require(again.waitFor("Custom CA Certificates"), "\(again.capture())")
        #expect(!again.capture().contains("[modified]"))
        again.keys("q")
        try #require(again.waitFor("EXIT=0"), "\(again.capture())")
        #expect(again.capture().contains("the unsaved changes were kept aside as "))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/state/slcfg")) ?? []
        #expect(left.count == 1 && left[0].contains(".discarded-"), "\(left)")
        #expect(contents(file) == Array(wireless.utf8))
    }

    @Test("A second editor on a file being edited asks, and o opens it read-only")
    func lock() throws {
        let (first, dir, _) = fixture()
        first.start(["wireless.cfg"])
        try #require(first.waitFor("Custom CA Certificates"))
        let pid = try #require(first.slcfgPID())
        let second = Tmux(directory: dir)
        second.start(["wireless.cfg"], width: 200)
        try #require(second.waitFor("wireless.cfg is being edited by slcfg (pid \(pid) on this host) since"),
                     "\(second.capture())")
        #expect(second.capture().contains("(o)pen read-only (e)dit anyway (q)uit"))
        second.keys("o")
        try #require(second.waitFor("read-only: slcfg pid \(pid) on this host is editing it"), "\(second.capture())")
        second.keys("q")
        try #require(second.waitFor("EXIT=0"), "\(second.capture())")
        let list = Tmux(directory: dir)
        list.start(["recover", "--list"], width: 250)
        try #require(list.waitFor("EXIT=0"), "\(list.capture())")
        // Tab-separated: tmux shows the tabs as spaces.
        let listed = list.capture().split(separator: "\n").first { $0.contains("pid \(pid)") }.map(String.init) ?? ""
        #expect(listed.hasPrefix("\(dir.resolvingSymlinksInPath().path)/wireless.cfg"), "\(list.capture())")
        #expect(listed.contains("running") && listed.contains("0 changes"), "\(list.capture())")
        // A script's write goes ahead, with a word about the editor.
        let script = Tmux(directory: dir)
        script.start(["set", "wireless.cfg", "device.prov.user=x"], width: 250)
        try #require(script.waitFor("EXIT=0"), "\(script.capture())")
        #expect(script.capture().contains(
            "slcfg: warning: \(dir.resolvingSymlinksInPath().path)/wireless.cfg is being edited by slcfg (pid \(pid) on "
                + "this host); its save will find the file changed on disk"), "\(script.capture())")
        first.keys("q")
        try #require(first.waitFor("EXIT=0"), "\(first.capture())")
    }

    @Test("A provisioning set's unsaved member is recovered too")
    func recoverSet() throws {
        let (tmux, dir, file) = fixture(set: true)
        tmux.start(["."])
        try #require(tmux.waitFor("Custom CA Certificates"), "\(tmux.capture())")
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"), "\(tmux.capture())")
        kill(try #require(tmux.slcfgPID()), SIGHUP)
        try #require(tmux.waitFor("EXIT=129"), "\(tmux.capture())")
        let again = Tmux(directory: dir)
        again.start(["."])
        try #require(again.waitFor("has unsaved changes from a session that ended"), "\(again.capture())")
        again.keys("r")
        try #require(again.waitFor("recovered the unsaved changes"), "\(again.capture())")
        again.keys("s")
        try #require(again.waitFor("Review the changes"), "\(again.capture())")
        again.keys("y")
        try #require(again.waitFor("saved"), "\(again.capture())")
        #expect(contents(file) != Array(wireless.utf8))
        #expect(String(decoding: contents(file), as: UTF8.self).contains("customCaCert1.set=\"1\""))
    }

    /// Edits slot 1's `.set` flag in an editor on `arguments`, then ends it with `signal`.
    func editAndKill(_ tmux: Tmux, _ arguments: [String], signal: Int32 = SIGHUP) throws {
        tmux.start(arguments)
        try #require(tmux.waitFor("Custom CA Certificates"), "\(tmux.capture())")
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("[modified]"), "\(tmux.capture())")
        kill(try #require(tmux.slcfgPID()), signal)
        try #require(tmux.waitFor("EXIT="), "\(tmux.capture())")
    }

    @Test("v shows the unsaved changes against the disk, then asks again; q leaves everything as it was")
    func viewChanges() throws {
        let (tmux, dir, file) = fixture()
        try editAndKill(tmux, ["wireless.cfg"])
        let again = Tmux(directory: dir)
        again.start(["wireless.cfg"], width: 200)
        try #require(again.waitFor("(r)ecover (d)iscard (v)iew the changes (q)uit"), "\(again.capture())")
        again.keys("v")
        try #require(again.waitFor("customCaCert1.set=\"1\""), "\(again.capture())")
        let screen = again.capture()
        let lines = screen.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("+") && $0.contains("device.sec.tls.customCaCert1.set=\"1\"") },
                "the line as recovered: \(screen)")
        #expect(lines.contains { $0.hasPrefix("-") && $0.contains("device.sec.tls.customCaCert1.set=\"0\"") },
                "the line as on disk: \(screen)")
        #expect(screen.contains("@@"), "a unified diff: \(screen)")
        #expect(screen.components(separatedBy: "(r)ecover (d)iscard").count == 3, "asked again: \(screen)")
        again.keys("q")
        try #require(again.waitFor("EXIT=0"), "\(again.capture())")
        #expect(contents(file) == Array(wireless.utf8))
        let left = (try? FileManager.default.contentsOfDirectory(atPath: dir.path + "/state/slcfg")) ?? []
        #expect(left.count == 1 && left[0].hasSuffix(".journal"), "q keeps the journal for later: \(left)")
    }

    @Test("A journal whose file is gone: r opens the changes as a new file, and s saves it where it was")
    func fileGone() throws {
        let expected = try savedWithoutKill()
        let (tmux, dir, file) = fixture()
        try editAndKill(tmux, ["wireless.cfg"])
        try FileManager.default.removeItem(at: file)
        let again = Tmux(directory: dir)
        again.start(["wireless.cfg"], width: 200)
        try #require(again.waitFor("wireless.cfg no longer exists: r opens its unsaved changes as a new file"),
                     "\(again.capture())")
        again.keys("r")
        try #require(again.waitFor("recovered the unsaved changes"), "\(again.capture())")
        again.keys("s")
        try #require(again.waitFor("Create wireless.cfg? Review the changes"), "\(again.capture())")
        again.keys("y")
        try #require(again.waitFor("saved wireless.cfg"), "\(again.capture())")
        #expect(contents(file) == expected)
        again.keys("q")
        try #require(again.waitFor("EXIT=0"), "\(again.capture())")
    }

    @Test("A file being edited as a member of its set is locked too, named with the set")
    func lockThroughSet() throws {
        let (first, dir, _) = fixture(set: true)
        first.start(["."])
        try #require(first.waitFor("Custom CA Certificates"), "\(first.capture())")
        let pid = try #require(first.slcfgPID())
        let second = Tmux(directory: dir)
        second.start(["wireless.cfg"], width: 200)
        try #require(second.waitFor(
            "wireless.cfg (in the set of 000000000000.cfg) is being edited by slcfg (pid \(pid) on this host)"),
            "\(second.capture())")
        second.keys("o")
        try #require(second.waitFor("read-only: slcfg pid \(pid) on this host is editing it"), "\(second.capture())")
        second.keys("q")
        try #require(second.waitFor("EXIT=0"), "\(second.capture())")
        first.keys("q")
        try #require(first.waitFor("EXIT=0"), "\(first.capture())")
    }
}
