// `slcfg lint DIR --each-handset`: every handset's set linted, each finding once with its handsets.
import ArgumentParser
import CfgDocument
import Foundation
import Handset

extension LintCommand {
    /// Lints every handset of `directory` and writes each finding once, with the handsets it
    /// affects. The exit status is lint's: 1 with errors (warnings too with --strict), 2 when a
    /// handset's set cannot be read.
    func lintFleet(_ directory: String) throws {
        if setOptions.mac != nil {
            throw CLIError(message: "--mac names one handset and --each-handset every one: give one of them", code: 64)
        }
        let handsets = try fleetOptions.handsets(of: directory)
        guard !handsets.isEmpty else {
            throw CLIError(
                message: "\(directory): no handset found: no <MAC>.cfg or <MAC>-*.cfg file, and no --inventory",
                code: 2)
        }
        let reading = FleetReading(directory: directory, handsets: handsets, model: setOptions.model)
        let linter = Linter(catalogue: try schemaOption.catalogue(for: directory))
        var fleet = FleetFindings()
        try reading.each({ _, set in
            set.map { Unchecked($0.lintInFleet(reading.files, linter: linter)) }
        }) { mac, linted in
            switch linted {
            case .success(let groups): fleet.add(mac, groups.value)
            case .failure(let error): fleet.add(mac, unreadable: error.message)
            }
        }
        let all = fleet.all
        var out = Output(fd: 1, kind: format == .json ? .data : .text)
        write(all, of: fleet.handsets.count, documents: reading.files, to: &out)
        out.flush()
        for (mac, reason) in fleet.unreadable { printError("slcfg: handset \(mac): \(reason)") }
        if !fleet.unreadable.isEmpty { throw ExitCode(2) }
        if all.contains(where: { $0.finding.severity == .error || (strict && $0.finding.severity == .warning) }) {
            throw ExitCode(1)
        }
    }

    /// The fleet's findings in the chosen format: text names up to five handsets a finding, JSON
    /// lists them all.
    func write(_ findings: [FleetFinding], of total: Int, documents: FleetFiles, to out: inout Output) {
        var lines: [String: LineIndex] = [:]
        func location(_ f: FleetFinding) -> (line: Int, column: Int) {
            if lines[f.file] == nil { lines[f.file] = LineIndex(documents.bytes(of: f.file)) }
            return lines[f.file]!.location(of: f.finding.offset)
        }
        func handsets(_ f: FleetFinding) -> String {
            let count = f.handsets.count == total ? "all \(total) handsets" : "\(f.handsets.count) of \(total) handsets"
            return "\(count): \(Fleet.naming(f.handsets))"
        }
        var json: [[String: Any]] = []
        for f in findings {
            let (line, column) = location(f)
            switch format {
            case .json:
                json.append([
                    "file": f.file, "line": line, "column": column, "severity": f.finding.severity.rawValue,
                    "rule": f.finding.rule, "parameter": f.finding.parameter as Any? ?? NSNull(),
                    "message": f.finding.message, "fix": f.finding.fix?.description as Any? ?? NSNull(),
                    "handsets": f.handsets,
                ])
            case .gcc:
                out.write(field: f.file)
                out.write(":\(line):\(column): \(f.finding.severity.rawValue): ")
                out.write(field: f.finding.message)
                out.write(" (\(handsets(f))) [\(f.finding.rule)]\n")
            case .text:
                out.write("\(handsets(f))\n  ")
                out.write(field: f.file)
                out.write(":\(line):\(column): \(f.finding.severity.rawValue): ")
                out.write(field: f.finding.message)
                out.write(" [\(f.finding.rule)]\n")
                if let fix = f.finding.fix {
                    out.write("      fix: ")
                    out.write(field: fix.description)
                    out.write("\n")
                }
            }
        }
        switch format {
        case .json:
            let data = (try? JSONSerialization.data(
                withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
            out.write(bytes: Array(data))
            out.write("\n")
        case .text:
            let counts = Finding.Severity.allCases.map { s in (s, findings.filter { $0.finding.severity == s }.count) }
            out.write("\(total) handset\(total == 1 ? "" : "s"): "
                + counts.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 || $0.0 == .info ? "" : "s")" }.joined(
                    separator: ", ") + "\n")
        case .gcc:
            break
        }
    }
}
