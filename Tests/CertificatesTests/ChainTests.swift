import Foundation
import Testing
import TestSupport
import Certificates

private let pki = TestPKI.shared

private func facts(_ issued: [TestPKI.Issued]) -> [CertificateFacts] {
    issued.map { try! CertificateFacts(der: $0.der) }
}

@Suite("Root selection")
struct ChainTests {
    @Test("From leaf, intermediate and root in any order, the root is chosen", arguments: [
        [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0],
    ])
    func anyOrder(order: [Int]) throws {
        let all = [pki.leaf, pki.intermediate, pki.root]
        let selection = try Chain.selectRoot(facts(order.map { all[$0] }), allowNonRoot: false)
        #expect(selection.certificate.der == pki.root.der)
        #expect(selection.warnings.isEmpty)
    }

    @Test("A chain without its root is refused, naming the missing issuer")
    func noRoot() {
        let refusal = RootRefusal.rootMissing(top: facts([pki.intermediate])[0])
        #expect(throws: refusal) { try Chain.selectRoot(facts([pki.leaf, pki.intermediate]), allowNonRoot: false) }
        #expect(refusal.description == "the chain has no root CA: 'Test Issuing CA' was issued by 'Test Root CA', which is missing; get the certificate of 'Test Root CA' (the root CA) from your CA and import it")
    }

    @Test("--allow-non-root takes the top of a rootless chain, with a warning")
    func noRootAllowed() throws {
        let selection = try Chain.selectRoot(facts([pki.leaf, pki.intermediate]), allowNonRoot: true)
        #expect(selection.certificate.der == pki.intermediate.der)
        #expect(selection.warnings == ["the chain has no root CA: 'Test Issuing CA' was issued by 'Test Root CA', which is missing; the handset validates the chain up to a root CA, so this certificate alone may not do"])
    }

    @Test("A server certificate alone is refused, explaining why the handset needs the root")
    func leafAlone() {
        let refusal = RootRefusal.notRoot(facts([pki.leaf])[0])
        #expect(throws: refusal) { try Chain.selectRoot(facts([pki.leaf]), allowNonRoot: false) }
        #expect(refusal.description == "'radius.lab.example' is a server or user certificate issued by 'Test Issuing CA', not a CA; the handset validates the RADIUS or provisioning server's chain up to a root CA it holds, so the server's certificate (or an intermediate) alone will not do. Import the root CA certificate ('Test Issuing CA' or above)")
    }

    @Test("An intermediate alone is imported only with --allow-non-root, with a warning")
    func intermediateAlone() throws {
        #expect(throws: RootRefusal.notRoot(facts([pki.intermediate])[0])) {
            try Chain.selectRoot(facts([pki.intermediate]), allowNonRoot: false)
        }
        let selection = try Chain.selectRoot(facts([pki.intermediate]), allowNonRoot: true)
        #expect(selection.certificate.der == pki.intermediate.der)
        #expect(selection.warnings == ["'Test Issuing CA' is an intermediate CA, issued by 'Test Root CA'; the handset validates the RADIUS or provisioning server's chain up to a root CA it holds, so the server's certificate (or an intermediate) alone will not do"])
    }

    @Test("Certificates of another chain are left out with a warning")
    func unrelated() throws {
        let other = TestPKI.issue(cn: "Other Root", org: nil, serial: [9], ca: true, issuer: nil)
        let otherLeaf = TestPKI.issue(cn: "other.example", org: nil, serial: [10], ca: false, issuer: other)
        let selection = try Chain.selectRoot(facts([pki.leaf, pki.intermediate, pki.root, otherLeaf]), allowNonRoot: false)
        #expect(selection.certificate.der == pki.root.der)
        #expect(selection.warnings == ["1 certificate(s) do not chain to 'Test Root CA' and were left out: 'other.example'"])
    }
}

@Suite("Inputs no chain reaches are refused in one line")
struct CertificateBoundsTests {
    @Test("More than 1,000 certificates in one input: refused before they are all parsed")
    func tooManyCertificates() {
        let pem = TestPKI.shared.intermediate.pem
        let many = Array(String(repeating: pem, count: CertificateInput.maximumCertificates + 1).utf8)
        #expect(throws: CertificateError("holds more than 1000 certificates; slcfg takes at most 1000 from one input (a chain has a handful): import the root CA's certificate alone")) {
            try CertificateInput(many)
        }
        let enough = Array(String(repeating: pem, count: 3).utf8)
        #expect((try? CertificateInput(enough))?.certificates.count == 3)
    }

    @Test("A long chain sent in any order still yields its root, with nothing left out")
    func longChainAnyOrder() throws {
        var chain = [TestPKI.shared.root]
        for k in 0..<60 {
            chain.append(TestPKI.issue(cn: "Level \(k)", org: nil, serial: [0x70, UInt8(k)], ca: true, issuer: chain.last!))
        }
        let facts = chain.reversed().map { try! CertificateFacts(der: $0.der) }
        let selection = try Chain.selectRoot(facts.shuffled(), allowNonRoot: false)
        #expect(selection.certificate.der == TestPKI.shared.root.der)
        #expect(selection.warnings.isEmpty)
    }
}
