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

    func run() throws {
        var out = Output(fd: 1)
        var json: [[String: Any]] = []
        let (reports, unreadable) = collectReports()
        var failing = false
        for (file, bytes, findings) in reports {
            if findings.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) {
                failing = true
            }
            write(findings, of: file, lines: LineIndex(bytes), to: &out, json: &json)
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

    /// Each argument is a file, or a provisioning set (a directory or a master file), whose
    /// findings are reported file by file; also whether some argument could not be read.
    func collectReports() -> ([(file: String, bytes: [UInt8], findings: [Finding])], Bool) {
        var reports: [(file: String, bytes: [UInt8], findings: [Finding])] = []
        var unreadable = false
        for file in files {
            do {
                if let set = try setOptions.set(for: file) {
                    let byFile = Dictionary(grouping: set.lint(), by: \.file)
                    for path in [set.masterPath] + set.members.map(\.path)
                    where byFile[path] != nil || path != set.masterPath {
                        let bytes =
                            path == set.masterPath
                            ? set.master.bytes : set.members.first { $0.path == path }!.document.bytes
                        reports.append(
                            (path, bytes, (byFile[path] ?? []).map(\.finding).sorted { $0.offset < $1.offset }))
                    }
                } else {
                    let loaded = try LoadedFile.load(file, quiet: true)
                    reports.append((file, loaded.document.bytes, Linter().lint(loaded.document)))
                }
            } catch {
                printError("slcfg: \(error.message)")
                unreadable = true
            }
        }
        return (reports, unreadable)
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
                out.write("\(file):\(line):\(column): \(f.severity.rawValue): \(f.message) [\(f.rule)]\n")
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
            out.write(colour ? "\u{1B}[1m\(file)\u{1B}[0m\n" : "\(file)\n")
            for f in findings {
                let (line, column) = lines.location(of: f.offset)
                let label = colour ? Self.coloured(f.severity) : f.severity.rawValue
                out.write("  \(line):\(column)  \(label)  \(f.message) [\(f.rule)]\n")
                if let fix = f.fix {
                    out.write(
                        "      fix: "
                            + "\(fix.description)\(f.weakens.map { " (left to a person: \($0.question))" } ?? "")\n"
                    )
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

    static func coloured(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: return "\u{1B}[1;31merror\u{1B}[0m"
        case .warning: return "\u{1B}[33mwarning\u{1B}[0m"
        case .info: return "\u{1B}[36minfo\u{1B}[0m"
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

    func run() throws {
        try outputOptions.edit(files, quiet: true) { (loaded: inout LoadedFile) throws(CLIError) in
            let file = loaded.path
            let fixed = Self.fixAll(&loaded.document, rules: rules)
            let lines = LineIndex(loaded.original)
            for (finding, _) in fixed {
                let (line, column) = lines.location(of: finding.offset)
                printError("\(file):\(line):\(column): fixed [\(finding.rule)]: \(finding.fix!.description)")
            }
            let withheld = Self.withheld(in: loaded.document, rules: rules)
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

    /// Applies fixes in rounds: one lint, then every fix it offers, last in the file first (an
    /// edit then never moves a parameter a later fix of the round names), skipping a fix whose
    /// parameter moved or changed name; then lint again, until a round applies nothing. Linear in
    /// the number of fixes, where a lint after each fix was quadratic. Offsets in the returned
    /// findings refer to the file as it was.
    static func fixAll(_ document: inout CfgDocument, rules: [String]) -> [(Finding, [Assignment])] {
        func key(_ f: Finding) -> String { "\(f.rule) \(f.fix?.description ?? "") \(f.parameter ?? "")" }
        // The findings of the file as it was, by key, in file order, not yet matched to a fix.
        var unmatched: [String: [Finding]] = [:]
        for f in Linter().lint(document) { unmatched[key(f), default: []].append(f) }
        var done: [(Finding, [Assignment])] = []
        var tried = Set<String>()
        for _ in 0..<100 {
            let candidates = Linter().lint(document).filter { f in
                f.fix != nil && f.weakens == nil && selected(f, rules: rules)
                    && !tried.contains("\(key(f)) \(f.offset)")
            }
            guard !candidates.isEmpty else { break }
            // Edits keep the order of equal findings: the k-th candidate of a key is the k-th
            // unmatched finding of that key in the original file.
            var original: [Int: Finding] = [:]
            for (k, group) in Dictionary(grouping: candidates.indices, by: { key(candidates[$0]) }) {
                for (n, i) in group.sorted(by: { candidates[$0].offset < candidates[$1].offset }).enumerated() {
                    if let list = unmatched[k], n < list.count { original[i] = list[n] }
                }
            }
            var applied = false
            var matched: [String: Set<Int>] = [:]
            for i in candidates.indices.sorted(by: { candidates[$0].offset > candidates[$1].offset }) {
                let finding = candidates[i]
                guard let fix = finding.fix, stillNames(fix, finding, in: document) else { continue }
                tried.insert("\(key(finding)) \(finding.offset)")
                if let changes = try? document.apply(fix), !changes.isEmpty {
                    let before = original[i] ?? finding
                    done.append((before, changes))
                    if original[i] != nil { matched[key(finding), default: []].insert(before.offset) }
                    applied = true
                }
            }
            for (k, offsets) in matched { unmatched[k]?.removeAll { offsets.contains($0.offset) } }
            if !applied { break }
        }
        return done.sorted { $0.0.offset < $1.0.offset }
    }

    /// Whether an index-based fix still points at the parameter its finding is about.
    static func stillNames(_ fix: Fix, _ finding: Finding, in document: CfgDocument) -> Bool {
        switch fix {
        case .rename(let index, _):
            return index < document.parameterCount && document.name(index) == finding.parameter
        case .remove(let indices):
            return indices.allSatisfy {
                $0 < document.parameterCount && document.name($0).lowercased() == finding.parameter?.lowercased()
            }
        case .assign, .enable:
            return true
        }
    }

    /// Whether `fix` (with these `--rule`s) is asked to fix a finding.
    static func selected(_ finding: Finding, rules: [String]) -> Bool {
        rules.isEmpty ? finding.severity != .info : rules.contains(finding.rule)
    }

    /// The findings whose fix would weaken security: `fix` leaves them to a person.
    static func withheld(in document: CfgDocument, rules: [String]) -> [Finding] {
        Linter().lint(document).filter { $0.fix != nil && $0.weakens != nil && selected($0, rules: rules) }
    }

    /// Why a fix was not applied, and what to do instead (a secret's value is not quoted).
    static func refusal(_ finding: Finding, in document: CfgDocument, file: String) -> String {
        guard let weakening = finding.weakens, let name = finding.parameter else { return "" }
        let short = name.split(separator: ".").last.map(String.init) ?? name
        let value =
            Catalogue.shared.isSecret(name) ? "" : document.index(named: name).map { "=\(document.value($0))" } ?? ""
        return
            "\(short)\(value) \(weakening.effect); \(weakening.remedy), or run 'slcfg set \(file) \(name).set=1' if "
                + "you mean it"
    }
}
