import ArgumentParser
import CfgDocument
import Foundation
import Handset
import SafeText

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

    @OptionGroup var setOptions: SetOptions

    func run() throws {
        if let set = try setOptions.set(for: file) { return try runSet(set) }
        let document = try LoadedFile.load(file, quiet: true).document
        // All Parameters is written on a second thread while lint runs: show takes about as long as lint.
        let parameters = Rendering { [self] in
            guard !json, let all = MenuTree.allParametersDepth else { return [] }
            return renderParameters(document, indent: String(repeating: "  ", count: all))
        }
        let findings = Linter().lint(document)
        let nodes = document.menuNodes(findings: findings)
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: jsonEntries(nodes, document),
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        } else {
            out.write("\(file): \(MenuTree.breadcrumb.joined(separator: " › "))\n")
            for node in nodes { write(node, document, parameters: parameters, to: &out) }
        }
        out.flush()
    }

    /// The menu as JSON objects, one an entry.
    func jsonEntries(_ nodes: [MenuNode], _ document: CfgDocument) -> [[String: Any]] {
        nodes.map { node in
            var entry: [String: Any] = ["label": node.label, "depth": node.depth]
            if let name = node.name {
                entry["name"] = node.index.map { document.name($0) } ?? name
                entry["present"] = node.index != nil
                entry["value"] = display(node, document) as Any
                entry["set"] = node.setValue as Any? ?? NSNull()
                entry["applied"] = node.status.isApplied
                entry["status"] = node.status.description
                entry["findings"] = node.findings.map {
                    ["rule": $0.rule, "severity": $0.severity.rawValue, "message": $0.message]
                }
            }
            if case .allParameters = node.item {
                entry["parameters"] = (0..<document.parameterCount).map { i in
                    [
                        "path": document.elementPath(i).joined(separator: "/"), "name": document.name(i),
                        "value": masked(i, document)
                    ]
                }
            }
            return entry
        }
    }

    /// One menu entry as text: its value, status and findings (All Parameters: every parameter).
    func write(_ node: MenuNode, _ document: CfgDocument, parameters: Rendering, to out: inout Output) {
        let indent = String(repeating: "  ", count: node.depth)
        guard node.name != nil else {
            guard case .allParameters = node.item else { out.write("\(indent)\(node.label)\n"); return }
            out.write("\(indent)\(node.label) (\(document.parameterCount))\n")
            out.write(rendered: parameters.result())
            return
        }
        let mark = node.findings.contains { $0.severity != .info } ? "!" : node.findings.isEmpty ? " " : "i"
        let value = display(node, document) ?? "—"
        out.write(Self.row(mark: mark, label: indent + node.label, value: value, status: node.status) + "\n")
        if case .ignored(.setMisspelled) = node.status {
            out.write("\(indent)    \(node.status.explanation(flag: node.setFlag, in: document))\n")
        }
        for finding in node.findings {
            out.write("\(indent)    \(finding.severity.rawValue): ")
            out.write(field: finding.message)
            out.write(" [\(finding.rule)]\n")
        }
    }

    /// One entry's line: its mark, label, value and whether the handset applies it, in columns.
    static func row(mark: String, label: String, value: String, status: EntryStatus) -> String {
        "\(mark) \(label.padding(toLength: max(label.count, 30), withPad: " ", startingAt: 0))  "
            + "\(value.padding(toLength: max(value.count, 36), withPad: " ", startingAt: 0))  \(status.description)"
    }

    /// Every parameter under its element's path (written again only when the path changes), as
    /// text for the terminal (`SafeText`); each element's path is built once.
    func renderParameters(_ document: CfgDocument, indent: String) -> [UInt8] {
        var out: [UInt8] = []
        var paths = ElementPaths(document)
        var node: Int32 = -2
        var current: [UInt8]?
        let head = Array("\(indent)  <".utf8), lead = Array("\(indent)    ".utf8), equals = Array(" = ".utf8)
        for i in 0..<document.parameterCount {
            if document.attributes[i].node != node {
                node = document.attributes[i].node
                let path = paths.path(of: Int(node))
                if path != current {
                    out += head
                    SafeText.appendVisible(path, to: &out)
                    out += Array(">\n".utf8)
                    current = path
                }
            }
            out += lead
            SafeText.appendVisible(document.nameBytes(i), to: &out)
            out += equals
            SafeText.appendVisible(masked(i, document).utf8, to: &out)
            out.append(UInt8(ascii: "\n"))
        }
        return out
    }

    /// The entry's value for display: certificates as subject and expiry, secrets masked.
    func display(_ node: MenuNode, _ document: CfgDocument) -> String? {
        guard let index = node.index else { return nil }
        if case .slot(let slot) = node.item {
            let contents = document.contents(of: slot)
            if let facts = contents.facts {
                return
                    "\(facts.displayName), \(facts.expired ? "expired" : "expires") "
                        + "\(String(Linter.day(facts.notAfter)))"
            }
            return contents.problem != nil ? "(not a certificate)" : "(empty)"
        }
        return Catalogue.shared.valueLabel(masked(index, document), for: node.name ?? "")
    }

    func masked(_ i: Int, _ document: CfgDocument) -> String {
        let value = document.value(i)
        let name = document.name(i)
        if !showSecrets && !value.isEmpty && Catalogue.shared.isSecret(name) {
            return Masking.mask
        }
        return SafeText.visible(value)
    }

    /// The menus over a provisioning set: each value from the file that wins, where it comes
    /// from, and the copies it shadows ("set in wireless.cfg:14 but site.cfg:30 wins").
    func runSet(_ set: ProvisioningSet) throws {
        set.reportProblems()
        let findings = set.lint()
        let entries = set.menuEntries(findings: findings)
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: jsonEntries(set, entries),
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
            out.flush()
            return
        }
        writeSet(set, entries, to: &out)
        out.flush()
    }

    /// The menus over a set as JSON objects, one an entry, with where each value comes from.
    func jsonEntries(_ set: ProvisioningSet, _ entries: [SetMenuEntry]) -> [[String: Any]] {
        var list: [[String: Any]] = []
        for entry in entries {
            let node = entry.node
            var item: [String: Any] = ["label": node.label, "depth": node.depth]
            if let name = node.name {
                let document = entry.member.map { set.members[$0].document }
                item["name"] = document.flatMap { d in node.index.map { d.name($0) } } ?? name
                item["present"] = entry.member != nil
                item["value"] = document.flatMap { display(node, $0) } as Any
                item["status"] = node.status.description
                item["applied"] = node.status.isApplied
                item["source"] =
                    entry.member.flatMap { m in node.index.map { set.location(member: m, index: $0) } } as Any
                item["shadows"] = entry.shadowed.map { set.location(member: $0.member, index: $0.index) }
            }
            list.append(item)
        }
        return list
    }

    /// The menus over a set as text: each entry's value, status and the file it comes from, then
    /// the copies it shadows.
    func writeSet(_ set: ProvisioningSet, _ entries: [SetMenuEntry], to out: inout Output) {
        func line(_ m: Int, _ i: Int) -> Int { set.members[m].location(of: i).line }
        out.write(
            "\(set.masterPath): \(set.members.map(\.listedName).joined(separator: ", ")) (the first file listed wins)\n"
        )
        for entry in entries {
            let node = entry.node
            let indent = String(repeating: "  ", count: node.depth)
            guard node.name != nil else {
                if case .allParameters = node.item { continue }
                out.write("\(indent)\(node.label)\n")
                continue
            }
            let mark = entry.shadowed.isEmpty ? (node.findings.contains { $0.severity != .info } ? "!" : " ") : "!"
            let value = entry.member.flatMap { display(node, set.members[$0].document) } ?? "—"
            let from =
                entry.member.flatMap { m in node.index.map { "\(set.members[m].listedName):\(line(m, $0))" } } ?? ""
            let row = Self.row(mark: mark, label: indent + node.label, value: value, status: node.status)
            out.write(row + (from.isEmpty ? "" : "  (\(from))") + "\n")
            if let m = entry.member, let i = node.index {
                let winner = set.members[m]
                let why = winner.role == .config ? "listed first" : winner.role.rawValue
                for copy in entry.shadowed {
                    out.write(
                        "\(indent)    set in \(set.members[copy.member].listedName):\(line(copy.member, copy.index)) "
                            + "but \(winner.listedName):\(line(m, i)) wins (\(why))\n"
                    )
                }
            }
        }
    }
}

/// Text rendered on another thread, waited for when it is needed.
final class Rendering: @unchecked Sendable {
    private var bytes: [UInt8] = []
    private let done = DispatchSemaphore(value: 0)

    init(_ render: @escaping @Sendable () -> [UInt8]) {
        Thread.detachNewThread { [self] in
            bytes = render()
            done.signal()
        }
    }

    /// The text, once the thread has written it.
    func result() -> [UInt8] {
        done.wait()
        done.signal()
        return bytes
    }
}
