import Foundation
import Testing
import TestSupport
import Certificates
import CfgDocument
import Handset

private let pki = TestPKI.shared
private let now = Date(timeIntervalSince1970: 1_800_000_000)   // 2027-01-15

/// The findings of a small file as (rule, severity, parameter, message) tuples.
private func lint(_ text: String) -> [Finding] {
    Linter(now: now).lint(CfgDocument(text))
}

private func rules(_ text: String) -> [String] {
    lint(text).map(\.rule)
}

/// Wraps parameters in Spectralink's layout with device.set="1".
private func peap(_ parameters: String) -> String {
    "<polycomConfig>\n  <device device.set=\"1\">\n    <WPA2Enterprise.PEAP\n\(parameters)    />\n  </device>\n</polycomConfig>\n"
}

@Suite("Lint rules")
struct LintTests {
    @Test("A clean file has no findings")
    func clean() {
        #expect(lint(peap("      device.prov.serverName=\"prov.example.com\"\n      device.prov.serverName.set=\"1\"\n")) == [])
    }

    @Test("Malformed XML is reported from the model's diagnostics")
    func xml() {
        let findings = lint("<polycomConfig>\n  <a x=\"1\"\n")
        #expect(findings.map(\.rule) == ["xml", "xml", "xml"])
        #expect(findings.map(\.severity) == [.error, .error, .error])
        #expect(findings[0].message == "element <polycomConfig> is never closed; the handset may reject the whole file")
    }

    @Test("A near-miss name is a warning with a rename fix")
    func nearMiss() {
        let findings = lint(peap("      device.sec.TLS.customCaCert2=\"\"\n      device.sec.TLS.cusomCaCert2.set=\"1\"\n"))
        #expect(findings == [Finding(rule: "near-miss", severity: .warning, offset: 111, parameter: "device.sec.TLS.cusomCaCert2.set",
            message: "device.sec.TLS.cusomCaCert2.set is not a parameter the handset knows, so it is ignored; did you mean device.sec.TLS.customCaCert2.set?",
            fix: .rename(index: 2, to: "device.sec.TLS.customCaCert2.set"))])
    }

    @Test("Other indices of numbered names are known, not near misses")
    func numberedNames() {
        #expect(rules("<r reg.35.label=\"x\" call.autoOffHook.9.enabled=\"0\" device.sec.TLS.customCaCert3=\"\"/>") == [])
    }

    @Test("A case variant is info with a rename fix")
    func caseVariant() {
        let findings = lint(peap("      device.sec.tls.customCaCert1=\"\"\n"))
        #expect(findings.map(\.rule) == ["case-variant"])
        #expect(findings[0].severity == .info)
        #expect(findings[0].fix == .rename(index: 1, to: "device.sec.TLS.customCaCert1"))
    }

    @Test("A device.* value with .set 0 or missing is a warning whose fix sets or inserts .set", arguments: [
        ("      device.prov.serverName=\"p.example.com\"\n      device.prov.serverName.set=\"0\"\n", "\"0\""),
        ("      device.prov.serverName=\"p.example.com\"\n", "missing"),
    ])
    func setFlag(parameters: String, state: String) {
        let findings = lint(peap(parameters))
        #expect(findings.map(\.rule) == ["set-flag"])
        #expect(findings[0].message == "the handset ignores device.prov.serverName=\"p.example.com\" because device.prov.serverName.set is \(state); set it to 1")
        #expect(findings[0].fix == .enable(name: "device.prov.serverName"))
    }

    @Test("A value equal to the handset default needs no .set; a secret is never quoted")
    func setFlagDefaultsAndSecrets() {
        #expect(rules(peap("      device.sec.TLS.profile.caCertList1=\"All\"\n")) == [])
        #expect(lint(peap("      device.wifi.wpa2Ent.password=\"hunter2\"\n")).map(\.message)
                == ["the handset ignores the value of device.wifi.wpa2Ent.password because device.wifi.wpa2Ent.password.set is missing; set it to 1"])
    }

    @Test("device.set not 1 while a device.*.set is 1 is a warning with a fix")
    func deviceSet() {
        let findings = lint("<r device.set=\"0\" device.prov.serverName=\"x\" device.prov.serverName.set=\"1\"/>")
        #expect(findings.map(\.rule) == ["device-set"])
        #expect(findings[0].fix == .assign(name: "device.set", value: "1"))
        #expect(rules("<r device.prov.serverName=\"x\" device.prov.serverName.set=\"1\"/>") == ["device-set"])
    }

    @Test("A .set flag without its parameter: a warning when 1, info when 0")
    func orphanSet() {
        let findings = lint(peap("      device.prov.serverName.set=\"1\"\n      device.prov.user.set=\"0\"\n"))
        #expect(findings.map(\.rule) == ["orphan-set", "orphan-set"])
        #expect(findings.map(\.severity) == [.warning, .info])
        #expect(rules(peap("      device.sec.TLS.customDeviceCert1.set=\"1\"\n      device.sec.TLS.customDeviceCert1.publicCert=\"\"\n")) == [])
    }

    @Test("Values outside their domain are errors; placeholders never are", arguments: [
        ("device.sec.TLS.profileSelection.dot1x", "PlatformProfile3", true),
        ("device.sec.TLS.dot1x.strictCertCommonNameValidation", "yes", true),
        ("device.prov.serverType", "7", true),
        ("device.prov.serverType", "ftps", false),
        ("device.prov.serverType", "{$polycom_server_type}", false),
        ("device.sec.TLS.profileSelection.dot1x", "{{ profile }}", false),
        ("device.prov.serverType", "${TYPE}", false),
        ("device.sec.TLS.dot1x.strictCertCommonNameValidation", "##Validate##", false),
        ("device.sec.TLS.profile.caCertList1", "Platform1,Builtin", false),
    ])
    func domains(name: String, value: String, reported: Bool) {
        let found = rules(peap("      \(name)=\"\(value)\"\n      \(name).set=\"1\"\n")).filter { $0 == "value" }
        #expect(found == (reported ? ["value"] : []))
    }

    @Test("The same parameter twice is a warning; equal values get a fix that removes the later ones")
    func duplicates() {
        let same = lint("<r><a sec.srtp.enable=\"1\"/><b sec.srtp.enable=\"1\"/></r>")
        #expect(same.map(\.rule) == ["duplicate"])
        #expect(same[0].message == "sec.srtp.enable appears 2 times in different elements; which one the handset uses is undefined (all have the same value)")
        #expect(same[0].fix == .remove(indices: [1]))
        let different = lint("<r sec.srtp.enable=\"1\" sec.srtp.enable=\"0\"/>")
        #expect(different.map(\.message) == ["sec.srtp.enable appears 2 times; which one the handset uses is undefined: keep one"])
        #expect(different[0].fix == nil)
    }

    @Test("Certificate slots: not decodable, expired, not yet valid, expiring, not a root")
    func certificateSlots() {
        func slot(_ value: String) -> [String] {
            rules(peap("      device.sec.TLS.customCaCert1=\"\(value)\"\n      device.sec.TLS.customCaCert1.set=\"1\"\n"))
        }
        #expect(slot("not a certificate") == ["cert-invalid"])
        #expect(slot(PEM.base64Encode(pki.root.der)) == [])
        #expect(slot(PEM.base64Encode(pki.intermediate.der)) == ["cert-not-root"])
        let expired = TestPKI.issue(cn: "Old", org: nil, serial: [1], ca: true, issuer: nil, notBefore: TestPKI.start, notAfter: now.addingTimeInterval(-86400))
        #expect(slot(PEM.base64Encode(expired.der)) == ["cert-expired"])
        let future = TestPKI.issue(cn: "New", org: nil, serial: [1], ca: true, issuer: nil, notBefore: now.addingTimeInterval(86400), notAfter: TestPKI.end)
        #expect(slot(PEM.base64Encode(future.der)) == ["cert-not-yet-valid"])
        let soon = TestPKI.issue(cn: "Soon", org: nil, serial: [1], ca: true, issuer: nil, notBefore: TestPKI.start, notAfter: now.addingTimeInterval(5 * 86400))
        #expect(slot(PEM.base64Encode(soon.der)) == ["cert-expiring"])
        #expect(slot(PEM.encode(pki.root.der)) == [])
    }

    @Test("Weak keys and SHA-1 signatures in a slot are warnings", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")))
    func weakCertificate() throws {
        let dir = temporaryDirectory()
        TestPKI.openssl(["req", "-x509", "-newkey", "rsa:1024", "-sha1", "-nodes", "-keyout", "k.pem", "-out", "c.pem",
                         "-subj", "/CN=Old Root", "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE"], in: dir)
        let der = try #require(try CertificateInput(contents(dir.appendingPathComponent("c.pem"))).certificates.first).der
        let found = Linter().lint(CfgDocument(peap("      device.sec.TLS.customCaCert2=\"\(PEM.base64Encode(der))\"\n      device.sec.TLS.customCaCert2.set=\"1\"\n")))
        #expect(found.map(\.rule) == ["cert-weak-key", "cert-weak-signature"])
    }

    @Test("A profile for 802.1X whose CA list leaves out the built-in CAs and whose slot is empty is a warning")
    func profileWithoutCA() {
        let findings = lint(peap("      device.sec.TLS.profileSelection.dot1x=\"PlatformProfile2\"\n      device.sec.TLS.profileSelection.dot1x.set=\"1\"\n      device.sec.TLS.profile.caCertList2=\"Platform2\"\n      device.sec.TLS.profile.caCertList2.set=\"1\"\n"))
        #expect(findings.map(\.rule) == ["profile-no-ca"])
        #expect(findings[0].message == "802.1X uses Platform Profile 2, whose CA list (\"Platform2\") leaves out the built-in CAs, and Platform CA 2 is empty or not applied: the handset cannot validate the server; import the CA with 'slcfg cert import FILE --slot 2'")
        let filled = peap("      device.sec.TLS.customCaCert2=\"\(PEM.base64Encode(pki.root.der))\"\n      device.sec.TLS.customCaCert2.set=\"1\"\n      device.sec.TLS.profileSelection.dot1x=\"PlatformProfile2\"\n      device.sec.TLS.profileSelection.dot1x.set=\"1\"\n      device.sec.TLS.profile.caCertList2=\"Platform2\"\n      device.sec.TLS.profile.caCertList2.set=\"1\"\n")
        #expect(rules(filled) == [])
    }

    @Test("HTTPS or FTPS provisioning without a custom CA is info", arguments: ["3", "4", "HTTPS", "FTPS"])
    func provisioningWithoutCustomCA(type: String) {
        let findings = lint(peap("      device.prov.serverType=\"\(type)\"\n      device.prov.serverType.set=\"1\"\n"))
        #expect(findings.map(\.rule) == ["prov-no-custom-ca"])
        #expect(findings[0].severity == .info)
        #expect(rules(peap("      device.prov.serverType=\"2\"\n      device.prov.serverType.set=\"1\"\n")) == [])
    }

    @Test("The factory login is a warning; common-name validation off is info")
    func security() {
        let findings = lint(peap("      device.prov.user=\"PlcmSpIp\"\n      device.prov.user.set=\"1\"\n      device.sec.TLS.prov.strictCertCommonNameValidation=\"0\"\n      device.sec.TLS.prov.strictCertCommonNameValidation.set=\"1\"\n"))
        #expect(findings.map(\.rule) == ["default-login", "cn-validation-off"])
        #expect(findings.map(\.severity) == [.warning, .info])
    }

    @Test("Every fixture lints, and no finding is about a template placeholder value", arguments: Samples.fixtures)
    func fixtures(file: SampleFile) {
        expectNoPlaceholderFindings(file)
    }

    @Test("Every corpus file lints, and no finding is about a template placeholder value",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)), arguments: Samples.corpus)
    func corpus(file: SampleFile) {
        expectNoPlaceholderFindings(file)
    }

    private func expectNoPlaceholderFindings(_ file: SampleFile) {
        let document = CfgDocument(bytes: file.bytes)
        for finding in Linter(now: now).lint(document) {
            let value = finding.parameter.flatMap { document.index(named: $0) }.map { document.value($0) } ?? ""
            if finding.rule == "value" || finding.rule == "set-flag" {
                #expect(!CfgDocument.isTemplatePlaceholder(value), "\(file.name): \(finding.message)")
            }
            if finding.rule == "near-miss", let name = finding.parameter {
                #expect(!CfgDocument.isTemplatePlaceholder(name), "\(file.name): \(finding.message)")
            }
        }
    }
}

@Suite("Spectralink's wireless.cfg")
struct SpectralinkExampleTests {
    /// Spectralink's layout: a WPA2Enterprise.PEAP container, mixed tls/TLS, the guide's misspelling.
    static let example = """
    <?xml version="1.0" encoding="utf-8" standalone="yes"?>\r
    <polycomConfig>\r
    \t<device device.set="0">\r
    \t\t<WPA2Enterprise.PEAP\r
    \t\t\tdevice.wifi.securityMode="WPA2-Enterprise"\r
    \t\t\tdevice.wifi.securityMode.set="1"\r
    \t\t\tdevice.sec.tls.customCaCert1="\(PEM.base64Encode(TestPKI.shared.root.der))"\r
    \t\t\tdevice.sec.tls.customCaCert1.set="0"\r
    \t\t\tdevice.sec.TLS.customCaCert2=""\r
    \t\t\tdevice.sec.TLS.cusomCaCert2.set="0"\r
    \t\t\tdevice.sec.TLS.profileSelection.dot1x="PlatformProfile1"\r
    \t\t/>\r
    \t</device>\r
    </polycomConfig>\r

    """

    @Test("Lint names every reason a setting would be ignored")
    func lintExample() {
        let findings = Linter(now: now).lint(CfgDocument(Self.example))
        #expect(findings.map(\.rule) == ["device-set", "case-variant", "set-flag", "case-variant", "near-miss"])
    }

    @Test("fix leaves a file the handset reads as intended, changing only what it must")
    func fixExample() throws {
        var document = CfgDocument(Self.example)
        let linter = Linter(now: now)
        var applied = 0
        while let fix = linter.lint(document).first(where: { $0.severity != .info && $0.fix != nil })?.fix, applied < 10 {
            _ = try document.apply(fix)
            applied += 1
        }
        #expect(String(decoding: document.bytes, as: UTF8.self) == Self.example
            .replacingOccurrences(of: "device.set=\"0\"", with: "device.set=\"1\"")
            .replacingOccurrences(of: "customCaCert1.set=\"0\"", with: "customCaCert1.set=\"1\"")
            .replacingOccurrences(of: "cusomCaCert2.set", with: "customCaCert2.set"))
        #expect(linter.lint(document).filter { $0.severity != .info }.map(\.rule) == [])
    }
}
