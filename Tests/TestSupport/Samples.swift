import Foundation

/// One configuration file the tests run over: one of the project's fixtures, or a file of the
/// external corpus.
public struct SampleFile: Sendable, CustomStringConvertible {
    public let name: String
    public let url: URL
    public let bytes: [UInt8]
    /// Whether a conforming XML parser (expat) accepts the file.
    public let wellFormed: Bool?
    public var description: String { name }
}

/// The files the tests run over: the project's own fixtures (`Tests/Fixtures/cfg`, written by
/// `Tests/Fixtures/generate.py`), always; and the external corpus of real files, when present.
///
/// The corpus is `$SLCFG_CORPUS` when set (`none` turns it off), else `../shared/corpus` beside the
/// repository. Tests over the corpus are marked `.enabled(if: Samples.corpusPresent, Samples.corpusAbsent)`
/// so the report says they were skipped, and why.
public enum Samples {
    /// The repository's `Tests/` folder.
    static let testsDirectory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent()
        url.deleteLastPathComponent()
        return url
    }()

    public static let fixturesDirectory = testsDirectory.appendingPathComponent("Fixtures/cfg")

    /// The small firmware schema the tests carry (`Tests/Fixtures/schema/polycomConfig.xsd`, written here).
    public static let schemaFile = testsDirectory.appendingPathComponent("Fixtures/schema/polycomConfig.xsd")

    /// The project's fixtures, by name. Never empty in a checkout (a test asserts the count).
    public static let fixtures: [SampleFile] = {
        let index = (try? String(contentsOf: testsDirectory.appendingPathComponent("Fixtures/INDEX.tsv"), encoding: .utf8)) ?? ""
        return index.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t").map(String.init)
            let url = fixturesDirectory.appendingPathComponent(fields[0])
            return SampleFile(name: fields[0], url: url, bytes: Array(FileManager.default.contents(atPath: url.path) ?? Data()),
                              wellFormed: fields.count > 1 ? fields[1] == "well-formed" : nil)
        }
    }()

    /// Where the external corpus is, when it is there.
    public static let corpusDirectory: URL? = {
        let environment = ProcessInfo.processInfo.environment["SLCFG_CORPUS"]
        if environment == "none" { return nil }
        let url = environment.map { URL(fileURLWithPath: $0) }
            ?? testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue ? url : nil
    }()

    /// The corpus's configuration files (not its Markdown notes), by name; empty without a corpus.
    public static let corpus: [SampleFile] = {
        guard let directory = corpusDirectory else { return [] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".md") }.sorted().map { name in
            let url = directory.appendingPathComponent(name)
            return SampleFile(name: name, url: url, bytes: Array(FileManager.default.contents(atPath: url.path) ?? Data()), wellFormed: nil)
        }
    }()

    public static var corpusPresent: Bool { !corpus.isEmpty }

    /// Why the corpus cases are skipped, for the test report.
    public static let corpusAbsent = """
        the external corpus is absent (no ../shared/corpus beside the repository, or SLCFG_CORPUS=none): \
        these cases run over the project's fixtures only
        """

    /// Fixtures and corpus together.
    public static var all: [SampleFile] { fixtures + corpus }

    /// The line-ending, BOM, tab and final-newline variants of a file, by name.
    public static func variants(_ bytes: [UInt8]) -> [(String, [UInt8])] {
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
