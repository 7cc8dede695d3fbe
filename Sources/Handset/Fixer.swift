// Fixing a whole document as `fix` does: every fix lint offers, round after round, and never one
// that would weaken security (those are withheld for a person).
import CfgDocument

/// The fixes of a whole document.
public enum Fixer {
    /// Applies fixes in rounds: one lint, then every fix it offers, last in the file first (an
    /// edit then never moves a parameter a later fix of the round names), skipping a fix whose
    /// parameter moved or changed name; then lint again, until a round applies nothing. Linear in
    /// the number of fixes, where a lint after each fix was quadratic. Offsets in the returned
    /// findings refer to the file as it was; `withheld` are the selected findings whose fix would
    /// weaken security, as the file is after the fixes.
    public static func fixAll(_ document: inout CfgDocument, rules: [String], linter: Linter = Linter())
        -> (fixed: [(Finding, [Assignment])], withheld: [Finding])
    {
        func key(_ f: Finding) -> String { "\(f.rule) \(f.fix?.description ?? "") \(f.parameter ?? "")" }
        // The findings of the file as it was, by key, in file order, not yet matched to a fix.
        var unmatched: [String: [Finding]] = [:]
        for f in linter.lint(document) { unmatched[key(f), default: []].append(f) }
        var done: [(Finding, [Assignment])] = []
        var tried = Set<String>()
        for _ in 0..<100 {
            let candidates = linter.lint(document).filter { f in
                f.fix != nil && f.weakens == nil && selected(f, rules: rules)
                    && !tried.contains("\(key(f)) \(f.offset)")
            }
            guard !candidates.isEmpty else { break }
            // Edits keep the order of equal findings: the k-th candidate of a key is the k-th
            // unmatched finding of that key in the original file.
            var original: [Int: Finding] = [:]
            for (k, group) in Dictionary(grouping: candidates.indices, by: { key(candidates[$0]) }) {
                for (n, i) in group.sorted(by: { candidates[$0].offset < candidates[$1].offset }).enumerated() {
                    if let list = unmatched[k], n < list.count { original[i] = list[n] }
                }
            }
            var applied = false
            var matched: [String: Set<Int>] = [:]
            for (i, changes) in makeRound(candidates, &document, tried: &tried, key: key) {
                let before = original[i] ?? candidates[i]
                done.append((before, changes))
                if original[i] != nil { matched[key(candidates[i]), default: []].insert(before.offset) }
                applied = true
            }
            for (k, offsets) in matched { unmatched[k]?.removeAll { offsets.contains($0.offset) } }
            if !applied { break }
        }
        let withheld = linter.lint(document).filter { $0.fix != nil && $0.weakens != nil && selected($0, rules: rules) }
        return (done.sorted { $0.0.offset < $1.0.offset }, withheld)
    }

    /// Makes the fixes of `candidates` from the end of the file back, so that each leaves the
    /// indices of those before it alone; returns each candidate that changed something, with its
    /// changes. A fix found at each occurrence of a name is made once. Removals pile up and are
    /// spliced together before any other fix and at the end: one splice for thousands of duplicates.
    static func makeRound(
        _ candidates: [Finding], _ document: inout CfgDocument, tried: inout Set<String>, key: (Finding) -> String
    ) -> [(Int, [Assignment])] {
        var made = Set<Fix>()
        var removals: [Int] = []
        var results: [(Int, [Assignment])] = []
        let order = candidates.indices.sorted(by: { candidates[$0].offset > candidates[$1].offset })
        // A fix made once for many findings is reported at the first of them.
        var reportedAt: [Fix: Int] = [:]
        for i in order { if let fix = candidates[i].fix { reportedAt[fix] = i } }
        for i in order {
            let finding = candidates[i]
            guard let fix = finding.fix else { continue }
            if case .remove(let indices) = fix {
                guard stillNames(fix, finding, in: document) else { continue }
                tried.insert("\(key(finding)) \(finding.offset)")
                guard made.insert(fix).inserted, !indices.isEmpty else { continue }
                results.append((reportedAt[fix]!, document.removals(indices)))
                removals += indices
                continue
            }
            document.remove(indices: removals)
            removals = []
            guard stillNames(fix, finding, in: document) else { continue }
            tried.insert("\(key(finding)) \(finding.offset)")
            guard made.insert(fix).inserted else { continue }
            if let changes = try? document.apply(fix), !changes.isEmpty { results.append((reportedAt[fix]!, changes)) }
        }
        document.remove(indices: removals)
        return results
    }

    /// Whether an index-based fix still points at the parameter its finding is about.
    static func stillNames(_ fix: Fix, _ finding: Finding, in document: CfgDocument) -> Bool {
        switch fix {
        case .rename(let index, _):
            return index < document.parameterCount && document.name(index) == finding.parameter
        case .remove(let indices):
            return indices.allSatisfy {
                $0 < document.parameterCount && document.name($0).lowercased() == finding.parameter?.lowercased()
            }
        case .assign, .enable:
            return true
        }
    }

    /// Whether `fix` (with these `--rule`s) is asked to fix a finding.
    static func selected(_ finding: Finding, rules: [String]) -> Bool {
        rules.isEmpty ? finding.severity != .info : rules.contains(finding.rule)
    }
}
