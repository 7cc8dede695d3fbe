import Certificates
import CfgDocument
import Foundation
import Handset
import Files

/// One row of the editor's list.
public enum Row: Equatable, Sendable {
    /// A menu entry (index into ``EditorState/menu``).
    case menu(Int)
    /// An element heading under All Parameters (node index).
    case element(Int)
    /// A parameter under All Parameters (attribute index).
    case parameter(Int)
}

/// What the editor is doing: browsing, or one of the modes, each of which owns its state and
/// its `update` (see Modes.swift).
public enum Mode: Equatable, Sendable {
    case browse
    /// Editing a value in a one-line editor.
    case editValue(ValueEditor)
    /// Picking one of a domain's values.
    case pick(Picker)
    /// Collecting text for a certificate slot (finish with Ctrl-D).
    case pasteBox(PasteBox)
    /// Typing a path: a certificate to import, or where to save (Tab completes).
    case path(PathPrompt)
    /// Searching; Esc returns to where it started.
    case search(Search)
    /// The pasted certificate is not a root CA: `y` imports it anyway.
    case confirmNonRoot(input: [UInt8], reason: String)
    /// The slot already holds another certificate: `y` replaces it (`question` says what with what).
    case confirmReplace(input: [UInt8], allowNonRoot: Bool, question: String)
    /// Merging after the file changed on disk: which side keeps each parameter both changed.
    case mergePick(MergePick)
    /// A PKCS#12 file for a device slot: its passphrase being typed (masked).
    case pfxPassphrase(PFXPrompt)
    /// After an import into a certificate slot (`imported`: what the import said): which applications use it.
    case choosePurpose(slot: CertificateSlot, imported: String)
    /// The focused finding's fix would make the handset apply a weaker setting: `y` applies it.
    case confirmWeakening(Fix, Weakening)
    /// The person's own edit (a value of an applied entry, or `.set` turned on) would make the
    /// handset apply a weaker setting: `y` makes it.
    case confirmWeakeningEdit(PendingEdit, Weakening)
    /// Waiting for ``Event/inspected(path:_:)`` about the path a save goes to.
    case checking(path: String, saveAs: Bool)
    /// Save-as onto an existing file: `y` reviews the diff against it, `n` asks for another name.
    case confirmOverwrite(SaveTarget, FileStatus)
    /// The file's permission bits say read-only: `y` saves anyway (keeping the mode), `n` does not.
    case confirmReadOnly(SaveTarget, reason: String)
    /// The file was deleted or moved since it was opened: write it again, save elsewhere, or cancel.
    case gone(SaveTarget)
    /// Reviewing the diff before saving.
    case diff(DiffReview)
    /// "Save changes? (y)es (n)o (w) save as (c)ancel".
    case quitPrompt
    /// The key help.
    case help(Pager)
    /// The messages of this session, newest last (`M`).
    case messages(Pager)
    /// The file changed on disk: overwrite, reload or cancel.
    case conflict(summary: String, current: [UInt8])
    /// Waiting for a write to finish.
    case saving
    /// A set: which file takes entries that no file sets yet (asked once), then the edit waiting.
    case chooseTarget(Picker, PendingEdit)
    /// A set: which file's All Parameters to show (`o`).
    case openFile(Picker)
    /// A fleet: which handset's set to show (`m`).
    case handset(HandsetPicker)
    /// `v` or `g` on a slot both servers use: which server to ask.
    case chooseServer(Picker)
    /// `g` fetched this root: import it into Platform CA `slot`? (y/n)
    case confirmGrab(CertificateFacts, slot: Int, source: String)
}

/// Where a save goes, and what is there now (the preview diffs against it).
public struct SaveTarget: Equatable, Sendable {
    /// The member saved.
    public var member: Int
    /// The path written to.
    public var path: String
    /// What the file holds now, nil when there is none.
    public var disk: [UInt8]?
    /// What the file must still be at write time (a change in between is a conflict).
    public var expected: FileSnapshot?
    /// Whether the path was chosen in this save (save-as) rather than the file's own.
    public var saveAs: Bool

    public init(member: Int, path: String, disk: [UInt8]?, expected: FileSnapshot?, saveAs: Bool) {
        self.member = member
        self.path = path
        self.disk = disk
        self.expected = expected
        self.saveAs = saveAs
    }
}

/// One editing session, without a screen: everything `update` reads and changes, in parts.
public struct EditorState: Sendable {
    /// The files open: one, or a provisioning set's members (see Workspace.swift).
    public internal(set) var workspace: Workspace
    /// What the screen shows: rows, cursor, size, messages.
    public internal(set) var view = View()
    /// What is derived from the document, kept up to date edit by edit.
    public internal(set) var derived: Derived
    /// Background lint.
    public internal(set) var lint = LintSchedule()
    /// Undo and redo.
    var history = History()
    /// What the editor is doing.
    public internal(set) var mode: Mode = .browse
    /// The save being prepared or written.
    public internal(set) var save: SaveRun?
    /// Probes of servers (`v`, `g`).
    var work = ServerWork()
    /// Whether to quit once the pending save succeeds.
    var quitAfterSave = false
    /// The themes' names, in the order `t` goes through them (set by the terminal).
    public var themeNames: [String] = ["default"]
    /// The handsets of the directory opened (a fleet), and the one whose set is shown (nil: the
    /// set read without a MAC). Given by the front end, which reads the directory.
    public var handsets: [String] = []
    public var handset: String?
    /// The date certificates are judged against.
    public var now: Date
    /// What slcfg knows of the parameters: with the firmware's schema when one was found or given.
    public private(set) var catalogue: Catalogue = .shared
    /// Documents larger than this are linted in the background, not on every change.
    public static let inlineLintLimit = 2 << 20

    /// A session on `bytes` read from `path` (nil: the built-in sample).
    public init(bytes: [UInt8], path: String?, displayName: String? = nil, snapshot: FileSnapshot? = nil,
                readOnlyReason: String? = nil, existsOnDisk: Bool? = nil, now: Date = Date()) {
        self.init(document: CfgDocument(bytes: bytes), path: path, displayName: displayName, snapshot: snapshot,
                  readOnlyReason: readOnlyReason, existsOnDisk: existsOnDisk, now: now)
    }

    /// A session on a document already read (not scanned again).
    public init(document: CfgDocument, path: String?, displayName: String? = nil, snapshot: FileSnapshot? = nil,
                readOnlyReason: String? = nil, existsOnDisk: Bool? = nil, now: Date = Date()) {
        workspace = Workspace(
            file: EditedFile(
                document: document, original: document.bytes, path: path,
                displayName: displayName ?? path ?? Sample.name,
                snapshot: snapshot, readOnlyReason: readOnlyReason, existsOnDisk: existsOnDisk ?? (path != nil)))
        derived = Derived(document)
        self.now = now
        relint()
        rebuildMenu()
        // The first row of the TLS Security menu, just above the slots.
        view.cursor = min(1, rows.count - 1)
        if let reason = readOnlyReason {
            fail("read-only: \(reason); s asks before writing, w saves elsewhere")
        }
    }

    /// Checks names and values with `catalogue` from now on (the firmware's schema): lints and builds the menus again.
    public mutating func use(_ catalogue: Catalogue) {
        self.catalogue = catalogue
        relint()
        rebuildMenu()
    }

    /// A session on a file that does not exist yet: a minimal skeleton, created on the first save.
    public static func newFile(path: String, now: Date = Date()) -> EditorState {
        var state = EditorState(bytes: Array(Sample.skeleton.utf8), path: path, existsOnDisk: false, now: now)
        state.inform("\(path) does not exist: a new file, created when you save")
        return state
    }

    /// A session on the built-in sample `wireless.cfg`.
    public static func sample(now: Date = Date()) -> EditorState {
        EditorState(bytes: Array(Sample.text.utf8), path: nil, now: now)
    }

    // MARK: - Reading the parts

    /// The open member: the one file, or the set's member whose All Parameters are shown.
    public internal(set) var file: EditedFile {
        get { workspace.files[workspace.active] }
        _modify { yield &workspace.files[workspace.active] }
    }
    public var document: CfgDocument { file.document }
    public var original: [UInt8] { file.original }
    public var path: String? { file.path }
    /// The title: the file, or the set's master with its number of files.
    public var displayName: String {
        guard let set = workspace.set else { return file.displayName }
        return "\(set.masterPath) (\(set.members.count) file\(set.members.count == 1 ? "" : "s"))"
    }
    /// The title line's name: ``displayName``, and for the built-in sample, until it is saved, a word that it is one.
    public var title: String {
        if workspace.set == nil && path == nil { return "\(displayName) (sample)" }
        guard !handsets.isEmpty else { return displayName }
        return "\(displayName) · \(handset.map { "handset \($0)" } ?? "no handset: m picks one")"
    }
    public var modified: Bool { workspace.files.contains(where: \.modified) }
    public var findings: [Finding] { derived.findings }
    public var menu: [MenuNode] { derived.menu }
    public var slots: [SlotContents] { derived.slots }
    public var deviceSet: String? { derived.deviceSet }
    public var rows: RowList { view.rows }
    public var cursor: Int { view.cursor }
    public var scroll: Int { view.scroll }
    public var zoom: [Int] { view.zoom }
    public var width: Int { view.width }
    public var height: Int { view.height }
    public var message: String { view.message }
    public var messageIsError: Bool { view.messageIsError }
    public var messageLog: [String] { view.messageLog }
    public var detailsScroll: Int { view.detailsScroll }
    public var revealed: Set<String> { view.revealed }
    public var themeIndex: Int { view.themeIndex }
    public var generation: Int { lint.generation }
    public var lintPending: Bool { lint.pending }

    // MARK: - Derived state

    /// Lints the document now when it is small; marks a background lint due when it is not.
    mutating func relint() {
        lint.generation += 1
        if workspace.set != nil {
            lint.pending = false   // the set's lint runs with its menus (rebuildMenu)
        } else if document.bytes.count <= Self.inlineLintLimit {
            derived.findings = Linter(catalogue: catalogue, now: now).lintAlone(document)
            lint.pending = false
        } else {
            lint.pending = true
        }
    }

    /// Follows changes just made to members (an edit, undo or redo): each member's names and
    /// `*` marks, the open file's rows, lint, the menu and the rows, each for what the changes touched.
    mutating func membersChanged(_ changes: [Int: [Change]], touched: Set<String>) {
        for (k, made) in changes { workspace.files[k].note(made, touched: touched) }
        derived.parameterRows.update(after: changes[workspace.active] ?? [], in: document)
        relint()
        rebuildMenu()
    }

    /// Rebuilds the slots, the menu and the rows: one file's from its indexed names and findings
    /// (a menu's worth of work, never a pass over a file that may be 33 MB); a set's over the set.
    mutating func rebuildMenu() {
        if workspace.set != nil {
            rebuildSetMenu()
            rebuildRows()
            return
        }
        let found = file.names.found
        derived.slots = document.contentsOfSlots(now: now, nearMisses: derived.lookup.nearMisses, found: found)
        derived.deviceSet = found[Vocabulary.deviceSet]?.first.map { document.value($0) }
        derived.menu = document.menuNodes(lookup: derived.lookup, found: found, slots: derived.slots, now: now)
        rebuildRows()
    }

    /// Rebuilds the visible rows for the current zoom.
    mutating func rebuildRows() {
        var list = RowList()
        let allIndex = menu.firstIndex { $0.item == .allParameters }
        if let top = zoom.last {
            if top == allIndex {
                list.parameters = derived.parameterRows
            } else {
                let depth = menu[top].depth
                var i = top + 1
                while i < menu.count && menu[i].depth > depth {
                    list.head.append(.menu(i))
                    i += 1
                }
            }
        } else {
            for i in menu.indices {
                if let allIndex, i > allIndex { list.tail.append(.menu(i)) } else { list.head.append(.menu(i)) }
            }
            list.parameters = derived.parameterRows
        }
        view.rows = list
        view.cursor = min(max(0, cursor), max(0, rows.count - 1))
    }

    /// The row under the cursor.
    public var currentRow: Row? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    /// The breadcrumb: the handset's path, then the menus that hold the focused row (and the
    /// row itself when it is a menu), so it follows the cursor.
    public var breadcrumb: [String] {
        let base = Array(MenuTree.breadcrumb.dropLast())
        guard let row = currentRow else { return base + zoom.map { menu[$0].label } }
        let allIndex = menu.firstIndex { $0.item == .allParameters }
        var m: Int
        switch row {
        case .menu(let i): m = i
        case .element, .parameter:
            guard let allIndex else { return base }
            return base + [menu[allIndex].label]
        }
        var path: [String] = []
        if menu[m].name == nil { path.append(menu[m].label) }
        var depth = menu[m].depth
        while m > 0 && depth > 0 {
            m -= 1
            if menu[m].depth < depth { path.append(menu[m].label); depth = menu[m].depth }
        }
        return base + path.reversed()
    }

    /// The number of findings of each severity.
    public func count(_ severity: Finding.Severity) -> Int {
        derived.lookup.severityCounts[severity] ?? 0
    }

    /// The parameter a row edits (its index in the document), if any.
    public func parameterIndex(of row: Row) -> Int? {
        switch row {
        case .menu(let m): return menu[m].index
        case .parameter(let i): return i
        case .element: return nil
        }
    }

    /// The catalogue name a row stands for (for rows whose parameter is missing from the file).
    public func parameterName(of row: Row) -> String? {
        switch row {
        case .menu(let m): return menu[m].index.map { document(of: row).name($0) } ?? menu[m].name
        case .parameter(let i): return document.name(i)
        case .element: return nil
        }
    }

    /// The applications that use CA slot `n`, as the handset applies the values ("802.1X", "provisioning"): read
    /// through the menu's index of names, since the details pane asks on every frame.
    public func applications(using n: Int) -> [String] {
        ProvisioningSet.applications(using: n, value: workspace.menuValue)
            .map { $0 == .dot1x ? $0.label : $0.label.lowercased() }
    }

    /// A slot row's certificate in two parts: its name, which a narrow row may cut, and its date, which it keeps.
    public func certificateSummary(of row: Row) -> (name: String, date: String)? {
        guard case .menu(let m) = row, case .slot(let slot) = menu[m].item, menu[m].index != nil,
              let facts = contents(of: slot).facts
        else { return nil }
        return (facts.displayName, ", \(facts.expired ? "expired" : "until") \(Linter.day(facts.notAfter))")
    }

    /// The value a row shows: certificates summarised, secrets masked unless revealed.
    public func displayValue(of row: Row) -> String {
        if let summary = certificateSummary(of: row) { return summary.name + summary.date }
        if case .menu(let m) = row, case .slot(let slot) = menu[m].item {
            guard menu[m].index != nil else { return "—" }
            return contents(of: slot).problem != nil ? "(not a certificate)" : "(empty)"
        }
        guard let index = parameterIndex(of: row) else {
            if case .menu(let m) = row, menu[m].name != nil { return "—" }
            return ""
        }
        return displayValue(ofParameter: index, in: document(of: row))
    }

    /// A parameter's value for display, one line, masked when secret and not revealed.
    public func displayValue(ofParameter index: Int, in document: CfgDocument? = nil) -> String {
        let document = document ?? self.document
        let name = document.name(index)
        let value = catalogue.valueLabel(document.value(index), for: name)
        let secret = Masking.isSecret(name, value: document.rawValue(index))
        if secret && !revealed.contains(name.lowercased()) && !value.isEmpty { return Masking.mask }
        return value.replacingOccurrences(of: "\r\n", with: "↵").replacingOccurrences(of: "\n", with: "↵")
            .replacingOccurrences(of: "\r", with: "↵")
    }

    /// Whether a parameter's value is a secret (masked on screen and in diffs).
    public func isSecret(_ name: String) -> Bool {
        catalogue.isSecret(name)
    }

    /// Whether the handset applies a row's entry, and why not; nil for menus, elements and
    /// parameters without a `.set` flag.
    public func status(of row: Row) -> EntryStatus? {
        switch row {
        case .menu(let m):
            return menu[m].name == nil ? nil : menu[m].status
        case .parameter(let i):
            let name = document.name(i)
            guard let flag = SetRule.partner(of: name) else { return nil }
            let flagValue = partner(of: i, named: flag).map { document.value($0) }
            return EntryStatus.judge(
                present: true, flag: flag, flagValue: flagValue, deviceSet: deviceSet, invalid: false,
                findings: derived.lookup.nearMisses)
        case .element:
            return nil
        }
    }

    /// The `.set` flag of parameter `i`: usually right next to it, else looked up in the whole file.
    func partner(of i: Int, named flag: String) -> Int? {
        for j in [i + 1, i - 1, i + 2] where j >= 0 && j < document.parameterCount {
            if document.nameBytes(j).elementsEqual(flag.utf8) { return j }
        }
        return file.names[flag]?.first ?? document.index(named: flag)
    }

    /// Whether a row's value or `.set` flag differs from the file's.
    public func isModified(_ row: Row) -> Bool {
        guard let name = parameterName(of: row)?.lowercased() else { return false }
        return workspace.files.contains { $0.modifiedNames.contains(name) || $0.modifiedNames.contains(name + ".set") }
    }

    /// The findings about a row's parameter.
    public func findings(of row: Row) -> [Finding] {
        switch row {
        case .menu(let m): return menu[m].findings
        case .parameter(let i):
            return derived.lookup.findings(about: document.name(i))
        case .element: return []
        }
    }

    /// What a certificate slot holds.
    public func contents(of slot: CertificateSlot) -> SlotContents {
        slots.first { $0.slot == slot } ?? document.contents(of: slot, now: now)
    }

    /// The certificate slot a row is, if any.
    public func slot(of row: Row) -> CertificateSlot? {
        if case .menu(let m) = row, case .slot(let slot) = menu[m].item { return slot }
        return nil
    }
}
