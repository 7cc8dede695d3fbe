import Foundation

/// The shared corpus of real configuration files and the variants every test runs them in.
enum Corpus {
    static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/corpus")
    }()

    /// Every configuration file of the corpus (not its Markdown notes), by name.
    static let files: [(name: String, bytes: [UInt8])] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { name in
            (name, Array(FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) ?? Data()))
        }
    }()

    /// The file with the given name.
    static func file(_ name: String) -> [UInt8] {
        files.first { $0.name == name }!.bytes
    }

    /// The line-ending, BOM, tab and final-newline variants of a file, by name.
    static func variants(_ bytes: [UInt8]) -> [(String, [UInt8])] {
        let lf = toLF(bytes)
        let crlf = lf.flatMap { $0 == 10 ? [13, 10] : [$0] }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let stripped = bytes.starts(with: bom) ? Array(bytes.dropFirst(3)) : bytes
        var tabs = [UInt8]()
        var atLineStart = true
        var spaces = 0
        for c in lf {
            if atLineStart && c == 32 {
                spaces += 1
                if spaces == 2 { tabs.append(9); spaces = 0 }
                continue
            }
            if atLineStart && spaces == 1 { tabs.append(32) }
            spaces = 0
            atLineStart = c == 10
            tabs.append(c)
        }
        var noFinal = bytes
        while let last = noFinal.last, last == 10 || last == 13 { noFinal.removeLast() }
        return [("original", bytes), ("lf", lf), ("crlf", crlf), ("bom", bom + stripped),
                ("bom+crlf", bom + crlf), ("tabs", tabs), ("no-final-newline", noFinal)]
    }

    static func toLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 13 && i + 1 < bytes.count && bytes[i + 1] == 10 { i += 1; continue }
            out.append(bytes[i])
            i += 1
        }
        return out
    }
}
