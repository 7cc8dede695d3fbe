import ArgumentParser
import CfgDocument
import Foundation
import Handset

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the file as the handset's menus: each entry's value, .set state and lint findings.")

    @Argument(help: "The configuration file.", completion: .file())
    var file: String

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Show passwords and private keys instead of masking them.")
    var showSecrets = false

    func run() throws {
        let document = try LoadedFile.load(file, quiet: true).document
        let findings = Linter().lint(document)
        let nodes = document.menuNodes(findings: findings)
        var out = Output(fd: 1)
        if json {
            var entries: [[String: Any]] = []
            for node in nodes {
                var entry: [String: Any] = ["label": node.label, "depth": node.depth]
                if let name = node.name {
                    entry["name"] = node.index.map { document.name($0) } ?? name
                    entry["present"] = node.index != nil
                    entry["value"] = display(node, document) as Any
                    entry["set"] = node.setValue as Any? ?? NSNull()
                    entry["applied"] = node.status.isApplied
                    entry["status"] = node.status.description
                    entry["findings"] = node.findings.map { ["rule": $0.rule, "severity": $0.severity.rawValue, "message": $0.message] }
                }
                if case .allParameters = node.item {
                    entry["parameters"] = (0..<document.parameterCount).map { i in
                        ["path": document.elementPath(i).joined(separator: "/"), "name": document.name(i), "value": masked(i, document)]
                    }
                }
                entries.append(entry)
            }
            let data = try JSONSerialization.data(withJSONObject: entries, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        } else {
            out.write("\(file): \(MenuTree.breadcrumb.joined(separator: " › "))\n")
            for node in nodes {
                let indent = String(repeating: "  ", count: node.depth)
                guard node.name != nil else {
                    if case .allParameters = node.item {
                        out.write("\(indent)\(node.label) (\(document.parameterCount))\n")
                        var current = ""
                        for i in 0..<document.parameterCount {
                            let path = document.elementPath(i).joined(separator: "/")
                            if path != current { out.write("\(indent)  <\(path)>\n"); current = path }
                            out.write("\(indent)    \(document.name(i)) = \(masked(i, document))\n")
                        }
                    } else {
                        out.write("\(indent)\(node.label)\n")
                    }
                    continue
                }
                let mark = node.findings.contains { $0.severity != .info } ? "!" : node.findings.isEmpty ? " " : "i"
                let state = node.status.description
                let value = display(node, document) ?? "—"
                let label = indent + node.label
                out.write("\(mark) \(label.padding(toLength: max(label.count, 30), withPad: " ", startingAt: 0))  \(value.padding(toLength: max(value.count, 36), withPad: " ", startingAt: 0))  \(state)\n")
                if case .ignored(.setMisspelled) = node.status {
                    out.write("\(indent)    \(node.status.explanation(flag: node.setFlag, in: document))\n")
                }
                for finding in node.findings {
                    out.write("\(indent)    \(finding.severity.rawValue): \(finding.message) [\(finding.rule)]\n")
                }
            }
        }
        out.flush()
    }

    /// The entry's value for display: certificates as subject and expiry, secrets masked.
    func display(_ node: MenuNode, _ document: CfgDocument) -> String? {
        guard let index = node.index else { return nil }
        if case .slot(let slot) = node.item {
            let contents = document.contents(of: slot)
            if let facts = contents.facts {
                return "\(facts.displayName), \(facts.expired ? "expired" : "expires") \(String(Linter.day(facts.notAfter)))"
            }
            return contents.problem != nil ? "(not a certificate)" : "(empty)"
        }
        return Catalogue.shared.valueLabel(masked(index, document), for: node.name ?? "")
    }

    func masked(_ i: Int, _ document: CfgDocument) -> String {
        let value = document.value(i)
        let name = document.name(i)
        if !showSecrets && !value.isEmpty && Catalogue.shared.isSecret(name) {
            return "********"
        }
        return value.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }
}
