import Foundation
import Glibc
import Testing
import TestSupport

/// The fixture provisioning directory (Tests/Fixtures/prov, written by generate.py).
private let prov: URL = {
    var url = URL(fileURLWithPath: #filePath)
    url.deleteLastPathComponent()
    url.deleteLastPathComponent()
    return url.appendingPathComponent("Fixtures/prov")
}()

@Suite("A provisioning directory, read as the handset reads it")
struct ProvisioningSetTests {
    @Test("get --effective: the first file listed wins; --mac adds the handset's file and its overrides, which beat everything; --model uses CONFIG_FILES_MODEL")
    func effectiveValues() {
        let plain = slcfg(["get", ".", "device.wifi.ssid", "device.sec.TLS.customCaCert2", "device.prov.serverName"], in: prov)
        #expect(plain.status == 0)
        #expect(plain.stdout == "wireless.cfg:5:7\tExampleVoice\nsite.cfg:7:5\t\nsite.cfg:6:5\tprov.example.com\n")
        #expect(plain.stderr.contains("000000000000.cfg:3:106: error: missing.cfg is listed in CONFIG_FILES but does not exist"))
        let handset = slcfg(["get", ".", "device.wifi.ssid", "device.prov.serverName", "reg.1.label", "--mac", "00:04:F2:AB:CD:EF"], in: prov)
        #expect(handset.stdout == "overrides/0004f2abcdef-phone.cfg:3:14\tChangedOnHandset\n0004f2abcdef-user.cfg:4:11\tper-handset.example.com\noverrides/0004f2abcdef-web.cfg:3:50\tWeb label\n")
        let model = slcfg(["get", ".", "device.wifi.ssid", "--model", "SPECTRALINK84"], in: prov)
        #expect(model.stdout == "SPECTRALINK84-site.cfg:3:26\tModelVoice\n")
        let missing = slcfg(["get", ".", "no.such.name"], in: prov)
        #expect(missing.status == 1)
        #expect(missing.stderr.hasSuffix("slcfg: .: no file of the set has a parameter named no.such.name\n"))
    }

    @Test("A master file names the same set as its directory (get and params only with --effective)")
    func masterFile() {
        let byFile = slcfg(["get", "000000000000.cfg", "device.wifi.ssid", "--effective"], in: prov)
        #expect(byFile.stdout == "wireless.cfg:5:7\tExampleVoice\n")
        let elsewhere = slcfg(["get", prov.appendingPathComponent("000000000000.cfg").path, "device.wifi.ssid", "--effective"])
        #expect(elsewhere.stdout == "\(prov.path)/wireless.cfg:5:7\tExampleVoice\n")
        // Without --effective, get and params read a master file as the file it is.
        #expect(slcfg(["get", "000000000000.cfg", "CONFIG_FILES"], in: prov).stdout.hasPrefix("[PHONE_MAC_ADDRESS]-user.cfg, site.cfg"))
    }

    @Test("params --effective --json lists each parameter once, from the file that wins, with the occurrences it shadows")
    func paramsEffective() throws {
        let result = slcfg(["params", ".", "--effective", "--json"], in: prov)
        #expect(result.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let names = entries.map { $0["name"] as! String }
        #expect(Set(names.map { $0.lowercased() }).count == names.count)
        let slot = try #require(entries.first { $0["name"] as? String == "device.sec.TLS.customCaCert2" })
        #expect(slot["file"] as? String == "site.cfg" && slot["line"] as? Int == 7 && slot["value"] as? String == "")
        #expect(slot["shadows"] as? [String] == ["wireless.cfg:9:7"])
        let ssid = try #require(entries.first { $0["name"] as? String == "device.wifi.ssid" })
        #expect(ssid["file"] as? String == "wireless.cfg" && (ssid["shadows"] as? [String])?.isEmpty == true)
    }

    @Test("lint on the directory: missing-file, shadowed, set-flag-split and bootstrap-trust, each in its own file; exit 1")
    func lintSet() {
        let result = slcfg(["lint", ".", "--format", "gcc"], in: prov)
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { !$0.contains(": info: ") }
        #expect(lines == [
            "000000000000.cfg:3:106: error: missing.cfg is listed in CONFIG_FILES but does not exist in .: the handset fails to fetch it (and may stop provisioning) [missing-file]",
            "site.cfg:5:5: warning: provisioning uses HTTPS and Platform Profile 2 trusts only custom CAs (caCertList2 leaves out the built-in ones), but a handset learns those CAs only from these files, on this same server: a factory-fresh handset can never connect. Install the CA once by another route (the USB tool, the handset's web page, or a first pass over FTP), or use a server certificate from a CA the handset has built in [bootstrap-trust]",
            "site.cfg:7:5: warning: Platform CA 2 is empty but its .set is 1: pushing this file removes the CA certificate the handsets hold in Platform CA 2; set device.sec.TLS.customCaCert2.set to 0 to leave it alone, or import a CA [slot-empty-set]",
            "wireless.cfg:7:7: warning: device.sec.TLS.customCaCert1 comes from wireless.cfg with its .set at \"1\", but site.cfg:8 sets device.sec.TLS.customCaCert1.set=\"0\" and is read first: the handset ignores this value [set-flag-split]",
            "wireless.cfg:8:7: warning: device.sec.TLS.customCaCert1.set is set here to \"1\" but site.cfg:8 wins with \"0\" (listed first): this value never takes effect [shadowed]",
            "wireless.cfg:9:7: warning: Platform CA 1 and Platform CA 2 hold the same certificate ('Example Corp Root CA'): one slot is wasted; was the other CA replaced by a paste? [cert-duplicate]",
            "wireless.cfg:9:7: warning: device.sec.TLS.customCaCert2 is set here to \"\(String(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert2"], in: prov).stdout.prefix(37)))...\" but site.cfg:7 wins with \"\" (listed first): this value never takes effect [shadowed]",
            "wireless.cfg:13:7: warning: device.prov.serverType is set here to \"4\" but site.cfg:5 wins with \"3\" (listed first): this value never takes effect [shadowed]",
        ])
        #expect(result.stdout.contains("000000000000.cfg:3:119: info: site.cfg is listed twice in CONFIG_FILES; the handset reads it once, where it first appears [duplicate-file]"))
        #expect(result.stdout.contains("000000000000.cfg:3:52: info: [PHONE_MAC_ADDRESS]-user.cfg names a file per handset: skipped without --mac"))
    }

    @Test("lint --format json names the right file for each finding; --mac brings the overrides in")
    func lintJSON() throws {
        let result = slcfg(["lint", ".", "--format", "json", "--mac", "0004f2abcdef"], in: prov)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let shadowedSSIDs = entries.filter { $0["rule"] as? String == "shadowed" && $0["parameter"] as? String == "device.wifi.ssid" }
        #expect(shadowedSSIDs.map { $0["file"] as? String } == ["overrides/0004f2abcdef-web.cfg", "wireless.cfg"])
        #expect(!entries.contains { $0["rule"] as? String == "unresolved-file" })
    }

    @Test("A file that is not a master is linted as a file; a directory without a master is refused with what was looked for")
    func notASet() {
        let plain = slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: prov)
        #expect(!plain.stdout.contains("[shadowed]"))
        let dir = temporaryDirectory()
        let empty = slcfg(["get", dir.path, "device.set"])
        #expect(empty.status == 2)
        #expect(empty.stderr == "slcfg: \(dir.path): no master file (000000000000.cfg) in this directory\n")
    }

    @Test("show on the set: each value from the file that wins, with where it comes from and the copies it shadows")
    func showSet() throws {
        let result = slcfg(["show", "."], in: prov)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "000000000000.cfg: site.cfg, wireless.cfg (the first file listed wins)")
        #expect(lines.contains("!     Platform CA 2               (empty)                               applied  (site.cfg:7)"))
        #expect(lines.contains("        set in wireless.cfg:9 but site.cfg:7 wins (listed first)"))
        #expect(lines.contains { $0.hasPrefix("!     Platform CA 1               Example Corp Root CA, expires 2051-07-21  ignored (.set=0)  (wireless.cfg:7)") })
        #expect(lines.contains("      set in wireless.cfg:13 but site.cfg:5 wins (listed first)"))
        let json = slcfg(["show", ".", "--json", "--mac", "0004f2abcdef"], in: prov)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let slot = try #require(entries.first { $0["label"] as? String == "Platform CA 2" })
        #expect(slot["source"] as? String == "site.cfg:7:5" && slot["shadows"] as? [String] == ["wireless.cfg:9:7"])
        #expect(slot["status"] as? String == "applied")
    }

    /// A copy of the fixture directory to change.
    func copy() -> URL {
        let dir = temporaryDirectory().appendingPathComponent("prov")
        try! FileManager.default.copyItem(at: prov, to: dir)
        return dir
    }

    @Test("cert import on a set writes the slot where it takes effect: the value into the file that supplies it, the flag into the file whose flag wins; every other byte stays")
    func importIntoSet() throws {
        let dir = copy()
        let before = try FileManager.default.subpathsOfDirectory(atPath: dir.path).sorted().map { ($0, contents(dir.appendingPathComponent($0))) }
        let root = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("source/example-root.pem").path
        let base64 = String(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert1"], in: dir).stdout.dropLast())
        // Slot 2: site.cfg (read first) empties it, so the certificate goes there.
        let two = slcfg(["cert", "import", ".", "--slot", "2", root], in: dir)
        #expect(two.status == 0, "\(two.stderr)")
        #expect(two.stderr.contains("site.cfg: device.sec.TLS.customCaCert2: \"\" -> (\(base64.count) characters)"))
        // Slot 1: the value is in wireless.cfg, but site.cfg's .set="0" wins: that flag is set.
        let one = slcfg(["cert", "import", ".", "--slot", "1", root], in: dir)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stderr.contains("site.cfg: device.sec.TLS.customCaCert1.set: \"0\" -> \"1\""))
        for (path, bytes) in before {
            let now = contents(dir.appendingPathComponent(path))
            if path == "site.cfg" {
                let text = String(decoding: bytes, as: UTF8.self)
                    .replacingOccurrences(of: "device.sec.TLS.customCaCert2=\"\"", with: "device.sec.TLS.customCaCert2=\"\(base64)\"")
                    .replacingOccurrences(of: "device.sec.TLS.customCaCert1.set=\"0\"", with: "device.sec.TLS.customCaCert1.set=\"1\"")
                #expect(String(decoding: now, as: UTF8.self) == text)
            } else {
                #expect(now == bytes, "\(path) changed")
            }
        }
        let lint = slcfg(["lint", ".", "--format", "gcc"], in: dir)
        #expect(!lint.stdout.contains("[set-flag-split]"))
        #expect(slcfg(["get", ".", "device.sec.TLS.customCaCert2"], in: dir).stdout == "site.cfg:7:5\t\(base64)\n")
    }

    @Test("cert import on a set refuses -o, and writes nothing when a file it must change is read-only (mode 0444, even for root)")
    func importRefusals() {
        let dir = copy()
        let root = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("source/example-root.pem").path
        let o = slcfg(["cert", "import", ".", "--slot", "2", "-o", "x.cfg", root], in: dir)
        #expect(o.status == 64 && o.stderr.hasSuffix("slcfg: -o takes one file; a provisioning set writes each file where its change takes effect\n"))
        let site = dir.appendingPathComponent("site.cfg")
        let original = contents(site)
        chmod(site.path, 0o444)
        let result = slcfg(["cert", "import", ".", "--slot", "1", root], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasSuffix("slcfg: site.cfg is read-only (mode 0444): nothing was changed; make it writable (chmod u+w) if it should change\n"))
        #expect(contents(site) == original)
        #expect(contents(dir.appendingPathComponent("wireless.cfg")) == contents(prov.appendingPathComponent("wireless.cfg")))
    }

    @Test("The editor on a directory, in tmux: edits land where they take effect; a save with one file changed on disk by someone else asks about that file; reloaded, theirs is kept and the other file is saved",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
    func editorOnDirectory() throws {
        let dir = copy()
        let site = dir.appendingPathComponent("site.cfg"), wireless = dir.appendingPathComponent("wireless.cfg")
        let siteBefore = String(decoding: contents(site), as: UTF8.self)
        let tmux = Tmux(directory: dir)
        tmux.start(["."])
        try #require(tmux.waitFor("Custom CA Certificates"), "\(tmux.capture())")
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("device.sec.TLS.customCaCert1.set = \"1\" in site.cfg"), "\(tmux.capture())")
        tmux.keys("/", "Server User", "Enter", "Enter", "a", "Enter")
        try #require(tmux.waitFor("Which file takes entries"), "\(tmux.capture())")
        tmux.keys("Enter")
        try #require(tmux.waitFor("device.prov.user = \"a\" in wireless.cfg"), "\(tmux.capture())")
        // Someone else changes wireless.cfg meanwhile.
        let theirs = Array(("<!-- theirs -->\n" + String(decoding: contents(wireless), as: UTF8.self)).utf8)
        write(theirs, to: wireless)
        tmux.keys("s")
        try #require(tmux.waitFor("The file changed on disk: (o)verwrite (m)erge (r)eload (c)ancel"), "\(tmux.capture())")
        #expect(tmux.capture().contains("wireless.cfg is now"))
        tmux.keys("r")
        try #require(tmux.waitFor("reloaded wireless.cfg from disk; your edits were dropped"), "\(tmux.capture())")
        tmux.keys("s")
        try #require(tmux.waitFor("Review the changes"), "\(tmux.capture())")
        #expect(!tmux.capture().contains("wireless.cfg: device.prov.user"))
        tmux.keys("y")
        try #require(tmux.waitFor("saved site.cfg"), "\(tmux.capture())")
        #expect(String(decoding: contents(site), as: UTF8.self) == siteBefore.replacingOccurrences(of: "device.sec.TLS.customCaCert1.set=\"0\"", with: "device.sec.TLS.customCaCert1.set=\"1\""))
        #expect(contents(wireless) == theirs)
        for name in ["000000000000.cfg", "0004f2abcdef-user.cfg", "SPECTRALINK84-site.cfg", "overrides/0004f2abcdef-phone.cfg", "overrides/0004f2abcdef-web.cfg"] {
            #expect(contents(dir.appendingPathComponent(name)) == contents(prov.appendingPathComponent(name)), "\(name) changed")
        }
        tmux.keys("q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
    }
}

@Suite("One file and a set of one file are edited alike", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
struct SingleMemberSetTests {
    /// Runs the same keystrokes on `wireless.cfg` opened as `target` in `dir`, saves, and returns the bytes.
    private func edit(_ dir: URL, target: String) throws -> [UInt8] {
        let tmux = Tmux(directory: dir)
        tmux.start([target])
        try #require(tmux.waitFor("Custom CA Certificates"), "\(tmux.capture())")
        tmux.keys("Tab", "Space")
        try #require(tmux.waitFor("customCaCert1.set = \"0\""), "\(tmux.capture())")
        tmux.keys("/", "Server Name", "Enter", "Enter", "/x", "Enter")
        try #require(tmux.waitFor("device.prov.serverName = \"prov.example.com/8400/x\""), "\(tmux.capture())")
        tmux.keys("s")
        try #require(tmux.waitFor("Review the changes"), "\(tmux.capture())")
        tmux.keys("y")
        try #require(tmux.waitFor("saved"), "\(tmux.capture())")
        tmux.keys("q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
        return contents(dir.appendingPathComponent("wireless.cfg"))
    }

    @Test("The same keystrokes on wireless.cfg opened directly and on a directory whose master lists only it save byte-identical files")
    func sameBytes() throws {
        let fixture = contents(Samples.fixturesDirectory.appendingPathComponent("spectralink-wireless.cfg"))
        let alone = temporaryDirectory(), inSet = temporaryDirectory()
        write(fixture, to: alone.appendingPathComponent("wireless.cfg"))
        write(fixture, to: inSet.appendingPathComponent("wireless.cfg"))
        write(Array("<APPLICATION CONFIG_FILES=\"wireless.cfg\"/>\n".utf8), to: inSet.appendingPathComponent("000000000000.cfg"))
        let direct = try edit(alone, target: "wireless.cfg")
        let viaSet = try edit(inSet, target: ".")
        #expect(direct != fixture)
        #expect(direct == viaSet)
    }

    @Test("One file is a set with one member: show, get, params and lint say the same of wireless.cfg and of a directory whose master lists only it; cert import writes the same bytes")
    func oneFileIsASet() throws {
        // FTPS provisioning that trusts only Platform CA 1: bootstrap-trust.
        let fixture = Array(String(decoding: contents(prov.appendingPathComponent("wireless.cfg")), as: UTF8.self)
            .replacingOccurrences(of: "device.prov.serverType=\"4\"", with: "device.prov.serverType=\"4\" device.prov.serverType.set=\"1\" "
                + "device.sec.TLS.profile.caCertList1=\"Platform1\" device.sec.TLS.profile.caCertList1.set=\"1\"").utf8)
        let dir = temporaryDirectory()
        write(fixture, to: dir.appendingPathComponent("wireless.cfg"))
        write(Array("<APPLICATION CONFIG_FILES=\"wireless.cfg\"/>\n".utf8), to: dir.appendingPathComponent("000000000000.cfg"))
        let show = (slcfg(["show", "wireless.cfg", "--json"], in: dir), slcfg(["show", ".", "--json"], in: dir))
        #expect(show.0.status == 0 && show.1.status == 0)
        #expect(show.0.stdout == show.1.stdout)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(show.0.stdout.utf8)) as? [[String: Any]])
        let slot = try #require(entries.first { $0["label"] as? String == "Platform CA 1" })
        #expect(slot["source"] as? String == "wireless.cfg:7:7" && slot["shadows"] as? [String] == [])
        #expect(slot["set"] as? String == "1" && slot["status"] as? String == "applied")
        let names = ["device.wifi.ssid", "device.sec.TLS.customCaCert2.set", "device.prov.serverType"]
        let get = slcfg(["get", "wireless.cfg", "--effective"] + names, in: dir)
        #expect(get.stdout == slcfg(["get", "."] + names, in: dir).stdout)
        #expect(get.stdout == "wireless.cfg:5:7\tExampleVoice\nwireless.cfg:10:7\t1\nwireless.cfg:13:7\t4\n")
        #expect(slcfg(["params", "wireless.cfg", "--effective", "--json"], in: dir).stdout
                == slcfg(["params", ".", "--json"], in: dir).stdout)
        // The rule a set has for FTPS provisioning applies to one file as well.
        let lint = (slcfg(["lint", "wireless.cfg", "--format", "gcc"], in: dir), slcfg(["lint", ".", "--format", "gcc"], in: dir))
        #expect(lint.0.stdout == lint.1.stdout && lint.0.status == lint.1.status)
        #expect(lint.0.stdout.contains("[bootstrap-trust]"))
        let root = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("source/example-root.pem").path
        let alone = slcfg(["cert", "import", "wireless.cfg", "--slot", "2", "--for", "wlan", "-o", "alone.cfg", root], in: dir)
        #expect(alone.status == 0, "\(alone.stderr)")
        #expect(slcfg(["cert", "import", ".", "--slot", "2", "--for", "wlan", root], in: dir).status == 0)
        #expect(contents(dir.appendingPathComponent("wireless.cfg")) == contents(dir.appendingPathComponent("alone.cfg")))
        #expect(contents(dir.appendingPathComponent("wireless.cfg")) != fixture)
    }
}
