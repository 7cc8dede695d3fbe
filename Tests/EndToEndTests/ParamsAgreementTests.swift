import Foundation
import Testing
import TestSupport

/// Lists (element path, name, value) of every attribute with expat, Python's C XML parser.
private let expatScript = """
import json, sys, xml.parsers.expat
out = []
stack = []
p = xml.parsers.expat.ParserCreate()
p.ordered_attributes = True
def start(name, attrs):
    stack.append(name)
    for i in range(0, len(attrs), 2):
        out.append(["/".join(stack), attrs[i], attrs[i + 1]])
p.StartElementHandler = start
p.EndElementHandler = lambda name: stack.pop()
try:
    p.ParseFile(open(sys.argv[1], "rb"))
except xml.parsers.expat.ExpatError as e:
    print("not well-formed:", e, file=sys.stderr)
    sys.exit(3)
json.dump(out, sys.stdout)
"""

@Suite("params agrees with a real XML parser")
struct ParamsAgreementTests {
    /// expat's list for a file, or nil when expat finds it not well-formed.
    private func expat(_ path: String) throws -> [[String]]? {
        let reference = run("/usr/bin/env", ["python3", "-c", expatScript, path])
        if reference.status == 3 { return nil }
        try #require(reference.status == 0, "\(reference.stderr)")
        return try JSONSerialization.jsonObject(with: Data(reference.stdout.utf8)) as? [[String]]
    }

    /// slcfg's list for a file.
    private func ours(_ path: String) throws -> [[String]] {
        let ours = slcfg(["params", "--json", path])
        try #require(ours.status == 0, "\(ours.stderr)")
        let listed = try #require(try JSONSerialization.jsonObject(with: Data(ours.stdout.utf8)) as? [[String: Any]])
        return listed.map { [$0["path"] as! String, $0["name"] as! String, $0["value"] as! String] }
    }

    /// A conforming parser turns literal newlines and tabs in values into spaces, slcfg keeps them;
    /// character references (`&#10;`) stay newlines in both. Compared with all of them as spaces.
    private func normalized(_ list: [[String]]) -> [[String]] {
        list.map { entry in
            entry.enumerated().map { index, field in
                index < 2 ? field : field.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                    .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\t", with: " ")
            }
        }
    }

    @Test("On every well-formed fixture, params lists what expat lists: path, name and value, in order; expat rejects the others",
          arguments: Samples.fixtures)
    func fixtureAgreement(file: SampleFile) throws {
        let reference = try expat(file.url.path)
        #expect((reference != nil) == file.wellFormed, "expat and Tests/Fixtures/INDEX.tsv disagree on \(file.name)")
        if let reference {
            #expect(normalized(try ours(file.url.path)) == normalized(reference))
        }
    }

    @Test("On every well-formed corpus file, params lists what expat lists: path, name and value, in order",
          .enabled(if: Samples.corpusPresent, Comment(rawValue: Samples.corpusAbsent)))
    func corpusAgreement() throws {
        var compared = 0
        for file in Samples.corpus {
            guard let reference = try expat(file.url.path) else { continue }
            #expect(normalized(try ours(file.url.path)) == normalized(reference), "\(file.name)")
            compared += 1
        }
        #expect(compared >= 30, "only \(compared) corpus files were well-formed enough to compare")
    }

    @Test("JSON entries carry file, line, column, path, name and value")
    func jsonShape() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("<r>\r\n  <a x=\"1&amp;2\"\r\n     y=\"line1\r\nline2\"/>\r\n</r>".utf8), to: file)
        let result = slcfg(["params", "--json", "w.cfg"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == """
        [
        {"file":"w.cfg","line":2,"column":6,"path":"r/a","name":"x","value":"1&2"},
        {"file":"w.cfg","line":3,"column":6,"path":"r/a","name":"y","value":"line1\\r\\nline2"}
        ]

        """)
    }
}
