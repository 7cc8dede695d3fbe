import Foundation
import Testing
import TestSupport

private let sample = "<polycomConfig>\n  <device device.set=\"0\">\n    <WPA2Enterprise.PEAP\n      device.prov.serverName=\"p.example.com\"\n      device.prov.serverName.set=\"1\"\n      device.sec.TLS.cusomCaCert2.set=\"0\"\n      device.prov.password=\"s3cret-Pa55\"\n      device.prov.password.set=\"1\"\n    />\n  </device>\n</polycomConfig>\n"

private func fixture(_ text: String = sample) -> (URL, URL) {
    let dir = temporaryDirectory()
    let file = dir.appendingPathComponent("wireless.cfg")
    write(Array(text.utf8), to: file)
    return (dir, file)
}

@Suite("lint, fix and show commands")
struct LintCommandTests {
    @Test("lint --format gcc prints FILE:LINE:COL: severity: message [rule], exit 0 without errors")
    func gcc() {
        let (dir, _) = fixture()
        let result = slcfg(["lint", "--format", "gcc", "wireless.cfg"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == """
        wireless.cfg:2:11: warning: device.set is "0": the handset ignores every device.* parameter, even those whose .set is 1; set device.set="1" [device-set]
        wireless.cfg:6:7: warning: device.sec.TLS.cusomCaCert2.set is not a parameter the handset knows, so it is ignored; did you mean device.sec.TLS.customCaCert2.set? [near-miss]

        """)
    }

    @Test("--strict fails on warnings; errors fail always; an unreadable file exits 2")
    func exitCodes() {
        let (dir, _) = fixture()
        #expect(slcfg(["lint", "--strict", "wireless.cfg"], in: dir).status == 1)
        write(Array("<r device.sec.TLS.profileSelection.dot1x=\"x\"/>".utf8), to: dir.appendingPathComponent("bad.cfg"))
        #expect(slcfg(["lint", "bad.cfg"], in: dir).status == 1)
        let missing = slcfg(["lint", "wireless.cfg", "missing.cfg"], in: dir)
        #expect(missing.status == 2)
        #expect(missing.stderr == "slcfg: missing.cfg: cannot open: No such file or directory; check the path\n")
    }

    @Test("lint --format json has file, line, column, severity, rule, parameter, message and fix")
    func json() throws {
        let (dir, _) = fixture()
        let result = slcfg(["lint", "--format", "json", "wireless.cfg"], in: dir)
        let findings = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(findings.count == 2)
        #expect(Set(findings[1].keys) == ["file", "line", "column", "severity", "rule", "parameter", "message", "fix", "fixNeedsPerson"])
        #expect(findings[1]["fix"] as? String == "rename to device.sec.TLS.customCaCert2.set")
        #expect(findings[1]["line"] as? Int == 6 && findings[1]["column"] as? Int == 7)
    }

    @Test("lint text output is grouped by file, uncoloured when not a terminal")
    func text() {
        let (dir, _) = fixture()
        let result = slcfg(["lint", "wireless.cfg"], in: dir)
        #expect(result.stdout.hasPrefix("wireless.cfg\n  2:11  warning  device.set is \"0\""))
        #expect(result.stdout.hasSuffix("  0 errors, 2 warnings, 0 info\n"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test("fix applies the fixes of errors and warnings and says what it fixed")
    func fix() {
        let (dir, file) = fixture()
        let result = slcfg(["fix", "wireless.cfg"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == "wireless.cfg:2:11: fixed [device-set]: set device.set=\"1\"\nwireless.cfg:6:7: fixed [near-miss]: rename to device.sec.TLS.customCaCert2.set\n")
        #expect(String(decoding: contents(file), as: UTF8.self) == sample
            .replacingOccurrences(of: "device.set=\"0\"", with: "device.set=\"1\"")
            .replacingOccurrences(of: "cusomCaCert2", with: "customCaCert2"))
    }

    @Test("fix removes the later duplicates of several names at once, and puts each .set flag after the occurrence the handset reads")
    func fixDuplicatesTogether() {
        let text = "<polycomConfig device.set=\"1\">\n"
            + (0..<3).map { _ in "  <a device.prov.user=\"u\" device.wifi.ssid=\"s\"/>\n" }.joined()
            + "  <b device.prov.serverName=\"p\" device.prov.serverName=\"p\"/>\n</polycomConfig>\n"
        let (dir, file) = fixture(text)
        let result = slcfg(["fix", "wireless.cfg"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr == """
            wireless.cfg:2:6: fixed [set-flag]: set device.prov.user.set="1"
            wireless.cfg:2:27: fixed [set-flag]: set device.wifi.ssid.set="1"
            wireless.cfg:3:6: fixed [duplicate]: remove the 2 later duplicates (same value)
            wireless.cfg:3:27: fixed [duplicate]: remove the 2 later duplicates (same value)
            wireless.cfg:5:6: fixed [set-flag]: set device.prov.serverName.set="1"
            wireless.cfg:5:33: fixed [duplicate]: remove the 1 later duplicate (same value)

            """)
        #expect(String(decoding: contents(file), as: UTF8.self) == """
            <polycomConfig device.set="1">
              <a device.prov.user="u" device.prov.user.set="1" device.wifi.ssid="s" device.wifi.ssid.set="1"/>
              <a/>
              <a/>
              <b device.prov.serverName="p" device.prov.serverName.set="1"/>
            </polycomConfig>

            """)
    }

    @Test("fix --rule limits the fixes to the rules named, info rules included")
    func fixRule() {
        let (dir, file) = fixture("<r device.sec.tls.customCaCert1=\"\" device.set=\"0\" device.prov.user=\"x\" device.prov.user.set=\"1\"/>")
        let result = slcfg(["fix", "--rule", "case-variant", "--dry-run", "wireless.cfg"], in: dir)
        #expect(result.stdout == "--- a/wireless.cfg\n+++ b/wireless.cfg\n@@ -1 +1 @@\n-<r device.sec.tls.customCaCert1=\"\" device.set=\"0\" device.prov.user=\"x\" device.prov.user.set=\"1\"/>\n\\ No newline at end of file\n+<r device.sec.TLS.customCaCert1=\"\" device.set=\"0\" device.prov.user=\"x\" device.prov.user.set=\"1\"/>\n\\ No newline at end of file\n")
        #expect(String(decoding: contents(file), as: UTF8.self).contains("device.sec.tls"))
    }

    @Test("show prints the menus with values, .set state and lint marks; secrets masked unless asked")
    func show() {
        let (dir, _) = fixture()
        let result = slcfg(["show", "wireless.cfg"], in: dir)
        #expect(result.status == 0)
        let lines = result.stdout.components(separatedBy: "\n")
        #expect(lines[0] == "wireless.cfg: Settings › Advanced Settings › Administration Settings › TLS Security")
        #expect(lines.contains { $0.hasPrefix("      Platform CA 1 ") && $0.hasSuffix("not in file") })
        #expect(lines.contains { $0.contains("Server Name") && $0.contains("p.example.com") && $0.hasSuffix("ignored (device.set≠1)") })
        #expect(lines.contains { $0.contains("Server Password") && $0.contains("********") })
        #expect(!result.stdout.contains("s3cret-Pa55"))
        #expect(slcfg(["show", "--show-secrets", "wireless.cfg"], in: dir).stdout.contains("s3cret-Pa55"))
    }

    @Test("show --json lists every entry with label, value, set, applied and findings")
    func showJSON() throws {
        let (dir, _) = fixture()
        let result = slcfg(["show", "--json", "wireless.cfg"], in: dir)
        let entries = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        let server = try #require(entries.first { $0["label"] as? String == "Server Name" })
        #expect(server["value"] as? String == "p.example.com")
        #expect(server["set"] as? String == "1")
        #expect(server["applied"] as? Bool == false)
        #expect(entries.first { $0["label"] as? String == "TLS Security" }?["depth"] as? Int == 0)
    }
}
