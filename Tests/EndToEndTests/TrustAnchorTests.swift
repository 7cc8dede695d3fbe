import Foundation
import Testing
import TestSupport

private let wireless = "<polycomConfig>\r\n\t<WPA2Enterprise.PEAP\r\n\t\tdevice.set=\"1\"\r\n\t\tdevice.sec.TLS.customCaCert2=\"\"\r\n\t\tdevice.sec.TLS.customCaCert2.set=\"0\"\r\n\t/>\r\n</polycomConfig>\r\n"

/// A FileZilla-style self-signed server certificate: X.509 v1 (no extensions at all), 1024-bit RSA, SHA-1.
private func v1Certificate(in dir: URL) -> URL {
    TestPKI.openssl(["genrsa", "-out", "v1.key", "1024"], in: dir)
    TestPKI.openssl(["req", "-new", "-key", "v1.key", "-subj", "/CN=ftps.example.com", "-out", "v1.csr"], in: dir)
    TestPKI.openssl(["x509", "-req", "-in", "v1.csr", "-signkey", "v1.key", "-sha1", "-days", "3650", "-out", "v1.pem"], in: dir)
    return dir.appendingPathComponent("v1.pem")
}

private let note = "'ftps.example.com' is a self-signed server certificate: the handset will trust exactly this server; import it again when the server's certificate is renewed"

@Suite("Self-signed certificates are trust anchors", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
struct TrustAnchorTests {
    @Test("The guide's v1 self-signed FTPS certificate imports into slot 2 without --allow-non-root, with its warnings and the plain note")
    func v1FromFile() throws {
        let dir = temporaryDirectory()
        let pem = v1Certificate(in: dir)
        try #require(TestPKI.openssl(["x509", "-in", "v1.pem", "-noout", "-text"], in: dir).contains("Version: 1 (0x0)"))
        write(Array(wireless.utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "2", pem.lastPathComponent], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(note))
        #expect(result.stderr.contains("weak 1024-bit RSA key"))
        #expect(result.stderr.contains("sha1WithRSAEncryption"))
        #expect(!result.stderr.contains("basic constraints"))
        let der = TestPKI.openssl(["x509", "-in", "v1.pem", "-outform", "DER", "-out", "v1.der"], in: dir)
        _ = der
        let base64 = Data(contents(dir.appendingPathComponent("v1.der"))).base64EncodedString()
        #expect(String(decoding: contents(dir.appendingPathComponent("wireless.cfg")), as: UTF8.self) == wireless
            .replacingOccurrences(of: "customCaCert2=\"\"", with: "customCaCert2=\"\(base64)\"")
            .replacingOccurrences(of: "customCaCert2.set=\"0\"", with: "customCaCert2.set=\"1\""))
        let lint = slcfg(["lint", "--format", "gcc", "wireless.cfg"], in: dir)
        #expect(!lint.stdout.contains("cert-not-root"))
        #expect(lint.stdout.contains("[cert-weak-key]") && lint.stdout.contains("[cert-weak-signature]"))
        let show = slcfg(["cert", "show", "wireless.cfg", "--slot", "2"], in: dir)
        #expect(show.stdout.contains("    Role:         self-signed server certificate (its own root)\n"))
    }

    @Test("The same certificate from standard input with --pem is stored as PEM in the file's line endings")
    func v1FromStdinAsPEM() {
        let dir = temporaryDirectory()
        let pem = v1Certificate(in: dir)
        write(Array(wireless.utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "2", "--pem", "-"], in: dir, input: contents(pem))
        #expect(result.status == 0, "\(result.stderr)")
        let text = String(decoding: contents(dir.appendingPathComponent("wireless.cfg")), as: UTF8.self)
        #expect(text.contains("device.sec.TLS.customCaCert2=\"-----BEGIN CERTIFICATE-----\r\n"))
        #expect(text.contains("device.sec.TLS.customCaCert2.set=\"1\""))
    }

    @Test("A v3 self-signed certificate with CA:FALSE is a trust anchor too; a leaf issued by a CA still needs --allow-non-root")
    func v3CAFalse() {
        let dir = temporaryDirectory()
        TestPKI.openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "s.key", "-out", "s.pem", "-days", "365",
                         "-subj", "/CN=ftps.example.com", "-addext", "basicConstraints=critical,CA:FALSE"], in: dir)
        write(Array(wireless.utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let result = slcfg(["cert", "import", "wireless.cfg", "--slot", "2", "s.pem"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains(note))
        write(Array(TestPKI.shared.leaf.pem.utf8), to: dir.appendingPathComponent("leaf.pem"))
        let leaf = slcfg(["cert", "import", "wireless.cfg", "--slot", "1", "leaf.pem"], in: dir)
        #expect(leaf.status != 0)
        #expect(leaf.stderr.contains("is a server or user certificate issued by 'Test Issuing CA', not a CA"))
        #expect(!leaf.stderr.contains("basic constraints"))
    }
}
