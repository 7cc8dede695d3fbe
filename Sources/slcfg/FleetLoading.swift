// The handsets of a provisioning directory for the commands: --each-handset, --inventory, and
// every handset's set read with each shared file read and linted once, on every core.
import ArgumentParser
import CfgDocument
import Files
import Foundation
import Handset

/// `--each-handset` and `--inventory`, for commands that work on a directory's whole fleet.
struct FleetOptions: ParsableArguments {
    @Flag(help: "Every handset of the directory, each as it reads its files (see --inventory).")
    var eachHandset = false

    @OptionGroup var inventoryOption: InventoryOption

    var inventory: String? { inventoryOption.inventory }

    func handsets(of directory: String) throws(CLIError) -> [String] {
        try inventoryOption.handsets(of: directory)
    }

    /// Refuses --each-handset on anything but one directory, and --inventory without it.
    func check(_ paths: [String]) throws(CLIError) {
        if inventory != nil && !eachHandset {
            throw CLIError(message: "--inventory lists the handsets for --each-handset; give both", code: 64)
        }
        guard eachHandset else { return }
        try InventoryOption.checkDirectory(paths, for: "--each-handset")
    }
}

/// `--inventory`: the handsets of a directory beyond those its files name.
struct InventoryOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "More handsets: one MAC a line, or a CSV with a 'mac' column.", valueName: "file"),
        completion: .file())
    var inventory: String?

    /// The handsets of `directory`: every MAC its files (and its override directory's) name, then
    /// the inventory's.
    func handsets(of directory: String) throws(CLIError) -> [String] {
        var names = Self.fileNames(in: directory)
        let master = ProvisioningSet.join(directory, "000000000000.cfg")
        if let bytes = try? FileStore.read(master),
            let overrides = ProvisioningSet.overridesDirectory(in: CfgDocument(bytes: bytes)), !overrides.isEmpty
        {
            names += Self.fileNames(in: ProvisioningSet.join(directory, overrides))
        }
        var listed: [String] = []
        if let inventory {
            let bytes: [UInt8]
            do {
                bytes = try FileStore.read(inventory)
            } catch {
                throw CLIError(message: "\(inventory): \(error)", code: 2)
            }
            do {
                listed = try Fleet.inventory(bytes, file: inventory)
            } catch {
                throw CLIError(message: error.description, code: 64)
            }
        }
        return Fleet.handsets(fileNames: names, inventory: listed)
    }

    /// The names of the files directly in `directory` (none when it cannot be listed).
    static func fileNames(in directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory)) ?? []
    }

    /// Refuses anything but one directory for `option`.
    static func checkDirectory(_ paths: [String], for option: String) throws(CLIError) {
        var isDirectory: ObjCBool = false
        guard paths.count == 1, FileManager.default.fileExists(atPath: paths[0], isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw CLIError(message: "\(option) reads one provisioning directory: give exactly one", code: 64)
        }
    }
}

/// A fleet's sets, read one handset at a time over files read once.
struct FleetReading {
    let directory: String
    let handsets: [String]
    let model: String?
    let files = FleetFiles(read: { try? FileStore.read($0) }, realPath: FileStore.realPath)

    /// Handset `mac`'s set, or why it cannot be read.
    func set(of mac: String) -> Result<ProvisioningSet, CLIError> {
        do {
            let set = try ProvisioningSet.resolve(
                root: directory, isDirectory: true, mac: mac, model: model, files: files.files)
            for member in set.members { try refuseDeepNesting(member.document, path: member.path) }
            return .success(set)
        } catch let error as CLIError {
            return .failure(error)
        } catch {
            return .failure(CLIError(message: "\(error)"))
        }
    }

    /// `work` on each handset's set, on every core, handed to `take` in the handsets' order.
    /// Handsets go to the threads in batches, so that the hand-over costs little beside the work.
    func each<Result>(
        _ work: @escaping @Sendable (String, Swift.Result<ProvisioningSet, CLIError>) -> Result,
        take: (String, Result) throws -> Void
    ) throws {
        let batch = max(1, min(64, handsets.count / (InOrder.workers * 8)))
        let batches = (handsets.count + batch - 1) / batch
        let reading = Unchecked(self)
        try InOrder.run(batches, work: { b in
            let macs = reading.value.handsets[(b * batch)..<min(reading.value.handsets.count, (b + 1) * batch)]
            return Unchecked(macs.map { ($0, work($0, reading.value.set(of: $0))) })
        }) { _, done in
            for (mac, result) in done.value { try take(mac, result) }
        }
    }
}
