import CfgDocument
import Foundation

/// The files a handset reads, in the order that decides which value it uses, as it finds them
/// from a master file: `CONFIG_FILES` (or the model's `CONFIG_FILES_MODEL`) with
/// `[PHONE_MAC_ADDRESS]` and `[PHONE_MODEL]` substituted, read in order; when a parameter appears
/// in more than one file, the first file listed wins. With a MAC address, the override files
/// (`<MAC>-phone.cfg`, then `<MAC>-web.cfg`, in `OVERRIDES_DIRECTORY`) come before them all.
/// Pure: the caller supplies how to read a file.
public struct ProvisioningSet: Sendable {
    /// Why a file is in the set.
    public enum Role: String, Sendable {
        /// Made on the handset itself (`<MAC>-phone.cfg`): beats everything.
        case phoneOverride = "override (handset)"
        /// Made on the handset's web page (`<MAC>-web.cfg`).
        case webOverride = "override (web)"
        /// Listed in `CONFIG_FILES`.
        case config = "CONFIG_FILES"
    }

    /// One file of the set.
    public struct Member: Sendable {
        /// The path as the commands print it (the directory joined with the listed name).
        public var path: String
        /// The name as listed in `CONFIG_FILES` (after substitution) or the override file's name.
        public var listedName: String
        public var role: Role
        /// Where the member really is when it is a link that leads outside the set's directory:
        /// read, but never written unless the user says so.
        public var outsideTarget: String?
        /// Whether the file is this handset's own (an override, or a `[PHONE_MAC_ADDRESS]` entry):
        /// in a fleet, every other member is shared by the handsets that list it.
        public var perHandset: Bool
        public var document: CfgDocument {
            didSet { lines = LineCache() }
        }
        /// Lines of the document, built the first time a location is asked for (once, not a
        /// scan a location), and forgotten when the document changes.
        private var lines = LineCache()

        public init(
            path: String, listedName: String, role: Role, document: CfgDocument, outsideTarget: String? = nil,
            perHandset: Bool = false
        ) {
            self.path = path
            self.listedName = listedName
            self.role = role
            self.outsideTarget = outsideTarget
            self.perHandset = perHandset
            self.document = document
        }

        /// Line and column of parameter `i`.
        public func location(of i: Int) -> (line: Int, column: Int) {
            lines.index(of: document.bytes).location(of: document.attributes[i].nameRange.lowerBound)
        }
    }

    /// A member's line index, built on first use: a document edited key by key is not scanned for
    /// lines after each key, only when a location is wanted.
    final class LineCache: @unchecked Sendable {
        private var built: LineIndex?
        private let lock = NSLock()

        func index(of bytes: [UInt8]) -> LineIndex {
            lock.lock()
            defer { lock.unlock() }
            if let built { return built }
            let index = LineIndex(bytes)
            built = index
            return index
        }
    }

    /// A problem with the set itself, located in the master file (or, for an override, nowhere).
    public struct Problem: Sendable, Equatable {
        public var rule: String
        public var severity: Finding.Severity
        /// The file the location is in (the master), and the byte offset there.
        public var file: String
        public var offset: Int
        public var message: String
    }

    /// The master file's path, and its document.
    public var masterPath: String
    public var master: CfgDocument
    /// The files in precedence order: earlier wins.
    public var members: [Member]
    public var problems: [Problem]

    /// Where a parameter's effective value comes from, and what it shadows.
    public struct Source: Sendable, Equatable {
        /// Member index and parameter index of the winning occurrence.
        public var member: Int
        public var index: Int
        /// Every later occurrence of the same name (any case), in precedence order.
        public var shadowed: [Occurrence]

        public init(member: Int, index: Int, shadowed: [Occurrence]) {
            self.member = member
            self.index = index
            self.shadowed = shadowed
        }
    }

    public struct Occurrence: Sendable, Equatable {
        public var member: Int
        public var index: Int
    }

    /// Reads the set: `root` is a master file or a directory (whose master is `<MAC>.cfg` when
    /// `mac` is given and that file exists, else `000000000000.cfg`). `files` reads a file and
    /// says where a path really leads. Nothing outside the directory is read: an entry that leaves
    /// it (an absolute path, `..` above it, a URL) is a problem at the entry, never a member; a
    /// member that is a link to a file outside is read, marked with its target and reported.
    public static func resolve(
        root: String, isDirectory: Bool, mac: String?, model: String?, files: SetFiles
    ) throws(AssignmentError) -> ProvisioningSet {
        let mac = try mac.map { text throws(AssignmentError) in
            guard let normal = macAddress(text) else { throw AssignmentError(description: macRefusal(text)) }
            return normal
        }
        if let model, !isModelName(model) { throw AssignmentError(description: modelRefusal(model)) }
        let directory = isDirectory ? root : Self.directory(of: root)
        let (masterPath, master) = try Self.master(root: root, isDirectory: isDirectory, mac: mac, files: files)
        guard let listIndex = Self.configFilesIndex(in: master, model: model) else {
            throw AssignmentError(
                description:
                    "\(masterPath): not a master file: it has no CONFIG_FILES (an APPLICATION element lists them)")
        }
        var reader = SetReader(
            set: ProvisioningSet(masterPath: masterPath, master: master, members: [], problems: []),
            directory: directory, files: files)
        if isDirectory, let target = reader.outsideTarget(of: masterPath) {
            reader.problem("link-outside", .warning, at: 0,
                "\(masterPath) is a link to \(target), outside \(reader.directoryName): read as the master file")
        }
        if let mac { reader.readOverrides(mac: mac) }
        reader.readConfigFiles(listIndex: listIndex, mac: mac, model: model)
        return reader.set
    }

    /// The master file, read: `root` itself, or the directory's `<MAC>.cfg`, else `000000000000.cfg`.
    static func master(
        root: String, isDirectory: Bool, mac: String?, files: SetFiles
    ) throws(AssignmentError) -> (path: String, document: CfgDocument) {
        guard isDirectory else {
            guard let document = files.document(root) else {
                throw AssignmentError(description: "\(root): cannot read the master file")
            }
            return (root, document)
        }
        let candidates = (mac.map { ["\($0).cfg"] } ?? []) + ["000000000000.cfg"]
        for path in candidates.map({ Self.join(root, $0) }) {
            if let document = files.document(path) { return (path, document) }
        }
        throw AssignmentError(
            description: "\(root): no master file (\(candidates.joined(separator: " or "))) in this directory")
    }

    /// The `CONFIG_FILES` attribute the handset uses: the model's own when given and present.
    public static func configFilesIndex(in master: CfgDocument, model: String?) -> Int? {
        if let model, let i = master.index(named: "CONFIG_FILES_\(model)") { return i }
        return master.index(named: "CONFIG_FILES")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    public static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// Every parameter name with the occurrence that wins and those it shadows; the shared
    /// files' names from `shared` when given (a fleet's handset).
    public func effective(shared: SharedNames? = nil) -> EffectiveNames {
        if let shared, let names = effective(over: shared) { return names }
        return effective()
    }

    /// The effective names over a fleet's shared table: each name of the handset's own files
    /// merged with its occurrences in the shared files, in member order. Nil when the set's
    /// shared files are not the table's.
    func effective(over shared: SharedNames) -> EffectiveNames? {
        let sharedMembers = members.indices.filter { !members[$0].perHandset }
        guard sharedMembers.map({ members[$0].path }) == shared.paths else { return nil }
        var occurrences: [String: [Occurrence]] = [:]
        for m in members.indices where members[m].perHandset {
            let document = members[m].document
            for i in 0..<document.parameterCount {
                occurrences[document.name(i).lowercased(), default: []].append(Occurrence(member: m, index: i))
            }
        }
        var table: [String: Source] = [:]
        for (key, own) in occurrences {
            var all = own
            if let base = shared.table[key] {
                all.append(Occurrence(member: sharedMembers[base.member], index: base.index))
                all += base.shadowed.map { Occurrence(member: sharedMembers[$0.member], index: $0.index) }
            }
            all.sort { ($0.member, $0.index) < ($1.member, $1.index) }
            let winner = all[0]
            let shadowed = all.dropFirst().filter { $0.member != winner.member }
            table[key] = Source(member: winner.member, index: winner.index, shadowed: Array(shadowed))
        }
        return EffectiveNames(table: table, shared: shared.table, sharedMembers: sharedMembers)
    }

    /// Every parameter name with the occurrence that wins and those it shadows.
    public func effective() -> EffectiveNames {
        guard members.count > 1 else { return EffectiveNames(file: members.first?.document) }
        return EffectiveNames(table: effectiveTable())
    }

    /// Lower-cased name → the occurrence that wins and those it shadows, for any number of members.
    func effectiveTable() -> [String: Source] {
        var result: [String: Source] = [:]
        for (m, member) in members.enumerated() {
            let document = member.document
            for i in 0..<document.parameterCount {
                let key = document.name(i).lowercased()
                if result[key] == nil {
                    result[key] = Source(member: m, index: i, shadowed: [])
                } else if result[key]!.member != m {
                    // Within one file, a repeated name is lint's `duplicate`, not shadowing.
                    result[key]!.shadowed.append(Occurrence(member: m, index: i))
                }
            }
        }
        return result
    }

    /// Whether this is one file given alone (``init(file:document:)``), not a master's list.
    public var isOneFile: Bool { members.count == 1 && members[0].path == masterPath }

    /// The effective names in the order they first appear in the set.
    public func effectiveOrder() -> [Source] {
        let table = effective().all
        var order: [Source] = []
        var seen = Set<String>()
        for (m, member) in members.enumerated() {
            for i in 0..<member.document.parameterCount {
                let key = member.document.name(i).lowercased()
                guard seen.insert(key).inserted else { continue }
                order.append(table[key] ?? Source(member: m, index: i, shadowed: []))
            }
        }
        return order
    }
}

/// Which occurrence of each name the handset uses in a set: the first, in the first file that
/// has it. One file answers from its own document (each lookup a scan of its names) rather than
/// from a table of every name, which for a 33 MB file would cost more than the question. In a
/// fleet, the names of the files every handset shares come from one table made once
/// (``SharedNames``), and only the names of the handset's own files are looked at again.
public struct EffectiveNames: Sendable {
    private let file: CfgDocument?
    /// Lower-cased name → source, for a set of several files (in a fleet: the names of the
    /// handset's own files, with their occurrences in every file).
    private let table: [String: ProvisioningSet.Source]
    /// The shared files' names, and the set's member index of each shared member.
    private let shared: [String: ProvisioningSet.Source]
    private let sharedMembers: [Int]

    /// No names at all (a workspace before its first look at its files).
    public static let none = EffectiveNames(table: [:])

    init(file: CfgDocument?) {
        self.file = file
        table = [:]
        shared = [:]
        sharedMembers = []
    }

    init(table: [String: ProvisioningSet.Source], shared: [String: ProvisioningSet.Source] = [:],
         sharedMembers: [Int] = []) {
        file = nil
        self.table = table
        self.shared = shared
        self.sharedMembers = sharedMembers
    }

    /// The occurrence that wins for `name` (any case), and those it shadows.
    public subscript(name: String) -> ProvisioningSet.Source? {
        guard let file else {
            let key = name.lowercased()
            return table[key] ?? shared[key].map(remapped)
        }
        return file.index(named: name).map { ProvisioningSet.Source(member: 0, index: $0, shadowed: []) }
    }

    /// A shared table's source with its members numbered as in the set.
    private func remapped(_ source: ProvisioningSet.Source) -> ProvisioningSet.Source {
        ProvisioningSet.Source(
            member: sharedMembers[source.member], index: source.index,
            shadowed: source.shadowed.map { .init(member: sharedMembers[$0.member], index: $0.index) })
    }

    /// Every name that more than one file sets, lower-cased, with its sources (none for one file).
    public var contested: [(name: String, source: ProvisioningSet.Source)] {
        all.filter { !$0.value.shadowed.isEmpty }.map { ($0.key, $0.value) }
    }

    /// Every name of a set of several files, lower-cased, with its source (empty for one file).
    var all: [String: ProvisioningSet.Source] {
        guard !shared.isEmpty else { return table }
        var result = table
        for (key, source) in shared where result[key] == nil { result[key] = remapped(source) }
        return result
    }

    /// The names of the handset's own files (lower-cased), when the rest come from a shared table.
    var ownNames: Set<String>? { shared.isEmpty ? nil : Set(table.keys) }
}

extension ProvisioningSet {
    /// One file as a set with one member: what the handset reads when this file is all it is given.
    public init(file path: String, document: CfgDocument) {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        self.init(
            masterPath: path, master: CfgDocument(bytes: []),
            members: [Member(path: path, listedName: name, role: .config, document: document)], problems: [])
    }
}

extension String {
    func trimmedOf(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
