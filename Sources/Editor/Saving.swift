// The save conversation: each changed member looked at on disk, questions where a person must
// decide, one review of every change, one write of every file.
import CfgDocument
import Files
import Foundation
import Handset

/// A save under way: the members still to look at, and where each one agreed so far goes.
public struct SaveRun: Equatable, Sendable {
    /// The members still to look at, in order; the first is the one being asked about.
    var pending: [Int]
    /// The members agreed so far, each with its path and what is there now.
    public internal(set) var targets: [SaveTarget] = []
    /// Where `w` saves the one file, when it does.
    var saveAs: String?
}

/// Saving: look at what is on disk where each changed member goes, ask when a person must
/// decide, review the diff of every file against what is on disk, write every file atomically.
/// Nothing is replaced that the user has not seen. One file and a set go the same way; only one
/// file can be saved elsewhere (a set's files stay where its master lists them).
extension EditorState {
    /// Whether `w` can save elsewhere: one file can; a set's members stay where they are listed.
    public var canSaveElsewhere: Bool { workspace.set == nil }

    /// `s`: saves every changed member in place (asks for a path for the sample).
    mutating func startSave() -> [Effect] {
        guard path != nil else {
            mode = .path(PathPrompt(.saveAs, Sample.name))
            return []
        }
        let changed = workspace.changedMembers
        guard !changed.isEmpty else {
            inform("no changes to save")
            return quitAfterSave ? [.quit] : []
        }
        if let refusal = changed.lazy.compactMap(workspace.outsideWrite).first {
            cancelSave("not saved: \(refusal); open the set with --write-outside to write through it", error: true)
            return []
        }
        guard !refuseBroken(changed) else { return [] }
        save = SaveRun(pending: changed)
        return lookAtNext()
    }

    /// Refuses to save members that the edits left malformed (a save never writes a file that
    /// reads worse than it did), saying where; true when refused.
    mutating func refuseBroken(_ members: [Int]) -> Bool {
        guard let broken = members.compactMap({ workspace.files[$0].broken }).first else { return false }
        cancelSave("not saved: \(broken); undo (u) the edit that did it", error: true)
        return true
    }

    /// `w`: asks for a path (Tab completes) and saves the file there.
    mutating func startSaveAs() -> [Effect] {
        guard canSaveElsewhere else {
            cancelSave(
                "w saves one file elsewhere; a provisioning set is saved in place with s (each changed file after one "
                    + "review)", error: true)
            return []
        }
        mode = .path(PathPrompt(.saveAs, path ?? Sample.name))
        return []
    }

    /// The path typed for `w`: the open file goes there.
    mutating func saveAs(_ path: String) -> [Effect] {
        guard !refuseBroken([workspace.active]) else { return [] }
        save = SaveRun(pending: [workspace.active], saveAs: path)
        return lookAtNext()
    }

    /// Looks at the disk where the next member goes; when every member is agreed, the review.
    mutating func lookAtNext() -> [Effect] {
        guard let run = save else { return [] }
        guard let k = run.pending.first else {
            mode = .diff(review(run.targets))
            return []
        }
        let target = run.saveAs ?? workspace.files[k].path ?? Sample.name
        mode = .checking(path: target, saveAs: run.saveAs != nil)
        return [.inspect(target)]
    }

    /// What is at the path decides what to ask about the member before the review.
    mutating func inspected(_ path: String, _ status: FileStatus) -> [Effect] {
        guard case .checking(path, let saveAs) = mode, let k = save?.pending.first else { return [] }
        let member = workspace.files[k]
        let target = SaveTarget(
            member: k, path: path, disk: status.exists ? (status.bytes ?? []) : nil, expected: status.snapshot,
            saveAs: saveAs)
        if status.isDirectory {
            let problem = "\(path) is a directory: type a file name"
            mode = .path(PathPrompt(.saveAs, path.hasSuffix("/") ? path : path + "/", problem: problem))
            fail(problem)
        } else if let reason = status.unwritable {
            let elsewhere = saveAs ? "; choose another place" : canSaveElsewhere ? "; w saves elsewhere" : ""
            let problem = "cannot save to \(path): \(reason)\(elsewhere)"
            // The prompt comes back with the reason on it: the status line is the prompt's now.
            if saveAs {
                mode = .path(PathPrompt(.saveAs, path, problem: problem))
            } else {
                cancelSave("", error: false)
            }
            fail(problem)
        } else if saveAs && status.exists && path != member.path {
            mode = .confirmOverwrite(target, status)
        } else if !saveAs && member.existsOnDisk && !status.exists {
            mode = .gone(target)
        } else if !saveAs, let expected = member.snapshot, status.snapshot != expected, let current = status.bytes {
            mode = .conflict(
                summary: Self.changeDescription(
                    path: path, old: member.document.encoding.fileBytes(member.original), new: current),
                current: current)
        } else if let readOnly = status.readOnly {
            mode = .confirmReadOnly(target, reason: readOnly)
        } else {
            return agree(target)
        }
        return []
    }

    /// The member goes to `target`; on to the next.
    mutating func agree(_ target: SaveTarget) -> [Effect] {
        save?.targets.append(target)
        save?.pending.removeFirst()
        return lookAtNext()
    }

    /// The answers to the questions of a save (and of quitting).
    mutating func answer(_ key: Key) -> [Effect] {
        let answer = question?.answer(key)
        switch (mode, answer) {
        case (.confirmOverwrite(let target, _), .yes?), (.confirmReadOnly(let target, _), .yes?),
            (.gone(let target), .writeAgain?):
            return agree(target)
        case (.confirmOverwrite(let target, _), .no?):
            mode = .path(PathPrompt(.saveAs, target.path))
            inform("choose another name")
        case (.confirmReadOnly(let target, _), .no?):
            cancelSave("not saved: \(target.path) is read-only\(canSaveElsewhere ? "; w saves elsewhere" : "")")
        case (.gone, .saveElsewhere?), (.conflict, .saveElsewhere?):
            mode = .path(PathPrompt(.saveAs, path ?? Sample.name))
        case (.gone, .cancel?): cancelSave("not saved")
        case (.conflict(_, let current), .overwrite?):
            guard let k = save?.pending.first, let path = workspace.files[k].path else { return [] }
            return agree(SaveTarget(member: k, path: path, disk: current, expected: nil, saveAs: false))
        case (.conflict(_, let current), .merge?):
            guard let k = save?.pending.first else { return [] }
            return merge(member: k, current)
        case (.conflict(_, let current), .reload?):
            guard let k = save?.pending.first else { return [] }
            reload(member: k, current, snapshot: nil)
        case (.conflict, .cancel?): cancelSave("not saved; the file on disk was changed by someone else")
        case (.quitPrompt, .yes?): mode = .browse; quitAfterSave = true; return startSave()
        case (.quitPrompt, .saveElsewhere?): quitAfterSave = true; return startSaveAs()
        case (.quitPrompt, .no?): return [.quit]
        case (.quitPrompt, .cancel?): mode = .browse
        default: break   // .checking: keys wait for the answer; keys a question does not offer
        }
        return []
    }

    /// Keys in the review: `y` writes every agreed file, `n` goes back, the rest scroll.
    mutating func reviewKey(_ step: ModeStep<Bool>, _ review: DiffReview) -> [Effect] {
        switch step {
        case .stay: mode = .diff(review)
        case .done:
            guard let run = save else { return [] }
            mode = .saving
            let writes = run.targets.map { target in
                FileWrite(
                    path: target.path, bytes: workspace.files[target.member].document.fileBytes,
                    expected: target.expected)
            }
            return [.writeFiles(writes)]
        case .cancel: cancelSave("", error: false)
        }
        return []
    }

    /// A file changed on disk between the review and the write (nothing was written): the
    /// person decides about that member.
    mutating func changedOnDisk(_ path: String, summary: String, current: [UInt8]) {
        guard let k = save?.targets.first(where: { $0.path == path })?.member else { return }
        save?.targets.removeAll { $0.member == k }
        save?.pending.insert(k, at: 0)
        mode = .conflict(summary: summary, current: current)
    }

    /// The review of every agreed member.
    func review(_ targets: [SaveTarget]) -> DiffReview {
        let (summary, diff) = changes(of: targets)
        return DiffReview(summary: summary, diff: diff)
    }

    /// What a review shows: `name: old → new` lines (prefixed by the file's name in a set) and
    /// the diffs against what is on disk, one after another, secrets masked.
    func changes(of targets: [SaveTarget]) -> (summary: [String], diff: [UInt8]) {
        var summary: [String] = []
        var diff: [UInt8] = []
        for target in targets {
            let member = workspace.files[target.member]
            let (old, new) = Masking.masked(old: CfgDocument(bytes: target.disk ?? []), new: member.document)
            diff += UnifiedDiff.make(old: old, new: new, path: target.path)
            let prefix = workspace.set == nil ? "" : "\(workspace.name(of: target.member)): "
            summary += member.changeSummary.map { prefix + $0 }
        }
        return (summary, diff)
    }

    /// The outcome of a save, file by file: each file written is what is on disk now; a file
    /// not written keeps its edits.
    mutating func written(_ results: [FileWritten]) -> [Effect] {
        guard let run = save else { return [] }
        var written: [String] = [], failed: [(String, FileError)] = []
        for result in results {
            guard let target = run.targets.first(where: { $0.path == result.path }) else { continue }
            let name = workspace.set == nil ? target.path : workspace.name(of: target.member)
            switch result.result {
            case .success(let snapshot):
                workspace.files[target.member].saved(to: target.path, snapshot: snapshot, renamed: target.saveAs)
                written.append(name)
            case .failure(let error):
                failed.append((name, error))
            }
        }
        save = nil
        mode = .browse
        rebuildMenu()
        if failed.isEmpty {
            inform("saved \(written.joined(separator: ", "))")
            return quitAfterSave ? [.quit] : []
        }
        quitAfterSave = false
        if written.isEmpty, let (_, error) = failed.first, failed.count == 1 {
            fail("not saved: \(error.description)\(canSaveElsewhere ? "; w saves elsewhere" : "")")
        } else {
            fail(
                "written: \(written.isEmpty ? "none" : written.joined(separator: ", ")); NOT written: "
                    + failed.map { "\($0.0) (\($0.1.description))" }.joined(separator: "; ")
                    + ". The files not written still hold your edits: s tries them again")
        }
        return []
    }

    mutating func cancelSave(_ text: String, error: Bool = false) {
        mode = .browse
        quitAfterSave = false
        save = nil
        if !text.isEmpty { if error { fail(text) } else { inform(text) } }
    }

    /// `m` in the conflict: the person's changes since the file was read, replayed onto the file as it is on disk
    /// now; where both sides changed a parameter differently, the person picks for each first.
    mutating func merge(member k: Int, _ current: [UInt8]) -> [Effect] {
        let file = workspace.files[k]
        let base = CfgDocument(text: file.original, encoding: file.document.encoding)
        let mine = ParameterMerge.changes(from: base, to: file.document)
        let theirs = ParameterMerge.changes(from: base, to: CfgDocument(bytes: current))
        let conflicts = ParameterMerge.conflicts(mine, theirs)
        let pick = MergePick(member: k, current: current, mine: mine, conflicts: conflicts)
        if conflicts.isEmpty { return finishMerge(pick) }
        mode = .mergePick(pick)
        return []
    }

    /// An answer about one parameter both sides changed; after the last, the merge.
    mutating func mergeKey(_ key: Key, _ pick: MergePick) -> [Effect] {
        var pick = pick
        switch question?.answer(key) {
        case .mine?: break
        case .theirs?: pick.keepTheirs.insert(pick.conflicts[pick.next].name.lowercased())
        case .cancel?:
            cancelSave("not saved; nothing merged: the file on disk was changed by someone else")
            return []
        default: return []
        }
        pick.next += 1
        if pick.next < pick.conflicts.count {
            mode = .mergePick(pick)
            return []
        }
        return finishMerge(pick)
    }

    /// The file on disk now, with the person's changes replayed as one undoable step; then the save's review, which
    /// shows exactly what the merge adds to the file on disk.
    mutating func finishMerge(_ pick: MergePick) -> [Effect] {
        let k = pick.member
        // Tried on a copy first: the person's edits are dropped only for a merge that will succeed.
        var trial = CfgDocument(bytes: pick.current)
        do throws(AssignmentError) {
            _ = try ParameterMerge.replay(pick.changes, onto: &trial, keepingTheirs: pick.keepTheirs)
        } catch {
            cancelSave("not merged: \(error.description); your edits are kept (s asks again; w saves elsewhere)",
                       error: true)
            return []
        }
        reload(member: k, pick.current, snapshot: nil)
        let kept = pick.keepTheirs.count
        editSet("merged: your changes replayed onto the file as it is on disk now"
                + (kept == 0 ? "" : " (\(kept) kept as on disk)")) { set in
            try ParameterMerge.replay(pick.changes, onto: &set.members[k].document, keepingTheirs: pick.keepTheirs)
        }
        guard workspace.files[k].modified else { return [] }
        let said = view.message
        let effects = startSave()
        if !view.messageIsError { inform(said) }
        return effects
    }

    /// "PATH is now N bytes (was M); K of its L lines were added or removed by someone else" (`old`, `new`: the
    /// file's bytes).
    public static func changeDescription(path: String, old: [UInt8], new: [UInt8]) -> String {
        let (oldText, newText) = (DeclaredEncoding.text(ofFile: old), DeclaredEncoding.text(ofFile: new))
        let lines = String(decoding: UnifiedDiff.make(old: oldText, new: newText, path: path), as: UTF8.self)
            .split(separator: "\n").filter {
                ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
            }.count
        let total = oldText.filter { $0 == 10 }.count
        return
            "\(path) is now \(new.count) bytes (was \(old.count)); \(lines) of its \(total) lines were added or "
                + "removed by someone else"
    }

    /// The question before replacing an existing file.
    func overwriteQuestion(_ status: FileStatus, path: String) -> String {
        let size = status.bytes?.count ?? status.snapshot?.size ?? 0
        return "\(path) exists (\(size) byte\(size == 1 ? "" : "s"), modified \(status.modifiedText)): overwrite?"
    }

    /// The diff the review shows (before a save: against the files as read).
    public var previewDiff: [UInt8] { changes(of: reviewTargets).diff }

    /// The changes, parameter by parameter, as the review lists them.
    public var changeSummary: [String] { changes(of: reviewTargets).summary }

    /// The members of the save under way, else every changed member against the file as read.
    var reviewTargets: [SaveTarget] {
        if let targets = save?.targets, !targets.isEmpty { return targets }
        return workspace.changedMembers.map { k in
            SaveTarget(
                member: k, path: workspace.files[k].path ?? Sample.name,
                disk: workspace.files[k].existsOnDisk ? workspace.files[k].originalFileBytes : nil, expected: nil,
                saveAs: false)
        }
    }
}

extension EditedFile {
    /// The document was written to `path`: it is what is on disk now (and, saved elsewhere, the
    /// file is that one from now on).
    mutating func saved(to path: String, snapshot: FileSnapshot, renamed: Bool) {
        settle()
        self.path = path
        if renamed { displayName = path }
        self.snapshot = snapshot
        existsOnDisk = true
        readOnlyReason = nil
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
