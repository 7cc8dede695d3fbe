#if canImport(Glibc)
import Handset
import Glibc
#endif
import CfgDocument
import ArgumentParser
import Files

/// Where an edited file goes: a diff on stdout, another file, or the file itself.
struct Destination {
    var dryRun: Bool
    var output: String?
    /// Show passwords and keys in the diff instead of masking them.
    var showSecrets = false
    /// Write a file with several hard links through them (not atomically) instead of refusing.
    var inPlace = false

    /// Refuses early when the file cannot be replaced in place (checked before any edit).
    func checkWritable(_ path: String) throws(CLIError) {
        guard !dryRun, output != "-" else { return }
        let shown = output ?? path
        let target: String
        do { target = try FileStore.resolve(shown) } catch { throw CLIError(message: error.description) }
        guard let block = FileStore.writeBlock(target) else { return }
        // A mode that says no is respected even by root, who could write through it.
        var advice = ""
        if case .readOnly = block { advice = "; make it writable (chmod u+w) if it should change" }
        throw CLIError(message: "\(block.description(shown)): nothing was changed\(advice)")
    }

    /// Writes `new` (or prints the diff from `old`); `display` masks what must not be shown.
    /// `read`: the file as it was read, which the save must still find at `path` (nil: not known);
    /// `modeIfNew`: the mode of a file made anew.
    func deliver(
        path: String, old: [UInt8], new: [UInt8], read: FileIdentity? = nil, modeIfNew: mode_t? = nil,
        stdout: inout Output
    ) throws(CLIError) {
        if dryRun {
            // Secrets are masked unless asked for: the diff then shows that they change, not what to.
            let shown = showSecrets
                ? (DeclaredEncoding.text(ofFile: old), DeclaredEncoding.text(ofFile: new))
                : Masking.masked(old: CfgDocument(bytes: old), new: CfgDocument(bytes: new))
            stdout.write(bytes: UnifiedDiff.make(old: shown.0, new: shown.1, path: path))
            return
        }
        if output == "-" {
            stdout.write(bytes: new)
        } else if let output {
            try write(new, to: output, expected: nil)
        } else if old != new {
            try write(new, to: path, expected: read, modeIfNew: modeIfNew)
        }
    }

    private func write(_ bytes: [UInt8], to path: String, expected: FileIdentity?, modeIfNew: mode_t? = nil)
        throws(CLIError)
    {
        do {
            try FileStore().write(bytes, to: path, expected: expected, inPlace: inPlace, modeIfNew: modeIfNew)
        } catch {
            let advice = error.code == EMLINK ? " (--in-place writes through the links, but not atomically)" : ""
            throw CLIError(message: error.description + advice)
        }
    }
}

/// Where the commands that change files put the result: `--dry-run`, `-o OUT`, `--show-secrets`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the unified diff; write nothing.")
    var dryRun = false

    @Option(
        name: .customShort("o"),
        help: ArgumentHelp(
            "Write the result to OUT instead (one input file only; - for standard output).", valueName: "out"),
        completion: .file())
    var output: String?

    @Flag(help: "With -o, replace an existing file other than the input without asking.")
    var force = false

    @Flag(help: "Show passwords and keys in the --dry-run diff instead of masking them.")
    var showSecrets = false

    @Flag(
        help: ArgumentHelp(
            "Write a file that has several hard links through them, not atomically (refused by default: a rename "
                + "would leave the other names with the old contents)."))
    var inPlace = false

    var destination: Destination {
        Destination(dryRun: dryRun, output: output, showSecrets: showSecrets, inPlace: inPlace)
    }

    /// Refuses -o with several input files, and -o onto an existing file other than the input
    /// unless `--force` or a person at the terminal says yes: a file the user has not seen is
    /// never replaced silently.
    func check(_ files: [String]) throws(CLIError) {
        guard let output else { return }
        if files.count > 1 {
            throw CLIError(message: "-o takes one input file; \(files.count) were given", code: 64)
        }
        let input = files.first.flatMap(FileStore.realPath)
        guard !dryRun, output != "-", !force, let existing = FileStore.realPath(output), existing != input else {
            return
        }
        let status = FileStore.status(of: output)
        let question = "\(output) exists (\(status.bytes?.count ?? 0) bytes, modified \(status.modifiedText)) and is "
            + "not the input"
        guard isatty(0) == 1 && isatty(2) == 1 else {
            throw CLIError(message: "\(question): not replaced; --force replaces it")
        }
        var err = Output(fd: 2)
        err.write("\(question): replace it? (y/n) ")
        err.flush()
        guard readLine()?.lowercased().hasPrefix("y") == true else {
            throw CLIError(message: "\(output): not replaced; nothing was written", code: 1)
        }
    }
}

extension OutputOptions {
    /// The commands' one load → edit → deliver loop over files: check the destination, load each
    /// file (refusing early one that cannot be written), let `body` edit it, then deliver them all.
    /// Nothing is written unless every file could be edited.
    ///
    /// The files are checked and locked in order on this thread (two commands on the same files
    /// then wait for each other instead of each holding half), then read and edited on every core.
    func edit(
        _ files: [String], quiet: Bool = false, _ body: (inout LoadedFile) throws(CLIError) -> Void
    ) throws(CLIError) {
        guard !files.isEmpty else { throw CLIError(message: "name a configuration file to change", code: 64) }
        try check(files)
        var locks: [UpdateLock?] = []
        for file in files {
            try destination.checkWritable(file)
            // Locked before it is read, until it is written: a command at the same time waits.
            locks.append(!dryRun && output == nil && file != "-" ? try lockForUpdate(file) : nil)
        }
        var edited: [OpenedSet] = []
        do {
            // InOrder.run returns only once its threads are done with `body`.
            try withoutActuallyEscaping(body) { body in
                let body = Unchecked(body)
                try InOrder.run(files.count, work: { k in
                    Unchecked(Result { () throws(CLIError) in
                        var loaded = try LoadedFile.load(files[k], quiet: quiet)
                        try body.value(&loaded)
                        return loaded
                    })
                }) { k, loaded in
                    edited.append(OpenedSet(file: try loaded.value.get(), locks: locks[k].map { [$0] } ?? []))
                }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(message: "\(error)")
        }
        try deliver(edited)
    }

    /// The one way every command's changes reach the disk: each changed member of each set (one
    /// file is a set with one member) as its diff (`--dry-run`), on `-o OUT` (one file only), or
    /// replacing exactly the file that was read, atomically. Every target is checked before
    /// anything is written; if a write fails, says which files were written and which were not.
    /// A member that is a link outside its set's directory is written only with `writeOutside`.
    /// Says which of `paths` an editor is editing now (its recovery journal is its lock): the
    /// write goes ahead, since a script must not wait, and the editor's save will see the change.
    func warnAboutEditors(of paths: [String]) {
        let store = JournalStore()
        for path in Set(paths.map(FileStore.absolutePath)).sorted() {
            for case .success(let journal) in store.journals(of: path).map(\.journal) where journal.sessionAlive {
                let host = journal.host == RecoveryJournal.hostName() ? "this host" : journal.host
                printError("slcfg: warning: \(path) is being edited by slcfg (pid \(journal.pid) on \(host)); its save "
                           + "will find the file changed on disk")
            }
        }
    }

    func deliver(_ sets: [OpenedSet], writeOutside: Bool = false) throws(CLIError) {
        // The sets hold the members' locks: kept until every file is written.
        defer { withExtendedLifetime(sets) {} }
        let destination = self.destination
        var targets: [(path: String, old: [UInt8], new: [UInt8], read: FileIdentity?)] = []
        for opened in sets {
            let members = output == nil ? opened.changed : Array(opened.set.members.indices)
            if output != nil && (sets.count > 1 || members.count > 1) {
                throw CLIError(
                    message: "-o takes one file; a provisioning set writes each file where its change takes effect",
                    code: 64)
            }
            if !writeOutside && !dryRun, let refusal = members.lazy.compactMap(opened.set.outsideWrite).first {
                throw CLIError(message: "\(refusal) (nothing was changed); --write-outside writes through the link")
            }
            if let broken = members.lazy.compactMap(opened.broken).first {
                throw CLIError(message: "\(broken); nothing was changed")
            }
            targets += members.map { m in
                (opened.set.members[m].path, opened.originals[m], opened.set.members[m].document.fileBytes,
                 opened.snapshots[m]?.identity)
            }
        }
        for target in targets { try destination.checkWritable(target.path) }
        if !dryRun && output == nil { warnAboutEditors(of: targets.map(\.path) + sets.map(\.set.masterPath)) }
        var out = Output(fd: 1, kind: .data)
        var written: [String] = []
        for target in targets {
            do {
                try destination.deliver(
                    path: target.path, old: target.old, new: target.new, read: target.read, stdout: &out)
                written.append(target.path)
            } catch {
                out.flush()
                guard targets.count > 1 else { throw error }
                let left = targets.map(\.path).filter { !written.contains($0) }
                throw CLIError(
                    message:
                        "\(error.message); written: \(written.isEmpty ? "none" : written.joined(separator: ", ")); "
                            + "not written: \(left.joined(separator: ", ")) (the files are half-changed: rerun the "
                            + "command, or restore the written files)"
                )
            }
        }
        out.flush()
    }
}
