import Certificates
import Foundation
import Handset
import Probe

/// A server asked in the background for its chain: `v` verifies it as the handset would, `g`
/// grabs its root for a CA slot. The terminal runs it (``Effect/probe(_:)``) and answers with
/// ``Event/probed(id:_:)``; meanwhile the screen stays live and Esc cancels.
public struct ProbeJob: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable { case verify, grab }
    public let id: Int
    public let purpose: Purpose
    /// The CA slot it is for.
    public let slot: Int
    public let target: ServerTarget
    /// The file's trust settings for the application the server serves, taken when it started.
    public let settings: TrustSettings
    /// The device certificate and key for EAP-TLS, by parameter name.
    public let values: [String: String]
    /// The name fixes use for the file.
    public let file: String
    public let now: Date

    /// Jobs are told apart by their number.
    public static func == (a: ProbeJob, b: ProbeJob) -> Bool { a.id == b.id }
}

/// What came back from a ``ProbeJob``.
public enum ProbeResult: Equatable, Sendable {
    /// `v`: the verdict as `probe` words it.
    case report(TrustReport)
    /// `g`: where the root is, in one sentence.
    case root(ServerRoot, origin: String)
    /// The server could not be asked: one line.
    case failed(String)
}

/// The editor's work with servers: the job running, the RADIUS server given this session, and
/// the last report for each CA slot (shown in the details pane).
public struct ServerWork: Equatable, Sendable {
    public internal(set) var running: ProbeJob?
    /// Advanced by ``Event/tick`` while a job runs.
    public internal(set) var spinner = 0
    /// The RADIUS server and login given once in a prompt, for the rest of the session.
    public internal(set) var radius: ServerTarget?
    /// What the last probe said, by CA slot.
    public internal(set) var reports: [Int: [TrustReport.Line]] = [:]
    /// What `v` or `g` waits for while the RADIUS prompt or the server choice is open.
    var pending: Pending?
    /// The CA slot `v` or `g` is asking about.
    public var pendingSlot: Int? { pending?.slot }
    var nextID = 1

    struct Pending: Equatable, Sendable {
        var purpose: ProbeJob.Purpose
        var slot: Int
    }

    /// The RADIUS prompt's answer: `host[:port] secret-file password-file [identity]`, or
    /// `device1`/`device2` in place of the password file for EAP-TLS.
    static func radius(from text: String) throws(ProbeError) -> ServerTarget {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard (3...4).contains(words.count) else {
            throw ProbeError(
                "give host[:port] secret-file password-file [identity] (or device1/device2 for EAP-TLS instead of the "
                    + "password file)"
            )
        }
        let device = ["device1": 1, "device2": 2][words[2].lowercased()]
        let login = RadiusLogin(
            secretFile: (words[1] as NSString).expandingTildeInPath,
            identity: words.count == 4 ? words[3] : "slcfg-probe",
            passwordFile: device == nil ? (words[2] as NSString).expandingTildeInPath : nil, deviceSlot: device)
        return try ServerTarget.radius(words[0], login: login)
    }
}

extension EditorState {
    public var server: ServerWork { work }

    /// The value the handset uses for `name`.
    func effectiveValue(_ name: String) -> String? { workspace.effectiveValue(name) }

    /// `v` and `g` on a CA slot: the provisioning server when the file provisions over TLS and
    /// the slot counts for it, the RADIUS server when the slot counts for 802.1X; both: ask.
    mutating func startProbe(_ purpose: ProbeJob.Purpose) -> [Effect] {
        let key = purpose == .verify ? "v" : "g"
        guard let row = currentRow, case .ca(let n)? = slot(of: row) else {
            fail(
                "\(key) \(purpose == .verify ? "probes the server" : "grabs the root of the server") a CA slot serves: "
                    + "press Tab to go to Platform CA 1 or 2"
            )
            return []
        }
        guard work.running == nil else { fail("a probe is running: wait for it, or Esc cancels it"); return [] }
        let provisioning = TrustSettings.provisioningURL(value: { effectiveValue($0) }).flatMap {
            try? ServerTarget.provisioning($0)
        }
        let provisioningList = TrustSettings(application: .provisioning) { effectiveValue($0) }.caList
        let forProvisioning = provisioning != nil && provisioningList.allows(slot: n)
        let forRadius = TrustSettings(application: .dot1x) { effectiveValue($0) }.caList.allows(slot: n)
        work.pending = ServerWork.Pending(purpose: purpose, slot: n)
        switch (forProvisioning, forRadius) {
        case (true, true):
            mode = .chooseServer(
                Picker(choices: ["Provisioning server \(provisioning!.url)", Self.radiusChoice], selected: 0))
            return []
        case (true, false): return probe(provisioning!)
        case (false, true): return probeRadius()
        case (false, false):
            work.pending = nil
            fail(
                "Platform CA \(n) counts for neither the provisioning server nor 802.1X: the profiles' CA lists leave "
                    + "it out"
            )
            return []
        }
    }

    static let radiusChoice = "RADIUS server (802.1X)"

    /// The server chosen in `.chooseServer`.
    mutating func chose(server: String) -> [Effect] {
        guard server != Self.radiusChoice else { return probeRadius() }
        guard
            let target = TrustSettings.provisioningURL(value: { effectiveValue($0) }).flatMap({
                try? ServerTarget.provisioning($0)
            })
        else { return [] }
        return probe(target)
    }

    /// The RADIUS server of this session, asked for the first time.
    mutating func probeRadius() -> [Effect] {
        if let radius = work.radius { return probe(radius) }
        mode = .path(PathPrompt(.radiusServer))
        return []
    }

    /// The RADIUS prompt's answer.
    mutating func radiusGiven(_ text: String) -> [Effect] {
        do throws(ProbeError) {
            work.radius = try ServerWork.radius(from: text)
        } catch {
            work.pending = nil
            fail("RADIUS server: \(error.description)")
            return []
        }
        return probe(work.radius!)
    }

    /// Starts the pending `v` or `g` against `target`.
    mutating func probe(_ target: ServerTarget) -> [Effect] {
        guard let pending = work.pending else { return [] }
        work.pending = nil
        let settings = TrustProbe.settings(for: target) { effectiveValue($0) }
        var values: [String: String] = [:]
        if let device = target.login?.deviceSlot {
            for name in [
                Vocabulary.deviceCertificate(device) + ".publicCert",
                Vocabulary.deviceCertificate(device) + ".privateKey"
            ] {
                values[name] = effectiveValue(name)
            }
        }
        let job = ProbeJob(
            id: work.nextID, purpose: pending.purpose, slot: pending.slot, target: target, settings: settings,
            values: values,
            file: (displayName as NSString).lastPathComponent, now: now)
        work.nextID += 1
        work.running = job
        work.spinner = 0
        inform("\(pending.purpose == .verify ? "probing" : "fetching the chain of") \(target.url)… (Esc cancels)")
        return [.probe(job)]
    }

    /// Esc while a probe runs: its answer will be ignored.
    mutating func cancelProbe() {
        guard let job = work.running else { return }
        work.running = nil
        inform("probe of \(job.target.url) cancelled")
    }

    /// A probe's answer: the verdict into the details pane, or the root offered for import.
    mutating func probed(id: Int, _ result: ProbeResult) {
        guard let job = work.running, job.id == id else { return }   // cancelled, or an older job
        work.running = nil
        switch result {
        case .failed(let message):
            work.reports[job.slot] = [
                .init("\(job.target.kind.rawValue) \(job.target.url): not reached", severity: .error),
                .init("  \(message)")
            ]
            fail("\(job.target.url): \(message)")
        case .report(let report):
            var lines = report.lines
            if report.fix?.contains(job.target.fromOption) == true {
                lines.append(.init("  g grabs the root from this server into Platform CA \(job.slot)"))
            }
            work.reports[job.slot] = lines
            inform("\(job.target.url): \(report.verdict.rawValue) (Platform CA \(job.slot)'s details say why)")
        case .root(let root, let origin):
            switch root {
            case .sent(let facts), .trustStore(let facts):
                // The question is about this slot: show it (and its details) while asking.
                focus(caSlot: job.slot)
                work.reports[job.slot] = [.init(origin)] + Self.factLines(facts).map { .init($0) }
                mode = .confirmGrab(facts, slot: job.slot, source: job.target.url)
            case .missing:
                work.reports[job.slot] = [.init(origin, severity: .error)]
                fail(origin + "; i imports it from a file")
            }
        }
    }

    static func factLines(_ facts: CertificateFacts) -> [String] {
        ["  Subject: \(facts.subject)", "  Issuer: \(facts.issuer)", "  Role: \(facts.role)",
         "  Valid: \(Linter.day(facts.notBefore)) to \(Linter.day(facts.notAfter))",
         "  SHA-256: \(CertificateFacts.colonHex(facts.sha256))"]
    }

    /// `y` on the grabbed root: imported as a paste of it would be.
    mutating func grabAnswer(_ key: Key, facts: CertificateFacts, slot: Int, source: String) -> [Effect] {
        let answer = question?.answer(key)
        mode = .browse
        guard answer == .yes else { inform("not imported"); return [] }
        focus(caSlot: slot)
        return importCertificate(Array(PEM.encode(facts.der).utf8), source: source)
    }

    /// Puts the cursor on Platform CA `n` (the TLS Security menu shows both slots).
    mutating func focus(caSlot n: Int) {
        if let row = currentRow, slot(of: row) == .ca(n) { return }
        for _ in 0..<CertificateSlot.all.count {
            focusSlot(forward: true)
            if let row = currentRow, slot(of: row) == .ca(n) { return }
        }
    }
}
