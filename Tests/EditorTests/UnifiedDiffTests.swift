import Foundation
import Testing
import TestSupport
import Editor
import Files

@Suite("Unified diff")
struct UnifiedDiffTests {
    @Test("A one-line change has the header, a hunk with 3 lines of context, and nothing else")
    func oneLine() {
        let old = Array("1\n2\n3\n4\n5\n6\n7\n8\n9\n".utf8)
        let new = Array("1\n2\n3\n4\nfive\n6\n7\n8\n9\n".utf8)
        #expect(String(decoding: UnifiedDiff.make(old: old, new: new, path: "w.cfg"), as: UTF8.self) == """
        --- a/w.cfg
        +++ b/w.cfg
        @@ -2,7 +2,7 @@
         2
         3
         4
        -5
        +five
         6
         7
         8

        """)
    }

    @Test("Equal inputs give an empty diff")
    func equal() {
        #expect(UnifiedDiff.make(old: Array("a\n".utf8), new: Array("a\n".utf8), path: "x").isEmpty)
    }

    @Test("Distant changes make separate hunks; near ones merge")
    func hunks() {
        let old = (1...30).map { "\($0)\n" }.joined()
        var lines = (1...30).map { "\($0)\n" }
        lines[1] = "two\n"; lines[4] = "five\n"; lines[24] = "x\n"
        let diff = String(decoding: UnifiedDiff.make(old: Array(old.utf8), new: Array(lines.joined().utf8), path: "f"), as: UTF8.self)
        #expect(diff.components(separatedBy: "\n").filter { $0.hasPrefix("@@") } == ["@@ -1,8 +1,8 @@", "@@ -22,7 +22,7 @@"])
    }

    @Test("A missing final newline is marked on the side that lacks it")
    func noFinalNewline() {
        let diff = UnifiedDiff.make(old: Array("a\nb".utf8), new: Array("a\nc".utf8), path: "f")
        #expect(String(decoding: diff, as: UTF8.self) == """
        --- a/f
        +++ b/f
        @@ -1,2 +1,2 @@
         a
        -b
        \\ No newline at end of file
        +c
        \\ No newline at end of file

        """)
    }

    @Test("An absolute path is written a/tmp/x, not a//tmp/x")
    func absolutePath() {
        #expect(String(decoding: UnifiedDiff.make(old: Array("a\n".utf8), new: Array("b\n".utf8), path: "/tmp/x"), as: UTF8.self)
                == "--- a/tmp/x\n+++ b/tmp/x\n@@ -1 +1 @@\n-a\n+b\n")
    }

    @Test("Insertion into and deletion from empty files use 0 line counts")
    func emptyFiles() {
        #expect(String(decoding: UnifiedDiff.make(old: [], new: Array("a\n".utf8), path: "f"), as: UTF8.self)
                == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n")
        #expect(String(decoding: UnifiedDiff.make(old: Array("a\n".utf8), new: [], path: "f"), as: UTF8.self)
                == "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n")
    }

    @Test("patch -p1 and git apply accept the diff of every corpus-like case",
          arguments: ["lf", "crlf", "no-final-newline", "crlf-no-final-newline", "bom", "insert-at-end", "many"])
    func appliesWithPatchAndGit(kind: String) throws {
        var old = "<?xml version=\"1.0\"?>\n<polycomConfig>\n  <device\n    device.set=\"0\"\n    a=\"1\"\n    b=\"2\"\n  />\n</polycomConfig>\n"
        var new = old.replacingOccurrences(of: "device.set=\"0\"", with: "device.set=\"1\"")
        switch kind {
        case "crlf":
            old = old.replacingOccurrences(of: "\n", with: "\r\n"); new = new.replacingOccurrences(of: "\n", with: "\r\n")
        case "no-final-newline":
            old.removeLast(); new = old.replacingOccurrences(of: "</polycomConfig>", with: "</polycomConfig2>")
        case "crlf-no-final-newline":
            old = old.replacingOccurrences(of: "\n", with: "\r\n"); old.removeLast(2)
            new = old.replacingOccurrences(of: "b=\"2\"", with: "b=\"3\"")
        case "bom":
            old = "\u{FEFF}" + old; new = "\u{FEFF}" + new
        case "insert-at-end":
            new = old + "<!-- added -->\n"
        case "many":
            new = new.replacingOccurrences(of: "a=\"1\"", with: "a=\"x\"\n    c=\"3\"").replacingOccurrences(of: "<?xml version=\"1.0\"?>\n", with: "")
        default: break
        }
        let diff = UnifiedDiff.make(old: Array(old.utf8), new: Array(new.utf8), path: "wireless.cfg")
        for tool in [["/usr/bin/patch", "-p1", "--quiet", "--input"], ["/usr/bin/git", "apply"]] {
            let dir = temporaryDirectory()
            write(Array(old.utf8), to: dir.appendingPathComponent("wireless.cfg"))
            write(diff, to: dir.appendingPathComponent("change.diff"))
            let result = run(tool[0], Array(tool.dropFirst()) + ["change.diff"], in: dir)
            #expect(result.status == 0, "\(tool[0]): \(result.stderr)\(result.stdout)")
            #expect(contents(dir.appendingPathComponent("wireless.cfg")) == Array(new.utf8), "\(tool[0]) \(kind)")
        }
    }
}
