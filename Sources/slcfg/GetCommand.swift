import ArgumentParser
import CfgDocument

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value of each named parameter on its own line.",
        discussion: "Names match exactly first, then ignoring case. Exits 1 when a name is missing.")

    @Argument(help: "The configuration file ('-' for standard input).", completion: .file())
    var file: String

    @Argument(help: "Parameter names.")
    var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("name at least one parameter to print") }
    }

    func run() throws {
        let document = try LoadedFile.load(file).document
        var out = Output(fd: 1)
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
}
