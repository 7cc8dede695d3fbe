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
        var out = Output(fd: 1, kind: .data)
        var first = true
        if json { out.write(static: "[") }
        if files.count == 1 || InOrder.workers == 1 {
            // One at a time, streamed: the rows of a 33 MB file are never held.
            for file in files {
                let set = try open(file)
                report(set, file)
                write(set, file, first: &first, to: &out)
            }
        } else {
            let command = Unchecked(self)
            try InOrder.run(files.count, work: { Unchecked(command.value.rows(of: command.value.files[$0])) }) {
                k, listed in
                let (set, rows) = try listed.value.get()
                report(set, files[k])
                if json && !first && !rows.isEmpty { out.write(static: ",") }
                out.write(rendered: rows)
                first = first && rows.isEmpty
            }
        }
        if json { out.write(first ? "]\n" : "\n]\n") }
        out.flush()
    }

    func open(_ file: String) throws(CLIError) -> ProvisioningSet {
        try setOptions.open(file, masters: effective && files.count == 1, quiet: true).set
    }

    /// What reading `file` found: the scanner's diagnostics of one file, a set's problems.
    func report(_ set: ProvisioningSet, _ file: String) {
        if set.isOneFile { reportDiagnostics(set.members[0].document, path: file) }
        set.reportProblems()
    }

    /// One argument's set and its rows, written out (JSON rows as if they came first), on any thread.
    func rows(of file: String) -> Result<(ProvisioningSet, [UInt8]), CLIError> {
        Result { () throws(CLIError) in
            let set = try open(file)
            var out = Output(collecting: .data)
            var first = true
            write(set, file, first: &first, to: &out)
            return (set, out.buffer)
        }
    }

    /// The rows of one set: every occurrence of one file, or what the handset reads from a set.
    func write(_ set: ProvisioningSet, _ file: String, first: inout Bool, to out: inout Output) {
        let effective = self.effective || !set.isOneFile
        var rows = Rows(set: set, label: set.isOneFile ? file : nil, effective: effective)
        func emit(_ source: ProvisioningSet.Source) {
            rows.write(source, json: json, first: first, to: &out)
            first = false
            out.flushIfFull()
        }
        if effective {
            set.effectiveOrder().forEach(emit)
        } else {
            for i in 0..<set.members[0].document.parameterCount {
                emit(ProvisioningSet.Source(member: 0, index: i, shadowed: []))
            }
        }
    }
}

/// The rows of `params`, text or JSON, for the parameters of one set (one file: a set with one
/// member): each file's lines and element paths computed once, as the rows come.
struct Rows {
    let set: ProvisioningSet
    /// Each member's name as a text field and as a JSON string: one file by the name it was
    /// given (`-` for standard input), a set's members by their paths.
    let textNames: [[UInt8]]
    let jsonNames: [[UInt8]]
    /// Whether each row is the occurrence the handset reads, with those it shadows.
    let effective: Bool
    var cursors: [LocationCursor?]
    var paths: [ElementPaths]

    init(set: ProvisioningSet, label: String?, effective: Bool) {
        self.set = set
        self.effective = effective
        let names = set.members.map { label ?? $0.path }
        textNames = names.map { oneLine($0.utf8) }
        jsonNames = names.map { name in
            var json: [UInt8] = []
            JSON.appendString(name, to: &json)
            return json
        }
        cursors = Array(repeating: nil, count: set.members.count)
        paths = set.members.map { ElementPaths($0.document) }
    }

    /// One parameter (with the occurrences it shadows in a set) as a row.
    mutating func write(_ source: ProvisioningSet.Source, json: Bool, first: Bool, to out: inout Output) {
        let m = source.member, i = source.index
        let document = set.members[m].document
        if cursors[m] == nil { cursors[m] = LocationCursor(LineIndex(document.bytes)) }
        let (line, column) = cursors[m]!.location(of: document.attributes[i].nameRange.lowerBound)
        let path = paths[m].path(of: Int(document.attributes[i].node))
        guard json else {
            out.buffer += textNames[m]
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
            return
        }
        out.write(static: first ? "\n{\"file\":" : ",\n{\"file\":")
        out.buffer += jsonNames[m]
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
        if raw.contains(UInt8(ascii: "&")) || document.encoding.isSingleByte {
            JSON.appendString(document.valueBytes(i), to: &out.buffer)
        } else {
            JSON.appendString(raw, to: &out.buffer)
        }
        if effective {
            out.write(static: ",\"shadows\":[")
            for (k, copy) in source.shadowed.enumerated() {
                if k > 0 { out.write(static: ",") }
                JSON.appendString(set.location(member: copy.member, index: copy.index), to: &out.buffer)
            }
            out.write(static: "]")
        }
        out.write(static: "}")
    }
}

/// The element path of each element node (`a/b/c`), built from its parent's: linear in the
/// number of elements. A path deeper than any configuration file goes (over 128 levels, which only
/// hostile input has) keeps its first and last 64 names around `…(N more levels)…`, so that the
/// output of `params` and `show` stays linear in the input.
struct ElementPaths {
    static let kept = 64
    let document: CfgDocument
    /// Per node: every name's range (the first and last `kept` when deeper), and the depth.
    private var names: [[Range<Int>]?]
    private var depths: [Int]

    init(_ document: CfgDocument) {
        self.document = document
        names = Array(repeating: nil, count: document.nodes.count)
        depths = Array(repeating: 0, count: document.nodes.count)
    }

    mutating func path(of node: Int) -> [UInt8] {
        let (list, depth) = components(of: node)
        var path: [UInt8] = []
        for (k, name) in list.enumerated() {
            if k > 0 { path.append(UInt8(ascii: "/")) }
            if k == Self.kept && depth > 2 * Self.kept {
                path += Array("…(\(depth - 2 * Self.kept) more levels)…/".utf8)
            }
            path += document.bytes[name]
        }
        return path
    }

    /// The node's names (abbreviated when deep) and depth: the nearest known ancestor's, then
    /// each node below it in turn.
    mutating func components(of node: Int) -> ([Range<Int>], Int) {
        if let known = names[node] { return (known, depths[node]) }
        var chain: [Int] = []
        var current = node
        while current >= 0 && names[current] == nil {
            chain.append(current)
            current = Int(document.nodes[current].parent)
        }
        var (list, depth) = current >= 0 ? (names[current]!, depths[current]) : ([], 0)
        for n in chain.reversed() {
            depth += 1
            list.append(document.nodes[n].nameRange)
            if list.count > 2 * Self.kept { list.remove(at: Self.kept) }
            names[n] = list
            depths[n] = depth
        }
        return (list, depth)
    }
}
