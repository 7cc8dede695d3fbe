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
    func lintEachHandset() {
        let result = slcfg(["lint", "prov", "--each-handset", "--format", "gcc"], in: planted.root)
        #expect(result.status == 1)
        #expect(result.stderr == "")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let all = "(all 7 handsets: 0004f2000001, 0004f2000002, 0004f2000003, 0004f2000004, 0004f2000005, +2 more)"
        try? #require(lines.count == 6)
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
