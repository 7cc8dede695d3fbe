import ArgumentParser
import Certificates
import CfgDocument
import Files
import Foundation
import Handset
import Probe

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract:
            "Ask the provisioning and RADIUS servers for their certificates and say whether the handset will trust "
                + "them.",
        discussion:
            "Exit status: 0 when every target is trusted, 1 when one is not or is unknown, 2 when a server could not "
                + "be reached or the input is bad. The rules and their sources: see the README (\"probe\")."
    )

    @Argument(help: "The configuration file, or a provisioning directory or master file.", completion: .file())
    var file: String

    @Option(
        help: ArgumentHelp(
            "The provisioning server: https://host[:port], ftpes://host[:port] (AUTH TLS), ftps://host[:port] "
                + "(implicit). Default: the file's device.prov.serverType and serverName.",
            valueName: "url"))
    var provisioning: String?

    @Option(help: ArgumentHelp("The RADIUS server (802.1X), probed with eapol_test.", valueName: "host[:port]"))
    var radius: String?

    @OptionGroup var radiusOptions: RadiusOptions

    @Option(
        help: ArgumentHelp(
            "Judge dates at this moment (YYYY-MM-DD or ISO 8601); default now, the handset's clock.", valueName: "date")
    )
    var at: String?

    @Option(help: "Seconds to wait for each server.")
    var timeout: Double = 10

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Say on standard error how long each server's connection, handshake and the decision took.")
    var verbose = false

    @OptionGroup var setOptions: SetOptions

    func run() throws {
        ProbeScratch.shared.cleanUpOnSignals()
        let date = try parseDate()
        let settingsSource = try loadValues()
        let targets = try makeTargets(settingsSource.value)
        guard !targets.isEmpty else {
            var out = Output(fd: 1)
            out.write("nothing to check: \(settingsSource.noTLS ?? "give --provisioning URL or --radius HOST")\n")
            out.flush()
            return
        }
        let trustStore = TrustStore()
        var reports: [TrustReport] = []
        var unreachable = false
        for target in targets {
            let source = settingsSource.value
            let fallback = provisioning == nil
            let fetched = Result { () throws(ProbeError) in
                try fetchChain(target, timeout: timeout, fallback: fallback, at: date, value: source)
            }
            switch fetched {
            case .failure(let error):
                printError("slcfg: \(target.kind.rawValue): \(error.description)")
                unreachable = true
            case .success(let chain):
                let settings = TrustProbe.settings(for: target, value: source)
                let file = self.file
                let start = ContinuousClock.now
                reports.append(blocking {
                    await TrustProbe.verify(
                        chain, from: target, settings: settings, file: file, at: date, trustStore: trustStore)
                })
                ProbePhases.record("decision", since: start)
            }
            let phases = ProbePhases.take()
            if verbose { printError("slcfg: \(target.kind.rawValue) \(target.url): \(ProbePhases.describe(phases))") }
        }
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            out.write(try jsonData(reports) + "\n")
        } else {
            for line in reports.flatMap(\.lines) {
                out.write(field: line.text)
                out.write("\n")
            }
        }
        out.flush()
        if unreachable { throw ExitCode(2) }
        if reports.contains(where: { $0.verdict != .trusted }) { throw ExitCode(1) }
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
        let set = try setOptions.open(file, quiet: true).set
        set.reportProblems()
        let map = set.effective()
        let value: @Sendable (String) -> String? = { set.effectiveValue($0, in: map) }
        return (value, TrustSettings.provisioningNotTLS(value: value))
    }

    func makeTargets(_ value: (String) -> String?) throws -> [ServerTarget] {
        var targets: [ServerTarget] = []
        do throws(ProbeError) {
            if let provisioning {
                targets.append(try ServerTarget.provisioning(provisioning))
            } else if let url = TrustSettings.provisioningURL(value: value) {
                targets.append(try ServerTarget.provisioning(url))
            }
        } catch {
            throw CLIError(message: error.description, code: 64)
        }
        if let radius {
            targets.append(try radiusOptions.target(radius, option: "--radius", file: Dot1xLogin(value: value)))
        }
        return targets
    }
}
