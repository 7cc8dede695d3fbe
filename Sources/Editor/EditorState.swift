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

/// What the editor is doing.
public enum Mode: Equatable, Sendable {
    case browse
    /// Editing a value in a one-line editor.
    case editValue(LineEditor)
    /// Picking one of a domain's values.
    case pick(choices: [String], selected: Int)
    /// Collecting text for a certificate slot (finish with Ctrl-D).
    case pasteBox(String)
    /// Typing a certificate file's path (Tab completes).
    case importPath(LineEditor, completions: [String])
    /// The pasted certificate is not a root CA: `y` imports it anyway.
    case confirmNonRoot(input: [UInt8], reason: String)
    /// The focused finding's fix would make the handset apply a weaker setting: `y` applies it.
    case confirmWeakening(Fix, Weakening)
    /// Searching; Esc returns to `origin`.
    case search(LineEditor, origin: Int, zoom: [Int])
    /// Asking where to save (the sample, a new name with `w`, or after a failed save).
    case savePath(LineEditor)
    /// Waiting for ``Event/inspected(path:_:)`` about the path a save goes to.
    case checking(path: String, saveAs: Bool)
    /// Save-as onto an existing file: `y` reviews the diff against it, `n` asks for another name.
    case confirmOverwrite(SaveTarget, FileStatus)
    /// The file's permission bits say read-only: `y` saves anyway (keeping the mode), `n` does not.
    case confirmReadOnly(SaveTarget, reason: String)
    /// The file was deleted or moved since it was opened: write it again, save elsewhere, or cancel.
    case gone(SaveTarget)
    /// Reviewing the diff before saving.
    case diff(scroll: Int)
    /// "Save changes? (y)es (n)o (c)ancel".
    case quitPrompt
    /// The key help.
    case help(scroll: Int)
    /// The messages of this session, newest last (`M`).
    case messages(scroll: Int)
    /// The file changed on disk: overwrite, reload or cancel.
    case conflict(summary: String, current: [UInt8])
    /// Waiting for a write to finish.
    case saving
}

/// Where a save goes, and what is there now (the preview diffs against it).
public struct SaveTarget: Equatable, Sendable {
    /// The path written to.
    public var path: String
    /// What the file holds now, nil when there is none.
    public var disk: [UInt8]?
    /// What the file must still be at write time (a change in between is a conflict).
    public var expected: FileSnapshot?
    /// Whether the path was chosen in this save (save-as) rather than the file's own.
    public var saveAs: Bool

    public init(path: String, disk: [UInt8]?, expected: FileSnapshot?, saveAs: Bool) {
        self.path = path
        self.disk = disk
        self.expected = expected
        self.saveAs = saveAs
    }
}

/// One editing session, without a screen: everything `update` reads and changes.
public struct EditorState: Sendable {
    /// The document as edited.
    public internal(set) var document: CfgDocument
    /// The file's bytes as they were read (or last saved).
    public internal(set) var original: [UInt8]
    /// The document as it was read, for `*` marks and the change summary.
    public internal(set) var originalDocument: CfgDocument
    /// The file, or nil for the built-in sample.
    public internal(set) var path: String?
    /// The name shown in the title.
    public internal(set) var displayName: String
    /// What the file was on disk when read, to notice changes by others.
    public internal(set) var snapshot: FileSnapshot?
    /// Why the file cannot be saved (read-only file or directory), found before editing.
    public internal(set) var readOnlyReason: String?
    /// Whether the file exists on disk (false for the sample and for a new file until saved).
    public internal(set) var existsOnDisk: Bool
    /// The save being prepared or written.
    public internal(set) var saveTarget: SaveTarget?
    /// How far the save preview is scrolled sideways (columns).
    public internal(set) var diffColumn = 0
    /// The lint findings of the current document.
    public internal(set) var findings: [Finding] = [] {
        didSet {
            findingsByParameter = Dictionary(grouping: findings.filter { $0.parameter != nil }, by: { $0.parameter! })
            severityCounts = Dictionary(grouping: findings, by: \.severity).mapValues(\.count)
            nearMisses = findings.filter { $0.rule == "near-miss" }
        }
    }
    /// The near-miss findings (what a row's status needs to tell a misspelled `.set`), kept so
    /// that drawing a row never scans every finding.
    var nearMisses: [Finding] = []
    /// How many findings of each severity.
    var severityCounts: [Finding.Severity: Int] = [:]
    /// The findings by parameter name as written (for rows, without scanning every finding).
    var findingsByParameter: [String: [Finding]] = [:]
    /// The value of `device.set`, nil when missing (read once per change).
    public internal(set) var deviceSet: String?
    /// What each certificate slot holds (read once per change).
    public internal(set) var slots: [SlotContents] = []
    /// The menu tree resolved against the document.
    public internal(set) var menu: [MenuNode] = []
    /// The rows shown (the zoomed menu's contents).
    public internal(set) var rows: [Row] = []
    /// The menus entered with Enter (indices into ``menu``), outermost first.
    public internal(set) var zoom: [Int] = []
    /// The focused row.
    public internal(set) var cursor = 0
    /// The first row shown.
    public internal(set) var scroll = 0
    /// What the editor is doing.
    public internal(set) var mode: Mode = .browse
    /// The message of the status line (errors, what just happened).
    public internal(set) var message = ""
    /// Whether the message is an error.
    public internal(set) var messageIsError = false
    /// The terminal's size.
    public internal(set) var width = 80
    public internal(set) var height = 24
    /// Secret values shown in clear, by lower-cased parameter name.
    public internal(set) var revealed: Set<String> = []
    /// The theme in use (index into the themes the screen has).
    public internal(set) var themeIndex = 0
    /// The themes' names, in the order `t` goes through them (set by the terminal).
    public var themeNames: [String] = ["default"]
    /// How far the details pane is scrolled (`J`, `K`); back to 0 when the cursor moves.
    public internal(set) var detailsScroll = 0
    /// Every message of the session, newest last, for `M`.
    public internal(set) var messageLog: [String] = []
    /// Whether the secret being typed is shown in clear (Ctrl-R while editing).
    public internal(set) var editRevealed = false
    /// The last search, for `n` and `N`.
    public internal(set) var lastSearch = ""
    /// Whether the document differs from the file.
    public internal(set) var modified = false
    /// Whether to quit once the pending save succeeds.
    var quitAfterSave = false
    /// Undo and redo history.
    var undoStack: [HistoryEntry] = []
    var redoStack: [HistoryEntry] = []
    /// Lower-cased names touched by the edits in the undo history (for `*` marks).
    public internal(set) var changedNames: Set<String> = []
    /// The date certificates are judged against.
    public var now: Date
    /// Documents larger than this are linted in the background, not on every change.
    public static let inlineLintLimit = 2 << 20
    /// Which document the findings belong to: bumped at every change.
    public internal(set) var generation = 0
    /// Whether the findings are older than the document (a background lint is due or running).
    public internal(set) var lintPending = false
    /// Whether a background lint was asked for and has not answered yet.
    var lintRequested = false

    struct HistoryEntry: Sendable {
        var document: CfgDocument
        var touched: Set<String>
        var cursor: Int
    }

    /// A session on `bytes` read from `path` (nil: the built-in sample).
    public init(bytes: [UInt8], path: String?, displayName: String? = nil, snapshot: FileSnapshot? = nil,
                readOnlyReason: String? = nil, existsOnDisk: Bool? = nil, now: Date = Date()) {
        self.existsOnDisk = existsOnDisk ?? (path != nil)
        document = CfgDocument(bytes: bytes)
        original = bytes
        originalDocument = document
        self.path = path
        self.displayName = displayName ?? path ?? Sample.name
        self.snapshot = snapshot
        self.readOnlyReason = readOnlyReason
        self.now = now
        refresh()
        // The first row of the TLS Security menu, just above the slots.
        cursor = min(1, rows.count - 1)
        if let reason = readOnlyReason {
            message = "read-only: \(reason); s asks before writing, w saves elsewhere"
            messageIsError = true
        }
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

    // MARK: - Derived state

    /// Re-lints and rebuilds the menu and rows after the document changed.
    mutating func refresh() {
        generation += 1
        if document.bytes.count <= Self.inlineLintLimit {
            findings = Linter(now: now).lint(document)
            lintPending = false
        } else {
            lintPending = true
        }
        rebuildMenu()
    }

    /// Rebuilds what depends on the document and the findings: menu, slots, rows.
    mutating func rebuildMenu() {
        slots = document.contentsOfSlots(now: now, findings: findings)
        deviceSet = document.index(named: Vocabulary.deviceSet).map { document.value($0) }
        menu = document.menuNodes(findings: findings)
        rebuildRows()
        modified = document.bytes != original
    }

    /// Rebuilds the visible rows for the current zoom.
    mutating func rebuildRows() {
        var result: [Row] = []
        let allIndex = menu.firstIndex { if case .allParameters = $0.item { return true } else { return false } }
        func appendAllParameters() {
            var lastNode: Int32 = -2
            for i in 0..<document.parameterCount {
                let node = document.attributes[i].node
                if node != lastNode {
                    result.append(.element(Int(node)))
                    lastNode = node
                }
                result.append(.parameter(i))
            }
        }
        if let top = zoom.last {
            if top == allIndex {
                appendAllParameters()
            } else {
                let depth = menu[top].depth
                var i = top + 1
                while i < menu.count && menu[i].depth > depth {
                    result.append(.menu(i))
                    i += 1
                }
            }
        } else {
            for i in menu.indices {
                result.append(.menu(i))
                if i == allIndex { appendAllParameters() }
            }
        }
        rows = result
        cursor = min(max(0, cursor), max(0, rows.count - 1))
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
        severityCounts[severity] ?? 0
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
        case .menu(let m): return menu[m].index.map { document.name($0) } ?? menu[m].name
        case .parameter(let i): return document.name(i)
        case .element: return nil
        }
    }

    /// The value a row shows: certificates summarised, secrets masked unless revealed.
    public func displayValue(of row: Row) -> String {
        if case .menu(let m) = row, case .slot(let slot) = menu[m].item {
            guard menu[m].index != nil else { return "—" }
            let contents = contents(of: slot)
            if let facts = contents.facts { return "\(facts.displayName), \(facts.expired ? "expired" : "until") \(Linter.day(facts.notAfter))" }
            return contents.problem != nil ? "(not a certificate)" : "(empty)"
        }
        guard let index = parameterIndex(of: row) else {
            if case .menu(let m) = row, menu[m].name != nil { return "—" }
            return ""
        }
        return displayValue(ofParameter: index)
    }

    /// A parameter's value for display, one line, masked when secret and not revealed.
    public func displayValue(ofParameter index: Int) -> String {
        let name = document.name(index)
        let value = Catalogue.shared.valueLabel(document.value(index), for: name)
        if isSecret(name) && !revealed.contains(name.lowercased()) && !value.isEmpty { return Masking.mask }
        return value.replacingOccurrences(of: "\r\n", with: "↵").replacingOccurrences(of: "\n", with: "↵").replacingOccurrences(of: "\r", with: "↵")
    }

    /// Whether a parameter's value is a secret (masked on screen and in diffs).
    public func isSecret(_ name: String) -> Bool {
        Catalogue.shared.isSecret(name)
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
            return EntryStatus.judge(present: true, flag: flag, flagValue: flagValue, deviceSet: deviceSet, invalid: false, findings: nearMisses)
        case .element:
            return nil
        }
    }

    /// The `.set` flag of parameter `i`: usually right next to it, else looked up in the whole file.
    func partner(of i: Int, named flag: String) -> Int? {
        for j in [i + 1, i - 1, i + 2] where j >= 0 && j < document.parameterCount {
            if document.nameBytes(j).elementsEqual(flag.utf8) { return j }
        }
        return document.index(named: flag)
    }

    /// Whether a row changed since the file was opened.
    public func isModified(_ row: Row) -> Bool {
        guard let name = parameterName(of: row)?.lowercased() else { return false }
        let names = [name, name + ".set"].filter { changedNames.contains($0) }
        for n in names where valuesOf(n, in: document) != valuesOf(n, in: originalDocument) { return true }
        return false
    }

    func valuesOf(_ lowerName: String, in document: CfgDocument) -> [String] {
        document.indices(named: lowerName).map { document.value($0) }
    }

    /// The findings about a row's parameter.
    public func findings(of row: Row) -> [Finding] {
        switch row {
        case .menu(let m): return menu[m].findings
        case .parameter(let i):
            return findingsByParameter[document.name(i)] ?? []
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
