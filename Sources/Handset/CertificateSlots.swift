import Certificates
import CfgDocument
import Foundation

/// The handset's certificate slots and how certificates are stored in them.
public enum CertificateSlot: Equatable, Sendable, CustomStringConvertible {
    /// Platform CA 1 or 2: `device.sec.TLS.customCaCertN`.
    case ca(Int)
    /// Custom device certificate 1 or 2 for EAP-TLS: `device.sec.TLS.customDeviceCertN.*`.
    case device(Int)

    /// The slots slcfg manages, in Tab order.
    public static let all: [CertificateSlot] = all(in: .handset)

    /// The slots of a vocabulary, in Tab order: CA slots, then device slots.
    public static func all(in vocabulary: Vocabulary) -> [CertificateSlot] {
        vocabulary.caSlots.map { .ca($0) } + vocabulary.deviceSlots.map { .device($0) }
    }

    /// The parameter holding the certificate.
    public var parameter: String {
        switch self {
        case .ca(let n): return Vocabulary.caCertificate(n)
        case .device(let n): return Vocabulary.deviceCertificate(n) + ".publicCert"
        }
    }

    /// The parameter holding the private key (device slots only).
    public var keyParameter: String? {
        if case .device(let n) = self { return Vocabulary.deviceCertificate(n) + ".privateKey" }
        return nil
    }

    /// The `.set` flag that makes the handset use the slot.
    public var setFlag: String {
        switch self {
        case .ca(let n): return Vocabulary.caCertificate(n) + ".set"
        case .device(let n): return Vocabulary.deviceCertificate(n) + ".set"
        }
    }

    /// The handset's label.
    public var description: String {
        switch self {
        case .ca(let n): return "Platform CA \(n)"
        case .device(let n): return "Device certificate \(n)"
        }
    }
}

/// What a CA certificate is imported for: it also selects the profile for that application.
public enum CertificatePurpose: String, Sendable, CaseIterable {
    case wlan, provisioning

    /// The profile-selection parameter of the application.
    public var profileSelection: String {
        switch self {
        case .wlan: return Vocabulary.Application.dot1x.profileSelection
        case .provisioning: return Vocabulary.Application.provisioning.profileSelection
        }
    }
}

extension CfgDocument {
    /// The line ending the file uses (its first), `\n` when it has none.
    public var lineEnding: String {
        guard let lf = bytes.firstIndex(of: 10) else { return "\n" }
        return lf > 0 && bytes[lf - 1] == 13 ? "\r\n" : "\n"
    }

    /// Stores `certificate` in CA slot `slot` (one line of base64 of the DER, or PEM with
    /// `asPEM`), sets the slot's `.set` to 1, and for a `purpose` selects profile `slot` for that
    /// application with a CA list that allows the slot. Keeps the file's spelling.
    public mutating func importCA(_ certificate: CertificateFacts, slot: Int, purpose: CertificatePurpose?, asPEM: Bool)
        throws(AssignmentError) -> [Assignment]
    {
        let slotParameter = CertificateSlot.ca(slot)
        let stored = asPEM ? PEM.encode(certificate.der, lineEnding: lineEnding) : PEM.base64Encode(certificate.der)
        var changes = try assign(slotParameter.parameter, stored)
        changes += try setFlag(slotParameter.setFlag, after: slotParameter.parameter)
        if let purpose {
            changes += try assign([(purpose.profileSelection, Vocabulary.profileValue(slot))], enable: true)
            let list = Vocabulary.caCertList(slot)
            let allowed = index(named: list).map { CAList(value($0)).allows(slot: slot) } ?? false
            if !allowed {
                changes += try assign([(list, "All")], enable: true)
            }
        }
        return changes
    }

    /// Stores a device certificate and its key in device slot `slot` and sets its `.set` to 1.
    public mutating func importDevice(_ credentials: DeviceCredentials, slot: Int) throws(AssignmentError)
        -> [Assignment]
    {
        let slotParameter = CertificateSlot.device(slot)
        let eol = lineEnding
        let certificate = credentials.certificatePEM.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: eol)
        let key = credentials.privateKeyPEM.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: eol)
        var changes = try assign(slotParameter.parameter, certificate)
        changes += try assign(slotParameter.keyParameter!, key)
        changes += try setFlag(slotParameter.setFlag, after: slotParameter.keyParameter!)
        return changes
    }

    /// Sets a `.set` flag to 1, inserting it after `anchorName` when missing.
    public mutating func setFlag(_ flag: String, after anchorName: String) throws(AssignmentError) -> [Assignment] {
        if !indices(named: flag).isEmpty { return try assign(flag, "1") }
        if let typo = misspelledParameter(of: flag) {
            // The guide's own cusomCaCert2.set: rename it rather than add a second flag beside it.
            let written = name(typo)
            let old = value(typo)
            do { try rename(typo, to: flag) } catch { throw AssignmentError(description: error.description) }
            _ = setValue(typo, to: "1")
            return [Assignment(name: flag, oldValue: old, newValue: "1", renamedFrom: written)]
        }
        guard let anchor = indices(named: anchorName).last else { return try assign(flag, "1") }
        do {
            try insert(flag, value: "1", after: anchor)
        } catch {
            throw AssignmentError(description: error.description)
        }
        return [Assignment(name: flag, oldValue: nil, newValue: "1")]
    }

}

/// What a slot of a file holds.
public struct SlotContents: Sendable {
    /// The slot.
    public var slot: CertificateSlot
    /// The parameter as written in the file, or nil when the file lacks it.
    public var parameter: String?
    /// The `.set` flag's value, or nil when missing.
    public var setValue: String?
    /// The certificate's facts, when the slot holds one.
    public var facts: CertificateFacts?
    /// Why the value is no certificate, when it is not empty and not one.
    public var problem: String?
    /// Whether the handset uses the slot (its `.set` and `device.set` are 1), and why not.
    public var status: EntryStatus = .notInFile
}

extension CfgDocument {
    /// What `slot` holds, read as of `now`.
    public func contents(of slot: CertificateSlot, now: Date = Date()) -> SlotContents {
        contents(of: slot, now: now, findings: [])
    }

    /// What `slot` holds, with its status judged with this document's lint `findings` (which
    /// tell a misspelled `.set` flag).
    public func contents(of slot: CertificateSlot, now: Date = Date(), findings: [Finding]) -> SlotContents {
        var result = rawContents(of: slot, now: now)
        result.status = entryStatus(
            index: self.index(named: slot.parameter), flag: slot.setFlag, invalid: result.problem != nil,
            findings: findings)
        return result
    }

    /// What every slot holds, with every name looked up in one pass (the editor's rebuild).
    public func contentsOfSlots(
        _ slots: [CertificateSlot] = CertificateSlot.all, now: Date = Date(), findings: [Finding]
    ) -> [SlotContents] {
        contentsOfSlots(
            slots, now: now, nearMisses: findings.filter { $0.rule == "near-miss" },
            found: indices(named: [Vocabulary.deviceSet] + slots.flatMap { [$0.parameter, $0.setFlag] }))
    }

    /// What every slot holds, from names already looked up (`found` holds `device.set` and every
    /// slot's parameter and flag, as ``MenuTree/names(for:)`` does).
    public func contentsOfSlots(_ slots: [CertificateSlot] = CertificateSlot.all, now: Date, nearMisses: [Finding],
                                found: [String: [Int]]) -> [SlotContents] {
        let deviceSet = found[Vocabulary.deviceSet]?.first.map { value($0) }
        return slots.map { slot in
            var result = rawContents(of: slot, now: now, found: found)
            result.status = EntryStatus.judge(
                present: result.parameter != nil, flag: slot.setFlag, flagValue: result.setValue,
                deviceSet: deviceSet, invalid: result.problem != nil, findings: nearMisses)
            return result
        }
    }

    /// What a slot holds; `found` (from ``indices(named:)-([String])``) saves the lookups.
    func rawContents(of slot: CertificateSlot, now: Date, found: [String: [Int]]? = nil) -> SlotContents {
        let index = found.map { $0[slot.parameter]?.first } ?? self.index(named: slot.parameter)
        let flag = (found.map { $0[slot.setFlag]?.first } ?? self.index(named: slot.setFlag)).map { value($0) }
        var result = SlotContents(slot: slot, parameter: index.map { name($0) }, setValue: flag)
        guard let index else { return result }
        let raw = valueBytes(index)
        guard raw.contains(where: { !($0 == 32 || $0 == 9 || $0 == 10 || $0 == 13) }) else { return result }
        if Self.isTemplatePlaceholder(value(index)) { return result }
        do {
            let input = try CertificateInput(raw, now: now)
            result.facts = input.certificates.first
            if input.certificates.isEmpty { result.problem = "holds a private key, not a certificate" }
        } catch {
            result.problem = error.description
        }
        return result
    }

    /// Whether a value is a template placeholder (`{$x}`, `{{ x }}`, `${X}`, `##X##`, `[PHONE_MAC_ADDRESS]`).
    public static func isTemplatePlaceholder(_ value: String) -> Bool {
        guard
            value.utf8.contains(where: {
                $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "[")
            })
        else {
            return false
        }
        return value.contains("{$") || value.contains("{{") || value.contains("${") || value.contains("{%")
            || (value.hasPrefix("##") && value.hasSuffix("##") && value.count > 4)
            || (value.hasPrefix("#") && value.hasSuffix("#") && value.count > 2)
            || (value.hasPrefix("[") && value.hasSuffix("]") && value.count > 2
                && value.dropFirst().dropLast().allSatisfy { $0.isUppercase || $0 == "_" || $0.isNumber })
    }
}
