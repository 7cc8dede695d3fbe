import Handset
import CfgDocument
import Foundation
import Files

/// Saving: choose the path, look at what is there, ask when a person must decide, review the
/// diff against what is on disk, write atomically. Nothing is replaced that the user has not seen.
extension EditorState {
    /// `s`: saves to the file's own path (asks for one for the sample).
    mutating func startSave() -> [Effect] {
        guard let path else {
            mode = .savePath(LineEditor(Sample.name))
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
        mode = .savePath(LineEditor(path ?? Sample.name))
        return []
    }

    /// Keys in the modes of a save.
    mutating func handleSaving(_ key: Key) -> [Effect] {
        switch mode {
        case .savePath(var line):
            switch key {
            case .escape: mode = .browse; quitAfterSave = false; inform("not saved")
            case .enter:
                let target = (line.string as NSString).expandingTildeInPath
                guard !target.isEmpty else { return [] }
                mode = .checking(path: target, saveAs: true)
                return [.inspect(target)]
            case .tab: return [.complete((line.string as NSString).expandingTildeInPath)]
            default:
                if line.handle(key) { mode = .savePath(line) }
            }
        case .confirmOverwrite(let target, _):
            if key == .character("y") { return review(target, readOnly: nil) }
            if key == .character("n") || key == .escape { mode = .savePath(LineEditor(target.path)); inform("choose another name") }
        case .confirmReadOnly(let target, _):
            if key == .character("y") { mode = .diff(scroll: 0); saveTarget = target; return [] }
            if key == .character("n") || key == .escape { cancelSave("not saved: the file is read-only; w saves elsewhere") }
        case .gone(let target):
            switch key {
            case .character("w"): return review(target, readOnly: nil)
            case .character("s"): mode = .savePath(LineEditor(target.path))
            case .character("c"), .escape: cancelSave("not saved")
            default: break
            }
        case .diff(let scroll):
            return diffKey(key, scroll: scroll)
        case .quitPrompt:
            switch key {
            case .character("y"):
                mode = .browse
                quitAfterSave = true
                return startSave()
            case .character("w"):
                quitAfterSave = true
                return startSaveAs()
            case .character("n"): return [.quit]
            case .character("c"), .escape: mode = .browse
            default: break
            }
        case .conflict(_, let current):
            switch key {
            case .character("o"):
                guard let target = saveTarget else { return [] }
                mode = .saving
                return [.write(path: target.path, bytes: document.bytes, expected: nil)]
            case .character("r"):
                reload(current)
            case .character("w"):
                mode = .savePath(LineEditor(path ?? Sample.name))
            case .character("c"), .escape:
                cancelSave("not saved; the file on disk was changed by someone else")
            default: break
            }
        default:
            break   // .checking: keys wait for the answer
        }
        return []
    }

    mutating func diffKey(_ key: Key, scroll: Int) -> [Effect] {
        switch key {
        case .character("y"):
            guard let target = saveTarget else { return [] }
            mode = .saving
            return [.write(path: target.path, bytes: document.bytes, expected: target.expected)]
        case .character("n"), .escape:
            mode = .browse
            quitAfterSave = false
            saveTarget = nil
        case .down, .character("j"): mode = .diff(scroll: scroll + 1)
        case .up, .character("k"): mode = .diff(scroll: max(0, scroll - 1))
        case .pageDown, .character(" "): mode = .diff(scroll: scroll + pageSize)
        case .pageUp: mode = .diff(scroll: max(0, scroll - pageSize))
        case .home: mode = .diff(scroll: 0); view.diffColumn = 0
        case .right, .character("l"): view.diffColumn += 20
        case .left, .character("h"): view.diffColumn = max(0, diffColumn - 20)
        default: break
        }
        return []
    }

    /// What is at the path decides what to ask before the preview.
    mutating func inspected(_ path: String, _ status: FileStatus) -> [Effect] {
        guard case .checking(path, let saveAs) = mode else { return [] }
        let target = SaveTarget(path: path, disk: status.exists ? (status.bytes ?? []) : nil, expected: status.snapshot, saveAs: saveAs)
        if status.isDirectory {
            mode = .savePath(LineEditor(path.hasSuffix("/") ? path : path + "/"))
            fail("\(path) is a directory: type a file name")
            return []
        }
        if let reason = status.unwritable {
            if saveAs { mode = .savePath(LineEditor(path)) } else { mode = .browse; quitAfterSave = false }
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
        view.diffColumn = 0
        mode = .diff(scroll: 0)
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
            .split(separator: "\n").filter { ($0.hasPrefix("+") || $0.hasPrefix("-")) && !$0.hasPrefix("+++") && !$0.hasPrefix("---") }.count
        let total = old.filter { $0 == 10 }.count
        return "\(path) is now \(new.count) bytes (was \(old.count)); \(lines) of its \(total) lines were added or removed by someone else"
    }

    /// The question before replacing an existing file.
    public func overwriteQuestion(_ status: FileStatus, path: String) -> String {
        let size = status.bytes?.count ?? status.snapshot?.size ?? 0
        return "\(path) exists (\(size) byte\(size == 1 ? "" : "s"), modified \(status.modifiedText)): overwrite? (y/n)"
    }

    /// The diff shown before saving: what is on disk at the target against what would be written, secrets masked.
    public var previewDiff: [UInt8] {
        let base = CfgDocument(bytes: saveTarget.map { $0.disk ?? [] } ?? file.original)
        let (old, new) = Masking.masked(old: base, new: document)
        return UnifiedDiff.make(old: old, new: new, path: saveTarget?.path ?? displayName)
    }
}
