import ArgumentParser
import CfgDocument
import Handset

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Set parameters in files, in place (atomically), into another file, or as a diff.",
        discussion: """
        Arguments holding '=' are assignments NAME=VALUE, the others files. Every parameter of that \
        name is set (exact spelling first, else any case); a missing one is inserted after the \
        parameter sharing the longest dotted prefix with it.
        """)

    @Argument(help: "Files and NAME=VALUE assignments.", completion: .file())
    var arguments: [String]

    @Flag(help: "Also set the NAME.set partner of device.* parameters to 1.")
    var enable = false

    @OptionGroup var outputOptions: OutputOptions

    func run() throws {
        let (files, assignments) = try splitAssignments(arguments)
        guard !files.isEmpty else { throw CLIError(message: "name a configuration file to change", code: 64) }
        guard !assignments.isEmpty else { throw CLIError(message: "name at least one NAME=VALUE to set", code: 64) }
        try outputOptions.edit(files) { (loaded: inout LoadedFile) throws(CLIError) in
            let file = loaded.path
            for (name, value) in assignments {
                do throws(AssignmentError) {
                    _ = try loaded.document.assign(name, value)
                    if enable { _ = try loaded.document.enable(name) }
                } catch {
                    throw CLIError(message: "\(file): cannot set \(name): \(error.description); nothing was changed")
                }
            }
            if enable, assignments.contains(where: { SetRule.partner(of: $0.0) != nil }) {
                let global = loaded.document.index(named: Vocabulary.deviceSet).map { loaded.document.value($0) }
                if global != "1" {
                    printError(
                        "\(file): note: device.set is \(global.map { "\"\($0)\"" } ?? "missing"): the handset ignores "
                            + "every device.* parameter until device.set=1"
                    )
                }
            }
        }
    }
}
