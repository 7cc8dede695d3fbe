import Foundation
import Testing
import TestSupport

private let haveServers = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
private let haveVsftpd = FileManager.default.isExecutableFile(atPath: "/usr/sbin/vsftpd")

/// A wireless.cfg whose provisioning server is `server` (HTTPS unless `type`), with the given
/// slots and settings (nil leaves a parameter out).
private func config(server: String, type: String = "3", slot1: String = "", set1: String = "1", slot2: String = "", set2: String = "0",
                    caList1: String? = nil, strict: String? = nil, deviceSet: String = "1") -> String {
    var attributes = [
        "device.set=\"\(deviceSet)\"", "device.prov.serverType=\"\(type)\"", "device.prov.serverType.set=\"1\"",
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

    @Test("--verbose says on stderr how long the connection, the handshake and the decision took; stdout is the same")
    func verboseTimings() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let text = config(server: "localhost:\(server.port)", slot1: pki.base64("root.pem"))
        let plain = probe(text)
        let verbose = probe(text, ["--verbose"])
        #expect(verbose.status == 0 && verbose.stdout == plain.stdout)
        let pattern = /slcfg: provisioning https:\/\/localhost:\d+: connect [0-9.]+ ms, TLS handshake [0-9.]+ ms, decision [0-9.]+ ms\n/
        #expect(verbose.stderr.wholeMatch(of: pattern) != nil, "\(verbose.stderr)")
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

    @Test("device.set 0 with the root in slot 2 (.set 1): the reason is device.set, the fix sets it, and then trusted")
    func deviceSetZero() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let text = config(server: "localhost:\(server.port)", slot2: pki.base64("root.pem"), set2: "1", deviceSet: "0")
        let result = probe(text)
        #expect(result.status == 1)
        #expect(
            result.stdout.contains(
                "  error: Platform CA 2 holds 'Probe Test Root', which anchors this chain, but it does not count: "
                    + "device.set is not 1 [slot]\n"))
        #expect(result.stdout.contains("  fix: slcfg set wireless.cfg device.set=1\n"), "\(result.stdout)")
        let fixed = slcfg(["set", "wireless.cfg", "device.set=1"], in: result.dir)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let after = slcfg(["probe", "wireless.cfg"], in: result.dir)
        #expect(after.status == 0 && after.stdout.hasPrefix("provisioning https://localhost:\(server.port): trusted\n"))
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

    @Test("No server, no such name, no TLS, bad input: one line each and exit 2 (or 0 with nothing to check)")
    func failures() throws {
        let port = ServerProcess.freePort()
        let refused = probe(config(server: "localhost:\(port)"))
        #expect(refused.status == 2)
        #expect(refused.stderr == "slcfg: provisioning: localhost:\(port): connection refused: nothing listens there\n")
        // .invalid never resolves (RFC 6761).
        let unknown = probe(config(server: "nonexistent.invalid"))
        #expect(unknown.status == 2)
        #expect(unknown.stderr == "slcfg: provisioning: nonexistent.invalid: cannot resolve the name (DNS): check the server name\n")
        let plain = probe(config(server: "localhost", type: "0"))
        #expect(plain.status == 0 && plain.stdout == "nothing to check: device.prov.serverType is 0 (FTP): not TLS, so there is no provisioning certificate to check\n")
        let bad = probe(config(server: "localhost"), ["--provisioning", "gopher://x"])
        #expect(bad.status == 64 && bad.stderr.hasPrefix("slcfg: 'gopher://x': give https://host[:port], ftpes://host[:port] or ftps://host[:port]"))
    }
}

private let haveRadius = FileManager.default.isExecutableFile(atPath: ServerProcess.freeradiusPath)
    && FileManager.default.isReadableFile(atPath: "/etc/freeradius/3.0/radiusd.conf")
    && ["/usr/bin/eapol_test", "/usr/sbin/eapol_test"].contains { FileManager.default.isExecutableFile(atPath: $0) }

/// A wireless.cfg for 802.1X with the given CA slot 1 and `wifi` settings (each applied), the secret and bob's
/// password beside it.
private func radiusDirectory(slot1: String, wifi: [(String, String)] = []) -> URL {
    let dir = temporaryDirectory()
    let settings = wifi.map { " \($0.0)=\"\($0.1)\" \($0.0).set=\"1\"" }.joined()
    let text = "<polycomConfig>\n  <device device.set=\"1\" device.sec.TLS.customCaCert1=\"\(slot1)\" device.sec.TLS.customCaCert1.set=\"1\"\(settings)/>\n</polycomConfig>\n"
    write(Array(text.utf8), to: dir.appendingPathComponent("wireless.cfg"))
    write(Array("testing123\n".utf8), to: dir.appendingPathComponent("secret"))
    write(Array("hello\n".utf8), to: dir.appendingPathComponent("password"))
    return dir
}

@Suite("probe against FreeRADIUS through eapol_test", .enabled(if: haveRadius), .serialized)
struct RadiusProbeTests {
    let pki = ServerPKI.shared
    let peap = ["--secret-file", "secret", "--identity", "bob", "--password-file", "password"]

    @Test("PEAP/MSCHAPv2: the chain inside EAP, the server's first, reaches the root in Platform CA 1: trusted for 802.1X")
    func peapTrusted() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem"])
        let dir = radiusDirectory(slot1: pki.base64("root.pem"))
        let result = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)"] + peap, in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 8)
        #expect(lines.first == "radius radius://localhost:\(server.port): trusted")
        #expect(lines[1] == "  chain as sent:")
        #expect(lines[2].hasPrefix("    1. 'localhost', issued by 'Probe Test Intermediate', until "))
        #expect(lines[3].hasPrefix("    2. 'Probe Test Intermediate', issued by 'Probe Test Root', until "))
        #expect(Array(lines[4...]) == [
            "  anchor: 'Probe Test Root'",
            "  info: 802.1X uses Platform Profile 1; device.sec.TLS.profile.caCertList1 does not apply (All) [profile]",
            "  info: the chain reaches 'Probe Test Root' in Platform CA 1 [chain]",
            "  info: 'localhost' matches the subjectAltName localhost [name]",
        ])
        // The address alone is no name of the certificate; --radius-name says which name to expect.
        let byAddress = slcfg(["probe", "wireless.cfg", "--radius", "127.0.0.1:\(server.port)"] + peap, in: dir)
        #expect(byAddress.status == 1)
        #expect(byAddress.stdout.contains("  error: '127.0.0.1' is not a name of the server's certificate (localhost); strict common-name validation is on [name]\n"))
        let named = slcfg(["probe", "wireless.cfg", "--radius", "127.0.0.1:\(server.port)", "--radius-name", "localhost"] + peap, in: dir)
        #expect(named.status == 0, "\(named.stdout)")
    }

    @Test("PEAP from the file: the method, identity and password the file applies need no option, and judge alike")
    func peapFromFile() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem"])
        let dir = radiusDirectory(slot1: pki.base64("root.pem"), wifi: [
            ("device.wifi.securityMode", "WPA2-Enterprise"), ("device.wifi.wpa2Ent.method", "PEAP-MSCHAPv2"),
            ("device.wifi.wpa2Ent.user", "bob"), ("device.wifi.wpa2Ent.password", "hello"),
            ("device.wifi.wpa2Ent.anonid", "anonymous")])
        let explicit = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)"] + peap, in: dir)
        let fromFile = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)", "--secret-file", "secret"],
                             in: dir)
        #expect(fromFile.status == 0, "\(fromFile.stdout)\(fromFile.stderr)")
        #expect(fromFile.stdout == explicit.stdout)
        #expect(fromFile.stdout.hasPrefix("radius radius://localhost:\(server.port): trusted\n"))
        #expect(fromFile.stderr == "slcfg: radius: from the file: PEAP, identity 'bob', anonymous identity 'anonymous', "
            + "the password\n")
        #expect(!fromFile.stderr.contains("hello"))
    }

    @Test("EAP-TLS from the file: the device certificate its 802.1X profile presents, no option but the secret")
    func eapTLSFromFile() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem"])
        let dir = radiusDirectory(slot1: pki.base64("root.pem"), wifi: [
            ("device.wifi.securityMode", "WPA2-Enterprise"), ("device.wifi.wpa2Ent.method", "EAP-TLS"),
            ("device.wifi.wpa2Ent.user", "handset-0004f2abcdef"), ("device.sec.TLS.profile.deviceCert1", "Platform1")])
        let device = slcfg(["cert", "import-device", "wireless.cfg", "--slot", "1", "--cert", pki.path("client.pem"),
                            "--key", pki.path("client.key")], in: dir)
        #expect(device.status == 0, "\(device.stderr)")
        let explicit = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)", "--secret-file", "secret",
                              "--identity", "handset-0004f2abcdef", "--device-slot", "1"], in: dir)
        let fromFile = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)", "--secret-file", "secret"],
                             in: dir)
        #expect(fromFile.status == 0, "\(fromFile.stdout)\(fromFile.stderr)")
        #expect(fromFile.stdout == explicit.stdout)
        #expect(fromFile.stderr == "slcfg: radius: from the file: EAP-TLS, identity 'handset-0004f2abcdef', the "
            + "certificate of Device certificate 1\n")
    }

    @Test("A file that names no EAP method, or PEAP without a password, is refused before any server is asked")
    func nothingFromFile() throws {
        let dir = radiusDirectory(slot1: "")
        let none = slcfg(["probe", "wireless.cfg", "--radius", "localhost:1", "--secret-file", "secret"], in: dir)
        #expect(none.status == 64)
        #expect(none.stderr == "slcfg: --radius needs --password-file (PEAP) or --device-slot (EAP-TLS): the file names "
            + "no EAP method that applies (device.wifi.wpa2Ent.method)\n")
        let peapDir = radiusDirectory(slot1: "", wifi: [("device.wifi.wpa2Ent.method", "PEAP-MSCHAPv2")])
        let noPassword = slcfg(["probe", "wireless.cfg", "--radius", "localhost:1", "--secret-file", "secret"],
                               in: peapDir)
        #expect(noPassword.status == 64)
        #expect(noPassword.stderr == "slcfg: --radius uses PEAP, which needs a password: the file has none that "
            + "applies (device.wifi.wpa2Ent.password); give --password-file\n")
    }

    @Test("--from-radius stores the root the RADIUS server sends; probe then says trusted")
    func importFromRadius() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem", "root.pem"])
        let dir = radiusDirectory(slot1: "")
        let before = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)"] + peap, in: dir)
        #expect(before.status == 1)
        #expect(before.stdout.contains("  fix: slcfg cert import wireless.cfg --slot 1 --from-radius localhost:\(server.port)\n"))
        let imported = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "--from-radius", "localhost:\(server.port)"] + peap, in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.hasPrefix("The root 'Probe Test Root' came from radius://localhost:\(server.port) itself.\n"))
        #expect(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert1"], in: dir).stdout == pki.base64("root.pem") + "\n")
        let after = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)"] + peap, in: dir)
        #expect(after.status == 0 && after.stdout.hasPrefix("radius radius://localhost:\(server.port): trusted\n"), "\(after.stdout)")
    }

    @Test("EAP-TLS with the device certificate of slot 1: the same chain, trusted")
    func eapTLS() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem"])
        let dir = radiusDirectory(slot1: pki.base64("root.pem"))
        let device = slcfg(["cert", "import-device", "wireless.cfg", "--slot", "1", "--cert", pki.path("client.pem"), "--key", pki.path("client.key")], in: dir)
        #expect(device.status == 0, "\(device.stderr)")
        let result = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)", "--secret-file", "secret",
                            "--identity", "handset-0004f2abcdef", "--device-slot", "1"], in: dir)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("radius radius://localhost:\(server.port): trusted\n"))
    }

    @Test("A wrong shared secret: the server stays silent, and probe says what to check (exit 2)")
    func wrongSecret() throws {
        let server = try ServerProcess.radius(pki, chain: ["int.pem"])
        let dir = radiusDirectory(slot1: pki.base64("root.pem"))
        write(Array("not-the-secret\n".utf8), to: dir.appendingPathComponent("secret"))
        let result = slcfg(["probe", "wireless.cfg", "--radius", "localhost:\(server.port)", "--timeout", "2"] + peap, in: dir)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("slcfg: radius: localhost:\(server.port): the RADIUS server showed no certificate to eapol_test ("))
        #expect(result.stderr.hasSuffix("); check the address, the port and the shared secret\n"))
    }

    @Test("Without eapol_test on the PATH, probe names the package that provides it")
    func missingEapolTest() {
        let dir = radiusDirectory(slot1: "")
        let result = run("/usr/bin/env", ["PATH=/nonexistent", slcfgPath, "probe", "wireless.cfg", "--radius", "localhost"] + peap, in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "slcfg: radius: eapol_test is not installed: it comes with Debian's eapoltest package (apt-get install eapoltest)\n")
    }
}

private let haveTmux = FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")

/// A wireless.cfg where slot 1 serves the provisioning server alone: profile 1 lists only it,
/// and 802.1X uses profile 2, which lists only slot 2.
private func provisioningOnlySlot1(server: String) -> String {
    config(server: server, caList1: "Platform1").replacingOccurrences(of: "/>", with: " device.sec.TLS.profile.caCertList2=\"Platform2\" device.sec.TLS.profile.caCertList2.set=\"1\" device.sec.TLS.profileSelection.dot1x=\"PlatformProfile2\" device.sec.TLS.profileSelection.dot1x.set=\"1\"/>")
}

@Suite("v and g in the editor against a real server", .enabled(if: haveServers && haveTmux), .serialized)
struct EditorProbeTmuxTests {
    let pki = ServerPKI.shared

    @Test("In tmux: v says not trusted, g fetches the root the server sends and y imports it, v then says trusted, and the save writes it")
    func verifyGrabSave() throws {
        let server = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem", "root.pem"])
        let dir = temporaryDirectory()
        write(Array(provisioningOnlySlot1(server: "localhost:\(server.port)").utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let tmux = Tmux(directory: dir)
        tmux.start(["wireless.cfg"], width: 140, height: 50)
        #expect(tmux.waitFor("TLS Security"))
        tmux.keys("Tab", "v")
        #expect(tmux.waitFor("provisioning https://localhost:\(server.port): not trusted"), "\(tmux.capture())")
        #expect(tmux.capture().contains("g grabs the root from this server into Platform CA 1"))
        tmux.keys("g")
        #expect(tmux.waitFor("Import 'Probe Test Root' into Platform CA 1? (y/n)"), "\(tmux.capture())")
        #expect(tmux.capture().contains("The root 'Probe Test Root' came from https://localhost:\(server.port) itself."))
        tmux.keys("y")
        #expect(tmux.waitFor("Use Platform CA 1 for"), "\(tmux.capture())")
        tmux.keys("n")
        #expect(tmux.waitFor("imported 'Probe Test Root' into Platform CA 1"), "\(tmux.capture())")
        tmux.keys("v")
        #expect(tmux.waitFor("provisioning https://localhost:\(server.port): trusted"), "\(tmux.capture())")
        tmux.keys("s")
        #expect(tmux.waitFor("y write"), "\(tmux.capture())")
        tmux.keys("y")
        tmux.keys("q")
        #expect(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
        #expect(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert1"], in: dir).stdout == pki.base64("root.pem") + "\n")
        #expect(slcfg(["get", "wireless.cfg", "device.sec.TLS.customCaCert1.set"], in: dir).stdout == "1\n")
    }

    @Test("In tmux: Esc cancels a probe of a server that never answers, and the editor stays live")
    func escCancels() throws {
        // A listener that accepts and never speaks TLS: the probe waits until Esc.
        let port = ServerProcess.freePort()
        let silent = try ServerProcess("/usr/bin/env", ["python3", "-c", "import socket,time\ns=socket.socket()\ns.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\ns.bind(('127.0.0.1',\(port)))\ns.listen(5)\nc=[]\nwhile True: c.append(s.accept())"],
                                       port: port, in: pki.directory) { ServerProcess.accepts(port) }
        defer { silent.stop() }
        let dir = temporaryDirectory()
        write(Array(provisioningOnlySlot1(server: "localhost:\(port)").utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let tmux = Tmux(directory: dir)
        tmux.start(["wireless.cfg"], width: 140, height: 40)
        #expect(tmux.waitFor("TLS Security"))
        tmux.keys("Tab", "v")
        #expect(tmux.waitFor("probing https://localhost:\(port)… (Esc cancels)"), "\(tmux.capture())")
        tmux.keys("Escape")
        #expect(tmux.waitFor("probe of https://localhost:\(port) cancelled"), "\(tmux.capture())")
        tmux.keys("q")
        #expect(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
    }
}

private let haveEapolTest = ["/usr/bin/eapol_test", "/usr/sbin/eapol_test"].contains {
    FileManager.default.isExecutableFile(atPath: $0)
}

@Suite("probe cleans up when it is stopped", .enabled(if: haveEapolTest), .serialized)
struct RadiusProbeCleanupTests {

    /// Starts slcfg with no signal blocked (a test's worker thread blocks SIGTERM, and a child inherits that).
    private func spawn(_ arguments: [String], in directory: URL, environment: [String: String]) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let log = directory.appendingPathComponent("slcfg.log").path
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
        let argv = ([slcfgPath] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        precondition(posix_spawn(&pid, slcfgPath, &actions, &attributes, argv, env) == 0)
        return pid
    }

    @Test("SIGTERM and SIGINT during probe --radius: the secrets' directory is removed, eapol_test killed, exit 128+signal",
          arguments: [SIGTERM, SIGINT])
    func stopped(signal: Int32) throws {
        let dir = temporaryDirectory(), scratch = temporaryDirectory()
        write(Array("<device device.set=\"1\"/>\n".utf8), to: dir.appendingPathComponent("wireless.cfg"))
        write(Array("testing123\n".utf8), to: dir.appendingPathComponent("secret"))
        write(Array("hunter2\n".utf8), to: dir.appendingPathComponent("password"))
        let port = ServerProcess.freePort(udp: true)
        // A RADIUS port that takes requests and never answers.
        let sink = try ServerProcess(
            "/usr/bin/env",
            ["python3", "-c", "import socket,time; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
                + "s.bind(('127.0.0.1', \(port))); time.sleep(60)"],
            port: port, in: dir, ready: { usleep(500_000); return true })
        defer { sink.stop() }
        let pid = spawn(
            ["probe", dir.appendingPathComponent("wireless.cfg").path, "--radius", "127.0.0.1:\(port)",
             "--secret-file", dir.appendingPathComponent("secret").path, "--identity", "bob",
             "--password-file", dir.appendingPathComponent("password").path, "--timeout", "30"],
            in: dir, environment: ["TMPDIR": scratch.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""])
        let deadline = Date().addingTimeInterval(10)
        var entries: [String] = []
        while Date() < deadline {
            entries = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
            if entries.contains(where: { $0.hasPrefix("slcfg-eapol-") }) { break }
            usleep(100_000)
        }
        try #require(entries.contains { $0.hasPrefix("slcfg-eapol-") }, "the probe never started eapol_test")
        usleep(500_000)
        kill(pid, signal)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect((status >> 8) & 0xFF == 128 + signal, "status \(status)")
        #expect((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) == [])
        let left = run("/usr/bin/pgrep", ["-f", scratch.path])
        #expect(left.stdout.isEmpty, "eapol_test still running: \(left.stdout)")
    }
}

@Suite("A root CA rotated without an outage, against real servers", .enabled(if: haveServers), .serialized)
struct RotationTests {
    let pki = ServerPKI.shared

    @Test("cert rotate puts the new root beside the old and both servers are trusted; --finish leaves only the new")
    func rotate() throws {
        let old = try ServerProcess.https(pki, certificate: "server.pem", key: "server.key", chain: ["int.pem"])
        let new = try ServerProcess.https(pki, certificate: "self.pem", key: "self.key", chain: [])
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array(config(server: "localhost:\(old.port)", slot1: pki.base64("root.pem"), caList1: "Platform1").utf8),
              to: file)
        func probe(_ port: Int) -> Int32 {
            slcfg(["probe", "wireless.cfg", "--provisioning", "https://localhost:\(port)"], in: dir).status
        }
        #expect(probe(old.port) == 0 && probe(new.port) == 1)
        let preview = slcfg(["cert", "rotate", "wireless.cfg", "--slot", "1", "--new-root", pki.path("self.pem"),
                             "--dry-run"], in: dir)
        #expect(preview.status == 0)
        let changed = preview.stdout.split(separator: "\n").filter { $0.hasPrefix("+") && !$0.hasPrefix("+++") }
        #expect(changed.count == 3)
        #expect(changed.contains { $0.contains("device.sec.TLS.customCaCert2=\"\(pki.base64("self.pem"))\"") })
        #expect(changed.contains { $0.contains("device.sec.TLS.customCaCert2.set=\"1\"") })
        #expect(changed.contains { $0.contains("device.sec.TLS.profile.caCertList1=\"Platform1AndPlatform2\"") })
        #expect(slcfg(["cert", "rotate", "wireless.cfg", "--slot", "1", "--new-root", pki.path("self.pem")],
                      in: dir).status == 0)
        #expect(probe(old.port) == 0 && probe(new.port) == 0)
        let finish = slcfg(["cert", "rotate", "wireless.cfg", "--slot", "1", "--finish"], in: dir)
        #expect(finish.status == 0)
        #expect(finish.stderr == "wireless.cfg: device.sec.TLS.customCaCert1: (\(pki.base64("root.pem").count) "
            + "characters) -> \"\"\nwireless.cfg: device.sec.TLS.profile.caCertList1: \"Platform1AndPlatform2\" -> "
            + "\"Platform2\"\n")
        #expect(probe(old.port) == 1 && probe(new.port) == 0)
    }

    @Test("--finish before the first step is refused, and the first step never replaces another certificate")
    func refusals() {
        let dir = temporaryDirectory()
        write(Array(config(server: "localhost:1", slot1: pki.base64("root.pem"), slot2: pki.base64("int.pem"),
                           set2: "1").utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let start = slcfg(["cert", "rotate", "wireless.cfg", "--slot", "1", "--new-root", pki.path("self.pem")], in: dir)
        #expect(start.status == 1)
        #expect(start.stderr == "slcfg: wireless.cfg: Platform CA 2 holds 'Probe Test Intermediate', which the new root "
            + "would replace: free it first (or rotate into it with --slot 2); nothing was changed\n")
        let clean = temporaryDirectory()
        write(Array(config(server: "localhost:1", slot1: pki.base64("root.pem")).utf8),
              to: clean.appendingPathComponent("wireless.cfg"))
        let finish = slcfg(["cert", "rotate", "wireless.cfg", "--slot", "1", "--finish"], in: clean)
        #expect(finish.status == 1)
        #expect(finish.stderr == "slcfg: wireless.cfg: Platform CA 2 does not hold the new root: run the first step "
            + "(without --finish) before this one; nothing was changed\n")
    }
}
