#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CfgDocument
import Editor
import Foundation
import Screen
import Terminal
import Files
import Handset

struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Open a file in the full-screen editor (no file: the built-in sample wireless.cfg).",
        discussion:
            "Themes: --theme NAME|PATH, else SLCFG_THEME, else default; NAME is looked up in "
                + "$XDG_CONFIG_HOME/slcfg/themes/ and then among the built-in themes (default, light, high-contrast, "
                + "mono). NO_COLOR drops colours."
    )

    @Argument(
        help:
            ArgumentHelp(
                "The configuration file, or a provisioning directory or master file (the set: --mac, --model); "
                    + "none opens the built-in sample."),
        completion: .file())
    var file: String?

    @Option(
        help: "Theme name or path to a .toml theme.", completion: .list(["default", "light", "high-contrast", "mono"]))
    var theme: String?

    @Flag(help: "Click to focus and scroll with the wheel.")
    var mouse = false

    @OptionGroup var setOptions: SetOptions

    @OptionGroup var inventoryOption: InventoryOption

    @OptionGroup var schemaOption: SchemaOption

    @Flag(help: "On a provisioning set, save through a link that leads outside its directory.")
    var writeOutside = false

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let chosen: Theme
        do { chosen = try Theme.load(theme ?? environment["SLCFG_THEME"] ?? "default", environment: environment) } catch
        {
            throw CLIError(message: error.description, code: 64)
        }
        var state: EditorState
        if let file, FileStore.status(of: file).exists == false {
            state = EditorState.newFile(path: file)
        } else if let file {
            state = try open(file)
        } else {
            state = EditorState.sample()
        }
        // The built-in sample takes a schema only when given one.
        if file != nil || schemaOption.schema != nil {
            let catalogue = try schemaOption.catalogue(for: file ?? ".")
            if catalogue.schema != nil { state.use(catalogue) }
        }
        if isatty(0) != 0 && isatty(1) != 0 { state = try SessionCheck.before(state) }
        let fleet = try handsets(of: file)
        state.handsets = fleet
        state.handset = fleet.isEmpty ? nil : setOptions.mac.flatMap(ProvisioningSet.macAddress)
        let command = Unchecked(self)
        let directory = file ?? "."
        let openHandset: (@Sendable (String) -> Result<EditorState, TerminalError>)? =
            fleet.isEmpty ? nil : { @Sendable mac in command.value.open(directory, handset: mac) }
        let options = TerminalUI.Options(
            themes: [chosen] + Theme.builtin.filter { $0.name != chosen.name },
            noColour: !(environment["NO_COLOR"] ?? "").isEmpty, mouse: mouse, openHandset: openHandset)
        let status: Int32
        do { status = try TerminalUI.run(state, options: options) } catch {
            throw CLIError(message: error.description)
        }
        if status != 0 { Glibc.exit(status) }
    }

    /// The handsets of a directory opened as a set (none for a file, or a directory that names none).
    func handsets(of file: String?) throws(CLIError) -> [String] {
        var isDirectory: ObjCBool = false
        guard let file, FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            if inventoryOption.inventory != nil {
                throw CLIError(message: "--inventory lists the handsets of a provisioning directory", code: 64)
            }
            return []
        }
        return try inventoryOption.handsets(of: file)
    }

    /// Handset `mac`'s set of the directory `file`, for the editor's `m`.
    func open(_ file: String, handset mac: String) -> Result<EditorState, TerminalError> {
        var command = self
        command.setOptions.mac = mac
        do throws(CLIError) {
            var state = try command.open(file)
            state.handset = mac
            let catalogue = try schemaOption.catalogue(for: file)
            if catalogue.schema != nil { state.use(catalogue) }
            return .success(state)
        } catch {
            return .failure(TerminalError(description: "handset \(mac): \(error.message)"))
        }
    }

    /// The editor on what `file` names: one file, or a provisioning set's members.
    func open(_ file: String) throws(CLIError) -> EditorState {
        let opened = try setOptions.open(file, quiet: true)
        let set = opened.set
        guard !set.isOneFile else {
            return EditorState(
                document: set.members[0].document, path: file, snapshot: opened.snapshots[0],
                readOnlyReason: FileStore.readOnlyReason(file))
        }
        guard !set.members.isEmpty else {
            throw CLIError(
                message:
                    "\(set.masterPath): none of the files its CONFIG_FILES lists can be read here; 'slcfg lint "
                        + "\(file)' says why"
            )
        }
        set.reportProblems()
        return EditorState(set: set, snapshots: opened.snapshots, writeOutside: writeOutside)
    }
}
