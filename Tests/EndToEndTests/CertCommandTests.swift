import Foundation
import Testing
import TestSupport

private let pki = TestPKI.shared
private let wireless = "<polycomConfig>\r\n\t<WPA2Enterprise.PEAP\r\n\t\tdevice.set=\"1\"\r\n\t\tdevice.sec.tls.customCaCert1=\"\"\r\n\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n\t/>\r\n</polycomConfig>\r\n"

private func fixture() -> (URL, URL) {
    let dir = temporaryDirectory()
    let file = dir.appendingPathComponent("wireless.cfg")
    write(Array(wireless.utf8), to: file)
    write(Array((pki.leaf.pem + pki.intermediate.pem + pki.root.pem).utf8), to: dir.appendingPathComponent("chain.pem"))
    write(Array(pki.leaf.pem.utf8), to: dir.appendingPathComponent("leaf.pem"))
    write(Array(pki.leaf.keyPEM.utf8), to: dir.appendingPathComponent("leaf.key"))
    return (dir, file)
}

@Suite("cert commands")
struct CertCommandTests {
    @Test("cert import takes the root of a chain from stdin, stores one line of base64 and sets .set")
    func importChainFromStdin() {
        let (dir, file) = fixture()
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "-"], in: dir,
                           input: Array((pki.leaf.pem + pki.intermediate.pem + pki.root.pem).utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let base64 = Data(pki.root.der).base64EncodedString()
        #expect(String(decoding: contents(file), as: UTF8.self) == wireless
            .replacingOccurrences(of: "customCaCert1=\"\"", with: "customCaCert1=\"\(base64)\"")
            .replacingOccurrences(of: "customCaCert1.set=\"0\"", with: "customCaCert1.set=\"1\""))
        #expect(result.stderr.hasPrefix("wireless.cfg: device.sec.tls.customCaCert1: \"\" -> (\(base64.count) characters)\nwireless.cfg: device.sec.tls.customCaCert1.set: \"0\" -> \"1\"\nkept the root 'Test Root CA' of 3 certificates (left out 'radius.lab.example', 'Test Issuing CA')\nImported into Platform CA 1:\n  Subject:      CN=Test Root CA,O=Spectralink Lab\n"))
    }

    @Test("cert import of a Windows-style .p7b chain export (DER and PEM, made by openssl) stores its root",
          arguments: ["DER", "PEM"])
    func importPKCS7(form: String) throws {
        let (dir, file) = fixture()
        for (name, subject, issuer) in [("root", "/CN=Corp Root", nil), ("issuing", "/CN=Corp Issuing", "root"),
                                        ("radius", "/CN=radius.corp", "issuing")] as [(String, String, String?)] {
            TestPKI.openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "\(name).key", "-subj", subject,
                             "-out", "\(name).csr"], in: dir)
            let ca = name == "radius" ? [] : ["-extfile", "ca.ext"]
            try "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n".write(
                to: dir.appendingPathComponent("ca.ext"), atomically: true, encoding: .utf8)
            let signer = issuer.map { ["-CA", "\($0).pem", "-CAkey", "\($0).key", "-CAcreateserial"] }
                ?? ["-signkey", "\(name).key"]
            TestPKI.openssl(["x509", "-req", "-in", "\(name).csr", "-days", "365", "-out", "\(name).pem"] + signer + ca,
                            in: dir)
        }
        let chain = try ["radius", "issuing", "root"].map {
            try String(contentsOf: dir.appendingPathComponent("\($0).pem"), encoding: .utf8)
        }.joined()
        try chain.write(to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
        TestPKI.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", form, "-out", "corp.p7b"], in: dir)
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "corp.p7b"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("kept the root 'Corp Root' of 3 certificates (left out 'radius.corp', "
            + "'Corp Issuing')\nImported into Platform CA 1:\n  Subject:      CN=Corp Root\n"))
        TestPKI.openssl(["x509", "-in", "root.pem", "-outform", "DER", "-out", "root.der"], in: dir)
        let root = try Data(contentsOf: dir.appendingPathComponent("root.der")).base64EncodedString()
        #expect(String(decoding: contents(file), as: UTF8.self).contains("customCaCert1=\"\(root)\""))
    }

    @Test("cert import --dry-run prints the diff and writes nothing")
    func dryRun() {
        let (dir, file) = fixture()
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "--dry-run", "chain.pem"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("--- a/wireless.cfg\n+++ b/wireless.cfg\n@@ -1,7 +1,7 @@\n"))
        #expect(result.stdout.hasSuffix("-\t\tdevice.sec.tls.customCaCert1=\"\"\r\n-\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n+\t\tdevice.sec.tls.customCaCert1=\"\(Data(pki.root.der).base64EncodedString())\"\r\n+\t\tdevice.sec.tls.customCaCert1.set=\"1\"\r\n \t/>\r\n </polycomConfig>\r\n"))
        #expect(contents(file) == Array(wireless.utf8))
    }

    @Test("Bad certificate input never changes the file: one line, non-zero exit", arguments: [
        (["leaf.pem"], "slcfg: leaf.pem: 'radius.lab.example' is a server or user certificate issued by 'Test Issuing CA', not a CA; the handset validates the RADIUS or provisioning server's chain up to a root CA it holds, so the server's certificate (or an intermediate) alone will not do. Import the root CA certificate ('Test Issuing CA' or above), or pass --allow-non-root to import 'radius.lab.example' anyway\n"),
        (["leaf.key"], "slcfg: leaf.key: found a private key, not a certificate: a CA slot takes the CA's certificate\n"),
        (["wireless.cfg"], "slcfg: wireless.cfg: found XML or HTML, not a certificate: this looks like a configuration file or a web page\n"),
        (["missing.pem"], "slcfg: missing.pem: cannot open: No such file or directory; check the path\n"),
    ])
    func refusals(certificate: [String], message: String) {
        let (dir, file) = fixture()
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "2"] + certificate, in: dir)
        #expect(result.status != 0)
        #expect(result.stderr == message)
        #expect(contents(file) == Array(wireless.utf8))
    }

    @Test("--slot must be 1 or 2")
    func badSlot() {
        let (dir, _) = fixture()
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "3", "chain.pem"], in: dir)
        #expect(result.status == 64)
        #expect(result.stderr == "slcfg: --slot takes 1 or 2 (the handset has Platform CA 1 and 2) (see 'slcfg cert import --help')\n")
    }

    @Test("cert inspect --json lists every certificate with the documented fields")
    func inspectJSON() throws {
        let (dir, _) = fixture()
        let result = slcfg(["cert", "inspect", "--json", "chain.pem"], in: dir)
        #expect(result.status == 0)
        let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(array.map { $0["subjectCommonName"] as? String } == ["radius.lab.example", "Test Issuing CA", "Test Root CA"])
        #expect(array.map { $0["selfSigned"] as? Bool } == [false, false, true])
        #expect(array[2]["notAfter"] as? String == "2033-05-18T03:33:20Z")
    }

    @Test("cert show reports each slot's parameter, .set state and certificate")
    func show() {
        let (dir, _) = fixture()
        _ = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "chain.pem"], in: dir)
        let result = slcfg(["cert", "show", "wireless.cfg", "--slot", "1"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("wireless.cfg\n  Platform CA 1: device.sec.tls.customCaCert1, applied\n    Subject:      CN=Test Root CA,O=Spectralink Lab\n"))
        #expect(result.stdout.hasSuffix("  Device certificate 1: empty (no device.sec.TLS.customDeviceCert1.publicCert parameter in the file)\n"))
    }

    @Test("cert import-device --pfx with --passphrase-file stores certificate and key; the key never reaches stderr",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func importDevicePFX() {
        let (dir, file) = fixture()
        TestPKI.openssl(["pkcs12", "-export", "-in", "leaf.pem", "-inkey", "leaf.key", "-out", "d.pfx", "-passout", "pass:s3cret"], in: dir)
        write(Array("s3cret\n".utf8), to: dir.appendingPathComponent("pass.txt"))
        let result = slcfg(["cert", "import-device", "wireless.cfg", "--slot", "2", "--pfx", "d.pfx", "--passphrase-file", "pass.txt"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: contents(file), as: UTF8.self)
        #expect(text.contains("\t\tdevice.sec.TLS.customDeviceCert2.publicCert=\"-----BEGIN CERTIFICATE-----\r\n"))
        #expect(text.contains("\t\tdevice.sec.TLS.customDeviceCert2.privateKey=\"-----BEGIN PRIVATE KEY-----\r\n"))
        #expect(text.contains("\t\tdevice.sec.TLS.customDeviceCert2.set=\"1\"\r\n"))
        #expect(!result.stderr.contains("PRIVATE KEY") && !result.stderr.contains("s3cret"))
        #expect(result.stderr.contains("device.sec.TLS.customDeviceCert2.privateKey = (private key) (inserted)"))
    }

    @Test("cert import-device refuses a key of another certificate, changing nothing")
    func importDeviceMismatch() {
        let (dir, file) = fixture()
        write(Array(pki.root.keyPEM.utf8), to: dir.appendingPathComponent("other.key"))
        let result = slcfg(["cert", "import-device", "wireless.cfg", "--slot", "1", "--cert", "leaf.pem", "--key", "other.key"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "slcfg: the private key does not belong to the certificate 'radius.lab.example': export the key that was generated with this certificate\n")
        #expect(contents(file) == Array(wireless.utf8))
    }
}

@Suite("cert inspect on the system trust store")
struct TrustStoreInspectTests {
    static let bundlePath = "/etc/ssl/certs/ca-certificates.crt"

    @Test("cert inspect --json reads every certificate of the trust store bundle, each a self-signed CA, fingerprints as openssl gives them",
          .enabled(if: FileManager.default.fileExists(atPath: "/etc/ssl/certs/ca-certificates.crt")))
    func trustBundle() throws {
        let text = try String(contentsOfFile: Self.bundlePath, encoding: .utf8)
        let count = text.components(separatedBy: "-----BEGIN CERTIFICATE-----").count - 1
        let result = slcfg(["cert", "inspect", "--json", Self.bundlePath])
        #expect(result.status == 0, "\(result.stderr)")
        let facts = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [[String: Any]]
        #expect(facts.count == count)
        #expect(facts.allSatisfy { $0["selfSigned"] as? Bool == true && $0["isCA"] as? Bool == true })
        // The first certificate's fingerprint, as openssl computes it.
        let first = run("/usr/bin/env", ["openssl", "x509", "-in", Self.bundlePath, "-noout", "-fingerprint", "-sha256"]).stdout
        let expected = first.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased().trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(facts.first?["sha256"] as? String == expected)
    }
}
