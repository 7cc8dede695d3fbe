import Foundation
import Testing
import TestSupport
import Certificates
import CfgDocument
import Editor
import Handset
import Probe

private let pki = TestPKI.shared
private let now = Date(timeIntervalSince1970: 1_800_000_000)

/// A wireless.cfg provisioning over HTTPS from `server` (empty: FTP), with CA slot 1 holding
/// `slot1`; with `caList1`, profile 1 (provisioning) lists that and 802.1X uses profile 2, which lists Platform2.
private func file(server: String, slot1: String = "", caList1: String? = nil) -> [UInt8] {
    var attributes = ["device.set=\"1\"", "device.prov.serverType=\"\(server.isEmpty ? "0" : "3")\"", "device.prov.serverType.set=\"1\"",
                      "device.prov.serverName=\"\(server)\"", "device.prov.serverName.set=\"1\"",
                      "device.sec.TLS.customCaCert1=\"\(slot1)\"", "device.sec.TLS.customCaCert1.set=\"\(slot1.isEmpty ? "0" : "1")\"",
                      "device.sec.TLS.customCaCert2=\"\"", "device.sec.TLS.customCaCert2.set=\"0\""]
    if let caList1 {
        attributes += ["device.sec.TLS.profile.caCertList1=\"\(caList1)\"", "device.sec.TLS.profile.caCertList1.set=\"1\"",
                       "device.sec.TLS.profile.caCertList2=\"Platform2\"", "device.sec.TLS.profile.caCertList2.set=\"1\"",
                       "device.sec.TLS.profileSelection.dot1x=\"PlatformProfile2\"", "device.sec.TLS.profileSelection.dot1x.set=\"1\""]
    }
    return Array(("<polycomConfig>\n  <device " + attributes.joined(separator: "\n    ") + "/>\n</polycomConfig>\n").utf8)
}

/// A session on `bytes` at 100x30 with the cursor on Platform CA 1.
private func session(_ bytes: [UInt8]) -> EditorState {
    var state = EditorState(bytes: bytes, path: "wireless.cfg", now: now)
    _ = state.update(.resize(width: 100, height: 30))
    _ = state.update(.key(.tab))
    return state
}

private func jobs(_ effects: [Effect]) -> [ProbeJob] {
    effects.compactMap { if case .probe(let job) = $0 { job } else { nil } }
}

private func value(_ state: EditorState, _ name: String) -> String? {
    state.document.index(named: name).map { state.document.value($0) }
}

private func facts(_ issued: TestPKI.Issued) throws -> CertificateFacts { try CertificateFacts(der: issued.der, now: now) }

@Suite("v and g: probing a slot's server from the editor")
struct ProbeKeysTests {
    @Test("v on Platform CA 1 of a file that provisions over HTTPS (the CA list allows only slot 1 for it) probes that server, with the file's trust settings")
    func verifyStartsProvisioning() throws {
        var state = session(file(server: "prov.example.com:8443", caList1: "Platform1"))
        let job = try #require(jobs(state.update(.key(.character("v")))).first)
        #expect(job.purpose == .verify && job.slot == 1)
        #expect(job.target.url == "https://prov.example.com:8443" && job.target.kind == .provisioning && job.target.name == "prov.example.com")
        #expect(job.settings.profile == 1 && job.settings.application.label == "Provisioning")
        #expect(state.server.running == job)
        #expect(state.message == "probing https://prov.example.com:8443… (Esc cancels)")
        // A second v while it runs is refused; ticks turn the spinner.
        #expect(jobs(state.update(.key(.character("v")))).isEmpty)
        #expect(state.message == "a probe is running: wait for it, or Esc cancels it")
        _ = state.update(.tick)
        _ = state.update(.tick)
        #expect(state.server.spinner == 2)
    }

    @Test("Esc cancels a running probe; its late answer changes nothing")
    func escCancels() throws {
        var state = session(file(server: "prov.example.com", caList1: "Platform1"))
        let job = try #require(jobs(state.update(.key(.character("v")))).first)
        _ = state.update(.key(.escape))
        #expect(state.server.running == nil)
        #expect(state.message == "probe of https://prov.example.com:443 cancelled")
        _ = state.update(.probed(id: job.id, .failed("too late")))
        #expect(state.server.reports.isEmpty)
        #expect(state.mode == .browse)
    }

    @Test("The verdict goes to the slot's details, wherever the cursor went meanwhile: the report probe prints, and g offered when the server's root can be fetched")
    func verdictInDetails() async throws {
        var state = session(file(server: "radius.lab.example", caList1: "Platform1"))
        let job = try #require(jobs(state.update(.key(.character("v")))).first)
        let chain = [try facts(pki.leaf), try facts(pki.intermediate), try facts(pki.root)]
        let decision = await TrustDecision.decide(job.settings, presented: chain, host: job.target.name, at: now, trustStore: TrustStore(certificates: []))
        let report = TrustReport(target: job.target.url, kind: "provisioning", decision: decision, file: "wireless.cfg", from: job.target.fromOption, root: .sent(try facts(pki.root)))
        // The screen stays live: moving meanwhile is kept; the answer does not pull the cursor back.
        _ = state.update(.key(.down))
        let moved = state.cursor
        _ = state.update(.probed(id: job.id, .report(report)))
        #expect(state.cursor == moved)
        #expect(state.server.running == nil)
        #expect(state.message == "https://radius.lab.example:443: not trusted (Platform CA 1's details say why)")
        #expect(state.server.reports[1]?.map(\.text) == report.lines.map(\.text) + ["  g grabs the root from this server into Platform CA 1"])
        #expect(state.server.reports[1]?.first?.verdict == .notTrusted)
    }

    @Test("g fetches the root the server sends and asks; y imports it into the slot with its .set, as a paste would")
    func grabImports() throws {
        var state = session(file(server: "radius.lab.example", caList1: "Platform1"))
        let job = try #require(jobs(state.update(.key(.character("g")))).first)
        #expect(job.purpose == .grab)
        let root = try facts(pki.root)
        _ = state.update(.probed(id: job.id, .root(.sent(root), origin: "The root 'Test Root CA' came from https://radius.lab.example:443 itself.")))
        #expect(state.mode == .confirmGrab(root, slot: 1, source: "https://radius.lab.example:443"))
        #expect(state.server.reports[1]?.first?.text == "The root 'Test Root CA' came from https://radius.lab.example:443 itself.")
        _ = state.update(.key(.character("y")))
        #expect(state.question?.text == "Use Platform CA 1 for")
        #expect(value(state, "device.sec.TLS.customCaCert1") == Data(pki.root.der).base64EncodedString())
        #expect(value(state, "device.sec.TLS.customCaCert1.set") == "1")
        #expect(state.message.hasPrefix("imported 'Test Root CA' into Platform CA 1"))
    }

    @Test("g when nobody has the root: the message names it and nothing changes; n on an offered root imports nothing")
    func grabRefuses() throws {
        var state = session(file(server: "radius.lab.example", caList1: "Platform1"))
        let before = state.document.bytes
        var job = try #require(jobs(state.update(.key(.character("g")))).first)
        _ = state.update(.probed(id: job.id, .root(.missing(top: try facts(pki.intermediate)), origin: "X sends no root")))
        #expect(state.message == "X sends no root; i imports it from a file" && state.messageIsError)
        #expect(state.mode == .browse && state.document.bytes == before)
        job = try #require(jobs(state.update(.key(.character("g")))).first)
        _ = state.update(.probed(id: job.id, .root(.sent(try facts(pki.root)), origin: "sent")))
        _ = state.update(.key(.character("n")))
        #expect(state.message == "not imported" && state.document.bytes == before)
    }

    @Test("A slot only 802.1X uses asks for the RADIUS server once; the answer is kept for the session")
    func radiusAskedOnce() throws {
        var state = session(file(server: ""))
        #expect(jobs(state.update(.key(.character("v")))).isEmpty)
        #expect(state.mode == .path(PathPrompt(.radiusServer)))
        var effects: [Effect] = []
        for ch in "10.0.0.5:1812 /etc/slcfg/secret ~/pw bob" { effects += state.update(.key(.character(ch))) }
        effects += state.update(.key(.enter))
        let job = try #require(jobs(effects).first)
        #expect(job.target.url == "radius://10.0.0.5:1812" && job.target.kind == .radius)
        #expect(job.target.login == RadiusLogin(secretFile: "/etc/slcfg/secret", identity: "bob",
                                                passwordFile: (("~/pw") as NSString).expandingTildeInPath, deviceSlot: nil))
        #expect(job.settings.application.label == "802.1X")
        _ = state.update(.probed(id: job.id, .failed("no answer")))
        #expect(state.server.reports[1]?.map(\.text) == ["radius radius://10.0.0.5:1812: not reached", "  no answer"])
        let again = try #require(jobs(state.update(.key(.character("g")))).first)
        #expect(again.target == job.target && again.purpose == .grab)
    }

    @Test("A RADIUS answer that is not host secret password [identity] is refused with the form to use")
    func radiusBadAnswer() {
        var state = session(file(server: ""))
        _ = state.update(.key(.character("v")))
        for ch in "10.0.0.5" { _ = state.update(.key(.character(ch))) }
        #expect(jobs(state.update(.key(.enter))).isEmpty)
        #expect(state.message == "RADIUS server: give host[:port] secret-file password-file [identity] (or device1/device2 for EAP-TLS instead of the password file)")
        #expect(state.server.radius == nil)
    }

    @Test("A slot both the provisioning server and 802.1X use: v asks which server")
    func bothAsk() throws {
        var state = session(file(server: "prov.example.com"))
        #expect(jobs(state.update(.key(.character("v")))).isEmpty)
        #expect(state.mode == .chooseServer(Picker(choices: ["Provisioning server https://prov.example.com:443", "RADIUS server (802.1X)"], selected: 0)))
        let job = try #require(jobs(state.update(.key(.enter))).first)
        #expect(job.target.url == "https://prov.example.com:443")
    }

    @Test("v away from a CA slot says where to go")
    func notOnSlot() {
        var state = session(file(server: "prov.example.com"))
        _ = state.update(.key(.backTab))
        _ = state.update(.key(.backTab))
        #expect(jobs(state.update(.key(.character("v")))).isEmpty)
        #expect(state.message == "v probes the server a CA slot serves: press Tab to go to Platform CA 1 or 2")
    }
}
