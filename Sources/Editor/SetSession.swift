import CfgDocument
import Files
import Foundation
import Handset

/// A provisioning set open in the editor: the handset's menus over the values that take
/// effect, each edit made in the file where it takes effect, one review and one write per
/// changed file. The file whose All Parameters are shown is the "open" one (``active``); its
/// document is also ``EditorState/file``, so that the All Parameters rows, undo and the lint of
/// one file work as for a single file.
public struct SetSession: Sendable {
    /// The set; its members' documents are the documents as edited.
    public internal(set) var set: ProvisioningSet
    /// Each member's bytes as read (or last written), and what it was on disk then.
    var originals: [[UInt8]]
    var snapshots: [FileSnapshot?]
    /// The member whose All Parameters are shown (`o` opens another).
    public internal(set) var active: Int
    /// The member that takes entries no file sets yet: asked once, the first time it matters.
    public internal(set) var target: Int?
    /// The menus over the set (recomputed after each change: set files are small).
    public internal(set) var entries: [SetMenuEntry] = []
    /// Lint across the set.
    public internal(set) var findings: [SetFinding] = []
    /// Whether a member that is a link outside the set's directory may be written.
    var writeOutside = false
    /// Every name's winning occurrence.
    var effective: [String: ProvisioningSet.Source] = [:]

    init(_ set: ProvisioningSet, snapshots: [FileSnapshot?]) {
        self.set = set
        originals = set.members.map(\.document.bytes)
        self.snapshots = snapshots
        active = Self.defaultTarget(of: set) ?? 0
    }

    /// The last file listed in CONFIG_FILES (usually the `wireless.cfg`-like one), else the last file.
    static func defaultTarget(of set: ProvisioningSet) -> Int? {
        set.members.lastIndex { $0.role == .config } ?? set.members.indices.last
    }

    /// The members that differ from what was read.
    public var changedMembers: [Int] {
        self.set.members.indices.filter { set.members[$0].document.bytes != originals[$0] }
    }

    /// Recomputes what the menus show from the members as they are now.
    mutating func refresh(now: Date) {
        findings = set.lint(now: now)
        effective = set.effective()
        entries = set.menuEntries(findings: findings)
    }

    /// The member a path names.
    func member(path: String) -> Int? { set.members.firstIndex { $0.path == path } }

    /// A member's name as shown on rows: the name listed in CONFIG_FILES.
    public func name(of member: Int) -> String { set.members[member].listedName }

    /// `FILE:LINE` of parameter `i` of member `m`.
    public func location(member m: Int, index i: Int) -> String {
        "\(set.members[m].listedName):\(set.members[m].location(of: i).line)"
    }

    /// Whether `lowerName`'s values differ from the file's in any member.
    func isModified(_ lowerName: String) -> Bool {
        set.members.indices.contains { k in
            let now = set.members[k].document, before = CfgDocument(bytes: originals[k])
            return now.indices(named: lowerName).map { now.value($0) }
                != before.indices(named: lowerName).map { before.value($0) }
        }
    }

    /// The review of every changed file: `file: name: old → new` lines and the diffs one after another.
    func review() -> DiffReview {
        var summary: [String] = []
        var diff: [UInt8] = []
        for k in changedMembers {
            let member = set.members[k]
            let (old, new) = Masking.masked(old: CfgDocument(bytes: originals[k]), new: member.document)
            diff += UnifiedDiff.make(old: old, new: new, path: member.path)
            summary += Self.summary(old: CfgDocument(bytes: originals[k]), new: member.document).map {
                "\(member.listedName): \($0)"
            }
        }
        return DiffReview(summary: summary, diff: diff)
    }

    /// `name: old → new` for each parameter whose values differ (secrets masked).
    static func summary(old: CfgDocument, new: CfgDocument) -> [String] {
        changeLines(old: old, new: new, candidates: [(new, 0..<new.parameterCount), (old, 0..<old.parameterCount)])
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
            let name = spelling[key]!
            let after = now[key]!.map { new.value($0) }, previous = before[key]!.map { old.value($0) }
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

/// One file of a set's save.
public struct FileWrite: Equatable, Sendable {
    public var path: String
    public var bytes: [UInt8]
    /// What it must still be on disk (a change by someone else is refused for that file).
    public var expected: FileSnapshot?
}
