// The handset's trust decision, cause by cause and fix by fix, on certificates made in process:
// no server, no openssl.
import Certificates
import Foundation
import Handset
import Testing
import TestSupport

/// The handset's clock in these tests: a day after the test PKI starts.
private let clock = TestPKI.start.addingTimeInterval(86_400)
private let pki = TestPKI.shared
private let host = "prov.lab.example"

private func facts(_ issued: TestPKI.Issued) -> CertificateFacts { try! CertificateFacts(der: issued.der, now: clock) }
private func base64(_ issued: TestPKI.Issued) -> String { Data(issued.der).base64EncodedString() }

/// A leaf for `host` issued by the test intermediate, with `names` as its subjectAltName.
private func leaf(_ names: [String] = [host], cn: String = host, notAfter: Date = TestPKI.end) -> TestPKI.Issued {
    TestPKI.issue(
        cn: cn, org: nil, serial: [0x21], ca: false, issuer: pki.intermediate, notAfter: notAfter, dnsNames: names)
}

/// The file's values: slot 1 holds the test root, applied; `changes` adds, replaces or (nil) removes.
private func values(_ changes: [String: String?] = [:]) -> [String: String] {
    var values = [
        "device.set": "1", "device.sec.TLS.customCaCert1": base64(pki.root), "device.sec.TLS.customCaCert1.set": "1",
    ]
    for (name, value) in changes { values[name] = value }
    return values
}

private func decide(
    _ values: [String: String], chain: [TestPKI.Issued], host: String = host, trustStore: [TestPKI.Issued] = []
) async -> TrustDecision {
    let settings = TrustSettings(application: .provisioning) { values[$0] }
    return await TrustDecision.decide(
        settings, presented: chain.map(facts), host: host, at: clock,
        trustStore: TrustStore(certificates: trustStore.map(facts)))
}

private let profile1 = TrustCause.profile(
    .init(
        application: "Provisioning", number: 1, caList: "device.sec.TLS.profile.caCertList1 does not apply (All)"))

@Suite("The trust decision, each cause with its fix, on an in-process PKI")
struct TrustDecisionTests {
    @Test("A chain to the root in an applied slot, with the name in its subjectAltName: trusted, no fix")
    func trusted() async {
        let server = leaf()
        let decision = await decide(values(), chain: [server, pki.intermediate])
        #expect(decision.verdict == .trusted)
        #expect(decision.anchorSlot == 1)
        #expect(
            decision.causes == [
                profile1, .reachesSlot(anchor: facts(pki.root), slot: 1),
                .nameMatches(host: host, field: "subjectAltName", name: host, wildcard: false),
            ])
        #expect(decision.fix == nil)
    }

    @Test("device.set 0 blocks the slot that anchors the chain: the fix is device.set=1 and nothing else")
    func deviceSetNotOne() async {
        let decision = await decide(values(["device.set": "0"]), chain: [leaf(), pki.intermediate])
        #expect(decision.verdict == .notTrusted)
        let cause = TrustCause.slotDoesNotCount(
            slot: 1, anchor: facts(pki.root), exclusions: [.ignored([.deviceSetNotOne])],
            caList: "device.sec.TLS.profile.caCertList1 does not apply (All)")
        #expect(decision.causes == [profile1, cause])
        #expect(
            cause.message
                == "Platform CA 1 holds 'Test Root CA', which anchors this chain, but it does not count: device.set "
                + "is not 1")
        #expect(decision.fix == .set([.init("device.set", "1")]))
    }

    @Test("The slot's .set 0 and device.set missing: both are named, in that order, and the fix makes both changes")
    func setNotOneAndDeviceSetMissing() async {
        let decision = await decide(
            values(["device.set": nil, "device.sec.TLS.customCaCert1.set": "0"]), chain: [leaf(), pki.intermediate])
        #expect(
            decision.causes.last
                == .slotDoesNotCount(
                    slot: 1, anchor: facts(pki.root), exclusions: [.ignored([.setNotOne("0"), .deviceSetNotOne])],
                    caList: "device.sec.TLS.profile.caCertList1 does not apply (All)"))
        #expect(decision.causes.last?.message.hasSuffix("it does not count: its .set is \"0\"; device.set is not 1") == true)
        #expect(decision.fix == .set([.init("device.sec.TLS.customCaCert1.set", "1"), .init("device.set", "1")]))
        let report = TrustReport(
            target: "https://\(host)", kind: "provisioning", decision: decision, file: "w.cfg", from: "--from-server",
            root: nil)
        #expect(report.fix == "slcfg set w.cfg device.sec.TLS.customCaCert1.set=1 device.set=1")
    }

    @Test("A missing .set: the fix sets it to 1")
    func setMissing() async {
        let decision = await decide(values(["device.sec.TLS.customCaCert1.set": nil]), chain: [leaf(), pki.intermediate])
        #expect(decision.causes.last?.message.hasSuffix("it does not count: its .set is missing") == true)
        #expect(decision.fix == .set([.init("device.sec.TLS.customCaCert1.set", "1")]))
    }

    @Test("The selected profile's CA list leaves the slot out: the fix adds the slot to that list")
    func notListed() async {
        let list = [
            "device.sec.TLS.profileSelection.provisioning": "PlatformProfile1",
            "device.sec.TLS.profileSelection.provisioning.set": "1",
            "device.sec.TLS.profile.caCertList1": "Builtin", "device.sec.TLS.profile.caCertList1.set": "1",
        ]
        let decision = await decide(values(list), chain: [leaf(), pki.intermediate])
        let caList = "device.sec.TLS.profile.caCertList1 = \"Builtin\""
        #expect(
            decision.causes == [
                .profile(.init(application: "Provisioning", number: 1, caList: caList)),
                .slotDoesNotCount(slot: 1, anchor: facts(pki.root), exclusions: [.notListed], caList: caList),
            ])
        #expect(decision.causes.last?.message.hasSuffix("it does not count: \(caList) leaves it out") == true)
        #expect(decision.fix == .set([.init("device.sec.TLS.profile.caCertList1", "Builtin,Platform1")]))
    }

    @Test("The slot's .set 0 and a list without it: both changes are named, the list keeping what it had")
    func setAndList() async {
        var changes: [String: String?] = ["device.sec.TLS.customCaCert1.set": "0"]
        changes["device.sec.TLS.profile.caCertList1"] = "Platform2"
        changes["device.sec.TLS.profile.caCertList1.set"] = "1"
        let decision = await decide(values(changes), chain: [leaf(), pki.intermediate])
        let caList = "device.sec.TLS.profile.caCertList1 = \"Platform2\""
        #expect(
            decision.causes.last
                == .slotDoesNotCount(
                    slot: 1, anchor: facts(pki.root), exclusions: [.ignored([.setNotOne("0")]), .notListed],
                    caList: caList))
        #expect(
            decision.fix
                == .set([
                    .init("device.sec.TLS.customCaCert1.set", "1"),
                    .init("device.sec.TLS.profile.caCertList1", "Platform2,Platform1"),
                ]))
    }

    @Test("With device.set 0 the CA list does not apply either (All): the fix is the .set flags alone")
    func deviceSetHidesTheList() async {
        var changes: [String: String?] = ["device.set": "0", "device.sec.TLS.customCaCert1.set": "0"]
        changes["device.sec.TLS.profile.caCertList1"] = "Platform2"
        changes["device.sec.TLS.profile.caCertList1.set"] = "1"
        let decision = await decide(values(changes), chain: [leaf(), pki.intermediate])
        #expect(decision.fix == .set([.init("device.sec.TLS.customCaCert1.set", "1"), .init("device.set", "1")]))
    }

    @Test("No slot holds the root and the server sends none: import it into the first empty listed slot")
    func noAnchorMissingRoot() async {
        let decision = await decide(values(["device.sec.TLS.customCaCert1": nil]), chain: [leaf(), pki.intermediate])
        #expect(decision.causes == [profile1, .noAnchor(top: facts(pki.intermediate))])
        #expect(
            decision.causes.last?.message
                == "the server's chain ends at 'Test Issuing CA', issued by 'Test Root CA' and leads to no certificate "
                + "in an allowed slot; the server sends no root, so import the root 'Test Root CA' itself")
        #expect(decision.fix == .importRoot(slot: 1, root: "Test Root CA", then: []))
        let report = TrustReport(
            target: "https://\(host)", kind: "provisioning", decision: decision, file: "w.cfg", from: "--from-server",
            root: .missing(top: facts(pki.intermediate)))
        #expect(
            report.fix
                == "slcfg cert import w.cfg --slot 1 ROOT.pem   # 'Test Root CA', from your CA: the server does not "
                + "send it")
    }

    @Test("Slot 1 holds another root and the server sends its own: import that root into slot 2, with device.set=1")
    func noAnchorSentRoot() async {
        let other = TestPKI.issue(cn: "Other Root", org: nil, serial: [0x09], ca: true, issuer: nil)
        let decision = await decide(
            values(["device.sec.TLS.customCaCert1": base64(other), "device.set": "0"]),
            chain: [leaf(), pki.intermediate, pki.root])
        #expect(decision.causes.last == .noAnchor(top: facts(pki.root)))
        #expect(decision.fix == .importRoot(slot: 2, root: "Test Root CA", then: [.init("device.set", "1")]))
        let report = TrustReport(
            target: "https://\(host)", kind: "provisioning", decision: decision, file: "my w.cfg",
            from: "--from-server", root: .sent(facts(pki.root)))
        #expect(report.fix == "slcfg cert import 'my w.cfg' --slot 2 --from-server && slcfg set 'my w.cfg' device.set=1")
    }

    @Test("A server that sends no certificate: no anchor, and no fix")
    func nothingSent() async {
        let decision = await decide(values(), chain: [])
        #expect(decision.causes == [profile1, .noAnchor(top: nil)])
        #expect(decision.causes.last?.message == "the server sent no certificate")
        #expect(decision.fix == nil)
    }

    @Test("An expired leaf: not trusted, named with both dates, and no fix in the file")
    func expired() async {
        let old = TestPKI.issue(
            cn: host, org: nil, serial: [0x22], ca: false, issuer: pki.intermediate, notBefore: TestPKI.start,
            notAfter: TestPKI.start.addingTimeInterval(3_600), dnsNames: [host])
        let decision = await decide(values(), chain: [old, pki.intermediate])
        #expect(decision.verdict == .notTrusted)
        #expect(decision.causes.contains(.expired(facts(old), judgedAt: clock)))
        #expect(
            TrustCause.expired(facts(old), judgedAt: clock).message
                == "'\(host)' expired on 2023-11-14 (judged at 2023-11-15)")
        #expect(decision.fix == nil)
    }

    @Test("A leaf not yet valid: not trusted")
    func notYetValid() async {
        let future = TestPKI.issue(
            cn: host, org: nil, serial: [0x23], ca: false, issuer: pki.intermediate,
            notBefore: clock.addingTimeInterval(86_400 * 30), dnsNames: [host])
        let decision = await decide(values(), chain: [future, pki.intermediate])
        #expect(decision.verdict == .notTrusted)
        #expect(decision.causes.contains(.notYetValid(facts(future), judgedAt: clock)))
        #expect(decision.fix == nil)
    }

    @Test("A wrong name with strict validation on: not trusted; off (applied): trusted with a warning")
    func wrongName() async {
        let strict = await decide(values(), chain: [leaf(["other.example"]), pki.intermediate])
        let mismatch = TrustCause.nameMismatch(host: host, names: ["other.example"], strict: true)
        #expect(strict.verdict == .notTrusted)
        #expect(strict.causes.last == mismatch)
        #expect(
            mismatch.message
                == "'\(host)' is not a name of the server's certificate (other.example); strict common-name "
                + "validation is on")
        #expect(strict.fix == nil)
        let off = await decide(
            values([
                "device.sec.TLS.prov.strictCertCommonNameValidation": "0",
                "device.sec.TLS.prov.strictCertCommonNameValidation.set": "1",
            ]), chain: [leaf(["other.example"]), pki.intermediate])
        #expect(off.verdict == .trusted)
        #expect(off.causes.last == .nameMismatch(host: host, names: ["other.example"], strict: false))
        #expect(off.causes.last?.severity == .warning)
    }

    @Test("A wildcard subjectAltName covers one label, with a warning; a CN alone is matched when there is no SAN")
    func wildcardAndCommonName() async {
        let wildcard = await decide(values(), chain: [leaf(["*.lab.example"]), pki.intermediate])
        #expect(wildcard.verdict == .trusted)
        #expect(
            wildcard.causes.last == .nameMatches(host: host, field: "subjectAltName", name: "*.lab.example", wildcard: true))
        #expect(wildcard.causes.last?.severity == .warning)
        let deeper = await decide(values(), chain: [leaf(["*.example"]), pki.intermediate])
        #expect(deeper.verdict == .notTrusted)
        let common = await decide(values(), chain: [leaf([]), pki.intermediate])
        #expect(common.verdict == .trusted)
        #expect(common.causes.last == .nameMatches(host: host, field: "CN", name: host, wildcard: false))
    }

    @Test("A self-signed X.509 v1 server certificate in the slot is its own anchor")
    func v1Anchor() async {
        let v1 = TestPKI.issue(cn: host, org: nil, serial: [0x31], ca: false, issuer: nil, v1: true)
        let decision = await decide(values(["device.sec.TLS.customCaCert1": base64(v1)]), chain: [v1])
        #expect(decision.verdict == .trusted)
        #expect(decision.causes.contains(.reachesSlot(anchor: facts(v1), slot: 1)))
    }

    @Test("A self-signed CA:FALSE server certificate in the slot is its own anchor")
    func caFalseAnchor() async {
        let pinned = TestPKI.issue(cn: host, org: nil, serial: [0x32], ca: false, issuer: nil, dnsNames: [host])
        let decision = await decide(values(["device.sec.TLS.customCaCert1": base64(pinned)]), chain: [pinned])
        #expect(decision.verdict == .trusted)
        #expect(decision.anchorSlot == 1)
    }

    @Test("An intermediate that is not a CA breaks the chain to the slot's root: named, and no import is proposed")
    func intermediateNotCA() async {
        let notCA = TestPKI.issue(cn: "Not A CA", org: nil, serial: [0x41], ca: false, issuer: pki.root)
        let server = TestPKI.issue(cn: host, org: nil, serial: [0x42], ca: false, issuer: notCA, dnsNames: [host])
        let decision = await decide(values(), chain: [server, notCA])
        #expect(decision.verdict == .notTrusted)
        #expect(decision.causes.last == .brokenChain(slot: 1, anchor: facts(pki.root), notCA: facts(notCA)))
        #expect(
            decision.causes.last?.message
                == "the server's chain names 'Test Root CA' in Platform CA 1 but does not lead to it: 'Not A CA' "
                + "issues a certificate of the chain but is not a CA; the server must send a valid chain")
        #expect(decision.fix == nil)
    }

    @Test("A chain sent out of order (root, then the intermediate) still reaches the slot")
    func outOfOrder() async {
        let decision = await decide(values(), chain: [leaf(), pki.root, pki.intermediate])
        #expect(decision.verdict == .trusted)
        #expect(decision.anchorSlot == 1)
    }

    @Test("No slot, but a CA of this machine's trust store anchors it and the list allows built-ins: unknown")
    func builtinOnly() async {
        let decision = await decide(
            values(["device.sec.TLS.customCaCert1": nil]), chain: [leaf(), pki.intermediate], trustStore: [pki.root])
        #expect(decision.verdict == .unknown)
        #expect(decision.causes.last == .builtinOnly(anchor: facts(pki.root)))
        #expect(decision.causes.last?.severity == .warning)
    }

    @Test("The machine's trust store is read only when no slot anchors the chain, and then only the issuers' links")
    func storeReadOnlyWhenNeeded() async throws {
        let dir = temporaryDirectory()
        write(Array(pki.root.pem.utf8), to: dir.appendingPathComponent("root.pem"))
        write(Array(TestPKI.issue(cn: "Other CA", org: nil, serial: [8], ca: true, issuer: nil).pem.utf8),
              to: dir.appendingPathComponent("other.pem"))
        _ = TestPKI.openssl(["rehash", dir.path], in: dir)
        let store = TrustStore(environment: ["SSL_CERT_DIR": dir.path])
        let settings = { (values: [String: String]) in TrustSettings(application: .provisioning) { values[$0] } }
        let chain = [leaf(), pki.intermediate].map(facts)
        let anchored = await TrustDecision.decide(
            settings(values()), presented: chain, host: host, at: clock, trustStore: store)
        #expect(anchored.verdict == .trusted && store.filesRead == 0)
        let builtin = await TrustDecision.decide(
            settings(values(["device.sec.TLS.customCaCert1": nil])), presented: chain, host: host, at: clock,
            trustStore: store)
        #expect(builtin.verdict == .unknown && builtin.causes.last == .builtinOnly(anchor: facts(pki.root)))
        #expect(store.filesRead == 1, "the root's link, not the other CA")
    }

    @Test("A weak key in the chain is a warning that does not refuse: trusted, with the concern named")
    func weak() async {
        let weak = TestPKI.issueWeakRSA(cn: host)
        let decision = await decide(values(["device.sec.TLS.customCaCert1": base64(weak)]), chain: [weak])
        #expect(decision.verdict == .trusted, "\(decision.causes.map(\.message))")
        let concerns = facts(weak).concerns(now: clock).filter { $0.kind == .weakKey }
        #expect(concerns.count == 1)
        #expect(decision.causes.filter { $0.rule == "weak" } == concerns.map(TrustCause.weak))
        #expect(decision.causes.last?.severity == .warning)
    }

    @Test("Each cause belongs to a documented rule")
    func causesHaveRules() {
        let rules = Set(Catalogue.trustRules.map(\.id))
        let causes: [TrustCause] = [
            profile1, .reachesSlot(anchor: facts(pki.root), slot: 1), .expired(facts(pki.root), judgedAt: clock),
            .notYetValid(facts(pki.root), judgedAt: clock),
            .nameMatches(host: host, field: "CN", name: host, wildcard: false),
            .nameMismatch(host: host, names: [], strict: true),
            .slotDoesNotCount(slot: 1, anchor: facts(pki.root), exclusions: [.empty], caList: ""),
            .brokenChain(slot: 1, anchor: facts(pki.root), notCA: nil), .noAnchor(top: nil),
            .builtinOnly(anchor: facts(pki.root)),
        ]
        for cause in causes { #expect(rules.contains(cause.rule), "\(cause.rule)") }
    }
}
