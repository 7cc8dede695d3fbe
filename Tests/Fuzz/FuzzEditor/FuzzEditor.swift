// libFuzzer target: the editor's update, fed random key sequences (and pastes, resizes and
// effect results), never crashes, keeps its cursor in range, and always renders.
import Editor
import Screen
import Files
import Certificates

let keys: [Key] = [
    .up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .enter, .escape, .tab, .backTab,
    .backspace, .delete, .f1, .character(" "), .character("s"), .character("q"), .character("y"),
    .character("n"), .character("c"), .character("u"), .control("r"), .character("/"), .character("p"),
    .character("i"), .character("f"), .character("r"), .character("t"), .character("?"), .character("1"),
    .character("x"), .control("d"), .control("u"), .control("s"), .character("o"), .character("N"), .character("w"),
    .character("J"), .character("K"), .character("M"), .character("v"), .character("g"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEditor(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var state = EditorState.sample()
    _ = state.update(.resize(width: 80, height: 24))
    var i = 0
    while i < size {
        let b = data[i]
        i += 1
        var effects: [Effect] = []
        switch b {
        case 0xF0:
            let w = i < size ? Int(data[i]) : 80
            let h = i + 1 < size ? Int(data[i + 1]) : 24
            i += 2
            effects = state.update(.resize(width: w, height: h))
        case 0xF1:
            let n = i < size ? Int(data[i]) : 0
            let text = String(decoding: UnsafeBufferPointer(start: data + min(i + 1, size), count: max(0, min(n, size - i - 1))), as: UTF8.self)
            i += 1 + n
            effects = state.update(.paste(text))
        default:
            effects = state.update(.key(keys[Int(b) % keys.count]))
        }
        for effect in effects {
            switch effect {
            case .writeFiles(let files):
                _ = state.update(.filesWritten(files.map { FileWritten(path: $0.path, result: .success(FileSnapshot(size: $0.bytes.count, modified: 0, modifiedNanoseconds: 0, hash: 0))) }))
            case .readFile(let path):
                _ = state.update(.fileRead(path: path, .failure(FileError(path: path, message: "fuzz"))))
            case .complete:
                _ = state.update(.completions(["a", "ab"]))
            case .inspect(let path):
                let status = path.count % 3 == 0 ? FileStatus(exists: false) : FileStatus(exists: true, bytes: Array(path.utf8), readOnly: path.count % 3 == 1 ? "mode 0444" : nil)
                _ = state.update(.inspected(path: path, status))
            case .probe(let job):
                // Half the probes fail, half are left running (ticks, Esc, later keys meet them).
                if job.id % 2 == 0 { _ = state.update(.probed(id: job.id, .failed("fuzz"))) } else { _ = state.update(.tick) }
            case .openPFX(_, let source, _, let slot):
                _ = state.update(.pfxOpened(slot: slot, source: source, .failure(CertificateError("fuzz"))))
            case .lint, .quit, .openHandset:
                break
            }
        }
        precondition(state.rows.isEmpty || state.rows.indices.contains(state.cursor), "cursor out of range")
        _ = Screen.render(state)
    }
    return 0
}
