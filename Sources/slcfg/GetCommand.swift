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

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one parameter to print") }
    }

    func run() throws {
        if let set = try setOptions.set(for: file, masters: effective) {
            return try runEffective(set)
        }
        let document = try LoadedFile.load(file).document
        var out = Output(fd: 1, kind: .data)
        var missing: [String] = []
        for name in names {
            if let i = document.index(named: name) {
                out.write(bytes: document.valueBytes(i))
                out.write("\n")
            } else {
                missing.append(name)
            }
        }
        out.flush()
        if !missing.isEmpty {
            throw CLIError(message: "\(file): no parameter named \(missing.joined(separator: ", "))", code: 1)
        }
    }

    /// `FILE:LINE:COL<TAB>VALUE` of the occurrence that wins, for each name.
    func runEffective(_ set: ProvisioningSet) throws {
        set.reportProblems()
        let map = set.effective()
        var out = Output(fd: 1, kind: .data)
        var missing: [String] = []
        for name in names {
            guard let source = map[name.lowercased()] else { missing.append(name); continue }
            // The value is data, like cat's; where it comes from is text for people.
            out.write(SafeText.visible(set.location(member: source.member, index: source.index)) + "\t")
            out.write(bytes: set.members[source.member].document.valueBytes(source.index))
            out.write("\n")
        }
        out.flush()
        if !missing.isEmpty {
            throw CLIError(
                message: "\(file): no file of the set has a parameter named \(missing.joined(separator: ", "))", code: 1
            )
        }
    }
}
