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

    @OptionGroup var schemaOption: SchemaOption

    func run() throws {
        let set = try setOptions.open(file, quiet: true).set
        let catalogue = try schemaOption.catalogue(for: file)
        set.reportProblems()
        // All Parameters is written on a second thread while lint runs: show takes about as long as lint.
        let parameters = Rendering { [self] sink in
            if json { return jsonParameterRows(set, to: sink) }
            guard let all = MenuTree.allParametersDepth else { return }
            renderParameters(set, indent: String(repeating: "  ", count: all), to: sink)
        }
        let entries = set.menuEntries(byFile: set.lintByFile(catalogue: catalogue))
        var out = Output(fd: 1, kind: json ? .data : .text)
        if json {
            try writeJSON(entries, set, parameters: parameters, to: &out)
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
        return item
    }

    /// The entries as a JSON array, one entry at a time. All Parameters' rows (every parameter of
    /// every file, its last key) come from `parameters`, rendered while lint ran, never held as objects.
    func writeJSON(_ entries: [SetMenuEntry], _ set: ProvisioningSet, parameters: Rendering, to out: inout Output)
        throws
    {
        out.write("[")
        for (k, entry) in entries.enumerated() {
            var object = try JSONSerialization.data(
                withJSONObject: jsonEntry(entry, set), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(k == 0 ? "\n" : ",\n")
            guard case .allParameters = entry.node.item, object.last == UInt8(ascii: "}") else {
                out.write(bytes: Array(object))
                continue
            }
            object.removeLast()
            while let last = object.last, last == 0x0A || last == 0x20 { object.removeLast() }
            out.write(bytes: Array(object))
            out.write(",\n  \"parameters\" : [")
            parameters.write(to: &out)
            out.write("\n  ]\n}")
        }
        out.write("\n]\n")
    }

    /// Every parameter of every file as `{"file", "name", "path", "value"}`, one a line.
    func jsonParameterRows(_ set: ProvisioningSet, to sink: Rendering.Sink) {
        var first = true
        for member in set.members {
            let document = member.document
            var paths = ElementPaths(document)
            var file: [UInt8] = []
            JSON.appendString(member.path, to: &file)
            for i in 0..<document.parameterCount {
                sink.buffer += Array((first ? "\n    {\"file\": " : ",\n    {\"file\": ").utf8) + file
                first = false
                sink.buffer += Array(", \"name\": ".utf8)
                JSON.appendString(document.nameBytes(i), to: &sink.buffer)
                sink.buffer += Array(", \"path\": ".utf8)
                JSON.appendString(paths.path(of: Int(document.attributes[i].node)), to: &sink.buffer)
                sink.buffer += Array(", \"value\": ".utf8)
                JSON.appendString(masked(i, document), to: &sink.buffer)
                sink.buffer.append(UInt8(ascii: "}"))
                if sink.buffer.count >= 1 << 20 { sink.flush() }
            }
        }
    }

    /// One menu entry as text: its value, status, the file it comes from in a set, its findings
    /// and the copies it shadows (All Parameters: every parameter).
    func write(_ entry: SetMenuEntry, _ set: ProvisioningSet, parameters: Rendering, to out: inout Output) {
        let node = entry.node
        let indent = String(repeating: "  ", count: node.depth)
        guard node.name != nil else {
            guard case .allParameters = node.item else { out.write("\(indent)\(node.label)\n"); return }
            out.write("\(indent)\(node.label) (\(set.members.map(\.document.parameterCount).reduce(0, +)))\n")
            parameters.write(to: &out)
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
    func renderParameters(_ set: ProvisioningSet, indent: String, to sink: Rendering.Sink) {
        for member in set.members {
            if !set.isOneFile {
                sink.buffer += Array("\(indent)  ".utf8)
                SafeText.appendVisible(member.listedName.utf8, to: &sink.buffer)
                sink.buffer += Array(":\n".utf8)
            }
            renderParameters(member.document, indent: set.isOneFile ? indent : indent + "  ", to: sink)
        }
    }

    /// One document's parameters, under their elements' paths.
    func renderParameters(_ document: CfgDocument, indent: String, to sink: Rendering.Sink) {
        var paths = ElementPaths(document)
        var node: Int32 = -2
        var current: [UInt8]?
        let head = Array("\(indent)  <".utf8), lead = Array("\(indent)    ".utf8), equals = Array(" = ".utf8)
        for i in 0..<document.parameterCount {
            if document.attributes[i].node != node {
                node = document.attributes[i].node
                let path = paths.path(of: Int(node))
                if path != current {
                    sink.buffer += head
                    SafeText.appendVisible(path, to: &sink.buffer)
                    sink.buffer += Array(">\n".utf8)
                    current = path
                }
            }
            sink.buffer += lead
            SafeText.appendVisible(document.nameBytes(i), to: &sink.buffer)
            sink.buffer += equals
            SafeText.appendVisible(masked(i, document).utf8, to: &sink.buffer)
            sink.buffer.append(UInt8(ascii: "\n"))
            if sink.buffer.count >= 1 << 20 { sink.flush() }
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

/// Text rendered on another thread, waited for when it is needed. It goes, 1 MB at a time, into
/// a scratch file that is unlinked as soon as it is made (nothing is left behind, and the text
/// of a 33 MB file is not held in memory while lint runs); in memory when no such file can be made.
final class Rendering: @unchecked Sendable {
    /// Where the renderer puts its text: call ``flush()`` now and then, and at the end.
    final class Sink {
        var buffer: [UInt8] = []
        fileprivate let fd: Int32

        fileprivate init(fd: Int32) { self.fd = fd }

        /// Moves what is buffered to the scratch file (kept in memory without one).
        func flush() {
            guard fd >= 0, !buffer.isEmpty else { return }
            let written = buffer.withUnsafeBytes { raw -> Bool in
                var done = 0
                while done < raw.count {
                    let r = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                    if r < 0 { if errno == EINTR { continue }; return false }
                    done += r
                }
                return true
            }
            if written { buffer.removeAll(keepingCapacity: true) }
        }
    }

    private let sink: Sink
    private let done = DispatchSemaphore(value: 0)

    init(_ render: @escaping @Sendable (Sink) -> Void) {
        var template = Array((FileManager.default.temporaryDirectory.path + "/slcfg-show-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        if fd >= 0 { unlink(String(cString: template)) }
        sink = Sink(fd: fd)
        Thread.detachNewThread { [self] in
            render(sink)
            sink.flush()
            done.signal()
        }
    }

    deinit { if sink.fd >= 0 { Glibc.close(sink.fd) } }

    /// Writes the text to `out`, once the thread has rendered it.
    func write(to out: inout Output) {
        done.wait()
        done.signal()
        guard sink.fd >= 0, lseek(sink.fd, 0, SEEK_SET) == 0 else { return out.write(rendered: sink.buffer) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let r = chunk.withUnsafeMutableBytes { Glibc.read(sink.fd, $0.baseAddress, $0.count) }
            if r < 0 && errno == EINTR { continue }
            if r <= 0 { break }
            out.write(rendered: Array(chunk[0..<r]))
        }
        out.write(rendered: sink.buffer)
    }
}
