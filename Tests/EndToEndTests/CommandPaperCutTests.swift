import Foundation
import Testing
import TestSupport

@Suite("Commands: locations, placement, refusals, wording")
struct CommandPaperCutTests {
    @Test("fix inserts a missing device.set where a person would (the busiest device element) and reports the flag's real line and column, not 1:1")
    func deviceSetLocation() {
        let dir = temporaryDirectory()
        let text = "<polycomConfig>\n  <device\n    device.prov.serverName=\"p.example.com\"\n    device.prov.serverName.set=\"1\"/>\n  <device.wifi.psk device.wifi.psk.key=\"k\" device.wifi.psk.key.set=\"1\"/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "w.cfg"], in: dir)
        #expect(result.stderr == "w.cfg:4:5: fixed [device-set]: set device.set=\"1\"\n")
        #expect(String(decoding: contents(dir.appendingPathComponent("w.cfg")), as: UTF8.self)
                == text.replacingOccurrences(of: "device.prov.serverName.set=\"1\"/>", with: "device.prov.serverName.set=\"1\"\n    device.set=\"1\"/>"))
    }

    @Test("set inserts a parameter without a close relative into the busiest device element, not into an unrelated one")
    func setPlacement() {
        let dir = temporaryDirectory()
        let text = "<polycomConfig>\n  <device device.set=\"1\"\n    device.prov.serverName=\"p\"\n    device.prov.serverName.set=\"1\"/>\n  <device.wifi.psk device.wifi.psk.key=\"k\"/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["set", "w.cfg", "device.sec.TLS.customCaCert1=abc"], in: dir)
        #expect(result.status == 0)
        #expect(String(decoding: contents(dir.appendingPathComponent("w.cfg")), as: UTF8.self)
                == text.replacingOccurrences(of: "device.prov.serverName.set=\"1\"/>", with: "device.prov.serverName.set=\"1\"\n    device.sec.TLS.customCaCert1=\"abc\"/>"))
    }

    @Test("fix applies 2,000 fixes and reports each at its place in the file as it was")
    func manyFixes() {
        let dir = temporaryDirectory()
        var typos = "<polycomConfig>\n"
        for i in 0..<2000 { typos += "  <e\(i) device.sec.tls.customCaCert1=\"\" device.set=\"1\"/>\n" }
        typos += "</polycomConfig>\n"
        write(Array(typos.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "--rule", "case-variant", "w.cfg"], in: dir)
        #expect(result.status == 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 2000)
        #expect(lines.first == "w.cfg:2:7: fixed [case-variant]: rename to device.sec.TLS.customCaCert1")
        #expect(lines.last == "w.cfg:2001:10: fixed [case-variant]: rename to device.sec.TLS.customCaCert1")
        #expect(String(decoding: contents(dir.appendingPathComponent("w.cfg")), as: UTF8.self)
                == typos.replacingOccurrences(of: "device.sec.tls.", with: "device.sec.TLS."))
    }

    @Test("lint on one line of 20,000 elements reports each finding at its own column")
    func oneLine() {
        let dir = temporaryDirectory()
        let text = "<r>" + (0..<20_000).map { _ in "<e device.sec.TLS.cusomCaCert2.set=\"0\"/>" }.joined() + "</r>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["lint", "--format", "gcc", "w.cfg"], in: dir)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 20_000 + 1)   // and one duplicate finding
        #expect(lines.contains { $0.hasPrefix("w.cfg:1:7: warning: device.sec.TLS.cusomCaCert2.set is not a parameter") })
        #expect(lines.contains { $0.hasPrefix("w.cfg:1:\(3 + 19_999 * 40 + 4): warning: device.sec.TLS.cusomCaCert2.set is not a parameter") })
    }

    @Test("cert inspect on a file holding only a private key exits 2 (bad input) saying no certificate was found")
    func inspectKeyOnly() {
        let dir = temporaryDirectory()
        write(Array(TestPKI.shared.leaf.keyPEM.utf8), to: dir.appendingPathComponent("k.pem"))
        let result = slcfg(["cert", "inspect", "k.pem"], in: dir)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("slcfg: k.pem: no certificate found, only a private key ("))
    }

    @Test("Usage names -o's value <out>; a diff of an absolute path reads a/tmp/..., not a//tmp/...")
    func wording() {
        #expect(slcfg(["set", "--help"]).stdout.contains("[-o <out>]"))
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("<r device.set=\"0\"/>\n".utf8), to: file)
        let result = slcfg(["set", file.path, "device.set=1", "--dry-run"])
        #expect(result.stdout.hasPrefix("--- a\(file.path)\n+++ b\(file.path)\n"))
        #expect(!result.stdout.contains("a//"))
    }
}

@Suite("A value whose closing quote is missing stops an edit")
struct UnterminatedValueTests {
    @Test("set on a value that runs into the next element: an error at its line and column, the file unchanged")
    func refused() {
        let dir = temporaryDirectory()
        let text = "<polycomConfig>\n  <a x=\"1\n  <device device.prov.user=\"u\"/>\n  <b y=\"2\"/>\n</polycomConfig>\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["set", "w.cfg", "x=5"], in: dir)
        #expect(result.status != 0)
        #expect(
            result.stderr.hasSuffix(
                "slcfg: w.cfg: cannot set x: the value of x at line 2, column 6 runs on into the markup after it "
                    + "(its closing quote is missing): close it first; nothing was changed\n"), "\(result.stderr)")
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(text.utf8))
        #expect(slcfg(["set", "w.cfg", "y=3"], in: dir).status == 0)
    }
}

@Suite("-o: standard output, and never an unrelated file without a word")
struct OutputTargetTests {
    @Test("-o - writes the result to standard output and creates no file named -")
    func dashIsStdout() {
        let dir = temporaryDirectory()
        write(Array("<r a=\"1\"/>\n".utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["set", "w.cfg", "-o", "-", "a=2"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "<r a=\"2\"/>\n")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("-").path))
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array("<r a=\"1\"/>\n".utf8))
    }

    @Test("-o onto an existing file that is not the input: refused without a terminal; --force replaces it; the input itself is fine")
    func existingOutput() {
        let dir = temporaryDirectory()
        write(Array("<r a=\"1\"/>\n".utf8), to: dir.appendingPathComponent("w.cfg"))
        write(Array("precious\n".utf8), to: dir.appendingPathComponent("other.cfg"))
        let refused = slcfg(["set", "w.cfg", "-o", "other.cfg", "a=2"], in: dir)
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("slcfg: other.cfg exists (9 bytes, modified "))
        #expect(refused.stderr.hasSuffix(") and is not the input: not replaced; --force replaces it\n"))
        #expect(contents(dir.appendingPathComponent("other.cfg")) == Array("precious\n".utf8))
        #expect(slcfg(["set", "w.cfg", "--force", "-o", "other.cfg", "a=2"], in: dir).status == 0)
        #expect(contents(dir.appendingPathComponent("other.cfg")) == Array("<r a=\"2\"/>\n".utf8))
        #expect(slcfg(["set", "w.cfg", "-o", "w.cfg", "a=3"], in: dir).status == 0)
    }
}
