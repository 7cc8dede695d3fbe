import Foundation
import Testing
import Handset

@Suite("The trust rules in the README")
struct TrustRulesDocumentedTests {
    @Test("The README's table of probe rules is Catalogue.trustRules, row for row, with each rule's source")
    func readmeTable() throws {
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        let header = "| rule | the handset… | source |\n|---|---|---|\n"
        let start = try #require(readme.range(of: header))
        let rows = readme[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).prefix { $0.hasPrefix("|") }.map(String.init)
        #expect(rows == Catalogue.trustRules.map { "| `\($0.id)` | \($0.text) | \($0.source) |" })
    }
}
