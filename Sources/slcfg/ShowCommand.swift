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
        let set = try setOptions.open(file, quiet: true).set
        set.reportProblems()
        // All Parameters is written on a second thread while lint runs: show takes about as long as lint.
        let parameters = Rendering { [self] in
            guard !json, let all = MenuTree.allParametersDepth else { return [] }
            return renderParameters(set, indent: String(repeating: "  ", count: all))
        }
        let entries = set.menuEntries(findings: set.lint())
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: entries.map { jsonEntry($0, set) },
                options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        } else {
            out.write(
                set.isOneFile
                    ? "\(file): \(MenuTree.breadcrumb.joined(separator: " › "))\n"
                    : "\(set.masterPath): \(set.members.map(\.listedName).joined(separator: ", ")) (the first file "
                        + "listed wins)\n")
            for entry in entries { write(entry, set, parameters: parameters, to: &out) }
        }
        out.flush()
    }

    /// One menu entry as a JSON object: its value, status, findings, the file it comes from and
    /// the copies it shadows (All Parameters: every parameter of every file).
    func jsonEntry(_ entry: SetMenuEntry, _ set: ProvisioningSet) -> [String: Any] {
        let node = entry.node
        var item: [String: Any] = ["label": node.label, "depth": node.depth]
        if let name = node.name {
            let document = entry.member.map { set.members[$0].document }
            item["name"] = document.flatMap { d in node.index.map { d.name($0) } } ?? name
            item["present"] = entry.member != nil
            item["value"] = document.flatMap { display(node, $0) } as Any
            item["set"] = node.setValue as Any? ?? NSNull()
            item["applied"] = node.status.isApplied
            item["status"] = node.status.description
            item["findings"] = node.findings.map {
                ["rule": $0.rule, "severity": $0.severity.rawValue, "message": $0.message]
            }
            item["source"] = entry.member.flatMap { m in node.index.map { set.location(member: m, index: $0) } } as Any
            item["shadows"] = entry.shadowed.map { set.location(member: $0.member, index: $0.index) }
        }
        if case .allParameters = node.item {
            item["parameters"] = set.members.flatMap { member in
                let document = member.document
                var paths = ElementPaths(document)
                return (0..<document.parameterCount).map { i in
                    [
                        "file": member.path,
                        "path": String(decoding: paths.path(of: Int(document.attributes[i].node)), as: UTF8.self),
                        "name": document.name(i), "value": masked(i, document)
                    ]
                }
            }
        }
        return item
    }

    /// One menu entry as text: its value, status, the file it comes from in a set, its findings
    /// and the copies it shadows (All Parameters: every parameter).
    func write(_ entry: SetMenuEntry, _ set: ProvisioningSet, parameters: Rendering, to out: inout Output) {
        let node = entry.node
        let indent = String(repeating: "  ", count: node.depth)
        guard node.name != nil else {
            guard case .allParameters = node.item else { out.write("\(indent)\(node.label)\n"); return }
            out.write("\(indent)\(node.label) (\(set.members.map(\.document.parameterCount).reduce(0, +)))\n")
            out.write(rendered: parameters.result())
            return
        }
        let warned = !entry.shadowed.isEmpty || node.findings.contains { $0.severity != .info }
        let mark = warned ? "!" : node.findings.isEmpty ? " " : "i"
        let winner = entry.member.flatMap { m in node.index.map { (m, $0) } }
        let value = winner.flatMap { display(node, set.members[$0.0].document) } ?? "—"
        let from = set.isOneFile ? "" : winner.map { "  (\(line(set, $0.0, $0.1)))" } ?? ""
        out.write(Self.row(mark: mark, label: indent + node.label, value: value, status: node.status) + from + "\n")
        if case .ignored(.setMisspelled) = node.status, let (m, _) = winner {
            out.write("\(indent)    \(node.status.explanation(flag: node.setFlag, in: set.members[m].document))\n")
        }
        for finding in node.findings {
            out.write("\(indent)    \(finding.severity.rawValue): ")
            out.write(field: finding.message)
            out.write(" [\(finding.rule)]\n")
        }
        guard let (m, i) = winner else { return }
        let why = set.members[m].role == .config ? "listed first" : set.members[m].role.rawValue
        for copy in entry.shadowed {
            out.write(
                "\(indent)    set in \(line(set, copy.member, copy.index)) but \(line(set, m, i)) wins (\(why))\n")
        }
    }

    /// `NAME:LINE` of parameter `i` of member `m`, by the name the master lists it under.
    func line(_ set: ProvisioningSet, _ m: Int, _ i: Int) -> String {
        "\(set.members[m].listedName):\(set.members[m].location(of: i).line)"
    }

    /// One entry's line: its mark, label, value and whether the handset applies it, in columns.
    static func row(mark: String, label: String, value: String, status: EntryStatus) -> String {
        "\(mark) \(label.padding(toLength: max(label.count, 30), withPad: " ", startingAt: 0))  "
            + "\(value.padding(toLength: max(value.count, 36), withPad: " ", startingAt: 0))  \(status.description)"
    }

    /// Every parameter under its element's path (written again only when the path changes), as
    /// text for the terminal (`SafeText`); each element's path is built once. In a set of
    /// several files, each file's parameters come under its name, in the order they are read.
    func renderParameters(_ set: ProvisioningSet, indent: String) -> [UInt8] {
        var out: [UInt8] = []
        for member in set.members {
            if !set.isOneFile {
                out += Array("\(indent)  ".utf8)
                SafeText.appendVisible(member.listedName.utf8, to: &out)
                out += Array(":\n".utf8)
            }
            renderParameters(member.document, indent: set.isOneFile ? indent : indent + "  ", to: &out)
        }
        return out
    }

    /// One document's parameters, under their elements' paths.
    func renderParameters(_ document: CfgDocument, indent: String, to out: inout [UInt8]) {
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
        if !showSecrets && !value.isEmpty && Masking.isSecret(name, value: document.rawValue(i)) {
            return Masking.mask
        }
        return SafeText.visible(value)
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
