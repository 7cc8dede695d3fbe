// Every certificate of a provisioning directory with when it expires and which handsets apply it:
// `cert expiry`, for people and for cron.
import Certificates
import CfgDocument
import Foundation

/// One certificate in one slot of one file.
public struct ExpiringCertificate: Sendable {
    public var file: String
    /// Line and column of the slot's parameter.
    public var line: Int
    public var column: Int
    public var slot: CertificateSlot
    public var parameter: String
    public var certificate: CertificateFacts
    /// The handsets (MACs) whose sets apply this very occurrence; for a set read without a MAC,
    /// `[""]` when it applies it.
    public var appliedBy: [String]
    /// Whether any set read names the file at all.
    public var read: Bool

    /// Whether some handset applies it.
    public var applied: Bool { !appliedBy.isEmpty }
}

/// The certificates of a directory's files and of the sets read from it, soonest to expire first.
public struct CertificateExpiry: Sendable {
    private var entries: [String: ExpiringCertificate] = [:]
    private var readPaths = Set<String>()
    private let now: Date

    public init(now: Date = Date()) {
        self.now = now
    }

    /// Every certificate slot of `document` at `path` (a file of the directory, read or not).
    public mutating func add(file path: String, document: CfgDocument) {
        let lines = LineIndex(document.bytes)
        for slot in CertificateSlot.all {
            let contents = document.contents(of: slot, now: now)
            guard let facts = contents.facts, let i = document.index(named: slot.parameter) else { continue }
            let key = Self.key(path, i)
            guard entries[key] == nil else { continue }
            let (line, column) = lines.location(of: document.attributes[i].nameRange.lowerBound)
            entries[key] = ExpiringCertificate(
                file: path, line: line, column: column, slot: slot, parameter: document.name(i), certificate: facts,
                appliedBy: [], read: false)
        }
    }

    /// One handset's set (`mac` empty for a set read without one): its members' certificates,
    /// and which of them it applies (the occurrence that wins, its `.set` and `device.set` on).
    /// `shared`: the fleet's table of the files its handsets share, so that a large shared file
    /// is not indexed again for every handset.
    public mutating func add(set: ProvisioningSet, mac: String, shared: SharedNames? = nil) {
        for member in set.members where !readPaths.contains(member.path) {
            readPaths.insert(member.path)
            add(file: member.path, document: member.document)
        }
        let map = set.effective(shared: shared)
        for slot in CertificateSlot.all {
            guard let source = map[slot.parameter],
                EntryStatus.appliedValue(of: slot.parameter, value: { set.effectiveValue($0, in: map) }) != nil
            else { continue }
            let key = Self.key(set.members[source.member].path, source.index)
            entries[key]?.appliedBy.append(mac)
        }
    }

    /// Every certificate, soonest to expire first (then by file and line).
    public var all: [ExpiringCertificate] {
        entries.values.map { entry in
            var entry = entry
            entry.read = readPaths.contains(entry.file)
            return entry
        }.sorted {
            ($0.certificate.notAfter, $0.file, $0.line) < ($1.certificate.notAfter, $1.file, $1.line)
        }
    }

    /// Those applied by some handset that expire within `days` days (or have expired).
    public func expiring(within days: Int) -> [ExpiringCertificate] {
        all.filter { $0.applied && $0.certificate.daysLeft(now: now) < days }
    }

    static func key(_ path: String, _ index: Int) -> String { "\(index)\u{0}\(path)" }
}
