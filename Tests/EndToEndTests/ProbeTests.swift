import Foundation
import Testing
import TestSupport

private let haveServers = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
private let haveVsftpd = FileManager.default.isExecutableFile(atPath: "/usr/sbin/vsftpd")

/// A wireless.cfg whose provisioning server is `server` (HTTPS unless `type`), with the given
/// slots and settings (nil leaves a parameter out).
private func config(server: String, type: String = "3", slot1: String = "", set1: String = "1", slot2: String = "", set2: String = "0",
                    caList1: String? = nil, strict: String? = nil) -> String {
    var attributes = [
        "device.set=\"1\"", "device.prov.serverType=\"\(type)\"", "device.prov.serverType.set=\"1\"",
        "device.prov.serverName=\"\(server)\"", "device.prov.serverName.set=\"1\"",
        "device.sec.TLS.customCaCert1=\"\(slot1)\"", "device.sec.TLS.customCaCert1.set=\"\(set1)\"",
        "device.sec.TLS.customCaCert2=\"\(slot2)\"", "device.sec.TLS.customCaCert2.set=\"\(set2)\"",
    ]
    if let caList1 { attributes += ["device.sec.TLS.profile.caCertList1=\"\(caList1)\"", "device.sec.TLS.profile.caCertList1.set=\"1\""] }
    if let strict { attributes += ["device.sec.TLS.prov.strictCertCommonNameValidation=\"\(strict)\"", "device.sec.TLS.prov.strictCertCommonNameValidation.set=\"1\""] }
    return "<polycomConfig>\n  <device " + attributes.joined(separator: "\n    ") + "/>\n</polycomConfig>\n"
}

/// Probes `text` written as wireless.cfg in a fresh directory.
private func probe(_ text: String, _ extra: [String] = []) -> (status: Int32, stdout: String, stderr: String, dir: URL) {
    let dir = temporaryDirectory()
    write(Array(text.utf8), to: dir.appendingPathComponent("wireless.cfg"))
    let result = slcfg(["probe", "wireless.cfg"] + extra, in: dir)
    return (result.status, result.stdout, result.stderr, dir)
}

@Suite("probe against real servers on loopback", .enabled(if: haveServers), .serialized)
struct ProbeTests {
    let pki = ServerPKI.shared

    @Test("HTTPS, the chain sent without its root, the root in Platform CA 1: trusted, the chain as sent and the anchor named")
    func trustedViaSlot1() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem")))
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "provisioning https://localhost:\(server.port): trusted")
        #expect(lines.contains { $0.hasPrefix("    1. 'localhost', issued by 'Probe Test Intermediate', until ") })
        #expect(lines.contains { $0.hasPrefix("    2. 'Probe Test Intermediate', issued by 'Probe Test Root', until ") })
        #expect(lines.contains("  anchor: 'Probe Test Root'"))
        #expect(lines.contains("  info: the chain reaches 'Probe Test Root' in Platform CA 1 [chain]"))
        #expect(lines.contains("  info: 'localhost' matches the subjectAltName localhost [name]"))
        #expect(!lines.contains { $0.hasPrefix("  fix:") })
    }

    @Test("Not trusted with empty slots; cert import --from-server stores the root the server sends; then trusted")
    func importFromServer() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem", "root.pem"])
        let before = probe(config(server: "localhost:\(server.port)"))
        #expect(before.status == 1)
        #expect(before.stdout.contains("provisioning https://localhost:\(server.port): not trusted"))
        #expect(before.stdout.contains("  fix: slcfg cert import wireless.cfg --slot 1 --from-server https://localhost:\(server.port)\n"))
        let imported = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "--from-server", "https://localhost:\(server.port)"], in: before.dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.hasPrefix("The root 'Probe Test Root' came from https://localhost:\(server.port) itself.\n"))
        #expect(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert1"], in: before.dir).stdout == pki.base64("root.pem") + "\n")
        let after = slcfg(["probe", "wireless.cfg"], in: before.dir)
        #expect(after.status == 0 && after.stdout.hasPrefix("provisioning https://localhost:\(server.port): trusted\n"), "\(after.stdout)")
    }

    @Test("The root in a slot whose .set is 0 does not count: not trusted, the slot named, and the fix sets the flag")
    func setZero() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem"), set1: "0"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("  error: Platform CA 1 holds 'Probe Test Root', which anchors this chain, but it does not count: its .set is \"0\" [slot]\n"))
        #expect(result.stdout.contains("  fix: slcfg set wireless.cfg device.sec.TLS.customCaCert1.set=1\n"))
    }

    @Test("A CA list that leaves the slot out: not trusted, and the reason names the list")
    func caListExcludes() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)", slot2: pki.base64("root.pem"), set2: "1", caList1: "Platform1"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("  info: Provisioning uses Platform Profile 1; device.sec.TLS.profile.caCertList1 = \"Platform1\" [profile]\n"))
        #expect(result.stdout.contains("  error: Platform CA 2 holds 'Probe Test Root', which anchors this chain, but it does not count: device.sec.TLS.profile.caCertList1 = \"Platform1\" leaves it out [slot]\n"))
    }

    @Test("An expired server certificate: not trusted, with its date; a valid one judged --at a later date: the same")
    func expired() throws {
        let server = try ServerProcess.https(pki, certificate: "expired.pem", key: "expired.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem")))
        #expect(result.status == 1)
        #expect(result.stdout.contains("  error: 'localhost' expired on 2021-01-01 (judged at "))
        let valid = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let later = probe(config(server: "localhost:\(valid.port)", slot1: pki.base64("root.pem")), ["--at", "2040-01-01"])
        #expect(later.status == 1)
        #expect(later.stdout.contains("expired on") && later.stdout.contains("(judged at 2040-01-01) [validity]"))
    }

    @Test("A certificate for another name: not trusted with strict validation (the default), trusted with a warning when it is off")
    func wrongName() throws {
        let server = try ServerProcess.https(pki, certificate: "other.pem", key: "other.key", chain: ["int.pem"])
        let strict = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem")))
        #expect(strict.status == 1)
        #expect(strict.stdout.contains("  error: 'localhost' is not a name of the server's certificate (other.example); strict common-name validation is on [name]\n"))
        let lax = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem"), strict: "0"))
        #expect(lax.status == 0)
        #expect(lax.stdout.contains("  warning: 'localhost' is not a name of the server's certificate (other.example); accepted only because strict common-name validation is off [name]\n"))
    }

    @Test("A self-signed server certificate (CA:FALSE) pinned in a slot is its own anchor: trusted")
    func selfSigned() throws {
        let server = try ServerProcess.https(pki, certificate: "self.pem", key: "self.key", chain: [])
        let pinned = probe(config(server: "localhost:\(server.port)", slot2: pki.base64("self.pem"), set2: "1"))
        #expect(pinned.status == 0, "\(pinned.stdout)")
        #expect(pinned.stdout.contains("  info: the chain reaches 'localhost' in Platform CA 2 [chain]\n"))
        let empty = probe(config(server: "localhost:\(server.port)"))
        #expect(empty.stdout.contains("  fix: slcfg cert import wireless.cfg --slot 1 --from-server https://localhost:\(server.port)\n"))
    }

    @Test("A server that sends no root, which this machine does not know either: probe says to import the root itself, and --from-server refuses naming it")
    func missingRoot() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)"))
        #expect(result.status == 1)
        #expect(result.stdout.contains("  error: the server's chain ends at 'Probe Test Intermediate', issued by 'Probe Test Root' and leads to no certificate in an allowed slot; the server sends no root, so import the root 'Probe Test Root' itself [chain]\n"))
        #expect(result.stdout.contains("  fix: slcfg cert import wireless.cfg --slot 1 ROOT.pem   # 'Probe Test Root', from your CA: the server does not send it\n"))
        let refused = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "--from-server", "https://localhost:\(server.port)"], in: result.dir)
        #expect(refused.status == 1)
        #expect(refused.stderr == "slcfg: https://localhost:\(server.port) sends no root: its chain ends at 'Probe Test Intermediate', issued by 'Probe Test Root', which is not in this machine's trust store either; get 'Probe Test Root' from your CA and import it from a file, or pass --allow-non-root to pin 'Probe Test Intermediate'\n")
    }

    @Test("--json gives target, kind, verdict, the chain's facts, the anchor, the reasons and the fix")
    func json() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let result = probe(config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem")), ["--json"])
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.count == 1)
        let report = try #require(reports.first)
        #expect(Set(report.keys) == ["target", "kind", "verdict", "chain", "anchor", "reasons"])
        #expect(report["target"] as? String == "https://localhost:\(server.port)" && report["kind"] as? String == "provisioning" && report["verdict"] as? String == "trusted")
        #expect((report["chain"] as? [[String: Any]])?.compactMap { $0["subjectCommonName"] as? String } == ["localhost", "Probe Test Intermediate"])
        #expect((report["anchor"] as? [String: Any])?["subject"] as? String == "CN=Probe Test Root")
        #expect((report["reasons"] as? [[String: String]])?.map { $0["rule"] ?? "" } == ["profile", "chain", "name"])
    }

    @Test("FTPS from the file (serverType 4): explicit AUTH TLS with vsftpd, trusted; implicit FTPS with --provisioning ftps://", .enabled(if: haveVsftpd))
    func ftps() throws {
        let explicit = try ServerProcess.ftps(pki, implicit: false)
        let result = probe(config(server: "localhost:\(explicit.port)", type: "4", slot1: pki.base64("root.pem")))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("provisioning ftpes://localhost:\(explicit.port): trusted\n"))
        let implicit = try ServerProcess.ftps(pki, implicit: true)
        let direct = probe(config(server: "unused", type: "4", slot1: pki.base64("root.pem")), ["--provisioning", "ftps://localhost:\(implicit.port)"])
        #expect(direct.status == 0, "\(direct.stdout)\(direct.stderr)")
        #expect(direct.stdout.hasPrefix("provisioning ftps://localhost:\(implicit.port): trusted\n"))
    }

    @Test("No server, no TLS, bad input: one line each and exit 2 (or 0 with nothing to check)")
    func failures() throws {
        let port = ServerProcess.freePort()
        let refused = probe(config(server: "localhost:\(port)"))
        #expect(refused.status == 2)
        #expect(refused.stderr == "slcfg: provisioning: localhost:\(port): connection refused: nothing listens there\n")
        let plain = probe(config(server: "localhost", type: "0"))
        #expect(plain.status == 0 && plain.stdout == "nothing to check: device.prov.serverType is 0 (FTP): not TLS, so there is no provisioning certificate to check\n")
        let bad = probe(config(server: "localhost"), ["--provisioning", "gopher://x"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("slcfg: 'gopher://x': give https://host[:port], ftpes://host[:port] or ftps://host[:port]"))
    }
}
