import CfgDocument
import Files

/// A configuration file read and scanned, with its diagnostics already reported.
struct LoadedFile {
    var path: String
    var original: [UInt8]
    /// What the scanner said of the file as read.
    var originalDiagnostics: [Diagnostic]
    var document: CfgDocument
    /// The file as read (nil for standard input): a save replaces exactly this file.
    var snapshot: FileSnapshot?

    /// Reads and scans `path` (or standard input for `-`); reports the model's diagnostics to
    /// stderr as warnings unless `quiet`.
    static func load(_ path: String, quiet: Bool = false) throws(CLIError) -> LoadedFile {
        let bytes: [UInt8]
        var snapshot: FileSnapshot?
        do {
            if path == "-" {
                bytes = try FileStore.readStandardInput(
                    limit: FileStore.standardInputLimit, what: "a configuration file")
            } else {
                (bytes, snapshot) = try FileStore.readIdentified(path)
            }
        } catch {
            throw CLIError(message: error.description)
        }
        guard bytes.count <= CfgDocument.maximumSize else {
            throw CLIError(message: "\(path): too large for slcfg")
        }
        let document = CfgDocument(bytes: bytes)
        try refuseDeepNesting(document, path: path)
        if !quiet { reportDiagnostics(document, path: path) }
        return LoadedFile(
            path: path, original: bytes, originalDiagnostics: document.diagnostics, document: document,
            snapshot: snapshot)
    }
}

/// Refuses a document nested deeper than any configuration file is, in one line.
func refuseDeepNesting(_ document: CfgDocument, path: String) throws(CLIError) {
    let depth = document.nestingDepth
    guard depth > CfgDocument.maximumNesting else { return }
    throw CLIError(
        message: "\(path): elements are nested \(depth) deep; slcfg reads at most "
            + "\(CfgDocument.maximumNesting) levels, far more than any configuration file has")
}

/// Prints a document's diagnostics as `FILE:LINE:COL: warning: message`.
func reportDiagnostics(_ document: CfgDocument, path: String) {
    guard !document.diagnostics.isEmpty else { return }
    let lines = LineIndex(document.bytes)
    var err = Output(fd: 2)
    for d in document.diagnostics {
        let (line, column) = lines.location(of: d.offset)
        err.write(field: path)
        err.write(":\(line):\(column): warning: ")
        err.write(field: d.message)
        err.write("\n")
    }
    err.flush()
}

/// Splits positional arguments: those holding `=` are assignments, the rest files.
func splitAssignments(_ arguments: [String]) throws(CLIError) -> (files: [String], assignments: [(String, String)]) {
    var files: [String] = []
    var assignments: [(String, String)] = []
    for argument in arguments {
        if let eq = argument.firstIndex(of: "=") {
            let name = String(argument[..<eq])
            guard !name.isEmpty else {
                // The value may be a password: never echoed.
                throw CLIError(message: "an argument has no parameter name before its '=' (its value is not shown)",
                               code: 64)
            }
            assignments.append((name, String(argument[argument.index(after: eq)...])))
        } else {
            files.append(argument)
        }
    }
    return (files, assignments)
}
