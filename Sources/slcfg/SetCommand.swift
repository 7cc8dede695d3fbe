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
    var arguments: [String] = []

    @Flag(help: "Also set the NAME.set partner of device.* parameters to 1.")
    var enable = false

    @OptionGroup var outputOptions: OutputOptions

    @OptionGroup var schemaOption: SchemaOption

    func run() throws {
        let (files, assignments) = try splitAssignments(arguments + SetAside.assignments)
        guard !files.isEmpty else { throw CLIError(message: "name a configuration file to change", code: 64) }
        guard !assignments.isEmpty else { throw CLIError(message: "name at least one NAME=VALUE to set", code: 64) }
        try outputOptions.edit(files) { (loaded: inout LoadedFile) throws(CLIError) in
            let file = loaded.path
            let catalogue = try schemaOption.catalogue(for: file)
            for (name, value) in assignments {
                if let warning = catalogue.assignmentWarning(name, value) { printError("\(file): warning: \(warning)") }
            }
            do throws(AssignmentError) {
                _ = try loaded.document.assign(assignments.map { ($0.0, $0.1) }, enable: enable)
            } catch {
                throw CLIError(
                    message: "\(file): cannot set \(error.name ?? "it"): \(error.description); nothing was changed")
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

/// The NAME=VALUE arguments of `slcfg set`, taken aside before ArgumentParser reads the command
/// line: it takes time quadratic in the length of an array argument (8,000 assignments, 2 s).
enum SetAside {
    /// The options of `set` that take a value: the argument after one is that value.
    static let optionsWithValue: Set<String> = ["-o", "--schema"]

    /// The assignments taken aside, in order.
    nonisolated(unsafe) static var assignments: [String] = []

    /// `arguments` (after the program name) without the assignments of a `set` command, which
    /// ``assignments`` then holds: every argument holding `=` that is neither an option nor an
    /// option's value, and any holding `=` after `--`.
    static func split(_ arguments: [String]) -> [String] {
        guard arguments.first == "set" else { return arguments }
        var kept: [String] = []
        var afterTerminator = false
        for argument in arguments {
            let isValue = kept.last.map(optionsWithValue.contains) ?? false
            if argument.contains("="), afterTerminator || (!argument.hasPrefix("-") && !isValue) {
                assignments.append(argument)
                continue
            }
            if argument == "--" { afterTerminator = true }
            kept.append(argument)
        }
        return kept
    }
}
