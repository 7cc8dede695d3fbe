import Foundation
import Testing
import TestSupport

/// A fleet of seven handsets made by openssl: 2 expired, 4 without a certificate, 5 with
/// handset 6's key, 6 expiring in 10 days; site.cfg has a typo that every handset reads.
private let planted = TestFleet(
    count: 7, plants: [2: .expired, 4: .noCertificate, 5: .foreignKey, 6: .expiresIn(10)],
    site: " device.prov.serverNam=\"prov.example\"")

@Suite("The whole fleet: every handset's set, each finding once with its handsets")
struct FleetTests {
    @Test("lint --each-handset attributes each planted problem to exactly its handset, and the shared typo to all")
    func lintEachHandset() throws {
        let result = slcfg(["lint", "prov", "--each-handset", "--format", "gcc"], in: planted.root)
        #expect(result.status == 1)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let all = "(all 7 handsets: 0004f2000001, 0004f2000002, 0004f2000003, 0004f2000004, 0004f2000005, +2 more)"
        try #require(lines.count == 6)
        #expect(lines[0] == "prov/site.cfg:16:93: warning: device.prov.serverNam is not a parameter the handset knows, "
            + "so it is ignored; did you mean device.prov.serverName? \(all) [near-miss]")
        #expect(lines[1] == "prov/site.cfg:16:93: warning: the handset ignores device.prov.serverNam=\"prov.example\" "
            + "because device.prov.serverNam.set is missing; set it to 1 \(all) [set-flag]")
        #expect(lines[2] == "prov/0004f2000002-device.cfg:2:9: error: Device certificate 1: '0004f2000002' expired on "
            + "2021-01-01: the RADIUS server refuses a handset that presents it (1 of 7 handsets: 0004f2000002) "
            + "[cert-expired]")
        #expect(lines[3] == "prov/wireless.cfg:4:3: error: 802.1X uses EAP-TLS and Platform Profile 1 presents Device "
            + "certificate 1, but it holds no certificate and key that the handset applies (empty, or its .set is not "
            + "1): the handset has nothing to present and cannot join the network; import one with 'slcfg cert "
            + "import-device' (1 of 7 handsets: 0004f2000004) [eap-tls-device-cert]")
        #expect(lines[4] == "prov/0004f2000005-device.cfg:10:28: error: Device certificate 1's private key: the private "
            + "key does not belong to the certificate '0004f2000005': export the key that was generated with this "
            + "certificate (1 of 7 handsets: 0004f2000005) [device-key]")
        #expect(lines[5].hasPrefix("prov/0004f2000006-device.cfg:2:9: warning: Device certificate 1: '0004f2000006' "
            + "expires in 9 days, on "))
        #expect(lines[5].hasSuffix(": plan its replacement (1 of 7 handsets: 0004f2000006) [cert-expiring]"))
    }

    @Test("lint --each-handset --format json lists every handset of a finding; text names five and counts the rest")
    func lintFormats() throws {
        let json = slcfg(["lint", "prov", "--each-handset", "--format", "json"], in: planted.root)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["rule"] as? String } == [
            "near-miss", "set-flag", "cert-expired", "eap-tls-device-cert", "device-key", "cert-expiring"])
        #expect(entries[0]["handsets"] as? [String] == planted.macs)
        #expect(entries[4]["handsets"] as? [String] == ["0004f2000005"])
        let text = slcfg(["lint", "prov", "--each-handset"], in: planted.root)
        #expect(text.status == 1)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "all 7 handsets: 0004f2000001, 0004f2000002, 0004f2000003, 0004f2000004, 0004f2000005, "
            + "+2 more")
        #expect(lines.last == "7 handsets: 3 errors, 3 warnings, 0 info")
    }

    @Test("--inventory adds handsets in any MAC spelling: one without files misses its [PHONE_MAC_ADDRESS] file")
    func inventory() {
        planted.writeText("name,mac\nlobby,00:04:F2:00:00:08\ndesk,0004F2000001\n", to: "../inventory.csv")
        let result = slcfg(
            ["lint", "prov", "--each-handset", "--inventory", "inventory.csv", "--format", "gcc"], in: planted.root)
        #expect(result.status == 1)
        let eight = result.stdout.split(separator: "\n").map(String.init).filter { $0.contains("0004f2000008") }
        let noCertificate: String = "prov/wireless.cfg:4:3: error: 802.1X uses EAP-TLS and Platform Profile 1 "
            + "presents Device certificate 1, but it holds no certificate and key that the handset applies (empty, or "
            + "its .set is not 1): the handset has nothing to present and cannot join the network; import one with "
            + "'slcfg cert import-device' (2 of 8 handsets: 0004f2000004, 0004f2000008) [eap-tls-device-cert]"
        let missing: String = "prov/000000000000.cfg:2:28: error: 0004f2000008-device.cfg is listed in CONFIG_FILES "
            + "but does not exist in prov: the handset fails to fetch it (and may stop provisioning) (1 of 8 handsets: "
            + "0004f2000008) [missing-file]"
        #expect(eight == [noCertificate, missing])
    }

    @Test("A malformed inventory is refused naming its line; --each-handset needs one directory")
    func refusals() {
        planted.writeText("# desk phones\n0004f2000001\n\n00-04-f2-zz-00-01\n", to: "../bad.txt")
        let bad = slcfg(["lint", "prov", "--each-handset", "--inventory", "bad.txt"], in: planted.root)
        #expect(bad.status == 64)
        #expect(bad.stderr == "slcfg: bad.txt:4: '00-04-f2-zz-00-01' is not a MAC address (12 hex digits, alone or "
            + "separated by ':', '-' or '.')\n")
        planted.writeText("name,ip\nlobby,10.0.0.1\n", to: "../nomac.csv")
        let noColumn = slcfg(["lint", "prov", "--each-handset", "--inventory", "nomac.csv"], in: planted.root)
        #expect(noColumn.stderr == "slcfg: nomac.csv:1: a CSV inventory needs a 'mac' column in its first line "
            + "(found: name, ip)\n")
        let file = slcfg(["lint", "prov/site.cfg", "--each-handset"], in: planted.root)
        #expect(file.status == 64)
        #expect(file.stderr == "slcfg: --each-handset reads one provisioning directory: give exactly one\n")
    }

    @Test("cert expiry lists every certificate soonest first with the handsets that apply it, and exits 1 within DAYS")
    func expiry() {
        let result = slcfg(["cert", "expiry", "prov", "--each-handset", "--format", "csv"], in: planted.root)
        #expect(result.status == 1)
        #expect(result.stderr == "slcfg: 2 applied certificates expire within 30 days\n")
        let rows = result.stdout.split(separator: "\n").map { $0.split(separator: ",").map(String.init) }
        #expect(rows.first == [
            "not_after", "days_left", "slot", "parameter", "file", "line", "read", "applied", "handsets", "subject",
            "sha256"])
        // Expired first, then the one in 10 days, the handsets' year-long ones, the CA last.
        #expect(rows.dropFirst().map { $0[4] } == [
            "prov/0004f2000002-device.cfg", "prov/0004f2000006-device.cfg", "prov/0004f2000001-device.cfg",
            "prov/0004f2000003-device.cfg", "prov/0004f2000005-device.cfg", "prov/0004f2000007-device.cfg",
            "prov/site.cfg"])
        #expect(rows[1][0] == "2021-01-01T00:00:00Z" && Int(rows[1][1])! < -2000 && rows[1][8] == "1")
        #expect(rows[2][1] == "9" && rows[7][2] == "Platform CA 1" && rows[7][8] == "7")
        #expect(rows[7][9] == "CN=Fleet Root CA")
        let relaxed = slcfg(["cert", "expiry", "prov", "--within", "0", "--format", "csv"], in: planted.root)
        #expect(relaxed.status == 1)   // the expired one is still applied
    }

    @Test("cert expiry marks a certificate in a file no handset reads, and never counts it")
    func expiryUnread() {
        let fleet = TestFleet(count: 2, plants: [2: .expired])
        try! FileManager.default.moveItem(
            at: fleet.prov.appendingPathComponent("0004f2000002-device.cfg"),
            to: fleet.prov.appendingPathComponent("old-device.cfg"))
        let result = slcfg(["cert", "expiry", "prov"], in: fleet.root)
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("NOT AFTER    DAYS  SLOT                  APPLIED BY  FILE:LINE"))
        #expect(lines[1].hasPrefix("2021-01-01 "))
        #expect(lines[1].hasSuffix("Device certificate 1  not read    prov/old-device.cfg:2           CN=0004f2000002"))
        #expect(lines[2].hasSuffix("Device certificate 1  applied     prov/0004f2000001-device.cfg:2  CN=0004f2000001"))
        #expect(lines[3].hasSuffix("Platform CA 1         applied     prov/site.cfg:3                 CN=Fleet Root CA"))
    }
}

/// 300 handsets' device certificates made by openssl, in every shape a PKI hands out: PFX with a
/// passphrase named by MAC in three spellings, PEM pairs, a PFX whose MAC is only in its CN, and
/// one matched through --map with its own passphrase file.
private struct DeviceCertificates: Sendable {
    let root = temporaryDirectory()
    var prov: URL { root.appendingPathComponent("prov") }
    var certs: URL { root.appendingPathComponent("certs") }
    let macs = (1...300).map { String(format: "0004f2%06x", $0) }

    /// The file of handset `k` (0-based) and whether it is a PFX.
    func file(_ k: Int) -> (name: String, pfx: Bool) {
        let mac = macs[k]
        let pairs = stride(from: 0, to: 12, by: 2).map { i in
            String(mac[mac.index(mac.startIndex, offsetBy: i)..<mac.index(mac.startIndex, offsetBy: i + 2)])
        }
        switch k % 6 {
        case 0: return ("\(mac).pfx", true)
        case 1: return (pairs.joined(separator: "-").uppercased() + ".p12", true)
        case 2: return ("device_\(mac.uppercased()).pfx", true)
        case 3: return ("\(mac).crt", false)
        case 4: return ("handset-\(k).pfx", true)     // the MAC only in the certificate's CN
        default: return (k == 5 ? "desk-five.pfx" : "\(pairs.joined(separator: ":")).pem", k == 5)
        }
    }

    init() {
        try! FileManager.default.createDirectory(at: certs, withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: prov, withIntermediateDirectories: true)
        write(Array("fleet-secret\n".utf8), to: root.appendingPathComponent("pass.txt"))
        write(Array("desk-secret\n".utf8), to: root.appendingPathComponent("desk.txt"))
        let made = self
        DispatchQueue.concurrentPerform(iterations: macs.count) { k in made.make(k) }
        // A certificate for no handset: no MAC anywhere.
        TestPKI.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                         "-keyout", "stray.key", "-out", "stray.pem", "-subj", "/CN=printer", "-days", "30"], in: certs)
        write(Array("mac,file,passphrase_file\n00:04:f2:00:00:06,desk-five.pfx,desk.txt\n".utf8),
              to: root.appendingPathComponent("map.csv"))
        write(Array(("mac\n" + macs.joined(separator: "\n") + "\n0004f20003e8\n").utf8),
              to: root.appendingPathComponent("inventory.csv"))
        TestPKI.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                         "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Fleet Root CA", "-days", "3650"], in: root)
        let ca = String(decoding: contents(root.appendingPathComponent("ca.pem")), as: UTF8.self)
        let shared = TestFleet.sharedFiles(list: "site.cfg, wireless.cfg", ca: ca, presents: false)
        for (name, text) in shared { write(Array(text.utf8), to: prov.appendingPathComponent(name)) }
        chmod(prov.appendingPathComponent("000000000000.cfg").path, 0o640)
    }

    /// Handset `k`'s key and certificate (`k.key`, `k.pem` in the certificates' directory's
    /// parent), and its file in the certificates' directory.
    func make(_ k: Int) {
        let (name, pfx) = file(k)
        TestPKI.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                         "-keyout", "\(k).key", "-out", "\(k).pem", "-subj", "/CN=\(macs[k])", "-days", "365"],
                        in: root)
        let target = certs.appendingPathComponent(name).path
        if pfx {
            let pass = name == "desk-five.pfx" ? "desk-secret" : "fleet-secret"
            TestPKI.openssl(["pkcs12", "-export", "-in", "\(k).pem", "-inkey", "\(k).key", "-out", target,
                             "-passout", "pass:\(pass)"], in: root)
        } else if name.hasSuffix(".crt") {
            try! FileManager.default.copyItem(atPath: root.appendingPathComponent("\(k).pem").path, toPath: target)
            try! FileManager.default.copyItem(
                atPath: root.appendingPathComponent("\(k).key").path,
                toPath: certs.appendingPathComponent(String(name.dropLast(4)) + ".key").path)
        } else {
            write(contents(root.appendingPathComponent("\(k).pem")) + contents(root.appendingPathComponent("\(k).key")),
                  to: URL(fileURLWithPath: target))
        }
    }
}

@Suite("A device certificate for every handset")
struct FleetImportTests {
    @Test("import-device --each stores 300 handsets' certificates, each in its own file, and a re-run changes nothing")
    func threeHundred() throws {
        let fleet = DeviceCertificates()
        let arguments = ["cert", "import-device", "prov", "--slot", "1", "--each", "certs", "--inventory",
                         "inventory.csv", "--map", "map.csv", "--passphrase-file", "pass.txt"]
        let result = slcfg(arguments, in: fleet.root)
        #expect(result.status == 1)   // one handset without a certificate, one file for no handset
        let report = result.stderr.split(separator: "\n").map(String.init)
        #expect(report.suffix(3) == [
            "0004f20003e8: not imported: no certificate file for it",
            "certs/stray.pem: matched no handset: no MAC address in its name, its certificate's CN or "
                + "subjectAltName, or --map",
            "301 handsets: 300 with a certificate, 1 without; 1 file matched no handset",
        ])
        #expect(!result.stderr.contains("PRIVATE KEY") && !result.stdout.contains("PRIVATE KEY"))
        let master = String(decoding: contents(fleet.prov.appendingPathComponent("000000000000.cfg")), as: UTF8.self)
        #expect(master.contains("CONFIG_FILES=\"[PHONE_MAC_ADDRESS]-device.cfg, site.cfg, wireless.cfg\""))
        let site = String(decoding: contents(fleet.prov.appendingPathComponent("site.cfg")), as: UTF8.self)
        #expect(site.contains("device.sec.TLS.profile.deviceCert1=\"Platform1\" device.sec.TLS.profile.deviceCert1.set=\"1\""))
        let mismatches = Mismatches()
        DispatchQueue.concurrentPerform(iterations: fleet.macs.count) { k in
            if let problem = FleetImportTests.stored(fleet, k) { mismatches.add(problem) }
        }
        #expect(mismatches.all == [])
        let again = slcfg(arguments + ["--dry-run"], in: fleet.root)
        #expect(again.stdout == "")
        #expect(again.stderr.contains("0004f2000001: '0004f2000001' from certs/0004f2000001.pfx: already stored"))
        let lint = slcfg(["lint", "prov", "--each-handset", "--inventory", "inventory.csv", "--format", "gcc"],
                         in: fleet.root)
        #expect(lint.stdout.split(separator: "\n").allSatisfy { $0.contains("(1 of 301 handsets: 0004f20003e8)") })
    }

    /// Why handset `k`'s stored certificate or key is not its own (openssl's fingerprints and
    /// public keys compared), nil when they are.
    fileprivate static func stored(_ fleet: DeviceCertificates, _ k: Int) -> String? {
        let mac = fleet.macs[k]
        let path = fleet.prov.appendingPathComponent("\(mac)-device.cfg")
        var info = stat()
        guard stat(path.path, &info) == 0, info.st_mode & 0o777 == 0o640 else { return "\(mac): no file, or its mode" }
        let text = String(decoding: contents(path), as: UTF8.self)
        func value(_ name: String) -> String {
            guard let start = text.range(of: "\(name)=\"") else { return "" }
            return String(text[start.upperBound...].prefix { $0 != "\"" })
        }
        let dir = temporaryDirectory()
        write(Array(value("device.sec.TLS.customDeviceCert1.publicCert").utf8), to: dir.appendingPathComponent("c.pem"))
        write(Array(value("device.sec.TLS.customDeviceCert1.privateKey").utf8), to: dir.appendingPathComponent("k.pem"))
        let source = fleet.root.appendingPathComponent("\(k).pem").path
        let fingerprint = { (file: String) in TestPKI.openssl(["x509", "-in", file, "-noout", "-fingerprint", "-sha256"], in: dir) }
        guard fingerprint("c.pem") == fingerprint(source) else { return "\(mac): another certificate" }
        let keyPublic = TestPKI.openssl(["pkey", "-in", "k.pem", "-pubout"], in: dir)
        let certificatePublic = TestPKI.openssl(["x509", "-in", source, "-noout", "-pubkey"], in: dir)
        return keyPublic == certificatePublic ? nil : "\(mac): another key"
    }
}

private final class Mismatches: @unchecked Sendable {
    private let lock = NSLock()
    private var found: [String] = []
    func add(_ problem: String) { lock.withLock { found.append(problem) } }
    var all: [String] { lock.withLock { found.sorted() } }
}

@Suite("The editor over a fleet, in tmux", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux")))
struct FleetEditorTmuxTests {
    @Test("slcfg DIR --inventory: m, part of a MAC, Enter shows that handset's set, its device file among the files")
    func pickHandset() throws {
        let fleet = TestFleet(count: 3)
        write(Array("mac\n00:04:F2:00:00:09\n".utf8), to: fleet.root.appendingPathComponent("inventory.csv"))
        let tmux = Tmux(directory: fleet.root)
        tmux.start(["prov", "--inventory", "inventory.csv"])
        try #require(tmux.waitFor("no handset: m picks one"), "\(tmux.capture())")
        tmux.keys("m")
        try #require(tmux.waitFor("Handset: ▏ (4 of 4)"), "\(tmux.capture())")
        tmux.keys("0", "2", "Enter")
        try #require(tmux.waitFor("handset 0004f2000002"), "\(tmux.capture())")
        tmux.keys("o")
        try #require(tmux.waitFor("0004f2000002-device.cfg"), "\(tmux.capture())")
        tmux.keys("Escape", "q")
        try #require(tmux.waitFor("EXIT=0"), "\(tmux.capture())")
    }
}
