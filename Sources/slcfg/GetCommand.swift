import ArgumentParser
import CfgDocument
import Handset
import SafeText

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value of each named parameter on its own line.",
        discussion: "Names match exactly first, then ignoring case. Exits 1 when a name is missing.")

    @Argument(help: "The configuration file ('-' for standard input).", completion: .file())
    var file: String

    @Argument(help: "Parameter names.")
    var names: [String]

    @Flag(
        help:
            ArgumentHelp(
                "For a provisioning directory or master file: print FILE:LINE:COL and the value the handset uses (the "
                    + "first file listed wins).")
    )
    var effective = false

    @OptionGroup var setOptions: SetOptions

    @OptionGroup var schemaOption: SchemaOption

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one parameter to print") }
    }

    func run() throws {
        let set = try setOptions.open(file, masters: effective).set
        set.reportProblems()
        // The location is asked for (--effective), or the set has files to choose from.
        let located = effective || !set.isOneFile
        let map = set.effective()
        var out = Output(fd: 1, kind: .data)
        var missing: [String] = []
        for name in names {
            guard let source = map[name] else { missing.append(name); continue }
            // The value is data, like cat's; where it comes from is text for people.
            if located { out.write(SafeText.visible(set.location(member: source.member, index: source.index)) + "\t") }
            out.write(bytes: set.members[source.member].document.valueBytes(source.index))
            out.write("\n")
        }
        out.flush()
        if !missing.isEmpty {
            let catalogue = try schemaOption.catalogue(for: file)
            for note in missing.compactMap(catalogue.absenceNote(for:)) { printError("\(file): note: \(note)") }
            let which = set.isOneFile ? "no parameter" : "no file of the set has a parameter"
            throw CLIError(message: "\(file): \(which) named \(missing.joined(separator: ", "))", code: 1)
        }
    }
}
