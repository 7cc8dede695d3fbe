import CfgDocument
import Files
import Foundation
import Handset

/// The editor over a provisioning set: where each row's value comes from, where an edit goes,
/// and the save of every changed file.
extension EditorState {
    /// A session on a provisioning set (`snapshots`: each member as it was on disk).
    /// `writeOutside`: save through members that are links outside the set's directory.
    public init(set: ProvisioningSet, snapshots: [FileSnapshot?], writeOutside: Bool = false, now: Date = Date()) {
        var session = SetSession(set, snapshots: snapshots)
        session.writeOutside = writeOutside
        let member = set.members.isEmpty ? nil : set.members[session.active]
        self.init(bytes: member?.document.bytes ?? [], path: member?.path,
                  displayName: "\(set.masterPath) (\(set.members.count) file\(set.members.count == 1 ? "" : "s"))",
                  snapshot: member.flatMap { _ in snapshots[session.active] }, now: now)
        self.set = session
        rebuildMenu()
        view.cursor = min(1, rows.count - 1)
        let missing = set.problems.filter { $0.rule == "missing-file" }.count
        if missing > 0 {
            fail(
                "\(missing) listed file\(missing == 1 ? " does" : "s do") not exist: see lint (slcfg lint "
                    + "\(set.masterPath))"
            )
        }
    }

    /// The menus over the set: each entry from the file that wins, the slots read there, and
    /// the open file's findings for its All Parameters rows.
    mutating func rebuildSetMenu(_ session: inout SetSession) {
        session.refresh(now: now)
        let activeName = session.name(of: session.active)
        derived.menu = session.entries.map { entry in
            var node = entry.node
            if node.item == .allParameters { node.label = "All Parameters of \(activeName) (o: another file)" }
            return node
        }
        derived.slots = CertificateSlot.all.map { slot in
            let m = derived.menu.firstIndex { $0.item == .slot(slot) }
            let k = m.flatMap { session.entries[$0].member }
            var contents =
                k.map { session.set.members[$0].document.contents(of: slot, now: now) }
                ?? CfgDocument(bytes: []).contents(of: slot, now: now)
            if let m { contents.status = derived.menu[m].status }
            return contents
        }
        derived.deviceSet = session.set.effectiveValue(Vocabulary.deviceSet, in: session.effective)
        let activePath = session.set.members.isEmpty ? "" : session.set.members[session.active].path
        derived.findings = session.findings.filter { $0.file == activePath }.map(\.finding)
    }

    /// The member that supplies a row's value (set mode: a menu entry's winning file, or the open
    /// file for its All Parameters rows); nil outside a set or for an entry no file sets.
    public func member(of row: Row) -> Int? {
        guard let set else { return nil }
        if case .menu(let m) = row { return set.entries.indices.contains(m) ? set.entries[m].member : nil }
        return set.active
    }

    /// The document a row's value is read from.
    public func document(of row: Row) -> CfgDocument {
        guard let set, case .menu = row else { return document }
        return member(of: row).map { set.set.members[$0].document } ?? document
    }

    /// Where a set row's value comes from, for the list: the file's name, or "—" when no file sets it.
    public func source(of row: Row) -> String? {
        guard let set, parameterName(of: row) != nil else { return nil }
        return member(of: row).map { set.name(of: $0) } ?? "—"
    }

    /// What the details say about a set row: where it comes from and what it shadows (or what
    /// shadows it), and where an edit goes.
    public func provenance(of row: Row) -> [String] {
        guard let set, let name = parameterName(of: row) else { return [] }
        let key = name.lowercased()
        if case .parameter(let i) = row {
            guard let source = set.effective[key], source.member != set.active else {
                return ["From \(set.location(member: set.active, index: i))"]
            }
            return [
                "Not used: \(set.location(member: source.member, index: source.index)) wins (listed first); edit it "
                    + "there"
            ]
        }
        guard case .menu(let m) = row, set.entries.indices.contains(m) else { return [] }
        let entry = set.entries[m]
        guard let k = entry.member, let index = derived.menu[m].index else {
            let goes =
                set.target.map { "an edit puts it in \(set.name(of: $0))" }
                ?? "the first edit asks which file takes new entries"
            return ["Not set in any file of the set: \(goes)"]
        }
        return ["From \(set.location(member: k, index: index)) (\(set.set.members[k].role.rawValue)); edits go there"]
            + entry.shadowed.map {
                "Shadows \(set.location(member: $0.member, index: $0.index)), which the handset does not use"
            }
    }

    // MARK: - Edits

    /// The member an edit of an entry no file sets goes to; nil while the question is asked.
    mutating func targetMember(for pending: PendingEdit) -> Int? {
        guard let session = set else { return nil }
        if let target = session.target { return target }
        let names = session.set.members.map(\.listedName)
        mode = .chooseTarget(Picker(choices: names, selected: SetSession.defaultTarget(of: session.set) ?? 0), pending)
        return nil
    }

    /// The answer to "which file takes new entries?": remembered, then the edit is made.
    mutating func chose(target: Int, for pending: PendingEdit) -> [Effect] {
        set?.target = target
        inform("new entries go to \(set?.name(of: target) ?? "")")
        switch pending {
        case .commit(let value): commitValue(value)
        case .toggleFlag: toggleSetFlag()
        case .importCertificate(let bytes, let allow):
            return importCertificate(bytes, source: "the paste", allowNonRoot: allow)
        }
        return []
    }

    /// Sets a menu entry's value in the file where it takes effect (set mode).
    mutating func commitSetValue(_ value: String, row: Row, name: String) {
        guard case .menu(let m) = row, let session = set else { return }
        let supplier = session.entries[m].member
        guard let k = supplier ?? targetMember(for: .commit(value)) else { return }
        let index = derived.menu[m].index
        editMember(k, "\(name) = \(isSecret(name) ? Masking.mask : "\"\(value)\"") in \(session.name(of: k))") {
            document in
            try document.assign(name, value, found: supplier == k ? index.map { [$0] } : nil).map(\.name)
        }
    }

    /// Flips a menu entry's `.set` flag in the file whose flag the handset uses (set mode).
    mutating func toggleSetFlagInSet(_ flag: String, row: Row) {
        guard case .menu(let m) = row, let session = set else { return }
        let current = session.set.effectiveValue(flag, in: session.effective)
        let newValue = current == "1" ? "0" : "1"
        guard
            let k = session.effective[flag.lowercased()]?.member ?? session.entries[m].member
                ?? targetMember(for: .toggleFlag)
        else { return }
        let base = SetRule.flagged(by: flag) ?? flag
        editMember(k, "\(flag) = \"\(newValue)\" in \(session.name(of: k))") { document in
            try (newValue == "1" ? document.setFlag(flag, after: base) : document.assign(flag, "0")).map(\.name)
        }
    }

    /// Imports a CA certificate where it takes effect across the set (set mode).
    mutating func importCAInSet(_ plan: CAImport.Plan, slot n: Int, bytes: [UInt8], allowNonRoot: Bool) {
        guard let session = set else { return }
        let supplier = session.entries.first { $0.node.item == .slot(.ca(n)) }?.member
        guard let k = supplier ?? targetMember(for: .importCertificate(bytes, allowNonRoot: allowNonRoot)) else {
            return
        }
        let facts = plan.certificate
        editSet("imported '\(facts.displayName)' into \(CertificateSlot.ca(n)) in \(session.name(of: k))") { set in
            try set.importCA(facts, slot: n, purpose: nil, asPEM: false, into: k).values.flatMap { $0.map(\.name) }
        }
    }

    /// One edit of one member, as an undoable step.
    mutating func editMember(_ k: Int, _ description: String, _ change: (inout CfgDocument) throws -> [String]) {
        editSet(description) { set in try change(&set.members[k].document) }
    }

    /// One edit of the set: made on a copy (nothing changes when it fails), then kept with each
    /// member's journal for undo.
    mutating func editSet(_ description: String, _ change: (inout ProvisioningSet) throws -> [String]) {
        guard var edited = set?.set else { return }
        let touched: [String]
        do { touched = try change(&edited) } catch {
            fail("\(error)")
            return
        }
        let changes = Self.takeJournals(&edited)
        guard changes.values.joined().contains(where: { $0.removed != $0.inserted }) else {
            inform("no change"); return
        }
        set?.set = edited
        let names = Set((touched + changes.values.joined().flatMap(\.names)).map { $0.lowercased() })
        history.record(History.Step(changes: [], touched: names, cursor: cursor, members: changes))
        setChanged(changes)
        inform(description)
    }

    /// Every member's journal, taken (members without changes left out).
    static func takeJournals(_ set: inout ProvisioningSet) -> [Int: [Change]] {
        var changes: [Int: [Change]] = [:]
        for k in set.members.indices where !set.members[k].document.journal.isEmpty {
            changes[k] = set.members[k].document.journal
            set.members[k].document.clearJournal()
        }
        return changes
    }

    /// Follows changes to the set's members: the open file's rows, and the menus over the set.
    mutating func setChanged(_ changes: [Int: [Change]]) {
        guard let active = set?.active, let members = set?.set.members, members.indices.contains(active) else { return }
        let activeChanges = changes[active] ?? []
        file.document = members[active].document
        derived.names.update(after: activeChanges, in: document)
        derived.parameterRows.update(after: activeChanges, in: document)
        file.note(activeChanges)
        lint.generation += 1
        rebuildMenu()
    }

    /// Undoes or redoes a step of the set: each member's changes reverted (or made again).
    mutating func replay(_ step: History.Step, forward: Bool) -> [Int: [Change]] {
        guard var edited = set?.set else { return [:] }
        for (k, changes) in step.members {
            if forward {
                for change in changes { edited.members[k].document.replaceBytes(change.range, with: change.inserted) }
            } else {
                for change in changes.reversed() { edited.members[k].document.revert(change) }
            }
        }
        let made = Self.takeJournals(&edited)
        set?.set = edited
        setChanged(made)
        return made
    }

    /// `o`: shows another member's All Parameters.
    mutating func open(member k: Int) {
        guard var session = set, session.set.members.indices.contains(k) else { return }
        session.active = k
        let member = session.set.members[k]
        file = EditedFile(
            document: member.document, original: session.originals[k], path: member.path, displayName: file.displayName,
            snapshot: session.snapshots[k], readOnlyReason: nil, existsOnDisk: true)
        file.dirty = member.document.bytes == session.originals[k] ? nil : 0..<member.document.bytes.count
        file.note([])
        set = session
        derived = Derived(document)
        view.zoom = []
        rebuildMenu()
        if let all = menu.firstIndex(where: { $0.item == .allParameters }), let r = rows.index(ofMenu: all) {
            view.cursor = r
        }
        keepCursorVisible()
        inform("All Parameters of \(member.listedName)")
    }

    // MARK: - Saving

    /// `s` on a set: one review of every changed file.
    mutating func startSetSave(_ session: SetSession) -> [Effect] {
        guard !session.changedMembers.isEmpty else {
            inform("no changes to save")
            return quitAfterSave ? [.quit] : []
        }
        if !session.writeOutside, let refusal = session.changedMembers.lazy.compactMap(session.set.outsideWrite).first {
            quitAfterSave = false
            mode = .browse
            fail("not saved: \(refusal); open the set with --write-outside to write through it")
            return []
        }
        saveTarget = nil
        mode = .diff(session.review())
        return []
    }

    /// The writes of a set's save: each changed file, atomically, if it is still what was read.
    func setWrites(_ session: SetSession) -> [FileWrite] {
        session.changedMembers.map { k in
            FileWrite(
                path: session.set.members[k].path, bytes: session.set.members[k].document.bytes,
                expected: session.snapshots[k])
        }
    }

    /// The outcome of a set's save, file by file: what was written and what was not.
    mutating func setWritten(_ results: [FileWritten]) -> [Effect] {
        guard var session = set else { return [] }
        var written: [String] = [], failed: [String] = []
        for result in results {
            guard let k = session.member(path: result.path) else { continue }
            switch result.result {
            case .success(let snapshot):
                session.originals[k] = session.set.members[k].document.bytes
                session.snapshots[k] = snapshot
                written.append(session.name(of: k))
            case .failure(let error):
                failed.append("\(session.name(of: k)) (\(error.description))")
            }
        }
        set = session
        mode = .browse
        open(member: session.active)
        if failed.isEmpty {
            inform("saved \(written.joined(separator: ", "))")
            return quitAfterSave ? [.quit] : []
        }
        quitAfterSave = false
        fail(
            "written: \(written.isEmpty ? "none" : written.joined(separator: ", ")); NOT written: "
                + "\(failed.joined(separator: "; ")). The files not written still hold your edits: s tries them again"
        )
        return []
    }
}

/// The outcome of one file of ``Effect/writeFiles(_:)``.
public struct FileWritten: Equatable, Sendable {
    public var path: String
    public var result: Result<FileSnapshot, FileError>

    public init(path: String, result: Result<FileSnapshot, FileError>) {
        self.path = path
        self.result = result
    }
}
