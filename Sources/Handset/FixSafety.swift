// No fix weakens security by itself, whatever its rule: each fix that touches a parameter a
// security rule judges (or its `.set`, or `device.set`) is tried on a copy, and when a weakening
// value would take effect that did not before, the fix is left to a person.
import CfgDocument

extension LintRun {
    /// Marks every finding whose fix would make the handset apply a weaker setting. The fix is
    /// tried on a ``ValueView`` of the names it can change, not on a copy of the document.
    mutating func judgeFixes() {
        let touching = findings.indices.filter { k in
            findings[k].fix.map { findings[k].weakens == nil && touchesSecurity($0) } ?? false
        }
        guard !touching.isEmpty else { return }
        let document = self.document
        var judged = Set<String>()
        for i in 0..<document.parameterCount {
            let name = document.name(i).lowercased()
            if Catalogue.securityRules.contains(where: { $0.applies(name) }) { judged.insert(name) }
        }
        var renamed: [String] = []
        for k in touching { if case .rename(_, let name)? = findings[k].fix { renamed.append(name.lowercased()) } }
        let view = ValueView(document, names: Array(judged) + renamed)
        let before = Self.weakeningsInEffect(view, names: Array(judged), catalogue: catalogue)
        // The same fix (a set-flag finding at each of a name's occurrences) is judged once.
        var verdicts: [Fix: Weakening?] = [:]
        for k in touching {
            guard let fix = findings[k].fix else { continue }
            if verdicts[fix] == nil {
                var after = view
                after.apply(fix, in: document)
                var names = judged
                if case .rename(_, let name) = fix { names.insert(name.lowercased()) }
                let weak = Self.weakeningsInEffect(after, names: Array(names), catalogue: catalogue)
                verdicts[fix] = .some(weak.first { entry in !before.contains { $0.name == entry.name } }?.weakening)
            }
            if let weakening = verdicts[fix]! { findings[k].weakens = weakening }
        }
    }

    /// Whether `fix` changes a name a security rule judges, the `.set` of one, or `device.set`.
    func touchesSecurity(_ fix: Fix) -> Bool {
        let names: [String]
        switch fix {
        case .rename(let index, let name): names = [name, document.name(index)]
        case .assign(let name, _), .enable(let name): names = [name]
        case .remove(let indices): names = indices.map { document.name($0) }
        }
        return names.contains { name in
            let lower = name.lowercased()
            let base = SetRule.flagged(by: lower) ?? lower
            return lower == Vocabulary.deviceSet || Catalogue.securityRules.contains { $0.applies(base) }
        }
    }

    /// Of `names` (lower-cased), those a security rule judges whose value the handset applies and
    /// finds weak (the first occurrence, as the handset reads it), with the weakening in words.
    static func weakeningsInEffect(_ view: ValueView, names: [String], catalogue: Catalogue)
        -> [(name: String, weakening: Weakening)]
    {
        let judged = names.filter { name in Catalogue.securityRules.contains { $0.applies(name) } }
        var weak: [(name: String, weakening: Weakening)] = []
        for name in judged.sorted() {
            guard let applied = EntryStatus.appliedValue(of: name, value: view.value),
                let weakening = catalogue.weakening(of: name, value: applied),
                let written = view.written(name)
            else { continue }
            let shown = catalogue.isSecret(name) ? Masking.mask : "\"\(applied)\""
            weak.append(
                (name,
                 Weakening(
                     effect: "\(weakening.effect) (\(written)=\(shown) would take effect)",
                     question: weakening.question, remedy: weakening.remedy)))
        }
        return weak
    }
}

/// The occurrences of a few names, their `.set` partners and `device.set`, in document order,
/// as a fix would leave them: what the safety judgement reads, without copying a document that
/// may be 33 MB. A fix is applied as ``CfgDocument/apply(_:)`` would: a rename moves an
/// occurrence, an assignment sets every occurrence (or adds one), enabling sets the partner
/// flag to 1 (or adds it), a removal drops occurrences.
struct ValueView {
    typealias Occurrence = (index: Int, written: String, value: String)
    /// Lower-cased name → its occurrences in document order (added ones last).
    private var occurrences: [String: [Occurrence]] = [:]

    init(_ document: CfgDocument, names: [String]) {
        let wanted = names + names.compactMap { SetRule.partner(of: $0)?.lowercased() } + [Vocabulary.deviceSet]
        for (_, indices) in document.indices(named: wanted) {
            for i in indices {
                let key = document.name(i).lowercased()
                if occurrences[key]?.contains(where: { $0.index == i }) == true { continue }
                occurrences[key, default: []].append((i, document.name(i), document.value(i)))
            }
        }
        for key in occurrences.keys { occurrences[key]!.sort { $0.index < $1.index } }
    }

    /// The value the handset reads for `name`: its first occurrence's.
    func value(_ name: String) -> String? { occurrences[name.lowercased()]?.first?.value }

    /// How the first occurrence of `name` is written.
    func written(_ name: String) -> String? { occurrences[name.lowercased()]?.first?.written }

    mutating func apply(_ fix: Fix, in document: CfgDocument) {
        switch fix {
        case .rename(let index, let name):
            let old = document.name(index).lowercased()
            let value = occurrences[old]?.first { $0.index == index }?.value ?? document.value(index)
            occurrences[old]?.removeAll { $0.index == index }
            occurrences[name.lowercased(), default: []].append((index, name, value))
            occurrences[name.lowercased()]!.sort { $0.index < $1.index }
        case .assign(let name, let value):
            set(name, to: value)
        case .enable(let name):
            let flags = (occurrences[name.lowercased()] ?? []).compactMap { SetRule.partner(of: $0.written) }
            var seen = Set<String>()
            for flag in flags where seen.insert(flag.lowercased()).inserted { set(flag, to: "1") }
        case .remove(let indices):
            let removed = Set(indices)
            for key in occurrences.keys { occurrences[key]!.removeAll { removed.contains($0.index) } }
        }
    }

    /// Every occurrence of `name` set to `value`, or one added when there is none.
    private mutating func set(_ name: String, to value: String) {
        let key = name.lowercased()
        if let list = occurrences[key], !list.isEmpty {
            occurrences[key] = list.map { ($0.index, $0.written, value) }
        } else {
            occurrences[key] = [(Int.max, name, value)]
        }
    }
}
