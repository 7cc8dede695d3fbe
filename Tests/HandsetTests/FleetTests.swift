// The handsets of a directory and what is checked across them: MACs from file names and
// inventories, each shared file read and linted once, findings gathered with their handsets, and
// the lint rules a fleet of EAP-TLS handsets needs (a device certificate's key, a profile that
// presents one).
import Certificates
import CfgDocument
import Foundation
@testable import Handset
import Testing
import TestSupport

private let now = Date(timeIntervalSince1970: 1_800_000_000)

@Suite("The handsets of a directory, and lint across them")
struct FleetModelTests {
    @Test("File names name handsets: <MAC>.cfg and <MAC>-*.cfg, any case, never 000000000000 or other names")
    func macsFromNames() {
        let names = [
            "000000000000.cfg", "0004F2ABCDEF.cfg", "0004f2abcdef-phone.cfg", "0004f2000001-device.cfg",
            "site.cfg", "0004f2000002.txt", "0004f2000003x.cfg", "0004f200000.cfg", "0004f2000004-web.CFG",
        ]
        #expect(Fleet.macs(fileNames: names) == ["0004f2000001", "0004f2000004", "0004f2abcdef"])
        #expect(Fleet.handsets(fileNames: names, inventory: ["0004f2abcdef", "0004f2000009"]) == [
            "0004f2000001", "0004f2000004", "0004f2abcdef", "0004f2000009"])
    }

    @Test("An inventory is one MAC a line or a CSV with a mac column, in any spelling, BOM and comments allowed")
    func inventories() throws {
        let lines = "\u{FEFF}# lobby\n0004F2000001\r\n\n00:04:f2:00:00:02\n00-04-F2-00-00-03\n0004.f200.0004\n0004f2000001\n"
        #expect(try Fleet.inventory(Array(lines.utf8), file: "i.txt") == [
            "0004f2000001", "0004f2000002", "0004f2000003", "0004f2000004"])
        let csv = "Name;MAC;Room\n\"Desk 1\";\"00:04:F2:00:00:0A\";12\nDesk 2;0004f200000b;13\n"
        #expect(try Fleet.inventory(Array(csv.utf8), file: "i.csv") == ["0004f200000a", "0004f200000b"])
        #expect(try Fleet.inventory(Array("mac\n0004f200000c\n".utf8), file: "i.csv") == ["0004f200000c"])
        #expect(throws: FleetError("i.csv:3: '' is not a MAC address (12 hex digits, alone or separated by ':', '-' "
            + "or '.')")) {
            try Fleet.inventory(Array("name,mac\na,0004f2000001\nb\n".utf8), file: "i.csv")
        }
        #expect(throws: FleetError("i.txt:2: '0004f2' is not a MAC address (12 hex digits, alone or separated by ':', "
            + "'-' or '.')")) {
            try Fleet.inventory(Array("0004f2000001\n0004f2\n".utf8), file: "i.txt")
        }
    }

    @Test("Text names five handsets and counts the rest")
    func naming() {
        #expect(Fleet.naming(["a", "b"]) == "a, b")
        #expect(Fleet.naming(["a", "b", "c", "d", "e", "f", "g"]) == "a, b, c, d, e, +2 more")
    }

    @Test("Every handset's set reads and lints each shared file once; each finding is kept once with its handsets")
    func sharedOnce() throws {
        let files: [String: String] = [
            "d/000000000000.cfg": "<APPLICATION CONFIG_FILES=\"[PHONE_MAC_ADDRESS]-user.cfg, site.cfg\"/>\n",
            "d/site.cfg": "<site device.set=\"1\" device.wifi.sside=\"x\"/>\n",
            "d/0004f2000001-user.cfg": "<p reg.1.label=\"one\"/>\n",
            "d/0004f2000002-user.cfg": "<p device.prov.serverNam=\"two\"/>\n",
        ]
        var reads: [String: Int] = [:]
        let lock = NSLock()
        let fleetFiles = FleetFiles(
            read: { path in
                lock.withLock { reads[path, default: 0] += 1 }
                return files[path].map { Array($0.utf8) }
            }, realPath: { "/srv/" + $0 })
        var fleet = FleetFindings()
        for mac in ["0004f2000001", "0004f2000002"] {
            let set = try ProvisioningSet.resolve(
                root: "d", isDirectory: true, mac: mac, model: nil, files: fleetFiles.files)
            fleet.add(mac, set.lintInFleet(fleetFiles, linter: Linter(now: now)))
        }
        #expect(reads["d/site.cfg"] == 1 && reads["d/000000000000.cfg"] == 1)
        let found = fleet.all.map { "\($0.file) \($0.finding.rule) \($0.handsets.joined(separator: "+"))" }
        #expect(found.contains("d/site.cfg near-miss 0004f2000001+0004f2000002"))
        #expect(found.contains("d/0004f2000002-user.cfg near-miss 0004f2000002"))
        #expect(!found.contains { $0.hasPrefix("d/0004f2000001-user.cfg near-miss") })
        #expect(fleet.handsets == ["0004f2000001", "0004f2000002"])
    }
}

@Test("Over the shared table, each handset's findings are those of its set linted alone (shadowing and split flags across own and shared files)")
func sharedTableAgrees() throws {
    let files: [String: String] = [
        "d/000000000000.cfg": "<APPLICATION CONFIG_FILES=\"site.cfg, [PHONE_MAC_ADDRESS]-user.cfg, wireless.cfg\"/>\n",
        "d/site.cfg": "<site device.set=\"1\" device.wifi.ssid=\"A\" device.prov.serverName=\"p\" "
            + "device.sec.TLS.customCaCert1.set=\"1\"/>\n",
        "d/wireless.cfg": "<w device.wifi.ssid=\"B\" device.wifi.ssid.set=\"1\" device.prov.serverName.set=\"0\" "
            + "device.sec.TLS.customCaCert1=\"\" reg.1.label=\"x\"/>\n",
        "d/0004f2000001-user.cfg": "<u device.prov.serverName.set=\"1\" reg.1.label=\"y\"/>\n",
        "d/0004f2000002-user.cfg": "<u device.wifi.ssid=\"C\" device.wifi.ssid.set=\"0\" device.sec.TLS.customCaCert1=\"\"/>\n",
        "d/0004f2000003-user.cfg": "<u/>\n",
    ]
    let fleetFiles = FleetFiles(read: { files[$0].map { Array($0.utf8) } }, realPath: { "/srv/" + $0 })
    for mac in ["0004f2000001", "0004f2000002", "0004f2000003", "0004f2000004"] {
        let set = try ProvisioningSet.resolve(root: "d", isDirectory: true, mac: mac, model: nil, files: fleetFiles.files)
        func described(_ groups: [(file: String, findings: [Finding])]) -> [String] {
            groups.flatMap { g in g.findings.map { "\(g.file) \($0.offset) \($0.rule) \($0.message)" } }.sorted()
        }
        let alone = described(set.lintByFile(now: now))
        #expect(described(set.lintInFleet(fleetFiles, linter: Linter(now: now))) == alone, "\(mac)")
        #expect(alone.contains { $0.contains("shadowed") })
        let layered = set.effective(shared: fleetFiles.sharedNames(of: set)).all
        let whole = set.effective().all
        #expect(layered.count == whole.count, "\(mac)")
        for (name, source) in whole { #expect(layered[name] == source, "\(mac) \(name)") }
    }
}

@Suite("Lint: a device certificate's key, and the profile that presents it for EAP-TLS")
struct DeviceCertificateLintTests {
    let device = TestPKI.issue(cn: "0004f2000001", org: nil, serial: [0x21], ca: false, issuer: TestPKI.shared.root)
    let other = TestPKI.issue(cn: "0004f2000002", org: nil, serial: [0x22], ca: false, issuer: TestPKI.shared.root)

    func file(cert: String?, key: String?, method: String = "EAP-TLS", presents: String = "Platform1") -> String {
        "<p device.set=\"1\" device.wifi.wpa2Ent.method=\"\(method)\" device.wifi.wpa2Ent.method.set=\"1\" "
            + "device.sec.TLS.profile.deviceCert1=\"\(presents)\" device.sec.TLS.profile.deviceCert1.set=\"1\""
            + (cert.map { " device.sec.TLS.customDeviceCert1.publicCert=\"\($0)\"" } ?? "")
            + (key.map { " device.sec.TLS.customDeviceCert1.privateKey=\"\($0)\"" } ?? "")
            + " device.sec.TLS.customDeviceCert1.set=\"1\"/>\n"
    }

    func rules(_ text: String) -> [String] {
        ProvisioningSet(file: "f.cfg", document: CfgDocument(text)).lint(now: now).map {
            "\($0.finding.rule) \($0.finding.severity.rawValue) \($0.finding.parameter ?? "")"
        }.filter { $0.hasPrefix("device-key") || $0.hasPrefix("eap-tls") }
    }

    @Test("A certificate with its own key: nothing to say")
    func matching() {
        #expect(rules(file(cert: device.pem, key: device.keyPEM)) == [])
    }

    @Test("device-key: another certificate's key, or no key at all, is an error at the key (never quoting it)")
    func wrongOrMissingKey() {
        let text = file(cert: device.pem, key: other.keyPEM)
        #expect(rules(text) == ["device-key error device.sec.TLS.customDeviceCert1.privateKey"])
        let message = ProvisioningSet(file: "f.cfg", document: CfgDocument(text)).lint(now: now)
            .first { $0.finding.rule == "device-key" }!.finding.message
        #expect(message == "Device certificate 1's private key: the private key does not belong to the certificate "
            + "'0004f2000001': export the key that was generated with this certificate")
        #expect(!message.contains("PRIVATE KEY"))
        #expect(rules(file(cert: device.pem, key: nil)) == [
            "device-key error device.sec.TLS.customDeviceCert1.publicCert",
            "eap-tls-device-cert error device.wifi.wpa2Ent.method"])
    }

    @Test("eap-tls-device-cert: an empty slot is an error, the built-in certificate a warning, PEAP never asks")
    func eapTLS() {
        #expect(rules(file(cert: nil, key: nil)) == ["eap-tls-device-cert error device.wifi.wpa2Ent.method"])
        #expect(rules(file(cert: nil, key: nil, presents: "Builtin")) == [
            "eap-tls-device-cert warning device.wifi.wpa2Ent.method"])
        #expect(rules(file(cert: nil, key: nil, method: "PEAP-MSCHAPv2")) == [])
    }
}

@Suite("Which certificate file belongs to which handset")
struct CredentialMatchTests {
    static let root = TestPKI.shared.root

    static func found(_ file: String, cn: String, san: [String] = [], serial: UInt8, notAfter: Date = TestPKI.end,
                      serverOnly: Bool = false, key from: TestPKI.Issued? = nil) -> FoundCredentials {
        var issued = TestPKI.issue(cn: cn, org: nil, serial: [serial], ca: false, issuer: root, notAfter: notAfter,
                                   dnsNames: san, serverOnly: serverOnly)
        if let from { issued = from }
        let input = try! CertificateInput(Array((issued.pem + issued.keyPEM).utf8))
        let credentials = try! DeviceCredentials(certificates: input.certificates, keyBlock: input.privateKeys[0],
                                                 keyFile: file)
        return FoundCredentials(file: file, credentials: credentials)
    }

    @Test("A MAC is found in a name or a CN in any spelling, never inside a longer run of hex digits")
    func macsInText() {
        #expect(Fleet.macs(inText: "device_0004F2ABCDEF") == ["0004f2abcdef"])
        #expect(Fleet.macs(inText: "00-04-f2-ab-cd-ef") == ["0004f2abcdef"])
        #expect(Fleet.macs(inText: "phone 00:04:F2:AB:CD:EF (lobby)") == ["0004f2abcdef"])
        #expect(Fleet.macs(inText: "0004.f2ab.cdef") == ["0004f2abcdef"])
        #expect(Fleet.macs(inText: "serial 10004f2abcdef0") == [])
        #expect(Fleet.macs(inText: "0004f2000001-0004f2000002") == ["0004f2000001", "0004f2000002"])
        #expect(Fleet.macs(inText: "handset-12") == [])
    }

    @Test("The name wins, then the CN or subjectAltName, then the map; two MACs, or two files for one handset, are refused")
    func order() {
        let handsets = ["0004f2000001", "0004f2000002", "0004f2000003", "0004f2000004", "0004f2000005"]
        let files = [
            Self.found("certs/0004f2000001.pfx", cn: "0004f2000009", serial: 1),   // the name wins over the CN
            Self.found("certs/desk.pem", cn: "desk", san: ["00-04-f2-00-00-02.phones.example"], serial: 2),
            Self.found("certs/lobby.pem", cn: "lobby", serial: 3),                // by --map
            Self.found("certs/0004f2000004-and-0004f2000005.pem", cn: "x", serial: 4),
            Self.found("certs/0004f2000009.pem", cn: "x", serial: 5),
            Self.found("certs/printer.pem", cn: "printer", serial: 6),
        ]
        let match = Fleet.match(files, handsets: handsets, map: ["lobby.pem": "0004f2000003"], now: now)
        #expect(match.byHandset.mapValues(\.file) == [
            "0004f2000001": "certs/0004f2000001.pfx", "0004f2000002": "certs/desk.pem",
            "0004f2000003": "certs/lobby.pem"])
        #expect(match.unmatched.map { "\($0.file): \($0.reason)" } == [
            "certs/0004f2000004-and-0004f2000005.pem: names several MAC addresses (0004f2000004, 0004f2000005): add "
                + "it to --map",
            "certs/0004f2000009.pem: 0004f2000009 is no handset of the directory (add it to --inventory)",
            "certs/printer.pem: no MAC address in its name, its certificate's CN or subjectAltName, or --map",
        ])
        #expect(match.refused.map(\.mac) == ["0004f2000004", "0004f2000005"])
        let twice = Fleet.match(
            [Self.found("a/0004f2000001.pfx", cn: "a", serial: 7), Self.found("a/0004f2000001.pem", cn: "b", serial: 8)],
            handsets: ["0004f2000001"], map: [:], now: now)
        #expect(twice.byHandset.isEmpty)
        #expect(twice.refused.map(\.reason) == [
            "several files are for it (a/0004f2000001.pfx, a/0004f2000001.pem): keep one"])
    }

    @Test("Refused: expired, serverAuth only, a key two handsets share; warned: expiring within 30 days")
    func checks() {
        let shared = TestPKI.issue(cn: "shared", org: nil, serial: [9], ca: false, issuer: Self.root)
        let files = [
            Self.found("c/0004f2000001.pem", cn: "one", serial: 10, notAfter: now.addingTimeInterval(-86_400)),
            Self.found("c/0004f2000002.pem", cn: "two", serial: 11, serverOnly: true),
            Self.found("c/0004f2000003.pem", cn: "three", serial: 12, key: shared),
            Self.found("c/0004f2000004.pem", cn: "four", serial: 13, key: shared),
            Self.found("c/0004f2000005.pem", cn: "five", serial: 14, notAfter: now.addingTimeInterval(10 * 86_400 + 60)),
        ]
        let handsets = ["0004f2000001", "0004f2000002", "0004f2000003", "0004f2000004", "0004f2000005"]
        let match = Fleet.match(files, handsets: handsets, map: [:], now: now)
        #expect(Array(match.byHandset.keys) == ["0004f2000005"])
        #expect(match.refused.map { "\($0.mac): \($0.reason)" } == [
            "0004f2000001: 'one' (c/0004f2000001.pem) expired on \(Linter.day(now.addingTimeInterval(-86_400)))",
            "0004f2000002: 'two' (c/0004f2000002.pem) has an extended key usage without clientAuth: a RADIUS server "
                + "refuses it for EAP-TLS",
            "0004f2000003: c/0004f2000003.pem has the same key as the certificate of 0004f2000004: each handset needs "
                + "its own",
            "0004f2000004: c/0004f2000004.pem has the same key as the certificate of 0004f2000003: each handset needs "
                + "its own",
        ])
        #expect(match.warnings.map(\.message) == [
            "'five' expires in 10 days, on \(Linter.day(now.addingTimeInterval(10 * 86_400 + 60))): imported; plan its "
                + "replacement"])
    }
}

@Test("A CA list joined with And (the Polycom guides' BuiltinAndPlatform1, Platform1AndPlatform2) reads as its parts, and is written back so")
func caListWithAnd() {
    #expect(CAList("Platform1AndPlatform2") == CAList(builtin: false, slots: [1, 2]))
    #expect(CAList("builtinandplatform2") == CAList(builtin: true, slots: [2]))
    #expect(CAList("All") == CAList(builtin: true, slots: [1, 2]))
    #expect(CAList(builtin: false, slots: [1, 2]).value() == "Platform1AndPlatform2")
    #expect(CAList(builtin: true, slots: [1]).value() == "BuiltinAndPlatform1")
    #expect(CAList(builtin: true, slots: [1, 2]).value() == "All")
    #expect(CAList(builtin: false, slots: [2]).value() == "Platform2")
}
