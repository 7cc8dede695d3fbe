#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

/// The subcommand the command line names (`cert import`), for the help an error points to.
func helpPath(_ arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String {
    let names: [String: [String]] = ["cert": ["inspect", "show", "import", "import-device"]]
    let top = ["edit", "params", "get", "set", "cert", "lint", "fix", "show", "probe", "recover"]
    guard let first = arguments.first, top.contains(first) else { return "" }
    if let second = arguments.dropFirst().first, names[first]?.contains(second) == true { return "\(first) \(second)" }
    return first
}

@main
struct Slcfg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slcfg",
        abstract: "Edit Spectralink 84-Series (8400) handset configuration files without losing a byte.",
        version: Version.current,
        subcommands: [
            EditCommand.self, ParamsCommand.self, GetCommand.self, SetCommand.self, CertCommand.self, LintCommand.self,
            FixCommand.self, ShowCommand.self, ProbeCommand.self, RecoverCommand.self
        ],
        defaultSubcommand: EditCommand.self)

    static func main() {
        do {
            var command = try parseAsRoot(SetAside.split(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let exit as ExitCode {
            Glibc.exit(exit.rawValue)
        } catch let error as CLIError {
            printError("slcfg: \(error.message)")
            Glibc.exit(error.code)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                var out = Output(fd: 1)
                out.write(fullMessage(for: error) + "\n")
                out.flush()
                Glibc.exit(0)
            }
            let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            printError("slcfg: \(message) (see 'slcfg \(helpPath().isEmpty ? "" : helpPath() + " ")--help')")
            Glibc.exit(code.rawValue == 1 ? 64 : code.rawValue)
        }
    }
}
