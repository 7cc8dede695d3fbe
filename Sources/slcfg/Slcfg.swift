#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser

@main
struct Slcfg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slcfg",
        abstract: "Edit Spectralink 84-Series (8400) handset configuration files without losing a byte.",
        version: Version.current,
        subcommands: [EditCommand.self, ParamsCommand.self, GetCommand.self, SetCommand.self, CertCommand.self, LintCommand.self, FixCommand.self, ShowCommand.self],
        defaultSubcommand: EditCommand.self)

    static func main() {
        do {
            var command = try parseAsRoot()
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
            printError("slcfg: \(message) (see 'slcfg --help')")
            Glibc.exit(code.rawValue == 1 ? 64 : code.rawValue)
        }
    }
}
