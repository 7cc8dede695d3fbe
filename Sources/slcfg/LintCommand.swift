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
        discussion: "Exit status: 0 without errors (without warnings either with --strict), 1 otherwise, 2 when a file cannot be read.")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, gcc }

    @Argument(help: "Configuration files.", completion: .file())
    var files: [String]

    @Option(help: "text (for people), json, or gcc (FILE:LINE:COL: severity: message [rule]).")
    var format: Format = .text

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        var out = Output(fd: 1)
        var unreadable = false
        var failing = false
        var json: [[String: Any]] = []
        let colour = format == .text && useColour(1)
        for file in files {
            let loaded: LoadedFile
            do {
                loaded = try LoadedFile.load(file, quiet: true)
            } catch {
                printError("slcfg: \(error.message)")
                unreadable = true
                continue
            }
            let document = loaded.document
            let findings = Linter().lint(document)
            if findings.contains(where: { $0.severity == .error || (strict && $0.severity == .warning) }) { failing = true }
            let lines = LineIndex(document.bytes)
            switch format {
            case .gcc:
                for f in findings {
                    let (line, column) = lines.location(of: f.offset)
                    out.write("\(file):\(line):\(column): \(f.severity.rawValue): \(f.message) [\(f.rule)]\n")
                }
            case .json:
                for f in findings {
                    let (line, column) = lines.location(of: f.offset)
                    json.append(["file": file, "line": line, "column": column, "severity": f.severity.rawValue, "rule": f.rule,
                                 "parameter": f.parameter as Any? ?? NSNull(), "message": f.message,
                                 "fix": f.fix?.description as Any? ?? NSNull(),
                                 "fixNeedsPerson": f.weakens?.question as Any? ?? NSNull()])
                }
            case .text:
                out.write(colour ? "\u{1B}[1m\(file)\u{1B}[0m\n" : "\(file)\n")
                for f in findings {
                    let (line, column) = lines.location(of: f.offset)
                    let label = colour ? Self.coloured(f.severity) : f.severity.rawValue
                    out.write("  \(line):\(column)  \(label)  \(f.message) [\(f.rule)]\n")
                    if let fix = f.fix {
                        out.write("      fix: \(fix.description)\(f.weakens.map { " (left to a person: \($0.question))" } ?? "")\n")
                    }
                }
                let counts = Finding.Severity.allCases.map { s in (s, findings.filter { $0.severity == s }.count) }
                out.write(findings.isEmpty ? "  no findings\n" : "  " + counts.map { "\($0.1) \($0.0.rawValue)\($0.1 == 1 || $0.0 == .info ? "" : "s")" }.joined(separator: ", ") + "\n")
            }
        }
        if format == .json {
            let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        }
        out.flush()
        if unreadable { throw ExitCode(2) }
        if failing { throw ExitCode(1) }
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
        try outputOptions.check(files)
        let destination = outputOptions.destination
        var edited: [(LoadedFile, [UInt8])] = []
        for file in files {
            try destination.checkWritable(file)
            var loaded = try LoadedFile.load(file, quiet: true)
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
                printError("\(file):\(line):\(column): not applied [\(finding.rule)]: \(Self.refusal(finding, in: loaded.document, file: file))")
            }
            if fixed.isEmpty && withheld.isEmpty { printError("\(file): nothing to fix") }
            edited.append((loaded, loaded.document.bytes))
        }
        var out = Output(fd: 1)
        for (loaded, new) in edited {
            try destination.deliver(path: loaded.path, old: loaded.original, new: new, stdout: &out)
        }
        out.flush()
    }

    /// Applies fixes one at a time, linting again after each, until none is left to apply.
    /// Offsets in the returned findings refer to the file as it was.
    static func fixAll(_ document: inout CfgDocument, rules: [String]) -> [(Finding, [Assignment])] {
        let original = Linter().lint(document)
        var done: [(Finding, [Assignment])] = []
        var tried = Set<String>()
        for _ in 0..<10_000 {
            let findings = Linter().lint(document)
            guard let next = findings.first(where: { f in
                guard let fix = f.fix, f.weakens == nil, !tried.contains("\(f.rule) \(fix.description) \(f.parameter ?? "")") else { return false }
                return selected(f, rules: rules)
            }) else { break }
            let key = "\(next.rule) \(next.fix!.description) \(next.parameter ?? "")"
            tried.insert(key)
            if let changes = try? document.apply(next.fix!) {
                let before = original.first { "\($0.rule) \($0.fix?.description ?? "") \($0.parameter ?? "")" == key } ?? next
                done.append((before, changes))
            }
        }
        return done
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
        let value = Catalogue.shared.isSecret(name) ? "" : document.index(named: name).map { "=\(document.value($0))" } ?? ""
        return "\(short)\(value) \(weakening.effect); \(weakening.remedy), or run 'slcfg set \(file) \(name).set=1' if you mean it"
    }
}
