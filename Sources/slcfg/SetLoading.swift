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

    /// What `path` names, opened: a provisioning set, or an ordinary file (standard input for `-`)
    /// as a set with one member. A directory is always a set; a master file (one holding
    /// CONFIG_FILES) is one when `masters` is true (lint, show, cert import) or `--mac`/`--model`
    /// is given; `get` and `params` read a master file as a file unless asked for `--effective`.
    /// A file's diagnostics are reported on stderr unless `quiet`.
    func open(_ path: String, masters: Bool = true, quiet: Bool = false) throws(CLIError) -> OpenedSet {
        let disk = DiskReads()
        if let set = try set(for: path, masters: masters, files: disk.files) {
            return OpenedSet(set: set, snapshots: set.members.map { disk.snapshots[$0.path] })
        }
        return OpenedSet(file: try LoadedFile.load(path, quiet: quiet))
    }

    /// The provisioning set `path` names, or nil for an ordinary configuration file.
    func set(for path: String, masters: Bool = true, files: SetFiles = DiskReads().files) throws(CLIError)
        -> ProvisioningSet?
    {
        try checkNames()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if !isDirectory.boolValue {
            guard masters || mac != nil || model != nil, Self.looksLikeMaster(path) else { return nil }
        }
        do {
            let set = try ProvisioningSet.resolve(
                root: path, isDirectory: isDirectory.boolValue, mac: mac, model: model, files: files)
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

/// What a command reads, opened: a provisioning set (one file is a set with one member), with
/// each member as it was read, so that a write replaces exactly the file that was read.
struct OpenedSet {
    var set: ProvisioningSet
    /// Each member's bytes as read.
    let originals: [[UInt8]]
    /// Each member's identity as read (nil: standard input, or not known).
    let snapshots: [FileSnapshot?]

    init(set: ProvisioningSet, snapshots: [FileSnapshot?]) {
        self.set = set
        originals = set.members.map(\.document.bytes)
        self.snapshots = snapshots
    }

    /// One file as read, as a set with one member.
    init(file loaded: LoadedFile) {
        set = ProvisioningSet(file: loaded.path, document: loaded.document)
        originals = [loaded.original]
        snapshots = [loaded.snapshot]
    }

    /// The members whose documents differ from what was read.
    var changed: [Int] { self.set.members.indices.filter { self.set.members[$0].document.bytes != originals[$0] } }
}

/// The set's files on this machine's disk, each remembered as it was read: the snapshot of the
/// very file read, which a save must find again.
final class DiskReads {
    private(set) var snapshots: [String: FileSnapshot] = [:]

    var files: SetFiles {
        SetFiles(
            read: { [self] path in
                guard let (bytes, snapshot) = try? FileStore.readIdentified(path) else { return nil }
                snapshots[path] = snapshot
                return bytes
            },
            realPath: FileStore.realPath)
    }
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
