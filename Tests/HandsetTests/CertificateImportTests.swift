import Foundation
import Testing
import TestSupport
import Certificates
import CfgDocument
import Handset

private let pki = TestPKI.shared
private let root = try! CertificateFacts(der: pki.root.der)
private let base64 = PEM.base64Encode(pki.root.der)

private func imported(_ source: String, slot: Int = 1, purpose: CertificatePurpose? = nil, pem: Bool = false) throws -> String {
    var document = CfgDocument(source)
    _ = try document.importCA(root, slot: slot, purpose: purpose, asPEM: pem)
    return String(decoding: document.bytes, as: UTF8.self)
}

@Suite("Importing certificates into files")
struct CertificateImportTests {
    @Test("Spectralink's layout: the lower-case tls spelling is kept, .set flipped, CRLF and tabs untouched")
    func spectralinkLayout() throws {
        let source = "<polycomConfig>\r\n\t<WPA2Enterprise.PEAP\r\n\t\tdevice.sec.tls.customCaCert1=\"\"\r\n\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n\t\tdevice.sec.TLS.customCaCert2=\"\"\r\n\t/>\r\n</polycomConfig>\r\n"
        #expect(try imported(source) == source
            .replacingOccurrences(of: "customCaCert1=\"\"", with: "customCaCert1=\"\(base64)\"")
            .replacingOccurrences(of: "customCaCert1.set=\"0\"", with: "customCaCert1.set=\"1\""))
    }

    @Test("A missing slot and flag are inserted one per line after the nearest relative")
    func insertOnePerLine() throws {
        let source = "<polycomConfig>\n  <WPA2Enterprise.PEAP\n    device.sec.TLS.customCaCert1=\"\"\n    device.sec.TLS.customCaCert1.set=\"0\"\n  />\n</polycomConfig>\n"
        #expect(try imported(source, slot: 2) == source.replacingOccurrences(
            of: "    device.sec.TLS.customCaCert1.set=\"0\"\n",
            with: "    device.sec.TLS.customCaCert1.set=\"0\"\n    device.sec.TLS.customCaCert2=\"\(base64)\"\n    device.sec.TLS.customCaCert2.set=\"1\"\n"))
    }

    @Test("In the stock nested layout (all on one line), only the slot's value and its flag change")
    func stockLayout() throws {
        let source = "<device.sec.TLS device.sec.TLS.customCaCert1=\"\" device.sec.TLS.customCaCert2=\"\">\n  <device.sec.TLS.customCaCert2 device.sec.TLS.customCaCert2.set=\"0\">\n  </device.sec.TLS.customCaCert2>\n</device.sec.TLS>\n"
        #expect(try imported(source, slot: 2) == source
            .replacingOccurrences(of: "customCaCert2=\"\"", with: "customCaCert2=\"\(base64)\"")
            .replacingOccurrences(of: "customCaCert2.set=\"0\"", with: "customCaCert2.set=\"1\""))
    }

    @Test("--pem stores the PEM with header and footer, in the file's line endings")
    func pemInCRLF() throws {
        let source = "<r\r\n device.sec.TLS.customCaCert1=\"old\"\r\n device.sec.TLS.customCaCert1.set=\"1\"\r\n/>\r\n"
        let pem = PEM.encode(pki.root.der, lineEnding: "\r\n")
        #expect(try imported(source, pem: true) == source.replacingOccurrences(of: "\"old\"", with: "\"\(pem)\""))
    }

    @Test("--for wlan selects profile N for 802.1X and lets its CA list use the slot")
    func forWLAN() throws {
        let source = "<r\n device.set=\"1\"\n device.sec.TLS.customCaCert2=\"\"\n device.sec.TLS.profile.caCertList2=\"Builtin\"\n device.sec.TLS.profileSelection.dot1x=\"PlatformProfile1\"\n/>"
        #expect(try imported(source, slot: 2, purpose: .wlan) == """
        <r
         device.set="1"
         device.sec.TLS.customCaCert2="\(base64)"
         device.sec.TLS.customCaCert2.set="1"
         device.sec.TLS.profile.caCertList2="All"
         device.sec.TLS.profile.caCertList2.set="1"
         device.sec.TLS.profileSelection.dot1x="PlatformProfile2"
         device.sec.TLS.profileSelection.dot1x.set="1"
        />
        """)
    }

    @Test("--for provisioning keeps a CA list that already allows the slot")
    func forProvisioning() throws {
        let source = "<r device.sec.TLS.customCaCert1=\"\" device.sec.TLS.profile.caCertList1=\"Platform1,Builtin\"/>"
        #expect(try imported(source, purpose: .provisioning) == "<r device.sec.TLS.customCaCert1=\"\(base64)\" device.sec.TLS.customCaCert1.set=\"1\" device.sec.TLS.profile.caCertList1=\"Platform1,Builtin\" device.sec.TLS.profileSelection.provisioning=\"PlatformProfile1\" device.sec.TLS.profileSelection.provisioning.set=\"1\"/>")
    }

    @Test("A device certificate and key go into publicCert and privateKey with the slot's .set")
    func device() throws {
        let credentials = try DeviceCredentials(certificate: try CertificateInput(Array(pki.leaf.pem.utf8)),
                                                key: try CertificateInput(Array(pki.leaf.keyPEM.utf8)))
        var document = CfgDocument("<r\r\n  device.set=\"1\"\r\n/>\r\n")
        _ = try document.importDevice(credentials, slot: 1)
        let certificate = PEM.encode(pki.leaf.der, lineEnding: "\r\n")
        let key = credentials.privateKeyPEM.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(String(decoding: document.bytes, as: UTF8.self) == "<r\r\n  device.set=\"1\"\r\n  device.sec.TLS.customDeviceCert1.publicCert=\"\(certificate)\"\r\n  device.sec.TLS.customDeviceCert1.privateKey=\"\(key)\"\r\n  device.sec.TLS.customDeviceCert1.set=\"1\"\r\n/>\r\n")
    }

    @Test("Slot contents report the parameter as written, the .set state and the facts")
    func contents() throws {
        let document = CfgDocument("<r device.sec.tls.customCaCert1=\"\(base64)\" device.sec.tls.customCaCert1.set=\"0\" device.sec.TLS.customCaCert2=\"garbage!\"/>")
        let first = document.contents(of: .ca(1))
        #expect(first.parameter == "device.sec.tls.customCaCert1" && first.setValue == "0" && first.status == .ignored(.setNotOne("0")))
        #expect(first.facts?.der == pki.root.der)
        let second = document.contents(of: .ca(2))
        #expect(second.facts == nil && second.setValue == nil)
        #expect(second.problem == "found text that is neither PEM nor base64 (it starts 'garbage!'); a certificate starts '-----BEGIN CERTIFICATE-----' or 'MII'")
        #expect(document.contents(of: .device(1)).parameter == nil)
    }
}
