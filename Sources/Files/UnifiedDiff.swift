/// A unified diff of two byte strings, line by line, that `patch -p1` and `git apply` accept.
public enum UnifiedDiff {
    /// The diff of `old` and `new` with `context` lines around each change, headed
    /// `--- a/PATH` and `+++ b/PATH`; empty when the two are equal. Lines keep their own endings.
    public static func make(old: [UInt8], new: [UInt8], path: String, context: Int = 3) -> [UInt8] {
        guard old != new else { return [] }
        let a = lines(old), b = lines(new)
        let script = editScript(a, b)
        // An absolute path loses its leading slash after a/ and b/ (as git writes it).
        let shown = path.drop { $0 == "/" }
        var out: [UInt8] = Array("--- a/\(shown)\n+++ b/\(shown)\n".utf8)
        for hunk in hunks(script, context: context) {
            let oldCount = hunk.filter { $0.kind != .insert }.count
            let newCount = hunk.filter { $0.kind != .delete }.count
            let oldStart = hunk.first { $0.kind != .insert }.map { $0.old + 1 } ?? (hunk.first!.old)
            let newStart = hunk.first { $0.kind != .delete }.map { $0.new + 1 } ?? (hunk.first!.new)
            out += Array("@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n".utf8)
            for step in hunk {
                let line: ArraySlice<UInt8>
                switch step.kind {
                case .keep: out.append(UInt8(ascii: " ")); line = a[step.old]
                case .delete: out.append(UInt8(ascii: "-")); line = a[step.old]
                case .insert: out.append(UInt8(ascii: "+")); line = b[step.new]
                }
                out += line
                if line.last != UInt8(ascii: "\n") {
                    out += Array("\n\\ No newline at end of file\n".utf8)
                }
            }
        }
        return out
    }

    static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }

    /// Splits after each `\n`; the last line may have no ending.
    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        var start = 0
        for (i, c) in bytes.enumerated() where c == UInt8(ascii: "\n") {
            result.append(bytes[start...i])
            start = i + 1
        }
        if start < bytes.count { result.append(bytes[start...]) }
        return result
    }

    struct Step {
        enum Kind { case keep, delete, insert }
        var kind: Kind
        var old: Int
        var new: Int
    }

    /// The shortest edit script (Myers) after trimming the common head and tail.
    static func editScript(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Step] {
        var head = 0
        while head < a.count && head < b.count && a[head] == b[head] { head += 1 }
        var tail = 0
        while tail < a.count - head && tail < b.count - head && a[a.count - 1 - tail] == b[b.count - 1 - tail] {
            tail += 1
        }
        var steps = (0..<head).map { Step(kind: .keep, old: $0, new: $0) }
        steps += myers(Array(a[head..<(a.count - tail)]), Array(b[head..<(b.count - tail)])).map {
            Step(kind: $0.kind, old: $0.old + head, new: $0.new + head)
        }
        steps += (0..<tail).map { Step(kind: .keep, old: a.count - tail + $0, new: b.count - tail + $0) }
        return steps
    }

    /// Above this many differing lines the diff is a plain replacement of the differing block.
    static let maximumEditDistance = 4000

    static func myers(_ a: [ArraySlice<UInt8>], _ b: [ArraySlice<UInt8>]) -> [Step] {
        let n = a.count, m = b.count
        let replaceAll = (0..<n).map { Step(kind: .delete, old: $0, new: 0) }
            + (0..<m).map { Step(kind: .insert, old: n, new: $0) }
        if n == 0 || m == 0 { return replaceAll }
        let ha = a.map(\.hashValue), hb = b.map(\.hashValue)
        func same(_ x: Int, _ y: Int) -> Bool { ha[x] == hb[y] && a[x] == b[y] }
        let maxD = min(n + m, maximumEditDistance)
        let offset = maxD + 1
        var v = [Int](repeating: 0, count: 2 * maxD + 3)
        var trace: [[Int]] = []   // trace[d] holds v[k] for k in -d...d before step d
        var found = false
        for d in 0...maxD {
            trace.append(Array(v[(offset - d)...(offset + d)]))
            var k = -d
            while k <= d {
                var x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                    ? v[offset + k + 1] : v[offset + k - 1] + 1
                var y = x - k
                while x < n && y < m && same(x, y) { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m { found = true; break }
                k += 2
            }
            if found { break }
        }
        guard found else { return replaceAll }
        var steps: [Step] = []
        var x = n, y = m
        for d in stride(from: trace.count - 1, through: 0, by: -1) {
            let frontier = trace[d]
            func at(_ k: Int) -> Int { frontier[k + d] }
            let k = x - y
            let prevK = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? k + 1 : k - 1
            let prevX = d == 0 ? 0 : at(prevK)
            let prevY = prevX - prevK
            while x > prevX && y > prevY {
                x -= 1; y -= 1
                steps.append(Step(kind: .keep, old: x, new: y))
            }
            if d > 0 {
                if x == prevX {
                    y -= 1
                    steps.append(Step(kind: .insert, old: x, new: y))
                } else {
                    x -= 1
                    steps.append(Step(kind: .delete, old: x, new: y))
                }
            }
        }
        return steps.reversed()
    }

    /// Groups the changes with `context` unchanged lines around them; close groups merge.
    static func hunks(_ steps: [Step], context: Int) -> [[Step]] {
        let changes = steps.indices.filter { steps[$0].kind != .keep }
        guard !changes.isEmpty else { return [] }
        var result: [[Step]] = []
        var start = max(0, changes[0] - context)
        var end = min(steps.count, changes[0] + context + 1)
        for c in changes.dropFirst() {
            if c - context <= end {
                end = min(steps.count, c + context + 1)
            } else {
                result.append(Array(steps[start..<end]))
                start = c - context
                end = min(steps.count, c + context + 1)
            }
        }
        result.append(Array(steps[start..<end]))
        return result
    }
}
