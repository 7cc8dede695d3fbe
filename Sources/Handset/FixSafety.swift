// No fix weakens security by itself, whatever its rule: each fix that touches a parameter a
// security rule judges (or its `.set`, or `device.set`) is tried on a copy, and when a weakening
// value would take effect that did not before, the fix is left to a person.
import CfgDocument

extension LintRun {
    /// Marks every finding whose fix would make the handset apply a weaker setting.
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
        let before = Self.weakeningsInEffect(document, names: Array(judged), catalogue: catalogue)
        for k in touching {
            guard let fix = findings[k].fix else { continue }
            var copy = document
            guard (try? copy.apply(fix)) != nil else { continue }
            var names = judged
            if case .rename(_, let name) = fix { names.insert(name.lowercased()) }
            let after = Self.weakeningsInEffect(copy, names: Array(names), catalogue: catalogue)
            if let new = after.first(where: { entry in !before.contains { $0.name == entry.name } }) {
                findings[k].weakens = new.weakening
            }
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
    /// One pass over the document, whatever its size.
    static func weakeningsInEffect(_ document: CfgDocument, names: [String], catalogue: Catalogue)
        -> [(name: String, weakening: Weakening)]
    {
        let judged = names.filter { name in Catalogue.securityRules.contains { $0.applies(name) } }
        let wanted = judged + judged.compactMap { SetRule.partner(of: $0)?.lowercased() } + [Vocabulary.deviceSet]
        let found = document.indices(named: wanted)
        func value(_ name: String) -> String? { found[name.lowercased()]?.first.map(document.value) }
        var weak: [(name: String, weakening: Weakening)] = []
        for name in judged.sorted() {
            guard let applied = EntryStatus.appliedValue(of: name, value: value),
                let weakening = catalogue.weakening(of: name, value: applied),
                let written = found[name]?.first.map(document.name)
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
