import ArgumentParser
import CfgDocument
import Editor
import Foundation
import Handset

/// `--mac` and `--model`, for commands that read a provisioning directory or master file.
struct SetOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The handset's MAC address: its [PHONE_MAC_ADDRESS] files and overrides are read.", valueName: "mac"))
    var mac: String?

    @Option(help: ArgumentHelp("The handset's model: CONFIG_FILES_MODEL is used when the master has it, and [PHONE_MODEL] is filled in.", valueName: "model"))
    var model: String?

    /// The provisioning set `path` names (a directory, or a master file holding CONFIG_FILES),
    /// or nil for an ordinary configuration file.
    func set(for path: String, force: Bool = false) throws(CLIError) -> ProvisioningSet? {
        let status = FileStore.status(of: path)
        if !status.isDirectory {
            guard force || mac != nil || model != nil || Self.looksLikeMaster(status.bytes ?? []) else { return nil }
        }
        do {
            return try ProvisioningSet.resolve(root: path, isDirectory: status.isDirectory, mac: mac, model: model) { file in
                try? FileStore.read(file)
            }
        } catch {
            throw CLIError(message: error.description)
        }
    }

    /// Whether a file is a master file (it has CONFIG_FILES), looked at cheaply.
    static func looksLikeMaster(_ bytes: [UInt8]) -> Bool {
        guard bytes.count < 1 << 20 else { return false }
        return CfgDocument(bytes: bytes).index(named: "CONFIG_FILES") != nil
    }
}

extension ProvisioningSet {
    /// `FILE:LINE:COL` of a parameter of member `m`.
    func location(member m: Int, index i: Int) -> String {
        let document = members[m].document
        let (line, column) = LineIndex(document.bytes).location(of: document.attributes[i].nameRange.lowerBound)
        return "\(members[m].path):\(line):\(column)"
    }

    /// Reports the set's problems on stderr (a missing file, an unresolved name).
    func reportProblems() {
        var err = Output(fd: 2)
        let lines = LineIndex(master.bytes)
        for problem in problems {
            let (line, column) = lines.location(of: problem.offset)
            err.write("\(problem.file):\(line):\(column): \(problem.severity.rawValue): \(problem.message) [\(problem.rule)]\n")
        }
        err.flush()
    }
}
