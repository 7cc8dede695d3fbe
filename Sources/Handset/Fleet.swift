// The handsets of a provisioning directory: the MACs its files and an inventory name, every
// handset's set read with each shared file read and linted once, and findings over the fleet.
import CfgDocument
import Foundation

/// The handsets of a provisioning directory, by MAC address (twelve lower-case hex digits).
public enum Fleet {
    /// The MACs that file names in a directory name: `<MAC>.cfg`, `<MAC>-*.cfg` (overrides
    /// included), never `000000000000`. Sorted, each once.
    public static func macs(fileNames: [String]) -> [String] {
        var found = Set<String>()
        for name in fileNames where name.lowercased().hasSuffix(".cfg") {
            let head = name.prefix(12)
            guard head.count == 12, head.allSatisfy(\.isHexDigit) else { continue }
            let rest = name.dropFirst(12)
            guard rest.lowercased() == ".cfg" || rest.hasPrefix("-") else { continue }
            let mac = head.lowercased()
            if mac != "000000000000" { found.insert(mac) }
        }
        return found.sorted()
    }

    /// The MACs an inventory lists: one a line, or a CSV (`,`, `;` or tab) whose header has a
    /// `mac` column. Blank lines and lines starting with `#` are skipped; a MAC in any common
    /// spelling is read; anything else is an error naming its line. Each MAC once, in order.
    public static func inventory(_ bytes: [UInt8], file: String) throws(FleetError) -> [String] {
        var text = String(decoding: bytes, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
            (number: $0.offset + 1, text: $0.element.trimmingCharacters(in: .whitespacesAndNewlines))
        }.filter { !$0.text.isEmpty && !$0.text.hasPrefix("#") }
        var column: Int?
        var separator: Character = ","
        if let header = lines.first,
            let found = [",", ";", "\t"].first(where: header.text.contains)
                ?? (Self.fields(header.text, ",") == ["mac"] ? "," : nil)
        {
            separator = Character(found)
            let names = Self.fields(header.text, separator)
            guard let mac = names.firstIndex(of: "mac") else {
                throw FleetError(
                    "\(file):\(header.number): a CSV inventory needs a 'mac' column in its first line (found: "
                        + "\(names.joined(separator: ", ")))")
            }
            column = mac
        }
        var macs: [String] = []
        var seen = Set<String>()
        for line in lines.dropFirst(column == nil ? 0 : 1) {
            let fields = column == nil ? [line.text] : Self.fields(line.text, separator)
            let written = column.map { $0 < fields.count ? fields[$0] : "" } ?? line.text
            guard let mac = ProvisioningSet.macAddress(written) else {
                throw FleetError(
                    "\(file):\(line.number): '\(written)' is not a MAC address (12 hex digits, alone or separated "
                        + "by ':', '-' or '.')")
            }
            if seen.insert(mac).inserted { macs.append(mac) }
        }
        return macs
    }

    /// A CSV line's fields, trimmed and unquoted (a quoted field holds no separator in an inventory).
    static func fields(_ line: String, _ separator: Character) -> [String] {
        line.split(separator: separator, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                .lowercased()
        }
    }

    /// The handsets of a directory: those its file names name, then those of the inventory
    /// that no file names, each once.
    public static func handsets(fileNames: [String], inventory: [String]) -> [String] {
        let named = macs(fileNames: fileNames)
        let known = Set(named)
        return named + inventory.filter { !known.contains($0) }
    }

    /// Up to `shown` MACs, then "+N more": how text names the handsets of a finding.
    public static func naming(_ macs: [String], shown: Int = 5) -> String {
        let listed = macs.prefix(shown).joined(separator: ", ")
        return macs.count > shown ? "\(listed), +\(macs.count - shown) more" : listed
    }
}

/// Why the handsets of a directory cannot be listed: an inventory that is not one.
public struct FleetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The files of a fleet's sets, each read, scanned and linted once however many handsets read
/// it. Safe to share between threads.
public final class FleetFiles: @unchecked Sendable {
    private let read: (String) -> [UInt8]?
    private let realPath: (String) -> String?
    private let lock = NSLock()
    private var documents: [String: CfgDocument?] = [:]
    private var findings: [String: [Finding]] = [:]

    private var realPaths: [String: String?] = [:]
    private var shared: [[String]: SharedNames] = [:]

    public init(read: @escaping (String) -> [UInt8]?, realPath: @escaping (String) -> String?) {
        self.read = read
        self.realPath = realPath
    }

    /// How a set reads them: from what is already read, links resolved once.
    public var files: SetFiles {
        SetFiles(document: { [self] in document($0) }, realPath: { [self] in resolved($0) })
    }

    func resolved(_ path: String) -> String? {
        cached(\.realPaths, path) { realPath(path) }
    }

    /// The shared table of `set`'s shared files, made once for every handset that lists the same.
    public func sharedNames(of set: ProvisioningSet) -> SharedNames {
        cached(\.shared, set.members.filter { !$0.perHandset }.map(\.path)) { SharedNames(of: set) }
    }

    /// The bytes of a file read (empty when it was not).
    public func bytes(of path: String) -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return (documents[path] ?? nil)?.bytes ?? []
    }

    func document(_ path: String) -> CfgDocument? {
        cached(\.documents, path) { read(path).map { CfgDocument(bytes: $0) } }
    }

    /// A member's own lint, done once for its path.
    func ownFindings(_ member: ProvisioningSet.Member, linter: Linter) -> [Finding] {
        cached(\.findings, member.path) { linter.lint(member.document) }
    }

    /// What `table` holds under `key`, made (outside the lock, so that threads work at once) and
    /// kept the first time; a value made twice at once is kept once.
    private func cached<Key: Hashable, Value>(
        _ table: ReferenceWritableKeyPath<FleetFiles, [Key: Value]>, _ key: Key, _ make: () -> Value
    ) -> Value {
        lock.lock()
        if let known = self[keyPath: table][key] {
            lock.unlock()
            return known
        }
        lock.unlock()
        let made = make()
        lock.lock()
        defer { lock.unlock() }
        if let raced = self[keyPath: table][key] { return raced }
        self[keyPath: table][key] = made
        return made
    }
}

/// One finding of a fleet's lint, with the handsets whose sets have it.
public struct FleetFinding: Sendable {
    public var file: String
    public var finding: Finding
    /// The MACs, in the order the handsets were linted.
    public var handsets: [String]
}

/// Findings over a fleet, gathered handset by handset: each finding once, with its handsets.
public struct FleetFindings: Sendable {
    private struct Key: Hashable {
        var file: String
        var offset: Int
        var rule: String
        var message: String
    }

    private var order: [Key] = []
    private var found: [Key: FleetFinding] = [:]
    /// The handsets linted, in order.
    public private(set) var handsets: [String] = []
    /// Handsets whose set could not be read, with why.
    public private(set) var unreadable: [(mac: String, reason: String)] = []

    public init() {}

    /// Adds one handset's lint (``ProvisioningSet/lintByFile(now:catalogue:ownFindings:)``).
    public mutating func add(_ mac: String, _ groups: [(file: String, findings: [Finding])]) {
        handsets.append(mac)
        for group in groups {
            for finding in group.findings {
                let key = Key(file: group.file, offset: finding.offset, rule: finding.rule, message: finding.message)
                if found[key] == nil {
                    order.append(key)
                    found[key] = FleetFinding(file: group.file, finding: finding, handsets: [])
                }
                found[key]!.handsets.append(mac)
            }
        }
    }

    /// A handset whose set could not be read.
    public mutating func add(_ mac: String, unreadable reason: String) {
        unreadable.append((mac, reason))
    }

    /// Every finding, grouped by file in the order files were first met, each file's by offset.
    public var all: [FleetFinding] {
        var files: [String: Int] = [:]
        for key in order where files[key.file] == nil { files[key.file] = files.count }
        return order.enumerated().sorted { a, b in
            let (fa, fb) = (files[a.element.file]!, files[b.element.file]!)
            if fa != fb { return fa < fb }
            if a.element.offset != b.element.offset { return a.element.offset < b.element.offset }
            return a.offset < b.offset
        }.map { found[$0.element]! }
    }
}

extension ProvisioningSet {
    /// Lints one handset's set in a fleet: each member's own lint answered by `files` (linted
    /// once for the fleet), the rules across the set computed for this handset.
    public func lintInFleet(_ files: FleetFiles, linter: Linter) -> [(file: String, findings: [Finding])] {
        lintByFile(
            now: linter.now, catalogue: linter.catalogue, ownFindings: { files.ownFindings($0, linter: linter) },
            shared: files.sharedNames(of: self))
    }
}

/// What the handsets of a fleet share: the effective names of the files that are no handset's
/// own, and the findings across those files alone, made once for all the handsets that list the
/// same files (a 100 KB site file is not looked at again for each of 5,000 handsets).
public final class SharedNames: Sendable {
    /// The shared files, in the order the handsets read them.
    let paths: [String]
    /// Lower-cased name → source, members numbered among the shared files.
    let table: [String: ProvisioningSet.Source]
    /// `shadowed` findings among the shared files, by lower-cased name.
    let shadowing: [String: [SetFinding]]
    /// `set-flag-split` findings among them, by lower-cased value name.
    let splitFlags: [String: [SetFinding]]
    /// Lower-cased `.set` flag → the shared names (lower-cased) it governs.
    let flagged: [String: [String]]

    /// The shared files of a handset's set.
    init(of set: ProvisioningSet) {
        let shared = ProvisioningSet(
            masterPath: set.masterPath, master: set.master, members: set.members.filter { !$0.perHandset },
            problems: [])
        paths = shared.members.map(\.path)
        table = shared.effectiveTable()
        let map = EffectiveNames(table: table)
        shadowing = Dictionary(grouping: shared.shadowing(map)) { $0.finding.parameter?.lowercased() ?? "" }
        splitFlags = Dictionary(grouping: shared.splitFlags(map)) { $0.finding.parameter?.lowercased() ?? "" }
        var flagged: [String: [String]] = [:]
        for key in table.keys {
            if let flag = SetRule.partner(of: key) { flagged[flag.lowercased(), default: []].append(key) }
        }
        self.flagged = flagged
    }
}
