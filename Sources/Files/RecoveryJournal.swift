// The recovery journal of an editing session: the unsaved bytes of each changed file, with who
// wrote them, kept in $XDG_STATE_HOME/slcfg (mode 0700, files 0600): it holds typed passwords.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One editing session's journal. While the session runs it is also its lock.
public struct RecoveryJournal: Equatable, Sendable {
    /// The format this slcfg writes; a journal of a later one is refused.
    public static let version = 1

    /// The file edited, or the provisioning set's master, as an absolute path.
    public var target: String
    /// Every file the session has open (a set's members), as absolute paths: what its lock covers.
    public var files: [String]
    public var host: String
    public var pid: Int32
    /// When the session began (seconds since 1970).
    public var started: Int64
    /// The target as it was when the session began: to tell whether it changed on disk since.
    public var snapshot: FileSnapshot?
    /// How many edits the session made since its last save.
    public var changes: Int
    /// The unsaved files: each one's path and the bytes it would be saved with.
    public var members: [Member]

    public struct Member: Equatable, Sendable {
        public var path: String
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    public init(target: String, host: String, pid: Int32, started: Int64, snapshot: FileSnapshot?) {
        self.target = target
        files = [target]
        self.host = host
        self.pid = pid
        self.started = started
        self.snapshot = snapshot
        changes = 0
        members = []
    }

    /// Whether the session that wrote it may still run: another host's is never taken for dead.
    public var sessionAlive: Bool {
        guard host == Self.hostName() else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    public static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(cString: name)
    }

    // MARK: The bytes of a journal

    /// A JSON line (what the journal is about, and each member's path and length), then each
    /// member's bytes in turn.
    public func encoded() -> [UInt8] {
        var header: [String: Any] = [
            "slcfgJournal": Self.version, "target": target, "host": host, "pid": Int(pid), "started": started,
            "files": files, "changes": changes, "members": members.map { ["path": $0.path, "length": $0.bytes.count] },
        ]
        if let snapshot {
            header["snapshot"] = [
                "size": snapshot.size, "modified": snapshot.modified, "nanoseconds": snapshot.modifiedNanoseconds,
                "hash": String(snapshot.hash, radix: 16),
            ]
        }
        let json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])) ?? Data()
        return Array(json) + [0x0A] + members.flatMap(\.bytes)
    }

    /// Why a journal cannot be read.
    public enum ReadError: Error, Equatable, CustomStringConvertible {
        case damaged(String)
        case newer(Int)

        public var description: String {
            switch self {
            case .damaged(let why): return "the recovery journal is damaged (\(why))"
            case .newer(let version):
                return "the recovery journal was written by a newer slcfg (journal version \(version); this one "
                    + "reads version \(RecoveryJournal.version)): open the file with that slcfg, or move the journal "
                    + "away"
            }
        }
    }

    public init(decoding bytes: [UInt8]) throws(ReadError) {
        guard let newline = bytes.firstIndex(of: 0x0A),
              let object = try? JSONSerialization.jsonObject(with: Data(bytes[..<newline])),
              let header = object as? [String: Any], let version = header["slcfgJournal"] as? Int
        else { throw .damaged("no header") }
        guard version <= Self.version else { throw .newer(version) }
        guard let target = header["target"] as? String, let host = header["host"] as? String,
              let pid = header["pid"] as? Int, let started = header["started"] as? Int,
              let changes = header["changes"] as? Int, let list = header["members"] as? [[String: Any]]
        else { throw .damaged("a field of its header is missing") }
        self.init(target: target, host: host, pid: Int32(truncatingIfNeeded: pid), started: Int64(started),
                  snapshot: Self.snapshot(header["snapshot"]))
        self.changes = changes
        files = header["files"] as? [String] ?? [target]
        var offset = newline + 1
        for entry in list {
            guard let path = entry["path"] as? String, let length = entry["length"] as? Int, length >= 0,
                  offset + length <= bytes.count
            else { throw .damaged("it ends before its last file") }
            members.append(Member(path: path, bytes: Array(bytes[offset..<offset + length])))
            offset += length
        }
        guard offset == bytes.count else { throw .damaged("it holds more than its header lists") }
    }

    static func snapshot(_ value: Any?) -> FileSnapshot? {
        guard let fields = value as? [String: Any], let size = fields["size"] as? Int,
              let modified = fields["modified"] as? Int, let nanoseconds = fields["nanoseconds"] as? Int,
              let hashText = fields["hash"] as? String, let hash = UInt64(hashText, radix: 16)
        else { return nil }
        return FileSnapshot(
            size: size, modified: Int64(modified), modifiedNanoseconds: Int64(nanoseconds), hash: hash)
    }
}

/// Where journals live and how they are written, found and put aside.
public struct JournalStore: Sendable {
    /// `$XDG_STATE_HOME/slcfg`, else `~/.local/state/slcfg`.
    public let directory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let state = environment["XDG_STATE_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state"
        directory = state + "/slcfg"
    }

    /// The journal file of the session `pid` on `target`.
    public func path(target: String, pid: Int32) -> String {
        directory + "/" + String(FileSnapshot.hash(Array(target.utf8)), radix: 16) + "-\(pid).journal"
    }

    /// Writes `journal` atomically (a temporary file of mode 0600, fsynced, renamed) at `path`,
    /// making the directory (mode 0700) when missing.
    public func write(_ journal: RecoveryJournal, to path: String) throws(FileError) {
        try makeDirectory()
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .system(temporary, "cannot write the recovery journal", errno) }
        let bytes = journal.encoded()
        var done = 0
        while done < bytes.count {
            let r = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + done, bytes.count - done) }
            if r < 0 && errno == EINTR { continue }
            guard r > 0 else {
                let code = errno
                close(fd)
                unlink(temporary)
                throw .system(temporary, "cannot write the recovery journal", code)
            }
            done += r
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .system(path, "cannot write the recovery journal", code)
        }
    }

    private func makeDirectory() throws(FileError) {
        var prefix = ""
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .system(prefix, "cannot make the journal directory", errno)
            }
        }
    }

    /// Every journal here, with its path; a damaged one comes with why.
    public func all() -> [(path: String, journal: Result<RecoveryJournal, RecoveryJournal.ReadError>)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".journal") }.sorted().map { name in
            let path = directory + "/" + name
            guard let bytes = try? FileStore.read(path) else { return (path, .failure(.damaged("cannot read it"))) }
            return (path, Result { () throws(RecoveryJournal.ReadError) in try RecoveryJournal(decoding: bytes) })
        }
    }

    /// The journals about `target` or any of `files` (absolute paths): a session on the same
    /// file or set, or on a set or file that shares a member with it. Damaged ones under this
    /// target's name too.
    public func journals(of target: String, files: [String] = [])
        -> [(path: String, journal: Result<RecoveryJournal, RecoveryJournal.ReadError>)]
    {
        let prefix = directory + "/" + String(FileSnapshot.hash(Array(target.utf8)), radix: 16) + "-"
        let touched = Set(files + [target])
        return all().filter { entry in
            guard case .success(let journal) = entry.journal else { return entry.path.hasPrefix(prefix) }
            return journal.target == target || !touched.isDisjoint(with: journal.files + journal.members.map(\.path))
        }
    }

    /// Moves a journal aside (`NAME.journal` to `NAME.SUFFIX-TIME`) and returns where it went.
    public func putAside(_ path: String, suffix: String) -> String? {
        let aside = path.dropLast(".journal".count) + ".\(suffix)-\(Int(Date().timeIntervalSince1970))"
        return rename(path, String(aside)) == 0 ? String(aside) : nil
    }

    public func remove(_ path: String) {
        unlink(path)
    }
}
