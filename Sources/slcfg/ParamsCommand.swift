import ArgumentParser
import CfgDocument
import Foundation
import Handset

struct ParamsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "params",
        abstract: "List every parameter with its file, line, column, element path, name and value.",
        discussion:
            "Text output is one parameter a line, tab-separated: FILE:LINE:COL, PATH, NAME, VALUE (newlines in values "
                + "shown as \\n)."
    )

    @Argument(help: "Configuration files ('-' for standard input).", completion: .file())
    var files: [String]

    @Flag(help: "Print a JSON array of {file, line, column, path, name, value}.")
    var json = false

    @Flag(
        help:
            ArgumentHelp(
                "For a provisioning directory or master file: only the value the handset uses of each parameter, "
                    + "with the occurrences it shadows.")
    )
    var effective = false

    @OptionGroup var setOptions: SetOptions

    func run() throws {
        if files.count == 1, let set = try setOptions.set(for: files[0], masters: effective) {
            return try runEffective(set)
        }
        var out = Output(fd: 1, kind: .data)
        var first = true
        if json { out.write(static: "[") }
        for file in files {
            let document = try LoadedFile.load(file).document
            var cursor = LocationCursor(LineIndex(document.bytes))
            var paths = ElementPaths(document)
            var fileJSON: [UInt8] = []
            JSON.appendString(file, to: &fileJSON)
            for i in 0..<document.parameterCount {
                let attribute = document.attributes[i]
                let (line, column) = cursor.location(of: attribute.nameRange.lowerBound)
                let path = paths.path(of: Int(attribute.node))
                if json {
                    out.write(static: first ? "\n{\"file\":" : ",\n{\"file\":")
                    out.buffer += fileJSON
                    out.write(static: ",\"line\":")
                    out.write(int: line)
                    out.write(static: ",\"column\":")
                    out.write(int: column)
                    out.write(static: ",\"path\":")
                    JSON.appendString(path, to: &out.buffer)
                    out.write(static: ",\"name\":")
                    JSON.appendString(document.nameBytes(i), to: &out.buffer)
                    out.write(static: ",\"value\":")
                    let raw = document.rawValue(i)
                    if raw.contains(UInt8(ascii: "&")) {
                        JSON.appendString(document.valueBytes(i), to: &out.buffer)
                    } else {
                        JSON.appendString(raw, to: &out.buffer)
                    }
                    out.write(static: "}")
                } else {
                    out.buffer += oneLine(file.utf8)
                    out.write(static: ":")
                    out.write(int: line)
                    out.write(static: ":")
                    out.write(int: column)
                    out.write(static: "\t")
                    out.buffer += oneLine(path)
                    out.write(static: "\t")
                    out.buffer += oneLine(document.nameBytes(i))
                    out.write(static: "\t")
                    out.buffer += oneLine(document.valueBytes(i))
                    out.write(static: "\n")
                }
                first = false
                out.flushIfFull()
            }
        }
        if json { out.write(first ? "]\n" : "\n]\n") }
        out.flush()
    }
}

extension ParamsCommand {
    /// The winning occurrence of every parameter of the set, in the order they first appear.
    func runEffective(_ set: ProvisioningSet) throws {
        set.reportProblems()
        var out = Output(fd: 1, kind: .data)
        var entries: [[String: Any]] = []
        var pathsByMember = set.members.map { ElementPaths($0.document) }
        for (_, source) in set.effectiveOrder() {
            let document = set.members[source.member].document
            let location = set.location(member: source.member, index: source.index)
            let path = String(
                decoding: pathsByMember[source.member].path(of: Int(document.attributes[source.index].node)),
                as: UTF8.self)
            let value = document.value(source.index)
            if json {
                let (line, column) = set.members[source.member].location(of: source.index)
                entries.append(["file": set.members[source.member].path, "line": line, "column": column, "path": path,
                                "name": document.name(source.index), "value": value,
                                "shadows": source.shadowed.map { set.location(member: $0.member, index: $0.index) }])
            } else {
                for field in [location, path, document.name(source.index)] {
                    out.buffer += oneLine(field.utf8)
                    out.write(static: "\t")
                }
                out.buffer += oneLine(Array(value.utf8))
                out.write("\n")
            }
        }
        if json {
            let data = try JSONSerialization.data(
                withJSONObject: entries, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            out.write(bytes: Array(data))
            out.write("\n")
        }
        out.flush()
    }
}

/// The element path of each element node (`a/b/c`), built once per node from its parent's.
struct ElementPaths {
    let document: CfgDocument
    var cache: [[UInt8]?]

    init(_ document: CfgDocument) {
        self.document = document
        cache = Array(repeating: nil, count: document.nodes.count)
    }

    mutating func path(of node: Int) -> [UInt8] {
        if let known = cache[node] { return known }
        // Walk up collecting names; only this node's path is kept (nesting may be very deep).
        var names: [Range<Int>] = []
        var current = node
        while current >= 0 {
            names.append(document.nodes[current].nameRange)
            current = Int(document.nodes[current].parent)
        }
        var path: [UInt8] = []
        for name in names.reversed() {
            if !path.isEmpty { path.append(UInt8(ascii: "/")) }
            path += document.bytes[name]
        }
        cache[node] = path
        return path
    }
}
