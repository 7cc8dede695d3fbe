import ArgumentParser
import Certificates
import CfgDocument
import Files
import Foundation
import Handset
import Probe

/// A server to ask for its certificates.
struct ProbeTarget: Sendable {
    enum Kind: String, Sendable { case provisioning, radius }
    var kind: Kind
    /// `https://host:port`, `ftpes://…`, `ftps://…` or `radius://host:port`.
    var url: String
    var host: String
    var port: Int
    var tls: TLSProbe.Kind?
    /// The name the certificate must carry: the host, or `--radius-name` for RADIUS.
    var name: String
}

/// What `probe` found for one target.
struct ProbeReport: Encodable {
    var target: String
    var kind: String
    var verdict: String
    var chain: [CertificateFacts]
    var anchor: CertificateFacts?
    var reasons: [[String: String]]
    var fix: String?
}

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask the provisioning and RADIUS servers for their certificates and say whether the handset will trust them.",
        discussion: "Exit status: 0 when every target is trusted, 1 when one is not or is unknown, 2 when a server could not be reached or the input is bad. The rules and their sources: see the README (\"probe\").")

    @Argument(help: "The configuration file, or a provisioning directory or master file.", completion: .file())
    var file: String

    @Option(help: ArgumentHelp("The provisioning server: https://host[:port], ftpes://host[:port] (AUTH TLS), ftps://host[:port] (implicit). Default: the file's device.prov.serverType and serverName.", valueName: "url"))
    var provisioning: String?

    @Option(help: ArgumentHelp("The RADIUS server (802.1X), probed with eapol_test.", valueName: "host[:port]"))
    var radius: String?

    @OptionGroup var radiusOptions: RadiusOptions

    @Option(help: ArgumentHelp("Judge dates at this moment (YYYY-MM-DD or ISO 8601); default now, the handset's clock.", valueName: "date"))
    var at: String?

    @Option(help: "Seconds to wait for each server.")
    var timeout: Double = 10

    @Flag(help: "Print JSON.")
    var json = false

    @OptionGroup var setOptions: SetOptions

    func run() throws {
        let date = try parseDate()
        let settingsSource = try loadValues()
        let targets = try makeTargets(settingsSource.value)
        guard !targets.isEmpty else {
            print("nothing to check: \(settingsSource.noTLS ?? "give --provisioning URL or --radius HOST")")
            return
        }
        let trustStore = TrustStore.load().certificates
        var reports: [ProbeReport] = []
        var unreachable = false
        for target in targets {
            let presented: [CertificateFacts]
            do {
                presented = try fetch(target, value: settingsSource.value).map { try CertificateFacts(der: $0, now: date) }
            } catch let error as ProbeError {
                printError("slcfg: \(target.kind.rawValue): \(error.description)")
                unreachable = true
                continue
            } catch {
                printError("slcfg: \(target.kind.rawValue): the server sent something that is not a certificate: \(error)")
                unreachable = true
                continue
            }
            let application = Vocabulary.handset.application(target.kind == .radius ? "dot1x" : "provisioning")!
            let settings = TrustSettings(application: application, value: settingsSource.value)
            let decision = blocking { await TrustDecision.decide(settings, presented: presented, host: target.name, at: date, trustStore: trustStore) }
            let rootReachable = presented.last.map { $0.selfSigned || TrustStore.issuer(of: $0, in: trustStore) != nil } ?? false
            reports.append(report(target, decision, rootReachable: rootReachable))
        }
        var out = Output(fd: 1)
        if json {
            out.write(try jsonData(reports) + "\n")
        } else {
            for report in reports { write(report, to: &out) }
        }
        out.flush()
        if unreachable { throw ExitCode(2) }
        if reports.contains(where: { $0.verdict != TrustDecision.Verdict.trusted.rawValue }) { throw ExitCode(1) }
    }

    func parseDate() throws -> Date {
        guard let at else { return Date() }
        let full = ISO8601DateFormatter()
        if let date = full.date(from: at) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        if let date = day.date(from: at) { return date }
        throw CLIError(message: "--at takes a date such as 2027-01-31 or 2027-01-31T12:00:00Z, not '\(at)'", code: 64)
    }

    /// The file's (or the set's) effective values, and why provisioning is not probed, if so.
    func loadValues() throws -> (value: @Sendable (String) -> String?, noTLS: String?) {
        let value: @Sendable (String) -> String?
        if let set = try setOptions.set(for: file) {
            set.reportProblems()
            let map = set.effective()
            value = { set.effectiveValue($0, in: map) }
        } else {
            let document = try LoadedFile.load(file, quiet: true).document
            value = { name in document.index(named: name).map { document.value($0) } }
        }
        let type = value("device.prov.serverType") ?? "0"
        let label = Catalogue.shared.valueLabel(type, for: "device.prov.serverType")
        let tls = ["3", "4", "HTTPS", "FTPS"].contains(type.uppercased())
        return (value, tls ? nil : "device.prov.serverType is \(label): not TLS, so there is no provisioning certificate to check")
    }

    func makeTargets(_ value: (String) -> String?) throws -> [ProbeTarget] {
        var targets: [ProbeTarget] = []
        if let provisioning {
            targets.append(try Self.parse(url: provisioning))
        } else if let type = value("device.prov.serverType")?.uppercased(), ["3", "4", "HTTPS", "FTPS"].contains(type),
                  let name = value("device.prov.serverName"), !name.isEmpty {
            let scheme = type == "3" || type == "HTTPS" ? "https" : "ftpes"
            let hostPart = name.split(separator: "/").first.map(String.init) ?? name
            targets.append(try Self.parse(url: "\(scheme)://\(hostPart)"))
        }
        if let radius { targets.append(try radiusOptions.target(radius, option: "--radius")) }
        return targets
    }

    static func parse(url: String) throws -> ProbeTarget {
        let parts = url.components(separatedBy: "://")
        guard parts.count == 2, let kind = TLSProbe.Kind(rawValue: parts[0].lowercased()) else {
            throw CLIError(message: "'\(url)': give https://host[:port], ftpes://host[:port] or ftps://host[:port]", code: 64)
        }
        let authority = parts[1].split(separator: "/").first.map(String.init) ?? ""
        let (host, port) = try hostPort(authority, defaultPort: kind.defaultPort)
        return ProbeTarget(kind: .provisioning, url: "\(kind.rawValue)://\(host):\(port)", host: host, port: port, tls: kind, name: host)
    }

    static func hostPort(_ text: String, defaultPort: Int) throws -> (String, Int) {
        let pieces = text.split(separator: ":")
        guard let host = pieces.first, !host.isEmpty, pieces.count <= 2 else { throw CLIError(message: "'\(text)' is not host[:port]", code: 64) }
        guard pieces.count == 2 else { return (String(host), defaultPort) }
        guard let port = Int(pieces[1]), (1...65535).contains(port) else { throw CLIError(message: "'\(pieces[1])' is not a port", code: 64) }
        return (String(host), port)
    }

    func fetch(_ target: ProbeTarget, value: @escaping (String) -> String?) throws -> [[UInt8]] {
        try fetchChain(target, timeout: timeout, fromFile: provisioning == nil, radius: radiusOptions, value: value, file: file)
    }

    /// The report of one target; `rootReachable`: the root can be fetched (the server sends it,
    /// or this machine's trust store has it), so `--from-server` is the fix.
    func report(_ target: ProbeTarget, _ decision: TrustDecision, rootReachable: Bool) -> ProbeReport {
        var fix: String?
        if decision.verdict != .trusted {
            let from = target.kind == .radius ? "--from-radius \(target.host):\(target.port)" : "--from-server \(target.url)"
            if let slot = decision.importSlot {
                let root = decision.chain.last?.issuerDisplayName ?? "the root"
                fix = rootReachable ? "slcfg cert import \(file) --slot \(slot) \(from)"
                    : "slcfg cert import \(file) --slot \(slot) ROOT.pem   # '\(root)', from your CA: the server does not send it"
            }
            if let slot = decision.blockedSlot {
                fix = decision.reasons.contains { $0.message.contains(".set is") }
                    ? "slcfg set \(file) \(Vocabulary.caCertificate(slot)).set=1"
                    : "slcfg show \(file)   # the profile's CA list leaves Platform CA \(slot) out"
            }
        }
        return ProbeReport(target: target.url, kind: target.kind.rawValue, verdict: decision.verdict.rawValue, chain: decision.chain,
                           anchor: decision.anchor,
                           reasons: decision.reasons.map { ["rule": $0.rule, "severity": $0.severity.rawValue, "message": $0.message] }, fix: fix)
    }

    func write(_ report: ProbeReport, to out: inout Output) {
        out.write("\(report.kind) \(report.target): \(report.verdict)\n")
        out.write("  chain as sent:\n")
        for (k, facts) in report.chain.enumerated() {
            out.write("    \(k + 1). '\(facts.displayName)', issued by '\(facts.issuerDisplayName)', until \(Linter.day(facts.notAfter))\n")
        }
        if let anchor = report.anchor { out.write("  anchor: '\(anchor.displayName)'\n") }
        for reason in report.reasons { out.write("  \(reason["severity"]!): \(reason["message"]!) [\(reason["rule"]!)]\n") }
        if let fix = report.fix { out.write("  fix: \(fix)\n") }
    }
}

