// Reading a provisioning set's files without ever leaving its directory: where a CONFIG_FILES
// entry leads, links that lead outside, and the MAC address and model that names are built from.
import CfgDocument

/// How the set's files are reached: the caller's file system, kept out of the model.
public struct SetFiles {
    /// A file read and scanned, or nil when it does not exist or cannot be read.
    public var document: (String) -> CfgDocument?
    /// Where a path really leads, every link followed (nil: it cannot be resolved, or the caller
    /// cannot tell, in which case the path is taken as it is written).
    public var realPath: (String) -> String?

    /// Files scanned as they are read, each time they are asked for.
    public init(read: @escaping (String) -> [UInt8]?, realPath: @escaping (String) -> String? = { _ in nil }) {
        self.init(document: { read($0).map { CfgDocument(bytes: $0) } }, realPath: realPath)
    }

    /// Files from `document`, which may answer from documents it already holds (a fleet's
    /// shared files are read and scanned once for every handset).
    public init(document: @escaping (String) -> CfgDocument?, realPath: @escaping (String) -> String?) {
        self.document = document
        self.realPath = realPath
    }
}

/// Where a name in `CONFIG_FILES` or `OVERRIDES_DIRECTORY` leads, judged by its text alone.
public enum EntryPlace: Equatable, Sendable {
    /// Inside the directory, at this path relative to it (`.` and `..` taken out).
    case inside(String)
    /// An absolute path, or `..` that climbs above the directory.
    case outside
    /// A URL: the handset fetches it from another server.
    case remote

    public init(_ name: String) {
        if Self.isURL(name) {
            self = .remote
            return
        }
        // A Windows server takes `\` as a separator too: it may climb, so it counts as one here.
        if name.hasPrefix("/") || name.hasPrefix("\\") || Self.hasDriveLetter(name) || Self.climbs(name) {
            self = .outside
            return
        }
        var parts: [Substring] = []
        for part in name.split(separator: "/") where part != "." {
            if part != ".." {
                parts.append(part)
            } else if parts.popLast() == nil {
                self = .outside
                return
            }
        }
        self = .inside(parts.joined(separator: "/"))
    }

    /// `scheme://…`, the scheme being letters, digits, `+`, `-` and `.` after a letter.
    static func isURL(_ name: String) -> Bool {
        guard let range = name.range(of: "://") else { return false }
        let scheme = name[..<range.lowerBound]
        guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else {
            return false
        }
        return scheme.unicodeScalars.allSatisfy { Self.isWordScalar($0, extra: "+-.") }
    }

    /// An ASCII letter or digit, or one of `extra`.
    static func isWordScalar(_ scalar: Unicode.Scalar, extra: String) -> Bool {
        scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
            || extra.unicodeScalars.contains(scalar))
    }

    static func hasDriveLetter(_ name: String) -> Bool {
        let chars = Array(name.prefix(2))
        return chars.count == 2 && chars[1] == ":" && chars[0].isASCII && chars[0].isLetter
    }

    /// Whether `..` components take the name above where it starts, `/` and `\` both separating.
    static func climbs(_ name: String) -> Bool {
        var depth = 0
        for part in name.split(whereSeparator: { $0 == "/" || $0 == "\\" }) where part != "." {
            depth += part == ".." ? -1 : 1
            if depth < 0 { return true }
        }
        return false
    }
}

extension ProvisioningSet {
    /// Why member `m` is not written without the user's say-so: it is a link to a file outside
    /// the set's directory (nil: it is not). Each front end says how to say so.
    public func outsideWrite(_ m: Int) -> String? {
        guard let target = members[m].outsideTarget else { return nil }
        return "\(members[m].listedName) is a link to \(target), outside the set's directory: not written"
    }

    /// `--mac` as twelve lower-case hex digits: 12 hex digits alone, or in pairs separated by `:`
    /// or `-`, or in fours separated by `.`; nil for anything else.
    public static func macAddress(_ text: String) -> String? {
        let hex = Set("0123456789abcdefABCDEF")
        let groups: [Substring]
        switch (text.contains(":"), text.contains("-"), text.contains(".")) {
        case (false, false, false): groups = [Substring(text)]
        case (true, false, false): groups = text.split(separator: ":", omittingEmptySubsequences: false)
        case (false, true, false): groups = text.split(separator: "-", omittingEmptySubsequences: false)
        case (false, false, true): groups = text.split(separator: ".", omittingEmptySubsequences: false)
        default: return nil
        }
        let width = 12 / groups.count
        let wellFormed = groups.allSatisfy { $0.count == width && $0.allSatisfy(hex.contains) }
        guard [1, 3, 6].contains(groups.count), wellFormed else { return nil }
        return groups.joined().lowercased()
    }

    /// Whether `--model` is a model name: letters, digits, `-` and `_`.
    public static func isModelName(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { EntryPlace.isWordScalar($0, extra: "-_") }
    }

    /// Where, inside the set's directory, a master's override files are (`""`: the directory
    /// itself), or nil when `OVERRIDES_DIRECTORY` leads outside it or to another server.
    public static func overridesDirectory(in master: CfgDocument) -> String? {
        guard let i = master.index(named: "OVERRIDES_DIRECTORY"), !master.value(i).isEmpty else { return "" }
        if case .inside(let path) = EntryPlace(master.value(i)) { return path }
        return nil
    }

    public static func macRefusal(_ text: String) -> String {
        "--mac: '\(text)' is not a MAC address (12 hex digits, alone or separated by ':', '-' or '.')"
    }

    public static func modelRefusal(_ text: String) -> String {
        "--model: '\(text)' is not a model name (letters, digits, '-' and '_')"
    }
}

/// Reads the members of a set into it, entry by entry, inside its directory.
struct SetReader {
    var set: ProvisioningSet
    let directory: String
    let files: SetFiles
    /// The directory as the messages name it.
    var directoryName: String {
        let trimmed = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        return trimmed.isEmpty ? "." : trimmed
    }

    /// The override files (`<MAC>-phone.cfg`, `<MAC>-web.cfg`) in `OVERRIDES_DIRECTORY`.
    mutating func readOverrides(mac: String) {
        let master = set.master
        let setting = master.index(named: "OVERRIDES_DIRECTORY")
        let offset = setting.map { master.attributes[$0].valueRange.lowerBound } ?? 0
        var prefix = ""
        if let setting, !master.value(setting).isEmpty {
            guard let inside = place(master.value(setting), at: offset) else { return }
            prefix = inside.isEmpty ? "" : inside + "/"
        }
        for (suffix, role) in [("-phone.cfg", ProvisioningSet.Role.phoneOverride), ("-web.cfg", .webOverride)] {
            let name = prefix + mac + suffix
            add(name, listedName: name, role: role, at: offset, missingIsProblem: false, perHandset: true)
        }
    }

    /// The files `CONFIG_FILES` lists, in order, each reported at its own place in the list.
    mutating func readConfigFiles(listIndex: Int, mac: String?, model: String?) {
        let master = set.master
        let raw = master.bytes[master.attributes[listIndex].valueRange]
        var cursor = raw.startIndex
        var seen = Set<String>()
        var templated: [(entry: String, offset: Int)] = []
        defer {
            if let first = templated.first {
                problem("template", .info, at: first.offset,
                    "CONFIG_FILES lists template placeholders (\(templated.map(\.entry).joined(separator: ", "))): the "
                        + "set is read without them until the template is rendered")
            }
        }
        for entry in master.value(listIndex).split(separator: ",") {
            let written = String(entry).trimmedOf(" \t\r\n")
            guard !written.isEmpty else { continue }
            let offset = Self.offset(of: written, in: raw, from: &cursor)
            guard !TemplateSyntax.holdsConstruct(written) else {
                templated.append((written, offset))
                continue
            }
            guard let name = substitute(written, mac: mac, model: model, at: offset),
                let inside = place(name, at: offset)
            else { continue }
            guard seen.insert(inside).inserted else {
                problem("duplicate-file", .info, at: offset,
                    "\(name) is listed twice in CONFIG_FILES; the handset reads it once, where it first appears")
                continue
            }
            add(inside, listedName: name, role: .config, at: offset, missingIsProblem: true,
                perHandset: written.contains("[PHONE_MAC_ADDRESS]"))
        }
    }

    /// The entry with the handset's tokens filled in, or nil (reported) when a value is missing.
    mutating func substitute(_ written: String, mac: String?, model: String?, at offset: Int) -> String? {
        let tokens: [(token: String, value: String?, what: String)] = [
            ("[PHONE_MAC_ADDRESS]", mac,
             "a file per handset: skipped without --mac (give --mac to include the file for one handset)"),
            ("[PHONE_MODEL]", model, "a file per model: skipped without --model"),
        ]
        var name = written
        for (token, value, what) in tokens where name.contains(token) {
            guard let value else {
                problem("unresolved-file", .info, at: offset, "\(name) names \(what)")
                return nil
            }
            name = name.replacingOccurrences(of: token, with: value)
        }
        return name
    }

    /// The path inside the directory that `name` leads to, or nil (reported) when it leaves it.
    mutating func place(_ name: String, at offset: Int) -> String? {
        switch EntryPlace(name) {
        case .inside(let path): return path
        case .remote:
            problem("remote-file", .info, at: offset, "\(name): fetched from another server: not checked")
        case .outside:
            problem("outside-set", .error, at: offset,
                "\(name) is outside \(directoryName): a provisioning server does not serve it, so the handset cannot "
                    + "read it")
        }
        return nil
    }

    /// Reads one member (`inside` the directory), reporting the master listed again, a missing
    /// file (when `missingIsProblem`) and a link that leads outside.
    mutating func add(
        _ inside: String, listedName: String, role: ProvisioningSet.Role, at offset: Int, missingIsProblem: Bool,
        perHandset: Bool
    ) {
        let path = ProvisioningSet.join(directory, inside)
        if path == set.masterPath || files.realPath(path).map({ $0 == files.realPath(set.masterPath) }) == true {
            problem("duplicate-file", .warning, at: offset,
                "CONFIG_FILES lists the master file \(listedName) itself; it is left out of the set")
            return
        }
        guard let document = files.document(path) else {
            if missingIsProblem {
                problem("missing-file", .error, at: offset,
                    "\(listedName) is listed in CONFIG_FILES but does not exist in \(directoryName): the handset fails "
                        + "to fetch it (and may stop provisioning)")
            }
            return
        }
        let target = outsideTarget(of: path)
        if let target {
            problem("link-outside", .warning, at: offset,
                "\(listedName) is a link to \(target), outside \(directoryName): a server that follows links serves "
                    + "it, so slcfg reads it, but it does not write through it")
        }
        set.members.append(
            ProvisioningSet.Member(
                path: path, listedName: listedName, role: role, document: document,
                outsideTarget: target, perHandset: perHandset))
    }

    /// Where `path` really is, when that is outside the directory (nil: inside, or unknown).
    func outsideTarget(of path: String) -> String? {
        guard let real = files.realPath(path), let base = files.realPath(directory.isEmpty ? "." : directory) else {
            return nil
        }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return real.hasPrefix(prefix) ? nil : real
    }

    mutating func problem(_ rule: String, _ severity: Finding.Severity, at offset: Int, _ message: String) {
        set.problems.append(
            ProvisioningSet.Problem(
                rule: rule, severity: severity, file: set.masterPath, offset: offset, message: message))
    }

    /// The offset of the entry `written` in the raw list value, searched from `cursor` on (which
    /// moves past it); the value's start when it is not there as written (an entity inside).
    static func offset(of written: String, in raw: ArraySlice<UInt8>, from cursor: inout Int) -> Int {
        let needle = Array(written.utf8)
        var i = cursor
        while i + needle.count <= raw.endIndex {
            if raw[i..<(i + needle.count)].elementsEqual(needle) {
                cursor = i + needle.count
                return i
            }
            i += 1
        }
        return raw.startIndex
    }
}
