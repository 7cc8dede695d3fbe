// A provisioning directory of handsets made with openssl: a site CA, EAP-TLS, and one device
// certificate and key per handset, with chosen ones expired, missing or given another's key.
import Foundation

public struct TestFleet: Sendable {
    /// What is wrong with one handset's device file.
    public enum Plant: Sendable {
        /// The certificate expired in 2021.
        case expired
        /// The device file holds no certificate.
        case noCertificate
        /// The key is another handset's.
        case foreignKey
        /// The certificate expires in `days` days.
        case expiresIn(Int)
    }

    /// The temporary directory: `prov/` (the provisioning directory), `pki/` (keys and certificates).
    public let root: URL
    public var prov: URL { root.appendingPathComponent("prov") }
    public var pki: URL { root.appendingPathComponent("pki") }
    /// The handsets' MACs, `0004f2000001` on.
    public let macs: [String]

    /// `count` handsets, `plants` by handset number (1-based). `site` is added to site.cfg's
    /// element (a shared finding for every handset).
    public init(count: Int, plants: [Int: Plant] = [:], site: String = "") {
        root = temporaryDirectory()
        macs = (1...count).map { String(format: "0004f2%06x", $0) }
        try! FileManager.default.createDirectory(at: prov, withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
        TestPKI.openssl(
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
             "-out", "ca.pem", "-days", "3650", "-subj", "/CN=Fleet Root CA"], in: pki)
        writeShared(site: site)
        var pems: [(cert: String, key: String)] = []
        for (k, mac) in macs.enumerated() {
            pems.append(issue(mac, plant: plants[k + 1]))
        }
        for (k, mac) in macs.enumerated() {
            let plant = plants[k + 1]
            if case .noCertificate? = plant {
                writeText("<?xml version=\"1.0\" standalone=\"yes\"?>\n<device/>\n", to: "\(mac)-device.cfg")
                continue
            }
            let key = if case .foreignKey? = plant { pems[(k + 1) % pems.count].key } else { pems[k].key }
            writeText(Self.deviceFile(cert: pems[k].cert, key: key), to: "\(mac)-device.cfg")
        }
    }

    /// A device file holding a certificate and key in slot 1, applied.
    public static func deviceFile(cert: String, key: String) -> String {
        "<?xml version=\"1.0\" standalone=\"yes\"?>\n<device device.sec.TLS.customDeviceCert1.publicCert=\"\(cert)\" "
            + "device.sec.TLS.customDeviceCert1.privateKey=\"\(key)\" device.sec.TLS.customDeviceCert1.set=\"1\"/>\n"
    }

    /// The master, site.cfg (the CA in Platform CA 1, profile 1 for 802.1X presenting device
    /// certificate 1) and wireless.cfg (WPA2-Enterprise with EAP-TLS).
    func writeShared(site: String) {
        let ca = String(decoding: contents(pki.appendingPathComponent("ca.pem")), as: UTF8.self)
        for (name, text) in Self.sharedFiles(
            list: "[PHONE_MAC_ADDRESS]-device.cfg, site.cfg, wireless.cfg", ca: ca, presents: true, site: site)
        {
            writeText(text, to: name)
        }
    }

    /// The shared files of a fleet: the master listing `list`, site.cfg (`ca` in Platform CA 1,
    /// profile 1 for 802.1X, presenting device certificate 1 when `presents`) and wireless.cfg
    /// (WPA2-Enterprise with EAP-TLS).
    public static func sharedFiles(list: String, ca: String, presents: Bool, site: String = "")
        -> [(name: String, text: String)]
    {
        let ca = ca.trimmingCharacters(in: .whitespacesAndNewlines)
        let master = "<?xml version=\"1.0\" standalone=\"yes\"?>\n<APPLICATION CONFIG_FILES=\"\(list)\"/>\n"
        let siteText = "<?xml version=\"1.0\" standalone=\"yes\"?>\n<site device.set=\"1\"\n"
            + "  device.sec.TLS.customCaCert1=\"\(ca)\"\n  device.sec.TLS.customCaCert1.set=\"1\"\n"
            + "  device.sec.TLS.profileSelection.dot1x=\"PlatformProfile1\" "
            + "device.sec.TLS.profileSelection.dot1x.set=\"1\""
            + (presents
                ? "\n  device.sec.TLS.profile.deviceCert1=\"Platform1\" device.sec.TLS.profile.deviceCert1.set=\"1\""
                : "")
            + "\(site)/>\n"
        let wireless = "<?xml version=\"1.0\" standalone=\"yes\"?>\n<wireless device.wifi.ssid=\"Corp\" "
            + "device.wifi.ssid.set=\"1\"\n  device.wifi.securityMode=\"WPA2-Enterprise\" "
            + "device.wifi.securityMode.set=\"1\"\n  device.wifi.wpa2Ent.method=\"EAP-TLS\" "
            + "device.wifi.wpa2Ent.method.set=\"1\"/>\n"
        return [("000000000000.cfg", master), ("site.cfg", siteText), ("wireless.cfg", wireless)]
    }

    /// A key and a certificate for `mac` (CN = the MAC), issued by the fleet's CA: `pki/MAC.pem`
    /// and `pki/MAC.key`.
    func issue(_ mac: String, plant: Plant?) -> (cert: String, key: String) {
        TestPKI.openssl(
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "\(mac).key",
             "-out", "\(mac).csr", "-subj", "/CN=\(mac)"], in: pki)
        if case .expired? = plant {
            let config = "[ca]\ndefault_ca = d\n[d]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\n"
                + "default_md = sha256\npolicy = p\nunique_subject = no\n[p]\ncommonName = supplied\n"
            write(Array(config.utf8), to: pki.appendingPathComponent("ca.cnf"))
            write([], to: pki.appendingPathComponent("index.txt"))
            write(Array("1000\n".utf8), to: pki.appendingPathComponent("serial"))
            TestPKI.openssl(
                ["ca", "-config", "ca.cnf", "-batch", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "\(mac).csr",
                 "-out", "\(mac).pem", "-startdate", "20200101000000Z", "-enddate", "20210101000000Z", "-notext"],
                in: pki)
        } else {
            var days = 365
            if case .expiresIn(let n)? = plant { days = n }
            TestPKI.openssl(
                ["x509", "-req", "-in", "\(mac).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", "\(mac).pem", "-days", String(days)], in: pki)
        }
        func text(_ name: String) -> String {
            String(decoding: contents(pki.appendingPathComponent(name)), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return (text("\(mac).pem"), text("\(mac).key"))
    }

    /// Writes `text` to `name` in the provisioning directory.
    public func writeText(_ text: String, to name: String) {
        write(Array(text.utf8), to: prov.appendingPathComponent(name))
    }
}
