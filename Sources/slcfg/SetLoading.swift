import ArgumentParser
import CfgDocument
import Foundation
import Handset
import Files

/// `--mac` and `--model`, for commands that read a provisioning directory or master file.
struct SetOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The handset's MAC address: its [PHONE_MAC_ADDRESS] files and overrides are read.", valueName: "mac"))
    var mac: String?

    @Option(
        help: ArgumentHelp(
            "The handset's model: CONFIG_FILES_MODEL is used when the master has it, and [PHONE_MODEL] is filled in.",
            valueName: "model"))
    var model: String?

    /// The provisioning set `path` names, or nil for an ordinary configuration file. A
    /// directory is always a set; a master file (one holding CONFIG_FILES) is one when
    /// `masters` is true (lint, show, cert import) or `--mac`/`--model` is given; `get` and
    /// `params` read a master file as a file unless asked for `--effective`.
    func set(for path: String, masters: Bool = true) throws(CLIError) -> ProvisioningSet? {
        try checkNames()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue {
            guard masters || mac != nil || model != nil, Self.looksLikeMaster(path) else { return nil }
        }
        do {
            let set = try ProvisioningSet.resolve(
                root: path, isDirectory: isDirectory.boolValue, mac: mac, model: model, files: .disk)
            for member in set.members { try refuseDeepNesting(member.document, path: member.path) }
            return set
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(message: "\(error)")
        }
    }

    /// Refuses a --mac or --model that is not one (a name built from it could leave the directory).
    func checkNames() throws(CLIError) {
        if let mac, ProvisioningSet.macAddress(mac) == nil {
            throw CLIError(message: ProvisioningSet.macRefusal(mac), code: 64)
        }
        if let model, !ProvisioningSet.isModelName(model) {
            throw CLIError(message: ProvisioningSet.modelRefusal(model), code: 64)
        }
    }

    /// Whether a file is a master file (it has CONFIG_FILES): only files under 1 MB are read,
    /// so a large configuration file is not read twice to learn that it is not one.
    static func looksLikeMaster(_ path: String) -> Bool {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? Int.max
        guard size < 1 << 20, let bytes = try? FileStore.read(path) else { return false }
        return CfgDocument(bytes: bytes).index(named: "CONFIG_FILES") != nil
    }
}

extension SetFiles {
    /// The set's files on this machine's disk.
    static var disk: SetFiles { SetFiles(read: { try? FileStore.read($0) }, realPath: FileStore.realPath) }
}

extension ProvisioningSet {
    /// `FILE:LINE:COL` of a parameter of member `m`.
    func location(member m: Int, index i: Int) -> String {
        let (line, column) = members[m].location(of: i)
        return "\(members[m].path):\(line):\(column)"
    }

    /// Reports the set's problems on stderr (a missing file, an unresolved name).
    func reportProblems() {
        var err = Output(fd: 2)
        let lines = LineIndex(master.bytes)
        for problem in problems {
            let (line, column) = lines.location(of: problem.offset)
            err.write(field: problem.file)
            err.write(":\(line):\(column): \(problem.severity.rawValue): ")
            err.write(field: problem.message)
            err.write(" [\(problem.rule)]\n")
        }
        err.flush()
    }
}

extension OutputOptions {
    /// Delivers the edited members of a set: their diffs (`--dry-run`), or each file written
    /// atomically in turn. If one write fails, says which files were written and which were not.
    /// A member that is a link outside the set's directory is written only with `writeOutside`.
    func deliver(set: ProvisioningSet, originals: [[UInt8]], changed: [Int], writeOutside: Bool) throws(CLIError) {
        guard output == nil else {
            throw CLIError(
                message: "-o takes one file; a provisioning set writes each file where its change takes effect",
                code: 64)
        }
        let destination = self.destination
        if !writeOutside && !dryRun, let refusal = changed.lazy.compactMap(set.outsideWrite).first {
            throw CLIError(message: "\(refusal) (nothing was changed); --write-outside writes through the link")
        }
        for m in changed { try destination.checkWritable(set.members[m].path) }
        var out = Output(fd: 1, kind: .data)
        var written: [String] = []
        for m in changed {
            do {
                try destination.deliver(
                    path: set.members[m].path, old: originals[m], new: set.members[m].document.bytes, stdout: &out)
                written.append(set.members[m].path)
            } catch {
                out.flush()
                let left = changed.map { set.members[$0].path }.filter { !written.contains($0) }
                throw CLIError(
                    message:
                        "\(error.message); written: \(written.isEmpty ? "none" : written.joined(separator: ", ")); not "
                            + "written: \(left.joined(separator: ", ")) (the set is half-changed: rerun the command, "
                            + "or restore the written files)"
                )
            }
        }
        out.flush()
    }
}
