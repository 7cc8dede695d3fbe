// Edits, undo and redo of the workspace's members, and where a row's value comes from.
import CfgDocument
import Files
import Foundation
import Handset

/// The editor over its workspace: every edit is made in a member's document and kept as that
/// member's changes, one path for one file and for a set.
extension EditorState {
    /// A session on a provisioning set with at least one member (`snapshots`: each member as
    /// it was on disk). `writeOutside`: save through members that are links outside the set's directory.
    public init(set: ProvisioningSet, snapshots: [FileSnapshot?], writeOutside: Bool = false, now: Date = Date()) {
        precondition(!set.members.isEmpty, "a set opens in the editor with at least one member")
        workspace = Workspace(set: set, snapshots: snapshots, writeOutside: writeOutside)
        derived = Derived(workspace.files[workspace.active].document)
        self.now = now
        relint()
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
    mutating func rebuildSetMenu() {
        workspace.refresh(now: now, catalogue: catalogue)
        let activeName = workspace.name(of: workspace.active)
        derived.menu = workspace.entries.map { entry in
            var node = entry.node
            if node.item == .allParameters { node.label = "All Parameters of \(activeName) (o: another file)" }
            return node
        }
        derived.slots = CertificateSlot.all.map { slot in
            let m = derived.menu.firstIndex { $0.item == .slot(slot) }
            let k = m.flatMap { workspace.entries[$0].member }
            let document = k.map { workspace.files[$0].document } ?? CfgDocument(bytes: [])
            var contents = document.contents(of: slot, now: now)
            if let m { contents.status = derived.menu[m].status }
            return contents
        }
        derived.deviceSet = workspace.effectiveValue(Vocabulary.deviceSet)
        let activePath = file.path
        derived.findings = workspace.findings.filter { $0.file == activePath }.map(\.finding)
    }

    /// The member that supplies a row's value: a set's menu entry's winning file (nil when no
    /// file sets it), else the open file.
    public func member(of row: Row) -> Int? {
        guard workspace.set != nil, case .menu(let m) = row else { return workspace.active }
        return workspace.entries.indices.contains(m) ? workspace.entries[m].member : nil
    }

    /// The document a row's value is read from.
    public func document(of row: Row) -> CfgDocument {
        member(of: row).map { workspace.files[$0].document } ?? document
    }

    /// Where a set row's value comes from, for the list: the file's name, or "—" when no file
    /// sets it; nil for one file, where everything comes from it.
    public func source(of row: Row) -> String? {
        guard workspace.set != nil, parameterName(of: row) != nil else { return nil }
        return member(of: row).map { workspace.name(of: $0) } ?? "—"
    }

    /// What the details say about a set row: where it comes from and what it shadows (or what
    /// shadows it), and where an edit goes.
    public func provenance(of row: Row) -> [String] {
        guard workspace.set != nil, let name = parameterName(of: row) else { return [] }
        if case .parameter(let i) = row {
            guard let source = workspace.effective[name], source.member != workspace.active else {
                return ["From \(workspace.location(member: workspace.active, index: i))"]
            }
            let winner = workspace.location(member: source.member, index: source.index)
            return ["Not used: \(winner) wins (listed first); edit it there"]
        }
        guard case .menu(let m) = row, workspace.entries.indices.contains(m) else { return [] }
        let entry = workspace.entries[m]
        guard let k = entry.member, let index = derived.menu[m].index else {
            let goes =
                workspace.target.map { "an edit puts it in \(workspace.name(of: $0))" }
                ?? "the first edit asks which file takes new entries"
            return ["Not set in any file of the set: \(goes)"]
        }
        let role = workspace.set?.members[k].role.rawValue ?? ""
        return ["From \(workspace.location(member: k, index: index)) (\(role)); edits go there"]
            + entry.shadowed.map {
                "Shadows \(workspace.location(member: $0.member, index: $0.index)), which the handset does not use"
            }
    }

    // MARK: - Edits

    /// The member an edit of an entry no file sets goes to; nil while the question is asked.
    mutating func targetMember(for pending: PendingEdit) -> Int? {
        if let target = workspace.target { return target }
        let names = workspace.files.indices.map { workspace.name(of: $0) }
        let selected = workspace.set.flatMap(Workspace.defaultTarget) ?? 0
        mode = .chooseTarget(Picker(choices: names, selected: selected), pending)
        return nil
    }

    /// The answer to "which file takes new entries?": remembered, then the edit is made.
    mutating func chose(target: Int, for pending: PendingEdit) -> [Effect] {
        workspace.chosenTarget = target
        inform("new entries go to \(workspace.name(of: target))")
        switch pending {
        case .commit(let value): commitValue(value)
        case .toggleFlag: toggleSetFlag()
        case .importCertificate(let bytes, let allow):
            return importCertificate(bytes, source: "the paste", allowNonRoot: allow)
        }
        return []
    }

    /// Sets a row's value: a menu entry in the file where it takes effect (the file chosen for
    /// new entries when none sets it), a parameter in its own file.
    /// Its `.set` is turned on with it (a value is picked to be used), in the file whose flag the
    /// handset reads; a value that weakens security is the person's to confirm first.
    mutating func commitValue(_ value: String, confirmed: Bool = false) {
        guard let row = currentRow, let name = parameterName(of: row) else { return }
        let flag = SetRule.partner(of: name).flatMap { effectiveValue($0) == "1" ? nil : $0 }
        if !confirmed, let weakening = catalogue.weakening(of: name, value: value),
            appliesNow(name) || flag != nil, effectiveValue(name) != value
        {
            mode = .confirmWeakeningEdit(.commit(value), weakening)
            return
        }
        let supplier = member(of: row)
        guard let k = supplier ?? targetMember(for: .commit(value)) else { return }
        // A parameter row is that very parameter; a menu entry, every copy of its name.
        let found = supplier == k ? parameterIndex(of: row).map { [$0] } : nil
        let place = workspace.set == nil ? "" : " in \(workspace.name(of: k))"
        let flagMember = flag.flatMap { workspace.effective[$0]?.member } ?? k
        let description = "\(name) = \(isSecret(name) ? Masking.mask : "\"\(value)\"")\(place)"
            + (flag == nil ? "" : " and its .set = 1")
        editSet(description) { set in
            var changed = try set.members[k].document.assign(name, value, found: found).map(\.name)
            if let flag {
                changed += try set.members[flagMember].document.setFlag(flag, after: name).map(\.name)
            }
            if case .parameter = row { return [name] + (flag.map { [$0] } ?? []) }
            return changed
        }
    }

    /// Whether the handset applies `name` now (its `.set` and `device.set` are 1).
    func appliesNow(_ name: String) -> Bool {
        EntryStatus.blockers(of: name, value: { effectiveValue($0) }).isEmpty
    }

    /// Space: flips the focused entry's `.set` flag in the file whose flag the handset uses
    /// (beside the value when no file has it), inserting it when missing.
    mutating func toggleSetFlag(confirmed: Bool = false) {
        guard let row = currentRow else { return }
        let flag: String?
        if case .menu(let m) = row {
            flag = menu[m].setFlag
        } else {
            flag = parameterName(of: row).flatMap(SetRule.partner)
        }
        guard let flag else { fail("this entry has no .set flag"); return }
        // A set's menu entry: the flag the handset uses, wherever it is; a parameter: its own file's.
        var winner: Int?
        if workspace.set != nil, case .menu = row { winner = workspace.effective[flag]?.member }
        guard let k = winner ?? member(of: row) ?? targetMember(for: .toggleFlag) else { return }
        let place = workspace.set == nil ? "" : " in \(workspace.name(of: k))"
        let found = workspace.files[k].indices(of: flag)
        let newValue = found.first.map { workspace.files[k].document.value($0) } == "1" ? "0" : "1"
        if !confirmed, newValue == "1", let name = SetRule.flagged(by: flag) ?? parameterName(of: row),
            let value = effectiveValue(name), let weakening = catalogue.weakening(of: name, value: value)
        {
            mode = .confirmWeakeningEdit(.toggleFlag, weakening)
            return
        }
        let base = SetRule.flagged(by: flag).map { workspace.files[k].indices(of: $0) } ?? []
        editMember(k, "\(flag) = \"\(newValue)\"\(place)") { document in
            if newValue == "1", found.isEmpty, let typo = document.misspelledParameter(of: flag) {
                try document.rename(typo, to: flag)
                document.setValue(typo, to: "1")
                return [flag]
            }
            if newValue == "1", found.isEmpty, let anchor = base.last {
                try document.insert(flag, value: "1", after: anchor)
                return [flag]
            }
            return try document.assign(flag, newValue, found: found).map(\.name)
        }
    }

    /// Runs one edit of member `k` as an undoable step; `change` edits the document in place
    /// and returns the names it touched. When it fails, whatever it did is reverted.
    mutating func editMember(_ k: Int, _ description: String, _ change: (inout CfgDocument) throws -> [String]) {
        do {
            let touched = try change(&workspace.files[k].document)
            record([k: workspace.files[k].takeJournal()], touched: touched, description)
        } catch {
            for made in workspace.files[k].takeJournal().reversed() { workspace.files[k].document.revert(made) }
            _ = workspace.files[k].takeJournal()
            fail("\(error)")
        }
    }

    /// One edit across the members as the handset reads them (an import where each change
    /// takes effect), made on their documents in place; when it fails, what it did is reverted.
    mutating func editSet(_ description: String, _ change: (inout ProvisioningSet) throws -> [String]) {
        var edited = workspace.takeDocuments()
        var touched: [String]?
        do { touched = try change(&edited) } catch { fail("\(error)") }
        workspace.giveBack(&edited)
        var made: [Int: [Change]] = [:]
        for k in workspace.files.indices {
            let journal = workspace.files[k].takeJournal()
            if !journal.isEmpty { made[k] = journal }
        }
        guard let touched else {
            for (k, changes) in made {
                for change in changes.reversed() { workspace.files[k].document.revert(change) }
                _ = workspace.files[k].takeJournal()
            }
            return
        }
        record(made, touched: touched, description)
    }

    /// Keeps changes just made to members as one undoable step (the file's values of the names
    /// they change for the first time remembered first), and follows them.
    mutating func record(_ made: [Int: [Change]], touched: [String], _ description: String) {
        guard made.values.joined().contains(where: { $0.removed != $0.inserted }) else {
            inform("no change")
            return
        }
        let names = Set((touched + made.values.joined().flatMap(\.names)).map { $0.lowercased() })
        var changes: [Int: [Change]] = [:]
        for (k, list) in made where !list.isEmpty {
            changes[k] = workspace.files[k].rememberOriginals(of: names, before: list)
        }
        history.record(History.Step(changes: changes, touched: names, cursor: cursor))
        membersChanged(changes, touched: names)
        inform(description)
    }

    /// An edit of the file the focused row's value comes from (else the open file).
    mutating func editWhereRowLives(_ description: String, _ change: (inout CfgDocument) throws -> [String]) {
        editMember(currentRow.flatMap { member(of: $0) } ?? workspace.active, description, change)
    }

    /// Undo and redo put the cursor where the change was made, and say what it did:
    /// "undone: Server Type 3 → 0".
    mutating func undo() {
        guard let step = history.undo.popLast() else { fail("nothing to undo"); return }
        view.cursor = step.cursor
        let before = values(of: step)
        _ = replay(step, forward: false)
        history.redo.append(History.Step(changes: step.changes, touched: step.touched, cursor: step.cursor))
        keepCursorVisible()
        inform("undone" + changeText(from: before, to: values(of: step)))
    }

    mutating func redo() {
        guard let step = history.redo.popLast() else { fail("nothing to redo"); return }
        view.cursor = step.cursor
        let before = values(of: step)
        let made = replay(step, forward: true)
        history.undo.append(History.Step(changes: made, touched: step.touched, cursor: step.cursor))
        keepCursorVisible()
        inform("redone" + changeText(from: before, to: values(of: step)))
    }

    /// The values of the names a step touched, in the files it changed (lower-cased name → value).
    func values(of step: History.Step) -> [String: String] {
        var found: [String: String] = [:]
        for k in step.changes.keys.sorted() {
            let document = workspace.files[k].document
            for (name, indices) in document.indices(named: Array(step.touched)) where found[name] == nil {
                if let i = indices.first { found[name] = document.value(i) }
            }
        }
        return found
    }

    /// ": Server Type 3 → 0, …" for the names whose values differ (secrets masked, long values cut).
    func changeText(from before: [String: String], to after: [String: String]) -> String {
        func shown(_ value: String?, _ name: String) -> String {
            guard let value else { return "(none)" }
            if isSecret(name) { return Masking.mask }
            return value.count > 24 ? String(value.prefix(20)) + "…" : "\(value.isEmpty ? "\"\"" : value)"
        }
        let changed = Set(before.keys).union(after.keys).sorted().filter { before[$0] != after[$0] }
        guard !changed.isEmpty else { return "" }
        let parts = changed.prefix(2).map { name in
            "\(catalogue.info(for: name)?.label ?? name) \(shown(before[name], name)) → \(shown(after[name], name))"
        }
        return ": " + parts.joined(separator: ", ") + (changed.count > 2 ? " and \(changed.count - 2) more" : "")
    }

    mutating func replay(_ step: History.Step, forward: Bool) -> [Int: [Change]] {
        var made: [Int: [Change]] = [:]
        for (k, changes) in step.changes {
            workspace.files[k].remember(step.touched)
            if forward {
                for change in changes { workspace.files[k].document.replaceBytes(change.range, with: change.inserted) }
            } else {
                for change in changes.reversed() { workspace.files[k].document.revert(change) }
            }
            made[k] = workspace.files[k].takeJournal()
        }
        membersChanged(made, touched: step.touched)
        return made
    }

    /// `o`: shows another member's All Parameters.
    mutating func open(member k: Int) {
        guard workspace.files.indices.contains(k) else { return }
        workspace.active = k
        derived = Derived(document)
        view.zoom = []
        rebuildMenu()
        if let all = menu.firstIndex(where: { $0.item == .allParameters }), let r = rows.index(ofMenu: all) {
            view.cursor = r
        }
        keepCursorVisible()
        inform("All Parameters of \(workspace.name(of: k))")
    }
}

extension EditorState {
    /// The files with unsaved changes (those that have a path): what a recovery journal keeps.
    public var unsavedFiles: [UnsavedFile] {
        workspace.files.compactMap { file in
            guard file.modified, let path = file.path else { return nil }
            return UnsavedFile(
                path: path, original: file.original, changes: file.unsavedChanges, encoding: file.document.encoding)
        }
    }

    /// The file edited, or the set's master, as an absolute path: what a recovery journal is
    /// about (nil for the built-in sample, which has no file).
    public var journalTarget: String? {
        if let set = workspace.set { return FileStore.absolutePath(set.masterPath) }
        return workspace.files.first?.path.map(FileStore.absolutePath)
    }

    /// Every file open, as absolute paths (a set's members): what a journal's lock covers.
    public var openFiles: [String] {
        workspace.files.compactMap { $0.path.map(FileStore.absolutePath) }
    }

    /// How many undoable steps the session holds.
    public var editCount: Int { history.undo.count }

    /// Opens every file read-only, for `reason` (another session is editing them).
    public mutating func openReadOnly(because reason: String) {
        for k in workspace.files.indices { workspace.files[k].readOnlyReason = reason }
        fail("read-only: \(reason); s asks before writing, w saves elsewhere")
    }

    /// Shows `message` in the status line.
    public mutating func notify(_ message: String) {
        inform(message)
    }

    /// Changes to the edited files since the editor opened: edits, undo and redo, saves.
    public var revision: [Int] {
        [lint.generation, history.undo.count, history.redo.count] + workspace.files.map { $0.modified ? 1 : 0 }
    }

    /// Puts back the unsaved changes of a session that ended (each file's bytes, by its index in
    /// the workspace) as one undoable step; nothing is written until the user saves.
    public mutating func recover(_ recovered: [Int: [UInt8]]) {
        var made: [Int: [Change]] = [:]
        for (k, bytes) in recovered where workspace.files.indices.contains(k) {
            let count = workspace.files[k].document.bytes.count
            workspace.files[k].document.replaceBytes(0..<count, with: bytes)
            made[k] = workspace.files[k].takeJournal()
        }
        record(made, touched: [], "recovered the unsaved changes of the session that ended; s saves them")
    }
}
