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
    /// A file's diagnostics are reported on stderr unless `quiet`. `forUpdate`: every member is
    /// locked (``UpdateLock``) before it is read, or read again until it is the file locked, so
    /// that a command running at the same time never loses a change.
    func open(_ path: String, masters: Bool = true, quiet: Bool = false, forUpdate: Bool = false)
        throws(CLIError) -> OpenedSet
    {
        for _ in 0..<10 {
            let disk = DiskReads()
            guard let set = try set(for: path, masters: masters, files: disk.files) else {
                let lock = forUpdate && path != "-" ? try lockForUpdate(path) : nil
                return OpenedSet(file: try LoadedFile.load(path, quiet: quiet), locks: lock.map { [$0] } ?? [])
            }
            let snapshots = set.members.map { disk.snapshots[$0.path] }
            guard forUpdate else { return OpenedSet(set: set, snapshots: snapshots) }
            var locks: [UpdateLock] = []
            for (member, snapshot) in zip(set.members, snapshots) {
                if let lock = try lockForUpdate(member.path) { locks.append(lock) }
                // Changed between the read and the lock: read the set again.
                if let identity = snapshot?.identity, locks.last?.holds(identity) != true { break }
            }
            if locks.count == set.members.count { return OpenedSet(set: set, snapshots: snapshots, locks: locks) }
        }
        throw CLIError(message: "\(path): its files keep changing while slcfg reads them; nothing was changed")
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
    /// Each member's bytes as read, and what the scanner said of them.
    let originals: [[UInt8]]
    let originalDiagnostics: [[Diagnostic]]
    /// Each member's identity as read (nil: standard input, or not known).
    let snapshots: [FileSnapshot?]
    /// The locks held on the members until they are written, when opened for an update.
    let locks: [UpdateLock]

    init(set: ProvisioningSet, snapshots: [FileSnapshot?], locks: [UpdateLock] = []) {
        self.set = set
        originals = set.members.map(\.document.fileBytes)
        originalDiagnostics = set.members.map(\.document.diagnostics)
        self.snapshots = snapshots
        self.locks = locks
    }

    /// One file, as read and as edited since, as a set with one member.
    init(file loaded: LoadedFile, locks: [UpdateLock] = []) {
        set = ProvisioningSet(file: loaded.path, document: loaded.document)
        originals = [loaded.original]
        originalDiagnostics = [loaded.originalDiagnostics]
        snapshots = [loaded.snapshot]
        self.locks = locks
    }

    /// Why member `m` as edited must not be written: the first thing the edits broke in it
    /// (`FILE:LINE:COL: message`), nil when it is as well-formed as it was.
    func broken(_ m: Int) -> String? {
        let member = self.set.members[m]
        guard let added = member.document.diagnosticsAdded(since: originalDiagnostics[m]).first else { return nil }
        let (line, column) = LineIndex(member.document.bytes).location(of: added.offset)
        return "\(member.path):\(line):\(column): the change would leave the file malformed: \(added.message)"
    }

    /// The members whose documents differ from what was read.
    var changed: [Int] {
        self.set.members.indices.filter { self.set.members[$0].document.fileBytes != originals[$0] }
    }
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

/// Locks `path` for a read → edit → write, saying so when another process makes it wait.
func lockForUpdate(_ path: String) throws(CLIError) -> UpdateLock? {
    do {
        return try UpdateLock.acquire(path) {
            printError("slcfg: \(path) is being changed by another process; waiting for it to finish")
        }
    } catch {
        throw CLIError(message: error.description)
    }
}
