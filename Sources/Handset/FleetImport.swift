// A device certificate for every handset of a fleet: which file belongs to which handset, what
// is checked before any is stored, and where each goes so that its handset applies it.
import Certificates
import CfgDocument
import Foundation

/// A device certificate and its key as found in the certificates' directory.
public struct FoundCredentials: Sendable {
    /// The file it came from (the certificate's, for a certificate and key in two files).
    public var file: String
    public var credentials: DeviceCredentials

    public init(file: String, credentials: DeviceCredentials) {
        self.file = file
        self.credentials = credentials
    }
}

/// Which certificate goes to which handset, and what could not be placed.
public struct CredentialMatch: Sendable {
    /// MAC → the credentials that handset gets.
    public var byHandset: [String: FoundCredentials] = [:]
    /// Files that go to no handset, with why.
    public var unmatched: [(file: String, reason: String)] = []
    /// Handsets that get no certificate, with why (no file, or a refused one).
    public var refused: [(mac: String, reason: String)] = []
    /// Warnings about certificates that are stored (expiring soon).
    public var warnings: [(mac: String, message: String)] = []
}

extension Fleet {
    /// Every MAC address written in `text`: 12 hex digits, pairs separated by `:` or `-`, or fours
    /// separated by `.`, not run together with other hex digits. Each once, in order.
    public static func macs(inText text: String) -> [String] {
        let chars = Array(text)
        var found: [String] = []
        var i = 0
        while i < chars.count {
            let isStart = i == 0 || !chars[i - 1].isHexDigit
            if isStart, let (mac, length) = macAt(chars, i) {
                if !found.contains(mac) { found.append(mac) }
                i += length
            } else {
                i += 1
            }
        }
        return found
    }

    /// The MAC written at `i` and its length, when one is (and no hex digit follows it).
    static func macAt(_ chars: [Character], _ i: Int) -> (String, Int)? {
        for length in [17, 14, 12] where i + length <= chars.count {
            let end = i + length
            guard end == chars.count || !chars[end].isHexDigit else { continue }
            if let mac = ProvisioningSet.macAddress(String(chars[i..<end])) { return (mac, length) }
        }
        return nil
    }

    /// Matches each file to a handset: by the MAC in its file name, else by a MAC in its
    /// certificate's subject CN or subjectAltName, else by `map` (file name → MAC). A file that
    /// names two MACs, or two files for one handset, are ambiguous: neither is used.
    public static func match(
        _ found: [FoundCredentials], handsets: [String], map: [String: String], now: Date = Date()
    ) -> CredentialMatch {
        var result = CredentialMatch()
        let known = Set(handsets)
        var candidates: [String: [FoundCredentials]] = [:]
        for item in found {
            let name = item.file.split(separator: "/").last.map(String.init) ?? item.file
            let stem = name.contains(".") ? String(name[..<name.lastIndex(of: ".")!]) : name
            var macs = macs(inText: stem)
            if macs.isEmpty {
                macs = Array(Set(item.credentials.holderNames.flatMap { Self.macs(inText: $0) })).sorted()
            }
            if macs.isEmpty, let mapped = map[name] { macs = [mapped] }
            guard macs.count == 1, let mac = macs.first else {
                result.unmatched.append((item.file, macs.isEmpty
                    ? "no MAC address in its name, its certificate's CN or subjectAltName, or --map"
                    : "names several MAC addresses (\(macs.joined(separator: ", "))): add it to --map"))
                continue
            }
            guard known.contains(mac) else {
                result.unmatched.append((item.file, "\(mac) is no handset of the directory (add it to --inventory)"))
                continue
            }
            candidates[mac, default: []].append(item)
        }
        for (mac, items) in candidates {
            guard items.count == 1 else {
                result.refused.append((mac, "several files are for it (\(items.map(\.file).joined(separator: ", "))): "
                    + "keep one"))
                continue
            }
            result.byHandset[mac] = items[0]
        }
        check(&result, now: now)
        for mac in handsets where result.byHandset[mac] == nil && !result.refused.contains(where: { $0.mac == mac }) {
            result.refused.append((mac, "no certificate file for it"))
        }
        result.refused.sort { $0.mac < $1.mac }
        result.unmatched.sort { $0.file < $1.file }
        return result
    }

    /// Refuses a certificate not valid now, one whose extended key usage leaves out clientAuth,
    /// and a certificate or key that two handsets would share; warns of one expiring within 30 days.
    static func check(_ result: inout CredentialMatch, now: Date) {
        var byKey: [[UInt8]: [String]] = [:]
        for (mac, item) in result.byHandset { byKey[item.credentials.publicKeyDER, default: []].append(mac) }
        for (mac, item) in result.byHandset.sorted(by: { $0.key < $1.key }) {
            let facts = item.credentials.certificate
            var reason: String?
            if facts.notAfter < now {
                reason = "'\(facts.displayName)' (\(item.file)) expired on \(Linter.day(facts.notAfter))"
            } else if facts.notBefore > now {
                reason = "'\(facts.displayName)' (\(item.file)) is not valid until \(Linter.day(facts.notBefore))"
            } else if !item.credentials.allowsClientAuthentication {
                reason = "'\(facts.displayName)' (\(item.file)) has an extended key usage without clientAuth: a RADIUS "
                    + "server refuses it for EAP-TLS"
            } else if let sharing = byKey[item.credentials.publicKeyDER], sharing.count > 1 {
                reason = "\(item.file) has the same key as the certificate of "
                    + sharing.filter { $0 != mac }.sorted().joined(separator: ", ") + ": each handset needs its own"
            }
            if let reason {
                result.refused.append((mac, reason))
                result.byHandset[mac] = nil
            } else if facts.daysLeft(now: now) < 30 {
                result.warnings.append((mac, "'\(facts.displayName)' expires in \(facts.daysLeft(now: now)) days, "
                    + "on \(Linter.day(facts.notAfter)): imported; plan its replacement"))
            }
        }
    }
}

/// Stores device certificates into a fleet's files, each where its own handset applies it: the
/// handset's file that already supplies the slot, else `<MAC>-device.cfg` (made when missing, and
/// listed at the front of `CONFIG_FILES` when the master does not list
/// `[PHONE_MAC_ADDRESS]-device.cfg`), with the profile 802.1X selects presenting the slot. The
/// documents change in memory only (``edited``); the caller writes them.
public struct FleetDeviceImport {
    public static let deviceEntry = "[PHONE_MAC_ADDRESS]-device.cfg"

    public let directory: String
    public let model: String?
    /// The files on disk (read once).
    let disk: SetFiles
    /// Every document changed or made so far, by path.
    public private(set) var edited: [String: CfgDocument] = [:]
    /// The paths of the files made.
    public private(set) var created: Set<String> = []

    public init(directory: String, model: String?, disk: SetFiles) {
        self.directory = directory
        self.model = model
        self.disk = disk
    }

    /// The handset's set as it is now, the edits so far included.
    func set(of mac: String) throws(AssignmentError) -> ProvisioningSet {
        let edited = self.edited
        let disk = self.disk
        let files = SetFiles(document: { edited[$0] ?? disk.document($0) }, realPath: disk.realPath)
        return try ProvisioningSet.resolve(root: directory, isDirectory: true, mac: mac, model: model, files: files)
    }

    /// Stores one handset's certificate and key in device slot `slot`; returns each file's changes.
    public mutating func importDevice(_ credentials: DeviceCredentials, slot: Int, mac: String)
        throws(AssignmentError) -> [(file: String, changes: [Assignment])]
    {
        var log: [(file: String, changes: [Assignment])] = []
        let slotName = CertificateSlot.device(slot).parameter
        let path = try target(for: mac, slot: slotName, log: &log)
        var set = try set(of: mac)
        guard let member = set.members.firstIndex(where: { $0.path == path }) else {
            throw AssignmentError(description: "\(path) is not read by handset \(mac)")
        }
        var document = set.members[member].document
        log.append((path, try document.importDevice(credentials, slot: slot)))
        edited[path] = document
        set = try self.set(of: mac)
        for (m, changes) in try set.presentDeviceCertificate(slot: slot).sorted(by: { $0.key < $1.key }) {
            edited[set.members[m].path] = set.members[m].document
            log.append((set.members[m].path, changes))
        }
        set = try self.set(of: mac)
        let map = set.effective()
        guard let source = map[slotName], set.members[source.member].path == path,
            EntryStatus.appliedValue(of: slotName, value: { set.effectiveValue($0, in: map) }) != nil
        else {
            let winner = map[slotName].map { set.members[$0.member].listedName } ?? "no file"
            throw AssignmentError(
                description: "stored in \(path), but the handset does not apply it (\(slotName) comes from "
                    + "\(winner), or its .set or device.set is not 1 there)")
        }
        return log.filter { !$0.changes.isEmpty }
    }

    /// The file that gets the handset's certificate: its own file that already supplies the slot,
    /// else `<MAC>-device.cfg`, listed in `CONFIG_FILES` and made empty when needed.
    mutating func target(for mac: String, slot slotName: String, log: inout [(file: String, changes: [Assignment])])
        throws(AssignmentError) -> String
    {
        let set = try set(of: mac)
        if let source = set.effective()[slotName], set.members[source.member].perHandset {
            return set.members[source.member].path
        }
        let path = ProvisioningSet.join(directory, "\(mac)-device.cfg")
        var master = edited[set.masterPath] ?? set.master
        if let list = ProvisioningSet.configFilesIndex(in: master, model: model) {
            let entries = master.value(list).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if !entries.contains(where: { $0.caseInsensitiveCompare(Self.deviceEntry) == .orderedSame }) {
                let value = ([Self.deviceEntry] + entries.filter { !$0.isEmpty }).joined(separator: ", ")
                log.append((set.masterPath, try master.assign(master.name(list), value)))
                edited[set.masterPath] = master
            }
        }
        if edited[path] == nil && disk.document(path) == nil {
            let eol = master.lineEnding
            edited[path] = CfgDocument(bytes: Array(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\(eol)<device/>\(eol)".utf8))
            created.insert(path)
        }
        return path
    }
}
