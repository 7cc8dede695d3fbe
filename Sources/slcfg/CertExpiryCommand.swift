// `slcfg cert expiry`: every certificate of a directory or of files, soonest to expire first,
// with the handsets that apply it; exit 1 when an applied one expires within --within days.
import ArgumentParser
import Certificates
import CfgDocument
import Files
import Foundation
import Handset

struct CertExpiry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expiry",
        abstract: "List every certificate (CA and device slots, every file) by expiry, soonest first.",
        discussion:
            "Exit status: 1 when a certificate that a handset applies expires within --within days (or has expired), "
                + "0 otherwise, 2 when a file cannot be read. Certificates in files that no handset reads are listed "
                + "and marked, never counted.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @Argument(help: "A provisioning directory, or configuration files.", completion: .file())
    var paths: [String]

    @Option(help: "The warning threshold, in days.")
    var within = 30

    @Option(help: "text (a table for people), json, or csv.")
    var format: Format = .text

    @OptionGroup var setOptions: SetOptions

    @OptionGroup var fleetOptions: FleetOptions

    func run() throws {
        try setOptions.checkNames()
        try fleetOptions.check(paths)
        guard within >= 0 else { throw CLIError(message: "--within takes a number of days, 0 or more", code: 64) }
        let now = Date()
        var expiry = CertificateExpiry(now: now)
        var unreadable = false
        for path in paths {
            do {
                try collect(path, into: &expiry)
            } catch {
                printError("slcfg: \(error.message)")
                unreadable = true
            }
        }
        let all = expiry.all
        var out = Output(fd: 1, kind: format == .text ? .text : .data)
        switch format {
        case .text: writeTable(all, now: now, to: &out)
        case .csv: writeCSV(all, now: now, to: &out)
        case .json: out.write(try jsonData(all.map { Entry($0, now: now, fleet: fleetOptions.eachHandset) }) + "\n")
        }
        out.flush()
        let soon = expiry.expiring(within: within)
        if !soon.isEmpty {
            printError(
                soon.count == 1
                    ? "slcfg: 1 applied certificate expires within \(within) days"
                    : "slcfg: \(soon.count) applied certificates expire within \(within) days")
        }
        if unreadable { throw ExitCode(2) }
        if !soon.isEmpty { throw ExitCode(1) }
    }

    /// One argument: a directory's files and the sets read from it, every handset's (one with
    /// --mac; the set without a MAC when no file names a handset), or a file alone (a set of one).
    func collect(_ path: String, into expiry: inout CertificateExpiry) throws(CLIError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            let loaded = try LoadedFile.load(path, quiet: true)
            expiry.add(set: ProvisioningSet(file: path, document: loaded.document), mac: "")
            return
        }
        var handsets = setOptions.mac.flatMap(ProvisioningSet.macAddress).map { [$0] } ?? []
        if setOptions.mac == nil { handsets = try fleetOptions.handsets(of: path) }
        if handsets.isEmpty, let set = try setOptions.set(for: path) {
            expiry.add(set: set, mac: "")
        } else {
            let reading = FleetReading(directory: path, handsets: handsets, model: setOptions.model)
            var failed: CLIError?
            try? reading.each({ _, set in set }) { mac, set in
                switch set {
                case .success(let set): expiry.add(set: set, mac: mac, shared: reading.files.sharedNames(of: set))
                case .failure(let error): failed = failed ?? error
                }
            }
            if let failed { throw failed }
        }
        for name in InventoryOption.fileNames(in: path).sorted() where name.lowercased().hasSuffix(".cfg") {
            let file = ProvisioningSet.join(path, name)
            guard let bytes = try? FileStore.read(file) else { continue }
            expiry.add(file: file, document: CfgDocument(bytes: bytes))
        }
    }

    /// Who applies a certificate, in a few words.
    func applied(_ entry: ExpiringCertificate) -> String {
        if !entry.read { return "not read" }
        guard fleetOptions.eachHandset else { return entry.applied ? "applied" : "ignored" }
        return entry.applied ? "\(entry.appliedBy.count) handset\(entry.appliedBy.count == 1 ? "" : "s")" : "ignored"
    }

    func writeTable(_ all: [ExpiringCertificate], now: Date, to out: inout Output) {
        guard !all.isEmpty else {
            out.write("no certificates\n")
            return
        }
        let rows = all.map { entry in
            [Linter.day(entry.certificate.notAfter), String(entry.certificate.daysLeft(now: now)),
             entry.slot.description, applied(entry), "\(entry.file):\(entry.line)", entry.certificate.subject]
        }
        let header = ["NOT AFTER", "DAYS", "SLOT", "APPLIED BY", "FILE:LINE", "SUBJECT"]
        let widths = (0..<5).map { c in ([header] + rows).map { $0[c].count }.max()! }
        for row in [header] + rows {
            var line = ""
            for c in 0..<5 {
                let cell = row[c]
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += (c == 1 ? pad + cell : cell + pad) + "  "
            }
            out.write(field: line + row[5])
            out.write("\n")
        }
    }

    func writeCSV(_ all: [ExpiringCertificate], now: Date, to out: inout Output) {
        func quoted(_ field: String) -> String {
            guard field.contains(where: { ",\"\n\r".contains($0) }) else { return field }
            return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        out.write("not_after,days_left,slot,parameter,file,line,read,applied,handsets,subject,sha256\n")
        for entry in all {
            let fields = [
                CertificateFacts.iso8601(entry.certificate.notAfter), String(entry.certificate.daysLeft(now: now)),
                entry.slot.description, entry.parameter, entry.file, String(entry.line), entry.read ? "1" : "0",
                entry.applied ? "1" : "0", String(fleetOptions.eachHandset ? entry.appliedBy.count : 0),
                entry.certificate.subject, entry.certificate.sha256,
            ]
            out.write(fields.map(quoted).joined(separator: ",") + "\n")
        }
    }

    /// A certificate as JSON: its facts, where it is, and who applies it.
    struct Entry: Encodable {
        var file: String
        var line: Int
        var column: Int
        var slot: String
        var parameter: String
        var notAfter: String
        var daysLeft: Int
        var read: Bool
        var applied: Bool
        var handsets: [String]?
        var certificate: CertificateFacts

        init(_ entry: ExpiringCertificate, now: Date, fleet: Bool) {
            file = entry.file
            line = entry.line
            column = entry.column
            slot = entry.slot.description
            parameter = entry.parameter
            notAfter = CertificateFacts.iso8601(entry.certificate.notAfter)
            daysLeft = entry.certificate.daysLeft(now: now)
            read = entry.read
            applied = entry.applied
            handsets = fleet ? entry.appliedBy : nil
            certificate = entry.certificate
        }
    }
}
