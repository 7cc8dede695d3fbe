import Certificates
import CfgDocument
import Foundation

/// A finding in one file of a provisioning set.
public struct SetFinding: Sendable, Equatable {
    /// The file the offset is in.
    public var file: String
    public var finding: Finding
}

extension ProvisioningSet {
    /// The value the handset reads for `name` (any case), from the whole set.
    public func effectiveValue(_ name: String, in map: EffectiveNames) -> String? {
        map[name].map { members[$0.member].document.value($0.index) }
    }

    /// Lint across the set: each file's own findings (those about `.set` flags judged against
    /// the whole set), the set's problems (`missing-file`, ...), the rules only a set has:
    /// `shadowed`, `set-flag-split`, `bootstrap-trust`, and the setup check on the values the handset applies.
    public func lint(now: Date = Date(), catalogue: Catalogue = .shared) -> [SetFinding] {
        lintByFile(now: now, catalogue: catalogue).flatMap { group in
            group.findings.map { SetFinding(file: group.file, finding: $0) }
        }
    }

    /// ``lint(now:catalogue:)`` grouped by file (the master's problems first, then each member's
    /// findings), each file's in the order found: no second copy of the findings of a file that
    /// may hold tens of thousands. `ownFindings` answers a member's own lint (a fleet's shared
    /// files are linted once for every handset); by default each member is linted here.
    public func lintByFile(
        now: Date = Date(), catalogue: Catalogue = .shared, ownFindings: ((Member) -> [Finding])? = nil,
        shared: SharedNames? = nil
    ) -> [(file: String, findings: [Finding])] {
        let map = effective(shared: shared)
        var out: [(file: String, findings: [Finding])] = []
        if !problems.isEmpty {
            out.append((masterPath, problems.map { problem in
                Finding(
                    rule: problem.rule, severity: problem.severity, offset: problem.offset, parameter: nil,
                    message: problem.message, fix: nil)
            }))
        }
        let deviceSet = effectiveValue(Vocabulary.deviceSet, in: map)
        for (m, member) in members.enumerated() {
            var own = ownFindings?(member) ?? Linter(catalogue: catalogue, now: now).lint(member.document)
            own.removeAll { decidedElsewhere($0, member: m, map: map, deviceSet: deviceSet) }
            out.append((member.path, own))
        }
        let setup = setupCheck(map)
        if setup.contains(where: { $0.finding.rule == "dot1x-no-anchor" }) {
            // The setup check's error says it for 802.1X in use; the file's own warning would say it again.
            let selection = Vocabulary.Application.dot1x.profileSelection.lowercased()
            for k in out.indices {
                out[k].findings.removeAll { $0.rule == "profile-no-ca" && $0.parameter?.lowercased() == selection }
            }
        }
        for extra in acrossFiles(map, shared: shared) + bootstrapTrust(map) + setup {
            if let k = out.firstIndex(where: { $0.file == extra.file }) {
                out[k].findings.append(extra.finding)
            } else {
                out.append((extra.file, [extra.finding]))
            }
        }
        return out
    }

    /// Whether a file's own `.set` finding is answered by another file of the set: a flag or
    /// `device.set` the handset reads from there. One file answers everything itself.
    func decidedElsewhere(_ finding: Finding, member m: Int, map: EffectiveNames, deviceSet: String?) -> Bool {
        guard members.count > 1 else { return false }
        func winsElsewhere(_ name: String?) -> Bool { name.flatMap { map[$0] }.map { $0.member != m } ?? false }
        switch finding.rule {
        case "device-set": return deviceSet == "1"
        case "set-flag": return winsElsewhere(finding.parameter.flatMap(SetRule.partner(of:)))
        case "orphan-set": return winsElsewhere(finding.parameter.flatMap(SetRule.flagged(by:)))
        default: return false
        }
    }

    /// `shadowed` and `set-flag-split`. Over a fleet's shared table, those among the shared files
    /// are the table's, found once, and only the names of the handset's own files (with the values
    /// their flags govern) are looked at again.
    func acrossFiles(_ map: EffectiveNames, shared: SharedNames?) -> [SetFinding] {
        guard let shared, let own = map.ownNames else { return shadowing(map) + splitFlags(map) }
        let governed = own.union(own.flatMap { shared.flagged[$0] ?? [] })
        return shared.shadowing.filter { !own.contains($0.key) }.flatMap(\.value) + shadowing(map, only: own)
            + shared.splitFlags.filter { !governed.contains($0.key) }.flatMap(\.value)
            + splitFlags(map, only: governed)
    }

    /// `shadowed`: a value that never takes effect because an earlier file sets the same parameter
    /// (of the names `only`, when given, lower-cased).
    func shadowing(_ map: EffectiveNames, only names: Set<String>? = nil) -> [SetFinding] {
        var out: [SetFinding] = []
        let sources = names.map { $0.compactMap { map[$0] }.filter { !$0.shadowed.isEmpty } }
            ?? map.contested.map(\.source)
        let contested = sources.sorted { ($0.member, $0.index) < ($1.member, $1.index) }
        for source in contested {
            let winner = members[source.member]
            let winning = winner.document.value(source.index)
            let line = winner.location(of: source.index).line
            for occurrence in source.shadowed {
                let member = members[occurrence.member]
                let document = member.document
                let value = document.value(occurrence.index)
                let name = document.name(occurrence.index)
                let same = value == winning
                let secret = Catalogue.shared.isSecret(name)
                out.append(
                    SetFinding(
                        file: member.path,
                        finding: Finding(
                            rule: "shadowed", severity: same ? .info : .warning,
                            offset: document.attributes[occurrence.index].nameRange.lowerBound,
                            parameter: name,
                            message: same
                                ? "\(name) repeats the value \(winner.listedName):\(line) already gives (that file is "
                                    + "read first)"
                                : "\(name) is set here\(secret ? "" : " to \"\(LintRun.short(value))\"") but "
                                    + "\(winner.listedName):\(line) "
                                    + "wins\(secret ? "" : " with \"\(LintRun.short(winning))\"") "
                                    + "(\(winner.role == .config ? "listed first" : winner.role.rawValue)): this value "
                                    + "never takes effect",
                            fix: nil)))
            }
        }
        return out
    }

    /// `set-flag-split`: a value in one file and its `.set` in another, so that the pair the
    /// handset uses is not the pair either file meant (of the names `only`, when given).
    func splitFlags(_ map: EffectiveNames, only names: Set<String>? = nil) -> [SetFinding] {
        var out: [SetFinding] = []
        let entries = names.map { $0.compactMap { key in map[key].map { (key, $0) } } } ?? Array(map.all)
        for (key, source) in entries {
            guard let flag = SetRule.partner(of: key), let flagSource = map[flag],
                flagSource.member != source.member
            else { continue }
            let valueFile = members[source.member], flagFile = members[flagSource.member]
            let flagValue = flagFile.document.value(flagSource.index)
            // The value's own file also sets the flag, but another file's flag wins.
            let ownFlag = (0..<valueFile.document.parameterCount).first {
                valueFile.document.name($0).lowercased() == flag.lowercased()
            }
            let name = valueFile.document.name(source.index)
            let flagLine = flagFile.location(of: flagSource.index).line
            let message: String
            if let ownFlag, valueFile.document.value(ownFlag) != flagValue {
                message =
                    "\(name) comes from \(valueFile.listedName) with its .set at "
                        + "\"\(valueFile.document.value(ownFlag))\", but \(flagFile.listedName):\(flagLine) sets "
                        + "\(flagFile.document.name(flagSource.index))=\"\(flagValue)\" and is read first: the handset "
                        + "\(flagValue == "1" ? "applies" : "ignores") this value"
            } else if ownFlag == nil {
                message =
                    "\(name) comes from \(valueFile.listedName) but its \(flagFile.document.name(flagSource.index)) "
                        + "(\"\(flagValue)\") from "
                        + "\(flagFile.listedName):\(flagLine): the pair works only while both files are listed in this "
                        + "order; keep them together"
            } else {
                continue
            }
            out.append(
                SetFinding(
                    file: valueFile.path,
                    finding: Finding(
                        rule: "set-flag-split", severity: .warning,
                        offset: valueFile.document.attributes[source.index].nameRange.lowerBound, parameter: name,
                        message: message, fix: nil)))
        }
        return out.sorted { ($0.file, $0.finding.offset) < ($1.file, $1.finding.offset) }
    }

    /// `bootstrap-trust`: HTTPS or FTPS provisioning trusted only through a custom CA, which a
    /// factory-fresh handset can learn only from this same server.
    func bootstrapTrust(_ map: EffectiveNames) -> [SetFinding] {
        func applied(_ name: String) -> String? {
            EntryStatus.appliedValue(of: name) { effectiveValue($0, in: map) }
        }
        guard let type = applied("device.prov.serverType")?.uppercased(), ["3", "4", "HTTPS", "FTPS"].contains(type),
            let source = map["device.prov.serverType"]
        else { return [] }
        let profile =
            applied(Vocabulary.Application.provisioning.profileSelection) ?? Vocabulary.profileValue(1)
        guard let n = Int(profile.suffix(1)), Vocabulary.handset.profiles.contains(n) else { return [] }
        let list = CAList(applied(Vocabulary.caCertList(n)) ?? "All")
        guard !list.builtin else { return [] }
        let member = members[source.member]
        let kind = type == "3" || type == "HTTPS" ? "HTTPS" : "FTPS"
        return [
            SetFinding(
                file: member.path,
                finding: Finding(
                    rule: "bootstrap-trust", severity: .warning,
                    offset: member.document.attributes[source.index].nameRange.lowerBound,
                    parameter: member.document.name(source.index),
                    message:
                        "provisioning uses \(kind) and Platform Profile \(n) trusts only custom CAs (caCertList\(n) "
                            + "leaves out the built-in ones), but a handset learns those CAs only from these files, on "
                            + "this same server: a factory-fresh handset can never connect. Install the CA once by "
                            + "another route (the USB tool, the handset's web page, or a first pass over FTP), or use "
                            + "a server certificate from a CA the handset has built in",
                    fix: nil))
        ]
    }
}

extension Linter {
    /// One file's findings as `slcfg lint FILE` gives them: the file as a set with one member, so that the rules
    /// across parameters (the setup check) judge it as they judge a set.
    public func lintAlone(_ document: CfgDocument, path: String = "") -> [Finding] {
        ProvisioningSet(file: path, document: document)
            .lintByFile(now: now, catalogue: catalogue, ownFindings: { lint($0.document) }).flatMap(\.findings)
    }
}

/// A menu entry over a provisioning set: resolved against the file that supplies its value.
public struct SetMenuEntry: Sendable {
    /// The entry, resolved against the winning file's document (`node.index` is in that file).
    public var node: MenuNode
    /// The member that supplies the value, nil when no file sets it.
    public var member: Int?
    /// The later occurrences it shadows.
    public var shadowed: [ProvisioningSet.Occurrence]
}

extension ProvisioningSet {
    /// The handset's menus over the set: each entry's value from the file that wins, its status
    /// judged with the `.set` flag and `device.set` the handset uses (from whichever file wins them).
    public func menuEntries(findings: [SetFinding]) -> [SetMenuEntry] {
        var byFile: [(file: String, findings: [Finding])] = []
        for f in findings {
            if byFile.last?.file == f.file { byFile[byFile.count - 1].findings.append(f.finding) }
            else { byFile.append((f.file, [f.finding])) }
        }
        return menuEntries(byFile: byFile)
    }

    /// ``menuEntries(findings:)`` from findings grouped by file, as ``lintByFile(now:catalogue:)``
    /// gives them: a file's findings are not copied (a 33 MB file has some 60,000).
    public func menuEntries(byFile: [(file: String, findings: [Finding])]) -> [SetMenuEntry] {
        let findings = byFile.count == 1 ? byFile[0].findings : byFile.flatMap(\.findings)
        if members.count == 1 {
            // One file's menus are its own: every name and flag is looked up in it alone.
            let nodes = members[0].document.menuNodes(findings: findings)
            return nodes.map { SetMenuEntry(node: $0, member: $0.index == nil ? nil : 0, shadowed: []) }
        }
        let map = effective()
        let deviceSet = effectiveValue(Vocabulary.deviceSet, in: map)
        // Each member's own nodes (for labels, depth and findings); names looked up in the winner.
        var perMember: [[MenuNode]] = members.map { member in
            member.document.menuNodes(findings: byFile.filter { $0.file == member.path }.flatMap(\.findings))
        }
        if perMember.isEmpty { perMember = [CfgDocument(bytes: []).menuNodes(findings: [])] }
        return perMember[0].indices.map { k in
            let template = perMember[0][k]
            guard let name = template.name, let source = map[name] else {
                return SetMenuEntry(node: template, member: nil, shadowed: [])
            }
            var node = perMember[source.member][k]
            let flagName = template.setFlag.flatMap { _ in node.setFlag }
            let flagValue = flagName.flatMap { effectiveValue($0, in: map) }
            var invalid = false
            if case .slot(let slot) = node.item {
                invalid = members[source.member].document.contents(of: slot).problem != nil
            }
            node.status = EntryStatus.judge(
                present: true, flag: flagName, flagValue: flagValue, deviceSet: deviceSet, invalid: invalid,
                findings: findings)
            node.setValue = flagValue
            return SetMenuEntry(node: node, member: source.member, shadowed: source.shadowed)
        }
    }
}

extension ProvisioningSet {
    /// Imports a CA certificate into slot `slot` where it takes effect: the value into the file
    /// that supplies it (else the last file listed), the `.set` flag into the file whose flag the
    /// handset uses (else beside the value), and for a `purpose` the profile selection and CA list
    /// likewise. Returns the changes by member; members' documents are edited in place.
    /// `into`: the member that takes a value no file sets yet (the editor asks once); by default
    /// the last file listed.
    public mutating func importCA(
        _ certificate: CertificateFacts, slot: Int, purpose: CertificatePurpose?, asPEM: Bool,
        into preferred: Int? = nil
    ) throws(AssignmentError) -> [Int: [Assignment]] {
        guard let fallback = preferred ?? members.lastIndex(where: { $0.role == .config }) ?? members.indices.last
        else {
            throw AssignmentError(description: "the set has no file to write to")
        }
        if members.count == 1 {
            // One file: every name is its own; no set-wide index of a file that may be 33 MB.
            let changes = try members[0].document.importCA(certificate, slot: slot, purpose: purpose, asPEM: asPEM)
            return changes.isEmpty ? [:] : [0: changes]
        }
        let map = effective()
        var changes: [Int: [Assignment]] = [:]
        func winner(_ name: String) -> Int? { map[name]?.member }
        let slotParameter = CertificateSlot.ca(slot)
        let valueMember = winner(slotParameter.parameter) ?? fallback
        let stored =
            asPEM
            ? PEM.encode(certificate.der, lineEnding: members[valueMember].document.lineEnding)
            : PEM.base64Encode(certificate.der)
        changes[valueMember, default: []] += try members[valueMember].document.assign(slotParameter.parameter, stored)
        try enableWhereItCounts(
            slotParameter.setFlag, after: slotParameter.parameter, valueMember: valueMember,
            winner: winner(slotParameter.setFlag), changes: &changes)
        if let purpose {
            for (m, made) in try useCA(slot: slot, for: purpose, near: valueMember) { changes[m, default: []] += made }
        }
        return changes.filter { !$0.value.isEmpty }
    }

    /// Makes `purpose` use CA slot `slot`: its application selects Platform Profile `slot`, and that profile's CA
    /// list allows the slot (`All` when it does not), each change in the file where it takes effect (else in
    /// `near`, by default the file that supplies the slot). What `cert import --for` does after storing the
    /// certificate, and the editor's answer to "Use Platform CA 1 for …?".
    public mutating func useCA(slot: Int, for purpose: CertificatePurpose, near: Int? = nil)
        throws(AssignmentError) -> [Int: [Assignment]]
    {
        let map = effective()
        func winner(_ name: String) -> Int? { map[name]?.member }
        guard let valueMember = near ?? winner(CertificateSlot.ca(slot).parameter)
            ?? members.lastIndex(where: { $0.role == .config }) ?? members.indices.last
        else { throw AssignmentError(description: "the set has no file to write to") }
        var changes: [Int: [Assignment]] = [:]
        let selectionMember = winner(purpose.profileSelection) ?? valueMember
        changes[selectionMember, default: []] += try members[selectionMember].document.assign(
            purpose.profileSelection, Vocabulary.profileValue(slot))
        try enableWhereItCounts(
            purpose.profileSelection + ".set", after: purpose.profileSelection, valueMember: selectionMember,
            winner: winner(purpose.profileSelection + ".set"), changes: &changes)
        let list = Vocabulary.caCertList(slot)
        let current = effectiveValue(list, in: map)
        if !(current.map { CAList($0).allows(slot: slot) } ?? false) {
            let listMember = winner(list) ?? valueMember
            changes[listMember, default: []] += try members[listMember].document.assign(list, "All")
            try enableWhereItCounts(
                list + ".set", after: list, valueMember: listMember, winner: winner(list + ".set"),
                changes: &changes)
        }
        return changes.filter { !$0.value.isEmpty }
    }

    /// The applications that use CA slot `slot`, as the handset applies the values: each whose selected profile's
    /// CA list allows the slot (a list that does not apply is `All`).
    public func applications(using slot: Int, vocabulary: Vocabulary = .handset) -> [Vocabulary.Application] {
        let map = effective()
        return Self.applications(using: slot, value: { effectiveValue($0, in: map) }, vocabulary: vocabulary)
    }

    /// ``applications(using:vocabulary:)`` with the values read through `value` (an editor's index of its names).
    public static func applications(
        using slot: Int, value: (String) -> String?, vocabulary: Vocabulary = .handset
    ) -> [Vocabulary.Application] {
        func applied(_ name: String) -> String? { EntryStatus.appliedValue(of: name, value: value) }
        return [Vocabulary.Application.dot1x, .provisioning].filter { app in
            let profile = vocabulary.profile(selectedBy: applied(app.profileSelection))
            return CAList(applied(Vocabulary.caCertList(profile)) ?? "All", vocabulary: vocabulary).allows(slot: slot)
        }
    }

    /// Makes the profile `application` selects (802.1X by default) present device certificate `slot`
    /// (`profile.deviceCertP = PlatformN`, with its `.set`), each change in the file where it takes
    /// effect: the one whose value wins, else the profile selection's, else the last shared file.
    public mutating func presentDeviceCertificate(
        slot: Int, for application: Vocabulary.Application = .dot1x, vocabulary: Vocabulary = .handset
    ) throws(AssignmentError) -> [Int: [Assignment]] {
        let map = effective()
        func applied(_ name: String) -> String? {
            EntryStatus.appliedValue(of: name) { effectiveValue($0, in: map) }
        }
        let selection = application.profileSelection
        let profile = vocabulary.profile(selectedBy: applied(selection))
        let name = Vocabulary.profileDeviceCertificate(profile)
        let wanted = Vocabulary.platformItem(slot)
        if applied(name)?.caseInsensitiveCompare(wanted) == .orderedSame { return [:] }
        guard let fallback = map[selection]?.member
            ?? members.lastIndex(where: { !$0.perHandset && $0.role == .config }) ?? members.indices.last
        else { throw AssignmentError(description: "the set has no file to write to") }
        let valueMember = map[name]?.member ?? fallback
        var changes: [Int: [Assignment]] = [:]
        changes[valueMember, default: []] += try members[valueMember].document.assign(name, wanted)
        try enableWhereItCounts(
            name + ".set", after: name, valueMember: valueMember, winner: map[name + ".set"]?.member, changes: &changes)
        return changes.filter { !$0.value.isEmpty }
    }

    /// Sets a `.set` flag to 1 in the file whose flag wins, or beside the value when no file has it.
    mutating func enableWhereItCounts(_ flag: String, after name: String, valueMember: Int, winner: Int?,
                                      changes: inout [Int: [Assignment]]) throws(AssignmentError) {
        if let winner {
            changes[winner, default: []] += try members[winner].document.assign(flag, "1")
        } else {
            changes[valueMember, default: []] += try members[valueMember].document.setFlag(flag, after: name)
        }
    }
}
