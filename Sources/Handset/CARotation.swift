// Replacing a site's root CA without an outage: first the new root beside the old one, trusted
// by every profile that trusted the old; after the servers have moved, the old one out.
import Certificates
import CfgDocument
import Foundation

extension ProvisioningSet {
    /// The first step: `newRoot` into the other Platform CA slot (applied), and every profile an
    /// application selects that trusts slot `slot` made to trust both (`Platform1AndPlatform2`,
    /// or `All` when it trusts the built-in CAs too), each change where it takes effect.
    public mutating func startRotation(from slot: Int, to newRoot: CertificateFacts, vocabulary: Vocabulary = .handset)
        throws(AssignmentError) -> [Int: [Assignment]]
    {
        let other = try otherSlot(than: slot, vocabulary: vocabulary)
        guard let old = appliedCertificate(slot: slot) else {
            throw AssignmentError(description: "Platform CA \(slot) holds no certificate the handset applies: "
                + "nothing to rotate from (import the new root with 'slcfg cert import')")
        }
        guard old.sha256 != newRoot.sha256 else {
            throw AssignmentError(description: "Platform CA \(slot) already holds '\(newRoot.displayName)'")
        }
        if let held = appliedCertificate(slot: other), held.sha256 != newRoot.sha256 {
            throw AssignmentError(description: "Platform CA \(other) holds '\(held.displayName)', which the new root "
                + "would replace: free it first (or rotate into it with --slot \(other))")
        }
        let map = effective()
        let asPEM = effectiveValue(Vocabulary.caCertificate(slot), in: map)?.contains("-----BEGIN") ?? false
        // Beside the old root unless another file already supplies the other slot.
        var changes = try importCA(
            newRoot, slot: other, purpose: nil, asPEM: asPEM, into: map[Vocabulary.caCertificate(slot)]?.member)
        for profile in selectedProfiles(vocabulary: vocabulary) {
            let list = currentList(profile)
            guard list.allows(slot: slot), !list.allows(slot: other) else { continue }
            merge(try assignList(profile, CAList(builtin: list.builtin, slots: list.slots.union([other]))
                .value(vocabulary: vocabulary), near: slot), into: &changes)
        }
        return changes.filter { !$0.value.isEmpty }
    }

    /// The second step: slot `slot` emptied (its `.set` kept, so the handsets drop the old root)
    /// and every selected profile that trusts both slots, without the built-in CAs, narrowed to
    /// the other. Refused unless the other slot holds the new root (`newRoot` when given).
    public mutating func finishRotation(from slot: Int, newRoot: CertificateFacts?, vocabulary: Vocabulary = .handset)
        throws(AssignmentError) -> [Int: [Assignment]]
    {
        let other = try otherSlot(than: slot, vocabulary: vocabulary)
        guard let held = appliedCertificate(slot: other), newRoot.map({ $0.sha256 == held.sha256 }) ?? true else {
            throw AssignmentError(description: "Platform CA \(other) does not hold the new root: run the first step "
                + "(without --finish) before this one")
        }
        var changes: [Int: [Assignment]] = [:]
        let name = Vocabulary.caCertificate(slot)
        if let source = effective()[name] {
            changes[source.member, default: []] += try members[source.member].document.assign(name, "")
        }
        for profile in selectedProfiles(vocabulary: vocabulary) {
            let list = currentList(profile)
            guard !list.builtin, list.allows(slot: slot), list.allows(slot: other) else { continue }
            merge(try assignList(profile, CAList(builtin: false, slots: list.slots.subtracting([slot]))
                .value(vocabulary: vocabulary), near: other), into: &changes)
        }
        return changes.filter { !$0.value.isEmpty }
    }

    func otherSlot(than slot: Int, vocabulary: Vocabulary) throws(AssignmentError) -> Int {
        guard vocabulary.caSlots.contains(slot), let other = vocabulary.caSlots.first(where: { $0 != slot }) else {
            let slots = vocabulary.caSlots.map(String.init).joined(separator: " or ")
            throw AssignmentError(description: "--slot takes \(slots)")
        }
        return other
    }

    /// The certificate the handset applies from Platform CA `slot`, if any.
    func appliedCertificate(slot: Int) -> CertificateFacts? {
        let map = effective()
        let value = EntryStatus.appliedValue(of: Vocabulary.caCertificate(slot)) { effectiveValue($0, in: map) }
        return value.flatMap { try? CertificateInput(Array($0.utf8)) }?.certificates.first
    }

    /// The profiles the applications select (each once, in order).
    func selectedProfiles(vocabulary: Vocabulary) -> [Int] {
        let map = effective()
        var profiles: [Int] = []
        for application in vocabulary.applications {
            let profile = vocabulary.profile(
                selectedBy: EntryStatus.appliedValue(of: application.profileSelection) { effectiveValue($0, in: map) })
            if !profiles.contains(profile) { profiles.append(profile) }
        }
        return profiles
    }

    /// Profile `profile`'s CA list as the handset reads it (`All` when none applies).
    func currentList(_ profile: Int) -> CAList {
        let map = effective()
        return CAList(EntryStatus.appliedValue(of: Vocabulary.caCertList(profile)) { effectiveValue($0, in: map) }
            ?? "All")
    }

    /// Sets profile `profile`'s CA list to `value` with its `.set`, in the file whose list wins,
    /// else the file that holds slot `slot`.
    mutating func assignList(_ profile: Int, _ value: String, near slot: Int) throws(AssignmentError)
        -> [Int: [Assignment]]
    {
        let map = effective()
        let name = Vocabulary.caCertList(profile)
        guard let member = map[name]?.member ?? map[Vocabulary.caCertificate(slot)]?.member
            ?? members.lastIndex(where: { $0.role == .config }) ?? members.indices.last
        else { throw AssignmentError(description: "the set has no file to write to") }
        var changes: [Int: [Assignment]] = [:]
        changes[member, default: []] += try members[member].document.assign(name, value)
        try enableWhereItCounts(name + ".set", after: name, valueMember: member, winner: map[name + ".set"]?.member,
                                changes: &changes)
        return changes
    }

    func merge(_ more: [Int: [Assignment]], into changes: inout [Int: [Assignment]]) {
        for (member, list) in more { changes[member, default: []] += list }
    }
}
