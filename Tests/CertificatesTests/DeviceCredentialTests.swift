import Foundation
import Testing
import TestSupport
import Certificates

private let pki = TestPKI.shared

@Suite("Device certificates and keys")
struct DeviceCredentialTests {
    @Test("A matching PKCS#8 EC key pairs with its certificate; the key keeps its PEM header")
    func matchPKCS8() throws {
        let credentials = try DeviceCredentials(certificate: try CertificateInput(Array(pki.leaf.pem.utf8)),
                                                key: try CertificateInput(Array(pki.leaf.keyPEM.utf8)))
        #expect(credentials.certificate.der == pki.leaf.der)
        #expect(credentials.privateKeyPEM == pki.leaf.keyPEM.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(credentials.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
    }

    @Test("From a chain, the certificate that matches the key is taken")
    func matchInChain() throws {
        let credentials = try DeviceCredentials(certificate: try CertificateInput(Array((pki.intermediate.pem + pki.leaf.pem).utf8)),
                                                key: try CertificateInput(Array(pki.leaf.keyPEM.utf8)))
        #expect(credentials.certificate.der == pki.leaf.der)
    }

    @Test("A key of another certificate is refused")
    func mismatch() {
        #expect(throws: CertificateError("the private key does not belong to the certificate 'radius.lab.example': export the key that was generated with this certificate")) {
            try DeviceCredentials(certificate: try CertificateInput(Array(pki.leaf.pem.utf8)),
                                  key: try CertificateInput(Array(pki.root.keyPEM.utf8)))
        }
    }

    @Test("PKCS#1 RSA and SEC1 EC keys are accepted", .enabled(if: opensslAvailable), arguments: ["rsa", "ec"])
    func otherKeyFormats(kind: String) throws {
        let dir = temporaryDirectory()
        if kind == "rsa" {
            TestPKI.openssl(["genrsa", "-traditional", "-out", "k.pem", "2048"], in: dir)
        } else {
            TestPKI.openssl(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem"], in: dir)
        }
        TestPKI.openssl(["req", "-x509", "-key", "k.pem", "-out", "c.pem", "-subj", "/CN=handset-001", "-days", "365"], in: dir)
        let keyText = String(decoding: contents(dir.appendingPathComponent("k.pem")), as: UTF8.self)
        #expect(keyText.hasPrefix(kind == "rsa" ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----"))
        let credentials = try DeviceCredentials(certificate: try CertificateInput(contents(dir.appendingPathComponent("c.pem"))),
                                                key: try CertificateInput(contents(dir.appendingPathComponent("k.pem"))))
        #expect(credentials.certificate.subjectCommonName == "handset-001")
        #expect(credentials.privateKeyPEM == keyText.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("An encrypted key is refused with the openssl command that removes the passphrase",
          .enabled(if: opensslAvailable), arguments: ["pkcs8", "traditional"])
    func encrypted(kind: String) throws {
        let dir = temporaryDirectory()
        if kind == "pkcs8" {
            TestPKI.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass", "pass:secret", "-out", "k.pem"], in: dir)
        } else {
            TestPKI.openssl(["genrsa", "-traditional", "-aes256", "-passout", "pass:secret", "-out", "k.pem", "2048"], in: dir)
        }
        let key = try CertificateInput(contents(dir.appendingPathComponent("k.pem")))
        #expect(throws: CertificateError("the private key is encrypted with a passphrase, and the handset needs it unencrypted; remove the passphrase with: openssl pkey -in k.pem -out device-key.pem (keep device-key.pem private, and delete it after the import)")) {
            try DeviceCredentials(certificate: try CertificateInput(Array(pki.leaf.pem.utf8)), key: key, keyFile: "k.pem")
        }
    }

    @Test("A key file without a key says what a key looks like")
    func noKey() {
        #expect(throws: CertificateError("no private key found in the key file: expected '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----' or '-----BEGIN EC PRIVATE KEY-----'")) {
            try DeviceCredentials(certificate: try CertificateInput(Array(pki.leaf.pem.utf8)),
                                  key: try CertificateInput(Array(pki.leaf.pem.utf8)))
        }
    }

    @Test("A .p12 file is opened with openssl; a wrong passphrase is said so", .enabled(if: opensslAvailable))
    func pkcs12() throws {
        let dir = temporaryDirectory()
        write(Array(pki.leaf.pem.utf8), to: dir.appendingPathComponent("c.pem"))
        write(Array(pki.leaf.keyPEM.utf8), to: dir.appendingPathComponent("k.pem"))
        TestPKI.openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-out", "d.p12", "-passout", "pass:s3cret"], in: dir)
        let path = dir.appendingPathComponent("d.p12").path
        let input = try PKCS12.extract(path, passphrase: "s3cret")
        let credentials = try DeviceCredentials(certificates: input.certificates, keyBlock: try #require(input.privateKeys.first), keyFile: path)
        #expect(credentials.certificate.der == pki.leaf.der)
        #expect(throws: CertificateError("\(path): wrong passphrase (openssl could not verify the file with it)")) {
            try PKCS12.extract(path, passphrase: "wrong")
        }
        let found = "found a PKCS#12 (.pfx/.p12) file, not a certificate: it belongs in a device certificate slot, which takes it whole; for a CA run 'openssl pkcs12 -in FILE -nokeys -cacerts' and import the root CA it prints"
        #expect(throws: CertificateError(found, isPKCS12: true)) {
            try CertificateInput(contents(dir.appendingPathComponent("d.p12")))
        }
    }
}

@Suite("Whether a key belongs to a certificate, as lint asks it of every handset")
struct KeyMismatchTests {
    @Test("RSA keys (PKCS#1 and PKCS#8) are compared by their public half: their own certificate's, never another's",
          .enabled(if: opensslAvailable))
    func rsaPublicHalf() throws {
        let dir = temporaryDirectory()
        for name in ["a", "b"] {
            TestPKI.openssl(["genrsa", "-traditional", "-out", "\(name).rsa", "2048"], in: dir)
            TestPKI.openssl(["pkcs8", "-topk8", "-nocrypt", "-in", "\(name).rsa", "-out", "\(name).p8"], in: dir)
            TestPKI.openssl(["req", "-x509", "-key", "\(name).rsa", "-out", "\(name).pem", "-days", "30",
                             "-subj", "/CN=handset-\(name)"], in: dir)
        }
        func read(_ name: String) throws -> CertificateInput {
            try CertificateInput(contents(dir.appendingPathComponent(name)))
        }
        let a = try #require(try read("a.pem").certificates.first)
        for form in ["rsa", "p8"] {
            let own = try #require(try read("a.\(form)").privateKeys.first)
            let other = try #require(try read("b.\(form)").privateKeys.first)
            #expect(DeviceCredentials.mismatch(of: own, with: a) == nil, "\(form)")
            #expect(DeviceCredentials.mismatch(of: other, with: a) == CertificateError(
                "the private key does not belong to the certificate 'handset-a': export the key that was generated "
                    + "with this certificate"), "\(form)")
            // The import, which reads the whole key, gives the same answers.
            #expect((try? DeviceCredentials(certificates: [a], keyBlock: own, keyFile: "k")) != nil)
            #expect((try? DeviceCredentials(certificates: [a], keyBlock: other, keyFile: "k")) == nil)
        }
    }

    @Test("An EC key, which does not always carry its public half, is paired as the import pairs it")
    func ecFallsBack() throws {
        let leaf = try #require(try CertificateInput(Array(pki.leaf.pem.utf8)).certificates.first)
        let own = try #require(try CertificateInput(Array(pki.leaf.keyPEM.utf8)).privateKeys.first)
        let other = try #require(try CertificateInput(Array(pki.root.keyPEM.utf8)).privateKeys.first)
        #expect(DeviceCredentials.mismatch(of: own, with: leaf) == nil)
        #expect(DeviceCredentials.mismatch(of: other, with: leaf)?.description.hasPrefix(
            "the private key does not belong to the certificate 'radius.lab.example'") == true)
    }
}
