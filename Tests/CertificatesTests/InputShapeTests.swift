import Foundation
import Testing
import TestSupport
import Certificates

private let pki = TestPKI.shared

/// Every shape an administrator may bring the root certificate in.
private func shapes(_ issued: TestPKI.Issued) -> [(String, [UInt8])] {
    let pem = issued.pem
    let base64 = Data(issued.der).base64EncodedString()
    let body = pem.split(separator: "\n").dropFirst().dropLast().joined()
    // Text out of a PDF: lines broken at odd places, stray spaces, the header glued to the body.
    var pdf = "-----BEGIN CERTIFICATE-----"
    for (i, c) in body.enumerated() { pdf.append(c); if i % 37 == 36 { pdf += " \n " } else if i % 11 == 5 { pdf += " " } }
    pdf += "\n-----END CERTIFICATE-----"
    let windows = "-----BEGIN CERTIFICATE-----\r\n" + Data(issued.der).base64EncodedString(options: [.lineLength64Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]) + "\r\n-----END CERTIFICATE-----\r\n"
    let email = "Hi,\n\nhere is our CA:\n\n" + pem.split(separator: "\n").map { "> \($0)" }.joined(separator: "\n") + "\n\nRegards\n"
    var utf16: [UInt8] = [0xFF, 0xFE]
    for unit in windows.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    return [
        ("PEM LF", Array(pem.utf8)),
        ("PEM CRLF", Array(pem.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
        ("PEM with text around it", Array("Subject: Test Root CA\nIssued by our PKI team\n\(pem)\nKeep this safe.\n".utf8)),
        ("DER", issued.der),
        ("one line of base64 of DER", Array(base64.utf8)),
        ("one line of base64 of DER with a newline", Array((base64 + "\n").utf8)),
        ("base64 of a PEM file", Array(Data(pem.utf8).base64EncodedString().utf8)),
        ("text copied out of a PDF", Array(pdf.utf8)),
        ("Windows Base-64 encoded X.509", Array(windows.utf8)),
        ("Windows export in UTF-16", utf16),
        ("quoted in an e-mail reply", Array(email.utf8)),
        ("PEM with a byte-order mark", [0xEF, 0xBB, 0xBF] + Array(pem.utf8)),
    ]
}

@Suite("Certificate input shapes")
struct InputShapeTests {
    @Test("Every shape decodes to the same certificate", arguments: shapes(pki.root).map(\.0))
    func shape(name: String) throws {
        let bytes = shapes(pki.root).first { $0.0 == name }!.1
        let input = try CertificateInput(bytes)
        #expect(input.certificates.map(\.der) == [pki.root.der])
        #expect(input.privateKeys.isEmpty)
    }

    @Test("Several PEM blocks give several certificates in order")
    func severalBlocks() throws {
        let input = try CertificateInput(Array((pki.leaf.pem + "\n" + pki.intermediate.pem + pki.root.pem).utf8))
        #expect(input.certificates.map(\.subjectCommonName) == ["radius.lab.example", "Test Issuing CA", "Test Root CA"])
    }

    @Test("A PEM file with a certificate and its key yields both")
    func certificateAndKey() throws {
        let input = try CertificateInput(Array((pki.leaf.pem + pki.leaf.keyPEM).utf8))
        #expect(input.certificates.count == 1)
        #expect(input.privateKeys.map(\.label) == ["PRIVATE KEY"])
    }

    @Test("A PKCS#7 bundle made by openssl crl2pkcs7 gives its certificates: DER, PEM, and base64 of either")
    func pkcs7Bundle() throws {
        let dir = temporaryDirectory()
        let chain = pki.leaf.pem + pki.intermediate.pem + pki.root.pem
        try chain.write(to: dir.appendingPathComponent("chain.pem"), atomically: true, encoding: .utf8)
        TestPKI.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-outform", "DER", "-out", "c.p7b"], in: dir)
        TestPKI.openssl(["crl2pkcs7", "-nocrl", "-certfile", "chain.pem", "-out", "p.p7b"], in: dir)
        let der = try [UInt8](Data(contentsOf: dir.appendingPathComponent("c.p7b")))
        let pem = try [UInt8](Data(contentsOf: dir.appendingPathComponent("p.p7b")))
        #expect(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN PKCS7-----"))
        for (shape, bytes) in [("DER", der), ("PEM", pem), ("base64 of DER", Array(Data(der).base64EncodedString().utf8)),
                               ("base64 of PEM", Array(Data(pem).base64EncodedString().utf8))] {
            let input = try CertificateInput(bytes)
            #expect(input.certificates.map(\.der) == [pki.leaf.der, pki.intermediate.der, pki.root.der], "\(shape)")
        }
    }

    @Test("A PKCS#7 bundle without a certificate is refused, saying so")
    func emptyPKCS7() throws {
        let dir = temporaryDirectory()
        TestPKI.openssl(["crl2pkcs7", "-nocrl", "-outform", "DER", "-out", "empty.p7b"], in: dir)
        let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("empty.p7b")))
        #expect(throws: CertificateError("found a PKCS#7 bundle with no certificate in it: export the certificate "
            + "again, with its chain (\"include all certificates in the certification path\")")) {
            try CertificateInput(bytes)
        }
    }

    @Test("What is not a certificate is refused with what was found instead", arguments: [
        ("", "the input is empty: paste or name a CA certificate (PEM, DER or base64)"),
        ("  \n\t ", "the input is empty: paste or name a CA certificate (PEM, DER or base64)"),
        ("hello, this is not a certificate", "found text that is neither PEM nor base64 (it starts 'hello, this is not a certificate'); a certificate starts '-----BEGIN CERTIFICATE-----' or 'MII'"),
        ("<?xml version=\"1.0\"?><polycomConfig/>", "found XML or HTML, not a certificate: this looks like a configuration file or a web page"),
        ("-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n", "found a certificate signing request (CSR), not a certificate: send it to your CA and import the certificate the CA returns"),
        ("-----BEGIN CERTIFICATE-----\nMIIBAAAA\n", "found '-----BEGIN CERTIFICATE-----' without its '-----END CERTIFICATE-----' line: the text looks cut off; copy the whole block"),
        ("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----", "the body of the 'CERTIFICATE' block is not valid base64: part of it may be missing or altered"),
        ("-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----", "found DER data that is not an X.509 certificate"),
    ])
    func refusals(text: String, message: String) {
        #expect(throws: CertificateError(message)) { try CertificateInput(Array(text.utf8)) }
    }

    @Test("Binary junk is refused as binary")
    func binaryJunk() {
        #expect(throws: CertificateError("found 6 bytes of binary data that is neither a DER certificate nor PEM text; export the CA certificate as DER (.cer) or Base-64 (PEM)")) {
            try CertificateInput([0x00, 0xFF, 0x10, 0x80, 0x01, 0x02])
        }
    }

    @Test("A truncated DER certificate is refused")
    func truncatedDER() {
        #expect(throws: CertificateError.self) { try CertificateInput(Array(pki.root.der.prefix(100))) }
    }

    @Test("PEM encoding uses 64-character lines and the given line ending")
    func encode() {
        let pem = PEM.encode(pki.root.der, lineEnding: "\r\n")
        #expect(pem.hasPrefix("-----BEGIN CERTIFICATE-----\r\n"))
        #expect(pem.hasSuffix("\r\n-----END CERTIFICATE-----"))
        #expect(pem.components(separatedBy: "\r\n").dropFirst().dropLast().allSatisfy { $0.count <= 64 })
        #expect(pem.replacingOccurrences(of: "\r\n", with: "\n") + "\n" == pki.root.pem)
    }

    @Test("base64 encoding round-trips every length")
    func base64() {
        for n in 0..<40 {
            let bytes = (0..<n).map { UInt8(($0 * 37 + 11) & 0xFF) }
            #expect(PEM.base64Encode(bytes) == Data(bytes).base64EncodedString())
            #expect(PEM.base64Decode(PEM.base64Encode(bytes)) == bytes)
        }
    }
}
