// The files open in the editor (one file, or a provisioning set's members) and each one's edits.
import CfgDocument
import Files
import Foundation
import Glibc
import Handset

/// The files the editor has open, in the order the handset reads them (the first that sets a
/// name wins). One file is a workspace with one member; a provisioning set has its members and
/// the way they were found. Every edit, undo, import and save goes through the members, the same
/// way for both.
public struct Workspace: Sendable {
    /// Each member as edited, in precedence order.
    public internal(set) var files: [EditedFile]
    /// How the members were found when the editor was opened on a provisioning set: the master,
    /// each member's listed name, role and link target, the set's problems. The members'
    /// documents live in ``files`` only (here they are left empty); nil for one file.
    public internal(set) var set: ProvisioningSet?
    /// The member whose All Parameters are shown (`o` opens another).
    public internal(set) var active = 0
    /// The member that takes entries no file sets yet: asked once, the first time it matters.
    var chosenTarget: Int?
    /// Whether a member that is a link outside the set's directory may be written.
    var writeOutside = false
    /// The menus over a set, its lint and every name's winning occurrence (recomputed after each
    /// change: a set's files are small; one file's menus follow its edits in ``Derived``).
    public internal(set) var entries: [SetMenuEntry] = []
    public internal(set) var findings: [SetFinding] = []
    var effective = EffectiveNames.none

    /// One file.
    init(file: EditedFile) {
        files = [file]
    }

    /// A provisioning set as read (`snapshots`: each member as it was on disk).
    init(set: ProvisioningSet, snapshots: [FileSnapshot?], writeOutside: Bool) {
        files = set.members.indices.map { k in
            let member = set.members[k]
            return EditedFile(
                document: member.document, original: member.document.bytes, path: member.path,
                displayName: member.listedName, snapshot: snapshots[k], readOnlyReason: nil, existsOnDisk: true)
        }
        var layout = set
        for k in layout.members.indices { layout.members[k].document = CfgDocument(bytes: []) }
        self.set = layout
        self.writeOutside = writeOutside
        active = Self.defaultTarget(of: set) ?? 0
    }

    /// The last file listed in CONFIG_FILES (usually the `wireless.cfg`-like one), else the last file.
    static func defaultTarget(of set: ProvisioningSet) -> Int? {
        set.members.lastIndex { $0.role == .config } ?? set.members.indices.last
    }

    /// The member that takes entries no file sets yet: one file takes them all; in a set, the
    /// file chosen when it was first asked (nil until then).
    public var target: Int? { self.set == nil ? 0 : chosenTarget }

    /// The members as the handset reads them, with their documents as edited (one file: a set
    /// with one member).
    var provisioningSet: ProvisioningSet {
        guard var layout = set else {
            return ProvisioningSet(file: files[0].path ?? files[0].displayName, document: files[0].document)
        }
        for k in layout.members.indices { layout.members[k].document = files[k].document }
        return layout
    }

    /// The members as the handset reads them, holding the members' documents themselves: moved
    /// out of ``files`` (not copied, so an edit of a 33 MB file does not copy it) until
    /// ``giveBack(_:)`` moves them back.
    mutating func takeDocuments() -> ProvisioningSet {
        var taken =
            set ?? ProvisioningSet(file: files[0].path ?? files[0].displayName, document: CfgDocument(bytes: []))
        for k in files.indices { swap(&taken.members[k].document, &files[k].document) }
        return taken
    }

    /// Moves the documents of ``takeDocuments()`` back into ``files``.
    mutating func giveBack(_ taken: inout ProvisioningSet) {
        for k in files.indices { swap(&taken.members[k].document, &files[k].document) }
    }

    /// The members that differ from what is on disk (or are not on disk yet).
    public var changedMembers: [Int] {
        files.indices.filter { files[$0].modified || !files[$0].existsOnDisk }
    }

    /// A member's name as rows and messages show it: the name listed in CONFIG_FILES, or the file's.
    public func name(of member: Int) -> String { files[member].displayName }

    /// `FILE:LINE` of parameter `i` of member `m`.
    public func location(member m: Int, index i: Int) -> String {
        let document = files[m].document
        let line = LineIndex(document.bytes).location(of: document.attributes[i].nameRange.lowerBound).line
        return "\(name(of: m)):\(line)"
    }

    /// Why member `k` may not be written: a link that leads outside the set's directory.
    func outsideWrite(_ k: Int) -> String? {
        guard !writeOutside, let set else { return nil }
        return set.outsideWrite(k)
    }

    /// Recomputes what a set's menus show from the members as they are now.
    mutating func refresh(now: Date, catalogue: Catalogue) {
        let current = provisioningSet
        findings = current.lint(now: now, catalogue: catalogue)
        effective = current.effective()
        entries = current.menuEntries(findings: findings)
    }

    /// The value the handset uses for `name`: the first occurrence in the first member that
    /// sets it (one file: looked up in it, not in a set-wide index of a file that may be 33 MB).
    func effectiveValue(_ name: String) -> String? {
        guard set != nil else { return files[0].document.index(named: name).map { files[0].document.value($0) } }
        return effective[name].map { files[$0.member].document.value($0.index) }
    }

    /// ``effectiveValue(_:)`` of a name the menus show (``MenuTree/names(for:)``): for one file, from its index of
    /// those names (no pass over the file); any other name as ``effectiveValue(_:)`` finds it.
    func menuValue(_ name: String) -> String? {
        guard set == nil else { return effectiveValue(name) }
        let file = files[0]
        guard let indices = file.names[name] ?? file.names[name.lowercased()] else { return effectiveValue(name) }
        return indices.first.map { file.document.value($0) }
    }
}

/// One member being edited: the document, what it was on disk, where it lives, and the values
/// its `*` marks compare with.
public struct EditedFile: Sendable {
    /// The document as edited.
    public internal(set) var document: CfgDocument
    /// The document's bytes as they were read (or last saved), UTF-8 for a UTF-16 file. Only the
    /// bytes: the values the `*` marks compare with are remembered name by name
    /// (``originalValues``), so that an edited 33 MB file is not held twice with all its spans.
    public internal(set) var original: [UInt8]
    /// ``original`` as the file holds it (UTF-16 for a UTF-16 file).
    var originalFileBytes: [UInt8] { document.encoding.fileBytes(original) }
    /// The file, or nil for the built-in sample.
    public internal(set) var path: String?
    /// The name shown in the title (one file) or on rows (a set's member: its listed name).
    public internal(set) var displayName: String
    /// What the file was on disk when read, to notice changes by others.
    public internal(set) var snapshot: FileSnapshot?
    /// Why the file cannot be saved (read-only file or directory), found before editing.
    public internal(set) var readOnlyReason: String?
    /// Whether the file exists on disk (false for the sample and for a new file until saved).
    public internal(set) var existsOnDisk: Bool
    /// Whether the document differs from the file.
    public internal(set) var modified = false
    /// The bytes where the document may differ from the original (offsets of the document now),
    /// nil when the edits since the last save touched nothing; comparing just these keeps
    /// `modified` true to the bytes without reading 33 MB after each keystroke.
    var dirty: Range<Int>?
    /// The names the menu, the slots and the edits look up (as the catalogue spells them, and
    /// lower-cased for the `*` marks).
    var names: NameIndex
    /// The values each lower-cased name had in the file, remembered just before its first
    /// change (a name never changed still has the file's values).
    var originalValues: [String: [String]] = [:]
    /// Lower-cased names whose values now differ from the file's.
    var modifiedNames: Set<String> = []
    /// Every change since the file was read or last saved, oldest first: replayed on
    /// ``original`` they give the document (what a recovery journal keeps, see ``UnsavedFile``).
    var unsavedChanges: [Change] = []
    /// What the scanner said of the file as read (or last saved): a save must not add to it.
    var originalDiagnostics: [Diagnostic]

    init(document: CfgDocument, original: [UInt8], path: String?, displayName: String, snapshot: FileSnapshot?,
         readOnlyReason: String?, existsOnDisk: Bool) {
        self.document = document
        self.original = original
        self.path = path
        self.displayName = displayName
        self.snapshot = snapshot
        self.readOnlyReason = readOnlyReason
        self.existsOnDisk = existsOnDisk
        originalDiagnostics = document.diagnostics
        names = Self.index(document)
    }

    /// The first thing the edits broke (`LINE:COL: message`), nil when the document is as
    /// well-formed as the file was.
    var broken: String? {
        guard let added = document.diagnosticsAdded(since: originalDiagnostics).first else { return nil }
        let (line, column) = LineIndex(document.bytes).location(of: added.offset)
        return "\(displayName):\(line):\(column): the edits would leave it malformed: \(added.message)"
    }

    /// The menu's names in `document`, as the catalogue spells them and lower-cased.
    static func index(_ document: CfgDocument) -> NameIndex {
        let menuNames = MenuTree.names()
        return NameIndex(document, names: menuNames + menuNames.map { $0.lowercased() })
    }

    /// The file as it is on disk now, read again: the edits are dropped.
    mutating func reread(_ bytes: [UInt8], snapshot: FileSnapshot?) {
        document = CfgDocument(bytes: bytes)
        names = Self.index(document)
        settle()
        self.snapshot = snapshot
    }

    /// The changes made to the document since the last call.
    mutating func takeJournal() -> [Change] {
        let changes = document.journal
        document.clearJournal()
        return changes
    }

    /// Follows changes just made to the document (an edit, undo or redo): the names, the `*`
    /// marks and ``modified``, each for what the changes touched.
    mutating func note(_ changes: [Change], touched: Set<String>) {
        names.update(after: changes, in: document)
        unsavedChanges += changes
        for change in changes { dirty = Self.window(dirty, after: change) }
        modified = !Self.same(document.bytes, original, in: dirty)
        if changes.contains(where: \.rescanned) {
            // A change that scanned the whole document again does not say what it touched.
            names.watch(Array(originalValues.keys), in: document)
            recheck(Set(originalValues.keys))
        } else {
            recheck(touched)
        }
    }

    /// Remembers the file's values of the names an edit changes for the first time: they are
    /// the values just before it, read by stepping back over its changes (as cheap as the edit)
    /// and forward again. Returns the changes as made again. A change that scanned the whole
    /// document again names nothing, so then every name not yet remembered is.
    mutating func rememberOriginals(of touched: Set<String>, before changes: [Change]) -> [Change] {
        let rescanned = changes.contains(where: \.rescanned)
        let new = touched.filter { originalValues[$0] == nil }
        guard !new.isEmpty || rescanned else { return changes }
        for change in changes.reversed() { document.revert(change) }
        _ = takeJournal()
        if rescanned { remember(Set((0..<document.parameterCount).map { document.name($0).lowercased() })) }
        remember(new)
        for change in changes { document.replaceBytes(change.range, with: change.inserted) }
        return takeJournal()
    }

    /// Remembers the values of the names not seen before; the document must still be as the
    /// file was for them (before their first change).
    mutating func remember(_ lowerNames: Set<String>) {
        for name in lowerNames where originalValues[name] == nil { originalValues[name] = values(of: name) }
    }

    /// The parameters named `name` (indexed from now on).
    mutating func indices(of name: String) -> [Int] {
        names.indices(of: name, in: document)
    }

    /// Each parameter of `lowerName` as written and its value: a rename that changes only the case marks it too.
    mutating func values(of lowerName: String) -> [String] {
        indices(of: lowerName).map { document.name($0) + "=" + document.value($0) }
    }

    /// Compares the values of `lowerNames` (and of those already marked) with the file's.
    mutating func recheck(_ lowerNames: Set<String>) {
        for name in lowerNames.union(modifiedNames) {
            let now = values(of: name)
            if now == (originalValues[name] ?? now) { modifiedNames.remove(name) } else { modifiedNames.insert(name) }
        }
    }

    /// The document is now what is on disk (read again or saved): nothing differs.
    mutating func settle() {
        original = document.bytes
        originalDiagnostics = document.diagnostics
        unsavedChanges = []
        dirty = nil
        modified = false
        originalValues = [:]
        modifiedNames = []
    }

    /// `window` moved by `change` and widened to cover what it wrote.
    static func window(_ window: Range<Int>?, after change: Change) -> Range<Int> {
        let written = change.insertedRange
        guard let window else { return written }
        let delta = change.inserted.count - change.range.count
        func moved(_ offset: Int) -> Int {
            offset <= change.range.lowerBound
                ? offset : (offset >= change.range.upperBound ? offset + delta : written.upperBound)
        }
        return min(moved(window.lowerBound), written.lowerBound)..<max(moved(window.upperBound), written.upperBound)
    }

    /// Whether `a` and `b` are equal, given that they can differ only inside `window` (of `a`).
    static func same(_ a: [UInt8], _ b: [UInt8], in window: Range<Int>?) -> Bool {
        guard a.count == b.count else { return false }
        guard let window else { return true }
        let range = window.clamped(to: 0..<a.count)
        return a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                range.isEmpty
                    || memcmp(pa.baseAddress! + range.lowerBound, pb.baseAddress! + range.lowerBound, range.count) == 0
            }
        }
    }

    /// `name: old → new` for each parameter whose values differ (secrets masked). Only the
    /// parameters inside the bytes the edits touched are compared (two passes for all of them).
    var changeSummary: [String] {
        guard let window = dirty else { return [] }
        let old = CfgDocument(text: original, encoding: document.encoding)
        let oldWindow =
            window.lowerBound..<max(window.lowerBound, window.upperBound - (document.bytes.count - old.bytes.count))
        func inside(_ doc: CfgDocument, _ range: Range<Int>) -> Range<Int> {
            let hit = (0..<doc.parameterCount).filter {
                doc.attributes[$0].range.overlaps(range) || doc.attributes[$0].range.lowerBound == range.lowerBound
            }
            return (hit.first ?? 0)..<((hit.last ?? -1) + 1)
        }
        return Self.changeLines(
            old: old, new: document, candidates: [(document, inside(document, window)), (old, inside(old, oldWindow))])
    }

    /// `name: old → new` for the names of the `candidates` (parameters of either document, in
    /// that order) whose values differ, secrets masked: what a review lists.
    static func changeLines(old: CfgDocument, new: CfgDocument, candidates: [(CfgDocument, Range<Int>)]) -> [String] {
        var order: [String] = []
        var spelling: [String: String] = [:]
        for (doc, range) in candidates {
            for i in range where spelling[doc.name(i).lowercased()] == nil {
                spelling[doc.name(i).lowercased()] = doc.name(i)
                order.append(doc.name(i).lowercased())
            }
        }
        let now = NameIndex(new, names: order), before = NameIndex(old, names: order)
        return order.compactMap { key in
            let name = spelling[key] ?? key
            let after = (now[key] ?? []).map { new.value($0) }, previous = (before[key] ?? []).map { old.value($0) }
            guard after != previous else { return nil }
            if after.isEmpty { return "\(name): removed" }
            let shown =
                Masking.isSecret(name) && after.first?.isEmpty == false
                ? Masking.changedMask : Masking.summary(after.first, name: name)
            return "\(name): \(Masking.summary(previous.first, name: name)) → \(shown)"
        }
    }
}

/// An edit waiting for the answer to "which file takes new entries?".
public enum PendingEdit: Equatable, Sendable {
    case commit(String)
    case toggleFlag
    case importCertificate([UInt8], allowNonRoot: Bool)
}

/// One file of a save.
public struct FileWrite: Equatable, Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// What it must still be on disk (a change by someone else is refused for that file).
    public var expected: FileSnapshot?

    public init(path: String, bytes: [UInt8], expected: FileSnapshot?) {
        self.path = path
        self.bytes = bytes
        self.expected = expected
    }
}
