// The setup check across parameters: each rule fires on a file built to break it, names the entry it concerns,
// and is silent on the fixed file, on a set whose files together are right, and on every fixture.
import Foundation
import Testing
import TestSupport
import CfgDocument
import Handset
import Certificates

private let now = Date(timeIntervalSince1970: 1_800_000_000)
private let setupRules: Set = [
    "wifi-credentials", "eap-tls-device-cert", "dot1x-no-anchor", "prov-scheme", "prov-cleartext-login",
    "static-address", "wifi-radio",
]

/// A working WPA2-Enterprise PEAP setup with FTPS provisioning, every value applied.
private let working: [(String, String)] = [
    ("device.wifi.ssid", "Corp-Voice"), ("device.wifi.securityMode", "WPA2-Enterprise"),
    ("device.wifi.wpa2Ent.method", "PEAP-MSCHAPv2"), ("device.wifi.wpa2Ent.user", "handset"),
    ("device.wifi.wpa2Ent.password", "s3cret-pass"), ("device.wifi.radio.regulatoryDomain", "1"),
    ("device.wifi.radio.band2_4GHz.enable", "1"), ("device.wifi.radio.band5GHz.enable", "1"),
    ("device.wifi.dhcpEnabled", "1"), ("device.sec.TLS.customCaCert1", PEM.base64Encode(TestPKI.shared.root.der)),
    ("device.sec.TLS.profile.caCertList1", "Platform1"), ("device.sec.TLS.profileSelection.dot1x", "PlatformProfile1"),
    ("device.prov.serverType", "4"), ("device.prov.serverName", "prov.example.com"),
    ("device.prov.user", "site"), ("device.prov.password", "pw"),
]

/// `working` with `changes` (a nil value removes the name; `.set` "0" written for names in `ignored`).
private func file(_ changes: [String: String?] = [:], ignored: Set<String> = []) -> String {
    var values = working.filter { changes[$0.0] == nil }
    for (name, value) in changes.sorted(by: { $0.key < $1.key }) { if let value { values.append((name, value)) } }
    let attributes = values.map { name, value in
        "\n  \(name)=\"\(value)\" \(name).set=\"\(ignored.contains(name) ? "0" : "1")\""
    }.joined()
    return "<device device.set=\"1\"\(attributes)/>\n"
}

/// The setup findings of one file, as "rule severity parameter".
private func setup(_ text: String) -> [String] {
    Linter(now: now).lintAlone(CfgDocument(text)).filter { setupRules.contains($0.rule) }.map {
        "\($0.rule) \($0.severity.rawValue) \($0.parameter ?? "")"
    }
}

private func message(_ text: String, _ rule: String) -> String? {
    Linter(now: now).lintAlone(CfgDocument(text)).first { $0.rule == rule }?.message
}

@Suite("The setup check across parameters")
struct SetupCheckTests {
    @Test("A working setup has nothing to say")
    func working() {
        #expect(setup(file()) == [])
    }

    @Test("wifi-credentials: WPA2-PSK without a key, or a key of the wrong length, is an error that never shows the key")
    func preSharedKey() {
        let psk: [String: String?] = ["device.wifi.securityMode": "WPA2-PSK", "device.wifi.wpa2Ent.method": nil]
        #expect(setup(file(psk)) == ["wifi-credentials error device.wifi.securityMode"])
        var short = psk
        short["device.wifi.psk.key"] = "abc12"
        #expect(setup(file(short)) == ["wifi-credentials error device.wifi.psk.key"])
        #expect(message(file(short), "wifi-credentials") == "the pre-shared key is 5 characters long: WPA2-PSK takes "
            + "8 to 63 printable ASCII characters, or 64 hexadecimal digits, so the handset cannot join the network; "
            + "set the network's passphrase")
        #expect(setup(file(psk.merging(["device.wifi.psk.key": "abc12"]) { $1 }, ignored: ["device.wifi.psk.key"]))
            == ["wifi-credentials error device.wifi.psk.key"])
        for good in ["12345678", String(repeating: "x", count: 63), String(repeating: "aF", count: 32), "##Key##"] {
            #expect(setup(file(psk.merging(["device.wifi.psk.key": good]) { $1 })) == [], "\(good)")
        }
        for bad in [String(repeating: "x", count: 64), "caf\u{E9}-caf\u{E9}"] {
            #expect(setup(file(psk.merging(["device.wifi.psk.key": bad]) { $1 })) == [
                "wifi-credentials error device.wifi.psk.key"])
        }
    }

    @Test("wifi-credentials: WPA2-Enterprise without an EAP method, or PEAP without an identity or password")
    func enterprise() {
        #expect(setup(file(["device.wifi.wpa2Ent.method": nil])) == ["wifi-credentials error device.wifi.securityMode"])
        #expect(setup(file(["device.wifi.wpa2Ent.password": nil])) == [
            "wifi-credentials error device.wifi.wpa2Ent.method"])
        #expect(setup(file(ignored: ["device.wifi.wpa2Ent.password"])) == [
            "wifi-credentials error device.wifi.wpa2Ent.password"])
        #expect(message(file(["device.wifi.wpa2Ent.user": nil, "device.wifi.wpa2Ent.password": nil]),
                        "wifi-credentials") == "802.1X uses PEAP but without an identity and a password that applies "
            + "(device.wifi.wpa2Ent.user, device.wifi.wpa2Ent.password missing, empty, or not .set): the RADIUS server "
            + "refuses the handset; set the user's login")
    }

    @Test("dot1x-no-anchor: 802.1X whose profile trusts only an empty slot is an error, said once (no profile-no-ca)")
    func noAnchor() {
        let text = file(["device.sec.TLS.customCaCert1": ""])
        #expect(setup(text) == ["dot1x-no-anchor error device.sec.TLS.profile.caCertList1"])
        #expect(Linter(now: now).lintAlone(CfgDocument(text)).filter { $0.rule == "profile-no-ca" }.map(\.parameter)
            == ["device.sec.TLS.profileSelection.provisioning"])
        #expect(message(text, "dot1x-no-anchor") == "802.1X uses Platform Profile 1, whose CA list (\"Platform1\") "
            + "leaves out the built-in CAs, and Platform CA 1 is empty or not applied: the handset always validates "
            + "the RADIUS server, so it can never join the network; import the RADIUS server's root CA with 'slcfg "
            + "cert import FILE --slot 1 --for wlan'")
        #expect(setup(file(["device.sec.TLS.customCaCert1": ""], ignored: ["device.sec.TLS.profile.caCertList1"])) == [])
        #expect(setup(file(["device.sec.TLS.customCaCert1": "", "device.sec.TLS.profile.caCertList1": "Builtin"]))
            == [])
        #expect(setup(file(["device.sec.TLS.customCaCert1": "", "device.wifi.securityMode": "WPA2-PSK",
                            "device.wifi.psk.key": "12345678"])) == [])
    }

    @Test("prov-scheme: a server name written as a URL of another protocol than serverType is a warning")
    func scheme() {
        #expect(setup(file(["device.prov.serverName": "https://prov.example.com/cfg"])) == [
            "prov-scheme warning device.prov.serverName"])
        #expect(message(file(["device.prov.serverName": "ftp://prov"], ignored: ["device.prov.serverType"]),
                        "prov-scheme") == nil)
        #expect(message(file(["device.prov.serverName": "https://prov"], ignored: ["device.prov.serverType"]),
                        "prov-scheme") == "the provisioning server is written as https:// but device.prov.serverType "
            + "is FTP (the default): the two disagree, and the handset may use either; make them agree (serverType 3 "
            + "for HTTPS, or change the address)")
        #expect(setup(file(["device.prov.serverName": "ftps://prov.example.com"])) == [])
    }

    @Test("prov-cleartext-login: a login over FTP, TFTP or HTTP is an info; FTPS, HTTPS or no type written say nothing")
    func clearText() {
        #expect(setup(file(["device.prov.serverType": "0"])) == ["prov-cleartext-login info device.prov.user"])
        #expect(setup(file(["device.prov.serverType": "HTTP", "device.prov.user": nil])) == [
            "prov-cleartext-login info device.prov.password"])
        #expect(setup(file(["device.prov.serverType": "3"])) == [])
        #expect(setup(file(["device.prov.serverType": nil])) == [])
    }

    @Test("wifi-radio: both bands off is an error; a regulatory domain written but left unset is an info")
    func radio() {
        #expect(setup(file(["device.wifi.radio.band2_4GHz.enable": "0", "device.wifi.radio.band5GHz.enable": "0"]))
            == ["wifi-radio error device.wifi.radio.band5GHz.enable"])
        #expect(setup(file(["device.wifi.radio.band2_4GHz.enable": "0"])) == [])
        #expect(setup(file(["device.wifi.radio.regulatoryDomain": ""])) == [
            "wifi-radio info device.wifi.radio.regulatoryDomain"])
        #expect(setup(file(["device.wifi.radio.regulatoryDomain": nil])) == [])
    }

    @Test("static-address: DHCP off with a fixed address in a shared file is a warning; a handset's own file is not")
    func staticAddress() {
        let text = file(["device.wifi.dhcpEnabled": "0", "device.wifi.ipAddress": "10.0.0.5"])
        let shared = ProvisioningSet(file: "prov/site.cfg", document: CfgDocument(text)).lint(now: now)
            .filter { $0.finding.rule == "static-address" }
        #expect(shared.map { "\($0.file) \($0.finding.severity.rawValue) \($0.finding.parameter ?? "")" } == [
            "prov/site.cfg warning device.wifi.ipAddress"])
        #expect(shared.first?.finding.message == "site.cfg turns DHCP off and gives the fixed address 10.0.0.5, and "
            + "every handset that reads site.cfg takes it: they conflict on the network; put the address in each "
            + "handset's own <MAC>.cfg, or turn DHCP on (device.wifi.dhcpEnabled=\"1\")")
        let own = ProvisioningSet(file: "prov/0004f2abcdef.cfg", document: CfgDocument(text)).lint(now: now)
        #expect(!own.contains { $0.finding.rule == "static-address" })
        #expect(setup(file(["device.wifi.dhcpEnabled": "1", "device.wifi.ipAddress": "10.0.0.5"])) == [])
    }

    @Test("Over a set the rules read the values the handset applies: a key in one file, the mode in another")
    func acrossFiles() throws {
        let files: [String: String] = [
            "d/000000000000.cfg": "<APPLICATION CONFIG_FILES=\"wireless.cfg, site.cfg\"/>\n",
            "d/site.cfg": "<s device.set=\"1\" device.wifi.securityMode=\"WPA2-PSK\" "
                + "device.wifi.securityMode.set=\"1\" device.wifi.dhcpEnabled=\"0\" device.wifi.dhcpEnabled.set=\"1\"/>\n",
            "d/wireless.cfg": "<w device.wifi.psk.key=\"short\" device.wifi.psk.key.set=\"1\" "
                + "device.wifi.ipAddress=\"10.1.1.1\" device.wifi.ipAddress.set=\"1\"/>\n",
        ]
        let set = try ProvisioningSet.resolve(
            root: "d", isDirectory: true, mac: nil, model: nil,
            files: SetFiles(read: { files[$0].map { Array($0.utf8) } }, realPath: { "/srv/" + $0 }))
        let found = set.lint(now: now).filter { setupRules.contains($0.finding.rule) }
        #expect(found.map { "\($0.file) \($0.finding.rule) \($0.finding.parameter ?? "")" } == [
            "d/wireless.cfg wifi-credentials device.wifi.psk.key", "d/wireless.cfg static-address device.wifi.ipAddress"])
    }

    @Test("Every fixture is silent", arguments: Samples.fixtures)
    func fixtures(file: SampleFile) {
        #expect(setup(String(decoding: file.bytes, as: UTF8.self)) == [])
    }

    @Test("Every corpus file is silent",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func corpus(file: SampleFile) {
        #expect(setup(String(decoding: file.bytes, as: UTF8.self)) == [])
    }
}
