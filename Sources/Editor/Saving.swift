import Handset
import CfgDocument
import Foundation
import Files

/// Saving: choose the path, look at what is there, ask when a person must decide, review the
/// diff against what is on disk, write atomically. Nothing is replaced that the user has not seen.
extension EditorState {
    /// `s`: saves to the file's own path (asks for one for the sample).
    mutating func startSave() -> [Effect] {
        if let set { return startSetSave(set) }
        guard let path else {
            mode = .path(PathPrompt(.saveAs, Sample.name))
            return []
        }
        guard modified || !file.existsOnDisk else {
            inform("no changes to save")
            return quitAfterSave ? [.quit] : []
        }
        mode = .checking(path: path, saveAs: false)
        return [.inspect(path)]
    }

    /// `w`: asks for a path (Tab completes) and saves there.
    mutating func startSaveAs() -> [Effect] {
        guard set == nil else {
            mode = .browse
            quitAfterSave = false
            fail(
                "w saves one file elsewhere; a provisioning set is saved in place with s (each changed file after one "
                    + "review)"
            )
            return []
        }
        mode = .path(PathPrompt(.saveAs, path ?? Sample.name))
        return []
    }

    /// The answers to the questions of a save (and of quitting).
    mutating func answer(_ key: Key) -> [Effect] {
        switch mode {
        case .confirmOverwrite(let target, _):
            switch question?.answer(key) {
            case .yes?: return review(target, readOnly: nil)
            case .no?: mode = .path(PathPrompt(.saveAs, target.path)); inform("choose another name")
            default: break
            }
        case .confirmReadOnly(let target, _):
            switch question?.answer(key) {
            case .yes?: return review(target, readOnly: nil)
            case .no?: cancelSave("not saved: the file is read-only; w saves elsewhere")
            default: break
            }
        case .gone(let target):
            switch question?.answer(key) {
            case .writeAgain?: return review(target, readOnly: nil)
            case .saveElsewhere?: mode = .path(PathPrompt(.saveAs, target.path))
            case .cancel?: cancelSave("not saved")
            default: break
            }
        case .quitPrompt:
            switch question?.answer(key) {
            case .yes?: mode = .browse; quitAfterSave = true; return startSave()
            case .saveElsewhere?: quitAfterSave = true; return startSaveAs()
            case .no?: return [.quit]
            case .cancel?: mode = .browse
            default: break
            }
        case .conflict(_, let current):
            switch question?.answer(key) {
            case .overwrite?:
                guard let target = saveTarget else { return [] }
                mode = .saving
                return [.write(path: target.path, bytes: document.bytes, expected: nil)]
            case .reload?: reload(current)
            case .saveElsewhere?: mode = .path(PathPrompt(.saveAs, path ?? Sample.name))
            case .cancel?: cancelSave("not saved; the file on disk was changed by someone else")
            default: break
            }
        default:
            break   // .checking: keys wait for the answer
        }
        return []
    }

    /// Keys in the review: `y` writes, `n` goes back, the rest scroll.
    mutating func reviewKey(_ step: ModeStep<Bool>, _ review: DiffReview) -> [Effect] {
        switch step {
        case .stay: mode = .diff(review)
        case .done:
            if let set {
                mode = .saving
                return [.writeFiles(setWrites(set))]
            }
            guard let target = saveTarget else { return [] }
            mode = .saving
            return [.write(path: target.path, bytes: document.bytes, expected: target.expected)]
        case .cancel:
            mode = .browse
            quitAfterSave = false
            saveTarget = nil
        }
        return []
    }

    /// What is at the path decides what to ask before the preview.
    mutating func inspected(_ path: String, _ status: FileStatus) -> [Effect] {
        guard case .checking(path, let saveAs) = mode else { return [] }
        let target = SaveTarget(
            path: path, disk: status.exists ? (status.bytes ?? []) : nil, expected: status.snapshot, saveAs: saveAs)
        if status.isDirectory {
            mode = .path(PathPrompt(.saveAs, path.hasSuffix("/") ? path : path + "/"))
            fail("\(path) is a directory: type a file name")
            return []
        }
        if let reason = status.unwritable {
            if saveAs { mode = .path(PathPrompt(.saveAs, path)) } else { mode = .browse; quitAfterSave = false }
            fail("cannot save to \(path): \(reason)\(saveAs ? "; choose another place" : "; w saves elsewhere")")
            return []
        }
        if saveAs && status.exists && path != self.path {
            mode = .confirmOverwrite(target, status)
            return []
        }
        if !saveAs && file.existsOnDisk && !status.exists {
            mode = .gone(target)
            return []
        }
        if !saveAs, let expected = file.snapshot, status.snapshot != expected, let current = status.bytes {
            saveTarget = target
            mode = .conflict(summary: Self.changeDescription(path: path, old: original, new: current), current: current)
            return []
        }
        return review(target, readOnly: status.readOnly)
    }

    /// Asks about read-only bits, then shows the diff against what is on disk.
    mutating func review(_ target: SaveTarget, readOnly: String?) -> [Effect] {
        saveTarget = target
        if let readOnly {
            mode = .confirmReadOnly(target, reason: readOnly)
            return []
        }
        mode = .diff(DiffReview(summary: changeSummary, diff: previewDiff))
        return []
    }

    /// The outcome of a write: the file is named only once it is written.
    mutating func written(_ path: String, _ result: Result<FileSnapshot, FileError>) -> [Effect] {
        switch result {
        case .success(let snapshot):
            file.settle()
            file.path = path
            file.displayName = path
            file.snapshot = snapshot
            file.existsOnDisk = true
            file.readOnlyReason = nil
            derived.settle()
            saveTarget = nil
            mode = .browse
            inform("saved \(path)")
            if quitAfterSave { return [.quit] }
        case .failure(let error):
            saveTarget = nil
            mode = .browse
            quitAfterSave = false
            fail("not saved: \(error.description); w saves elsewhere")
        }
        return []
    }

    mutating func cancelSave(_ text: String) {
        mode = .browse
        quitAfterSave = false
        saveTarget = nil
        inform(text)
    }

    /// "PATH is now N bytes (was M); K of its L lines were added or removed by someone else".
    public static func changeDescription(path: String, old: [UInt8], new: [UInt8]) -> String {
        let lines = String(decoding: UnifiedDiff.make(old: old, new: new, path: path), as: UTF8.self)
            .split(separator: "\n").filter {
                ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---")
            }.count
        let total = old.filter { $0 == 10 }.count
        return
            "\(path) is now \(new.count) bytes (was \(old.count)); \(lines) of its \(total) lines were added or "
                + "removed by someone else"
    }

    /// The question before replacing an existing file.
    func overwriteQuestion(_ status: FileStatus, path: String) -> String {
        let size = status.bytes?.count ?? status.snapshot?.size ?? 0
        return "\(path) exists (\(size) byte\(size == 1 ? "" : "s"), modified \(status.modifiedText)): overwrite?"
    }

    /// The diff shown before saving: what is on disk at the target against what would be written, secrets masked.
    public var previewDiff: [UInt8] {
        let base = CfgDocument(bytes: saveTarget.map { $0.disk ?? [] } ?? file.original)
        let (old, new) = Masking.masked(old: base, new: document)
        return UnifiedDiff.make(old: old, new: new, path: saveTarget?.path ?? displayName)
    }
}
