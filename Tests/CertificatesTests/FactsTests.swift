import Foundation
import Testing
import TestSupport
import Certificates

private let pki = TestPKI.shared

@Suite("Certificate facts")
struct FactsTests {
    @Test("A root CA's facts: names, serial, dates, roles, key, signature")
    func rootFacts() throws {
        let facts = try CertificateFacts(der: pki.root.der, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(facts.subject == "CN=Test Root CA,O=Spectralink Lab")
        #expect(facts.subjectCommonName == "Test Root CA")
        #expect(facts.issuer == facts.subject)
        #expect(facts.issuerCommonName == "Test Root CA")
        #expect(facts.serialNumber == "0102")
        #expect(facts.notBefore == TestPKI.start)
        #expect(facts.notAfter == TestPKI.end)
        #expect(!facts.expired && !facts.notYetValid)
        #expect(facts.selfSigned && facts.isCA)
        #expect(facts.keyAlgorithm == "EC" && facts.keyBits == 256)
        #expect(facts.signatureAlgorithm == "ecdsa-with-SHA256")
        #expect(facts.sha256.count == 64 && facts.sha1.count == 40)
        #expect(facts.warnings(now: Date(timeIntervalSince1970: 1_800_000_000)) == [])
    }

    @Test("A leaf is neither self-signed nor a CA")
    func leafFacts() throws {
        let facts = try CertificateFacts(der: pki.leaf.der)
        #expect(facts.subject == "CN=radius.lab.example")
        #expect(facts.issuer == "CN=Test Issuing CA,O=Spectralink Lab")
        #expect(!facts.selfSigned && !facts.isCA)
        #expect(facts.serialNumber == "7f10")
    }

    @Test("A certificate named like its issuer but signed by another key is not self-signed")
    func sameNameOtherKey() throws {
        let impostor = TestPKI.issue(cn: "Test Root CA", org: "Spectralink Lab", serial: [5], ca: true, issuer: pki.intermediate)
        var facts = try CertificateFacts(der: impostor.der)
        #expect(facts.issuer == "CN=Test Issuing CA,O=Spectralink Lab" && !facts.selfSigned)
        let lookalike = TestPKI.issue(cn: "Test Issuing CA", org: "Spectralink Lab", serial: [6], ca: true, issuer: pki.intermediate)
        facts = try CertificateFacts(der: lookalike.der)
        #expect(facts.subject == facts.issuer && !facts.selfSigned)
    }

    @Test("Validity is judged against the given date, with a warning for each problem")
    func validityWarnings() throws {
        let expired = try CertificateFacts(der: pki.root.der, now: Date(timeIntervalSince1970: 2_100_000_000))
        #expect(expired.expired && !expired.notYetValid)
        #expect(expired.warnings(now: Date(timeIntervalSince1970: 2_100_000_000))
                == ["'Test Root CA' expired on 2033-05-18: the handset will reject servers that rely on it"])
        let early = try CertificateFacts(der: pki.root.der, now: Date(timeIntervalSince1970: 1_600_000_000))
        #expect(early.notYetValid && !early.expired)
        #expect(early.warnings(now: Date(timeIntervalSince1970: 1_600_000_000))
                == ["'Test Root CA' is not valid until 2023-11-14: check the handset's clock and the certificate"])
        let soonNow = TestPKI.end.addingTimeInterval(-10 * 86400 - 60)
        let soon = try CertificateFacts(der: pki.root.der, now: soonNow)
        #expect(soon.warnings(now: soonNow) == ["'Test Root CA' expires in 10 days, on 2033-05-18: plan its replacement"])
    }

    @Test("Weak RSA keys and SHA-1 signatures are warned about", .enabled(if: opensslAvailable))
    func weakCertificates() throws {
        let dir = temporaryDirectory()
        TestPKI.openssl(["req", "-x509", "-newkey", "rsa:1024", "-sha1", "-nodes", "-keyout", "k.pem", "-out", "c.pem",
                         "-subj", "/CN=Old Root", "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE"], in: dir)
        let facts = try #require(try CertificateInput(contents(dir.appendingPathComponent("c.pem"))).certificates.first)
        #expect(facts.keyAlgorithm == "RSA" && facts.keyBits == 1024)
        #expect(facts.signatureAlgorithm == "sha1WithRSAEncryption")
        #expect(facts.warnings() == [
            "'Old Root' has a weak 1024-bit RSA key: 2048 bits or more is expected",
            "'Old Root' is signed with sha1WithRSAEncryption, which is broken: ask for a certificate signed with SHA-256",
        ])
    }

    @Test("JSON has exactly the documented fields, dates in ISO 8601 and lower-case hex")
    func json() throws {
        let facts = try CertificateFacts(der: pki.root.der, now: Date(timeIntervalSince1970: 1_800_000_000))
        let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(facts)) as! [String: Any]
        #expect(Set(object.keys) == ["subject", "subjectCommonName", "issuer", "issuerCommonName", "serialNumber", "notBefore",
                                     "notAfter", "expired", "notYetValid", "selfSigned", "isCA", "keyAlgorithm", "keyBits",
                                     "signatureAlgorithm", "sha256", "sha1"])
        #expect(object["notBefore"] as? String == "2023-11-14T22:13:20Z")
        #expect(object["notAfter"] as? String == "2033-05-18T03:33:20Z")
        #expect((object["sha256"] as? String)?.allSatisfy { "0123456789abcdef".contains($0) } == true)
    }
}

let opensslAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")
