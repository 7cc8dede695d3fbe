import Foundation
import Glibc
import Testing
import TestSupport

@Suite("Nothing lost, nothing leaked")
struct ReliabilityTests {
    @Test("Secrets are masked in --dry-run diffs unless --show-secrets; get and params print them")
    func secretsInDiffs() {
        let dir = temporaryDirectory()
        let text = "<r device.prov.password=\"old-Secret1\" device.wifi.wpa2Ent.password=\"Wifi-Pass\" device.prov.user=\"u\"/>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("s.cfg"))
        let masked = slcfg(["set", "s.cfg", "device.prov.password=n3w-Secret", "device.prov.user=admin", "--dry-run"], in: dir)
        #expect(masked.stdout == "--- a/s.cfg\n+++ b/s.cfg\n@@ -1 +1 @@\n-<r device.prov.password=\"********\" device.wifi.wpa2Ent.password=\"********\" device.prov.user=\"u\"/>\n+<r device.prov.password=\"********(changed)\" device.wifi.wpa2Ent.password=\"********\" device.prov.user=\"admin\"/>\n")
        #expect(!masked.stderr.contains("Secret") && !masked.stderr.contains("Wifi-Pass"))
        let shown = slcfg(["set", "s.cfg", "device.prov.password=n3w-Secret", "--dry-run", "--show-secrets"], in: dir)
        #expect(shown.stdout.contains("+<r device.prov.password=\"n3w-Secret\""))
        #expect(slcfg(["get", "s.cfg", "device.prov.password"], in: dir).stdout == "old-Secret1\n")
        #expect(slcfg(["params", "s.cfg"], in: dir).stdout.contains("\tdevice.wifi.wpa2Ent.password\tWifi-Pass\n"))
        let fix = slcfg(["fix", "s.cfg", "--dry-run"], in: dir)
        #expect(!fix.stdout.contains("old-Secret1") && !fix.stderr.contains("old-Secret1"))
        let lint = slcfg(["lint", "s.cfg", "--format", "json"], in: dir)
        #expect(!lint.stdout.contains("old-Secret1") && !lint.stdout.contains("Wifi-Pass"))
    }

    @Test("Secrets are masked by what they are: a key in any parameter, a UC private key, a misspelled password, the PAC data; show, its JSON, lint, fix --dry-run")
    func secretsByContent() throws {
        let dir = temporaryDirectory()
        let keyPEM = TestPKI.shared.root.keyPEM
        let keyBase64 = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let secrets = ["Pa55-typo", "Auth-typo", "PAC-opaque", keyBase64]
        let text = "<polycomConfig>\n  <device device.set=\"1\" device.prov.pasword=\"Pa55-typo\" "
            + "device.pacfile.data=\"PAC-opaque\" device.sec.TLS.customDeviceCert1.publicCert=\"\(keyPEM)\"/>\n"
            + "  <reg reg.1.auth.passwrd=\"Auth-typo\" sec.TLS.customDeviceKey.1=\"\(keyBase64)\"/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("s.cfg"))
        let keyLines = keyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init)
        for arguments in [["show", "s.cfg"], ["show", "s.cfg", "--json"], ["lint", "s.cfg"], ["lint", "s.cfg", "--format", "json"],
                          ["fix", "s.cfg", "--dry-run"], ["set", "s.cfg", "device.prov.user=x", "--dry-run"]] {
            let result = slcfg(arguments, in: dir)
            for secret in secrets + keyLines {
                #expect(!result.stdout.contains(secret) && !result.stderr.contains(secret), "\(arguments) shows \(secret.prefix(12))")
            }
        }
        #expect(slcfg(["show", "s.cfg"], in: dir).stdout.contains("sec.TLS.customDeviceKey.1 = ********"))
        #expect(slcfg(["show", "s.cfg", "--show-secrets"], in: dir).stdout.contains("reg.1.auth.passwrd = Auth-typo"))
    }

    @Test("Hostile sizes work or are refused with a message: a 10 MB line, 100,000 attributes, 10,000 levels work; 100,000 levels are refused")
    func sizes() {
        let dir = temporaryDirectory()
        let longLine = "<r a=\"" + String(repeating: "x", count: 10_000_000) + "\" b=\"2\"/>"
        write(Array(longLine.utf8), to: dir.appendingPathComponent("line.cfg"))
        #expect(slcfg(["get", "line.cfg", "b"], in: dir).stdout == "2\n")
        var attributes = "<r"
        for i in 0..<100_000 { attributes += " p\(i)=\"\(i)\"" }
        attributes += "/>"
        write(Array(attributes.utf8), to: dir.appendingPathComponent("attrs.cfg"))
        let set = slcfg(["set", "attrs.cfg", "p99999=x", "p.new=1"], in: dir)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(slcfg(["get", "attrs.cfg", "p99999", "p.new", "p0"], in: dir).stdout == "x\n1\n0\n")
        func deep(_ levels: Int) -> [UInt8] {
            Array((String(repeating: "<e>", count: levels - 1) + "<leaf device.set=\"1\"/>"
                + String(repeating: "</e>", count: levels - 1)).utf8)
        }
        write(deep(10_000), to: dir.appendingPathComponent("deep.cfg"))
        let params = slcfg(["params", "deep.cfg"], in: dir)
        #expect(params.status == 0)
        #expect(params.stdout.hasSuffix("/e/e/leaf\tdevice.set\t1\n"))
        #expect(slcfg(["lint", "deep.cfg", "--format", "gcc"], in: dir).status == 0)
        write(deep(100_000), to: dir.appendingPathComponent("deeper.cfg"))
        let refused = slcfg(["params", "deeper.cfg"], in: dir)
        #expect(refused.status == 2 && refused.stderr.hasSuffix("levels, far more than any configuration file has\n"))
    }

    @Test("A file larger than slcfg reads is refused with its size, before reading it")
    func tooLarge() throws {
        let dir = temporaryDirectory()
        let path = dir.appendingPathComponent("huge.cfg").path
        let fd = open(path, O_CREAT | O_WRONLY, 0o644)
        #expect(ftruncate(fd, 1_700_000_000) == 0)   // sparse: no disk used
        close(fd)
        let result = slcfg(["get", "huge.cfg", "x"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "slcfg: huge.cfg: is 1621 MB; slcfg reads configuration files up to 1536 MB\n")
    }

    @Test("A billion-laughs file is plain text: no entity is expanded")
    func billionLaughs() {
        let dir = temporaryDirectory()
        var dtd = "<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
        for i in 1...9 { dtd += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1 == 0 ? "" : String(i - 1));", count: 10) + "\">" }
        let text = dtd + "]>\n<r a=\"&lol9;\"/>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("lol.cfg"))
        let result = slcfg(["get", "lol.cfg", "a"], in: dir)
        #expect(result.stdout == "&lol9;\n")
    }

    @Test("SIGKILL in the middle of saves leaves the old or the new file, never a mix; the next save removes the leftover")
    func killDuringSave() throws {
        let dir = temporaryDirectory()
        var text = "<polycomConfig>\n<device device.set=\"1\"\n"
        for i in 0..<60_000 { text += "  p.\(i)=\"value \(i)\"\n" }
        text += "/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("big.cfg"))
        let versions = ["A", "B"].map { v in text.replacingOccurrences(of: "p.59999=\"value 59999\"", with: "p.59999=\"\(v)\"") }
        for round in 0..<12 {
            var pid: pid_t = 0
            let args = [slcfgPath, "set", dir.appendingPathComponent("big.cfg").path, "p.59999=\(round % 2 == 0 ? "A" : "B")"]
            let cArgs = args.map { strdup($0) } + [nil]
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            #expect(posix_spawn(&pid, slcfgPath, &actions, nil, cArgs, environ) == 0)
            usleep(UInt32(5_000 + round * 9_000))
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            cArgs.forEach { free($0) }
            posix_spawn_file_actions_destroy(&actions)
            let now = String(decoding: contents(dir.appendingPathComponent("big.cfg")), as: UTF8.self)
            #expect(now == text || versions.contains(now), "round \(round): the file is neither the old nor a new version")
        }
        // Whether a kill hit the write window depends on timing: plant a leftover of a dead process too.
        write(Array("half-written".utf8), to: dir.appendingPathComponent(".big.cfg.slcfg-4194305-7.tmp"))
        let finish = slcfg(["set", "big.cfg", "p.0=done"], in: dir)
        #expect(finish.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["big.cfg"])
    }

    @Test("Two scripts running set, fix and cert import on one file at once: every change of each lands, every run exits 0")
    func noLostUpdate() throws {
        let dir = temporaryDirectory()
        write(Array("<polycomConfig>\n  <device device.set=\"1\"/>\n</polycomConfig>\n".utf8), to: dir.appendingPathComponent("w.cfg"))
        let root = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("source/example-root.pem").path
        // Each run adds a name of its own: a run that read before another wrote would drop that one's name.
        func loop(_ tag: String, _ extra: String) -> String {
            "for i in $(seq 1 25); do '\(slcfgPath)' set w.cfg device.\(tag)$i=1 2>>errors || echo \(tag)$i >> failed; "
                + "\(extra) done"
        }
        let script = "(\(loop("a", "")) ) & (\(loop("b", "'\(slcfgPath)' cert import w.cfg --slot 2 '\(root)' 2>/dev/null || echo c >> failed;")) ) & "
            + "(for i in $(seq 1 10); do '\(slcfgPath)' fix w.cfg 2>/dev/null >/dev/null; done) & wait"
        let result = run("/bin/bash", ["-c", script], in: dir)
        #expect(result.status == 0)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("failed").path),
                "\(String(decoding: contents(dir.appendingPathComponent("errors")), as: UTF8.self))")
        let names = (1...25).flatMap { ["device.a\($0)", "device.b\($0)"] }
        let got = slcfg(["get", "w.cfg"] + names, in: dir)
        #expect(got.status == 0, "lost: \(got.stderr)")
        #expect(got.stdout == String(repeating: "1\n", count: 50))
        #expect(slcfg(["get", "w.cfg", "device.sec.TLS.customCaCert2.set"], in: dir).stdout == "1\n")
    }

    @Test("Writes never break XML: set refuses a control character, fix offers no rename onto a name the tag has, lint calls raw controls and bytes that are not UTF-8 errors")
    func writesKeepXML() throws {
        let dir = temporaryDirectory()
        let text = "<polycomConfig>\n  <device device.set=\"1\" device.WIFI.SSID=\"A\" device.wifi.ssid=\"B\" x=\"caf\u{E9}\"/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let set = slcfg(["set", "w.cfg", "device.prov.user=a\u{1B}[2Jb"], in: dir)
        #expect(set.status == 2)
        #expect(set.stderr == "slcfg: w.cfg: cannot set device.prov.user: the value for device.prov.user holds the control character 0x1B, "
                + "which an XML file cannot hold, raw or as &#...; (only tab, line feed and carriage return can be): remove it; "
                + "nothing was changed\n")
        let fix = slcfg(["fix", "w.cfg", "--rule", "case-variant"], in: dir)
        #expect(fix.status == 0 && fix.stderr.contains("nothing to fix"), "\(fix.stderr)")
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(text.utf8))
        // Latin-1 bytes in a file that declares no encoding (so UTF-8), and a raw ESC.
        var bytes = Array(text.utf8)
        bytes.replaceSubrange(bytes.firstIndex(of: 0xC3)!..<(bytes.firstIndex(of: 0xC3)! + 2), with: [0xE9])
        bytes.insert(0x1B, at: bytes.firstIndex(of: UInt8(ascii: "A"))!)
        write(bytes, to: dir.appendingPathComponent("latin.cfg"))
        let lint = slcfg(["lint", "--format", "gcc", "latin.cfg"], in: dir)
        #expect(lint.status == 1)
        let errors = lint.stdout.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors.map { $0.split(separator: " ").first! } == ["latin.cfg:2:26:", "latin.cfg:2:75:"])
        #expect(errors.map { $0.hasSuffix("[control-char]") || $0.hasSuffix("[encoding]") } == [true, true])
    }

    @Test("A save keeps the file's extended attributes and its ACL; a file with two hard links is refused, --in-place writes through them")
    func metadataKept() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg").path
        write(Array("<polycomConfig>\n  <device device.set=\"1\"/>\n</polycomConfig>\n".utf8), to: URL(fileURLWithPath: file))
        // user.owner, and an ACL (version 2: owner rw, user 12345 r, group r, mask r, other none) as setfacl writes it.
        let acl: [UInt8] = [2, 0, 0, 0, 1, 0, 6, 0, 255, 255, 255, 255, 2, 0, 4, 0, 0x39, 0x30, 0, 0, 4, 0, 4, 0,
                            255, 255, 255, 255, 0x10, 0, 4, 0, 255, 255, 255, 255, 0x20, 0, 0, 0, 255, 255, 255, 255]
        let script = """
            import os, sys
            os.setxattr(sys.argv[1], 'user.owner', b'admin')
            try: os.setxattr(sys.argv[1], 'system.posix_acl_access', bytes(\(acl)))
            except OSError: print('no-acl')
            """
        let setUp = run("/usr/bin/python3", ["-c", script, file])
        #expect(setUp.status == 0, "\(setUp.stderr)")
        let hasACL = !setUp.stdout.contains("no-acl")
        #expect(slcfg(["set", "w.cfg", "device.a=1"], in: dir).status == 0)
        let after = run("/usr/bin/python3", ["-c", """
            import os, sys
            print(os.getxattr(sys.argv[1], 'user.owner'))
            print(list(os.getxattr(sys.argv[1], 'system.posix_acl_access')) if \(hasACL ? "True" : "False") else 'none')
            """, file])
        #expect(after.stdout == "b'admin'\n\(hasACL ? "\(acl)" : "none")\n", "\(after.stderr)")
        #expect(link(file, dir.appendingPathComponent("other.cfg").path) == 0)
        let before = contents(URL(fileURLWithPath: file))
        let refused = slcfg(["set", "w.cfg", "device.b=1"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr == "slcfg: w.cfg: has 2 hard links: replacing it would leave the other names with the old contents; "
                + "nothing was written (--in-place writes through the links, but not atomically)\n")
        #expect(contents(URL(fileURLWithPath: file)) == before)
        #expect(slcfg(["set", "w.cfg", "device.b=1", "--in-place"], in: dir).status == 0)
        #expect(slcfg(["get", "other.cfg", "device.b"], in: dir).stdout == "1\n")
    }

    @Test("The real race, 24 times: while set works on a 6 MB file, its name is swapped for a link to a private file; that file never changes")
    func symlinkRaceRepeated() throws {
        let dir = temporaryDirectory()
        var text = "<polycomConfig>\n<device device.set=\"1\"\n"
        for i in 0..<120_000 { text += "  p.\(i)=\"v\"\n" }
        text += "/>\n</polycomConfig>\n"
        let victim = dir.appendingPathComponent("victim").path
        var refused = 0
        for round in 0..<24 {
            write(Array("secret \(round)\n".utf8), to: URL(fileURLWithPath: victim))
            chmod(victim, 0o600)
            let cfg = dir.appendingPathComponent("w.cfg").path
            unlink(cfg)
            write(Array(text.utf8), to: URL(fileURLWithPath: cfg))
            var pid: pid_t = 0
            let args = [slcfgPath, "set", cfg, "device.prov.user=attacker"]
            let cArgs = args.map { strdup($0) } + [nil]
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            #expect(posix_spawn(&pid, slcfgPath, &actions, nil, cArgs, environ) == 0)
            usleep(UInt32(round * 12_000))
            // The attacker's swap: a link to the victim renamed over the name, atomically.
            let link = dir.appendingPathComponent("w.lnk").path
            unlink(link)
            symlink(victim, link)
            rename(link, cfg)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            cArgs.forEach { free($0) }
            posix_spawn_file_actions_destroy(&actions)
            if status != 0 { refused += 1 }
            #expect(String(decoding: contents(URL(fileURLWithPath: victim)), as: UTF8.self) == "secret \(round)\n",
                    "round \(round): the victim was written")
        }
        // Some swaps come while set works (refused), some after it finished (nothing to protect).
        print("symlink race: \(refused) of 24 saves refused")
    }

    @Test("The temporary file is never wider than the original's mode")
    func temporaryMode() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("<r device.prov.password=\"x\"/>".utf8), to: file)
        chmod(file.path, 0o600)
        #expect(slcfg(["set", "w.cfg", "device.prov.password=y"], in: dir).status == 0)
        var st = stat()
        stat(file.path, &st)
        #expect(st.st_mode & 0o777 == 0o600)
    }
}
