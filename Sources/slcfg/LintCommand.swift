#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CfgDocument
import Foundation
import Handset

/// Whether to colour output on a file descriptor: a terminal, and NO_COLOR unset.
func useColour(_ fd: Int32) -> Bool {
    isatty(fd) != 0 && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
}

struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Report every reason the handset would ignore or misread a setting.",
        discussion:
            "Exit status: 0 without errors (without warnings either with --strict), 1 otherwise, 2 when a file cannot "
                + "be read."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, gcc }

    @Argument(help: "Configuration files.", completion: .file())
    var files: [String]

    @Option(help: "text (for people), json, or gcc (FILE:LINE:COL: severity: message [rule]).")
    var format: Format = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    @OptionGroup var setOptions: SetOptions

    @OptionGroup var fleetOptions: FleetOptions

    @OptionGroup var schemaOption: SchemaOption

    func run() throws {
        try setOptions.checkNames()
        try fleetOptions.check(files)
        if fleetOptions.eachHandset { return try lintFleet(files[0]) }
        var out = Output(fd: 1, kind: format == .json ? .data : .text)
        var json: [[String: Any]] = []
        var failing = false
        var unreadable = false
        let command = Unchecked(self)
        try InOrder.run(files.count, work: { Unchecked(command.value.lint(command.value.files[$0])) }) { _, linted in
            let linted = linted.value
            if let error = linted.error {
                out.flush()
                printError("slcfg: \(error)")
                unreadable = true
            }
            failing = failing || linted.failing
            out.write(rendered: linted.output)
            json += linted.json
        }
        if format == .json {
            let data = try JSONSerialization.data(
                withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        }
        out.flush()
        if unreadable { throw ExitCode(2) }
        if failing { throw ExitCode(1) }
    }

    /// One argument's lint, written out: its findings as text or gcc lines, or JSON objects;
    /// whether they fail the run; or why it could not be read.
    struct Linted {
        var output: [UInt8] = []
        var json: [[String: Any]] = []
        var failing = false
        var error: String?
    }

    /// Lints one argument: a provisioning set (a directory or a master file), or a file, which is
    /// a set with one member. Findings are reported file by file: the master's when it has any,
    /// then each member's. Runs on any thread.
    func lint(_ file: String) -> Linted {
        var linted = Linted()
        let set: ProvisioningSet
        let catalogue: Catalogue
        do {
            set = try setOptions.open(file, quiet: true).set
            catalogue = try schemaOption.catalogue(for: file)
        } catch {
            linted.error = error.message
            return linted
        }
        // Grouped by file as found: the findings of a 33 MB file (tens of MB) are never copied.
        var byFile: [String: [Finding]] = [:]
        for group in set.lintByFile(catalogue: catalogue) {
            if byFile[group.file] == nil { byFile[group.file] = group.findings } else {
                byFile[group.file]! += group.findings
            }
        }
        var out = Output(collecting: format == .json ? .data : .text)
        let master = set.isOneFile || byFile[set.masterPath] == nil ? [] : [(set.masterPath, set.master)]
        for (path, document) in master + set.members.map({ ($0.path, $0.document) }) {
            var findings = byFile.removeValue(forKey: path) ?? []
            findings.sort { $0.offset < $1.offset }   // stable: a file's own order first
            if findings.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) {
                linted.failing = true
            }
            write(findings, of: set.isOneFile ? file : path, lines: LineIndex(document.bytes), to: &out,
                  json: &linted.json)
        }
        linted.output = out.buffer
        return linted
    }

    /// One file's findings in the chosen format (JSON is collected and written at the end).
    func write(
        _ findings: [Finding], of file: String, lines: LineIndex, to out: inout Output, json: inout [[String: Any]]
    ) {
        let colour = format == .text && useColour(1)
        switch format {
        case .gcc:
            for f in findings {
                let (line, column) = lines.location(of: f.offset)
                out.write(field: file)
                out.write(":\(line):\(column): \(f.severity.rawValue): ")
                out.write(field: f.message)
                out.write(" [\(f.rule)]\n")
            }
        case .json:
            for f in findings {
                let (line, column) = lines.location(of: f.offset)
                json.append([
                    "file": file, "line": line, "column": column, "severity": f.severity.rawValue, "rule": f.rule,
                    "parameter": f.parameter as Any? ?? NSNull(), "message": f.message,
                    "fix": f.fix?.description as Any? ?? NSNull(),
                    "fixNeedsPerson": f.weakens?.question as Any? ?? NSNull()
                ])
            }
        case .text:
            if colour { out.write(style: "\u{1B}[1m") }
            out.write(field: file)
            if colour { out.write(style: "\u{1B}[0m") }
            out.write("\n")
            for f in findings {
                let (line, column) = lines.location(of: f.offset)
                out.write("  \(line):\(column)  ")
                if colour { out.write(style: Self.colour(f.severity)) }
                out.write(f.severity.rawValue)
                if colour { out.write(style: "\u{1B}[0m") }
                out.write("  ")
                out.write(field: f.message)
                out.write(" [\(f.rule)]\n")
                if let fix = f.fix {
                    out.write("      fix: ")
                    out.write(field: fix.description + (f.weakens.map { " (left to a person: \($0.question))" } ?? ""))
                    out.write("\n")
                }
            }
            let counts = Finding.Severity.allCases.map { s in (s, findings.filter { $0.severity == s }.count) }
            out.write(
                findings.isEmpty
                    ? "  no findings\n"
                    : "  "
                        + counts.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 || $0.0 == .info ? "" : "s")" }.joined(
                            separator: ", ") + "\n")
        }
    }

    /// The colour a severity's label is written in.
    static func colour(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: "\u{1B}[1;31m"
        case .warning: "\u{1B}[33m"
        case .info: "\u{1B}[36m"
        }
    }
}

struct FixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fix",
        abstract: "Apply the fixes lint offers for errors and warnings (info too when named with --rule).")

    @Argument(help: "Configuration files.", completion: .file())
    var files: [String]

    @Option(name: .customLong("rule"), help: "Only these rules (repeatable); info rules are fixed only when named.")
    var rules: [String] = []

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var schemaOption: SchemaOption

    func run() throws {
        try outputOptions.edit(files, quiet: true) { (loaded: inout LoadedFile) throws(CLIError) in
            let file = loaded.path
            let linter = Linter(catalogue: try schemaOption.catalogue(for: file))
            let lines = LineIndex(loaded.document.bytes)
            let (fixed, withheld) = Fixer.fixAll(&loaded.document, rules: rules, linter: linter)
            for (finding, _) in fixed {
                let (line, column) = lines.location(of: finding.offset)
                printError("\(file):\(line):\(column): fixed [\(finding.rule)]: \(finding.fix!.description)")
            }
            let now = LineIndex(loaded.document.bytes)
            for finding in withheld {
                let (line, column) = now.location(of: finding.offset)
                printError(
                    "\(file):\(line):\(column): not applied [\(finding.rule)]: "
                        + "\(Self.refusal(finding, in: loaded.document, file: file))"
                )
            }
            if fixed.isEmpty && withheld.isEmpty { printError("\(file): nothing to fix") }
        }
    }

    /// Why a fix was not applied, and what to do instead (a secret's value is not quoted).
    static func refusal(_ finding: Finding, in document: CfgDocument, file: String) -> String {
        guard let weakening = finding.weakens, let name = finding.parameter else { return "" }
        let short = name.split(separator: ".").last.map(String.init) ?? name
        var secret = Catalogue.shared.isSecret(name)
        if case .rename(_, let to)? = finding.fix, Catalogue.shared.isSecret(to) { secret = true }
        let value = document.index(named: name).map { "=\(secret ? Masking.mask : document.value($0))" } ?? ""
        let byHand: String
        switch finding.fix {
        case .rename(_, let to)?: byHand = "rename it to \(to) by hand"
        case .assign(let target, let newValue)?:
            let shown = Catalogue.shared.isSecret(target) ? Masking.mask : newValue
            byHand = "run 'slcfg set \(file) \(target)=\(shown)'"
        case .remove?: byHand = "remove them by hand"
        case .enable(let target)?: byHand = "run 'slcfg set \(file) \(target).set=1'"
        case nil: byHand = "run 'slcfg set \(file) \(name).set=1'"
        }
        return "\(short)\(value) \(weakening.effect); \(weakening.remedy), or \(byHand) if you mean it"
    }
}
