// `slcfg recover`, and what the recovery journals say before the editor opens a file: unsaved
// changes of a session that ended (recover, discard, view), or a session still editing it (a lock).
#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import CfgDocument
import Editor
import Files
import Foundation
import Handset
import SafeText

struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "List the recovery journals of editing sessions, or open a file to recover its unsaved changes.",
        discussion: """
            Journals live in $XDG_STATE_HOME/slcfg (default ~/.local/state/slcfg), mode 0600: they hold \
            the unsaved bytes, typed passwords and keys included.
            """)

    @Flag(help: "Print every journal: its file, when its session began, host, pid, changes, and whether it runs.")
    var list = false

    @Argument(help: "The file (or provisioning directory or master) to open in the editor.", completion: .file())
    var file: String?

    func run() throws {
        guard list else {
            guard let file else { throw CLIError(message: "name a file to recover, or --list", code: 64) }
            let edit = try EditCommand.parse([file])
            return try edit.run()
        }
        var out = Output(fd: 1)
        for (path, entry) in JournalStore().all() {
            switch entry {
            case .success(let journal):
                let state = journal.sessionAlive ? "running" : "ended"
                out.write(
                    "\(journal.target)\t\(state)\tbegan \(Self.time(journal.started))\t\(journal.host)\tpid "
                        + "\(journal.pid)\t\(journal.changes) changes\t\(journal.members.count) files\t\(path)\n")
            case .failure(let error):
                out.write("\(path)\t\(error.description)\n")
            }
        }
        out.flush()
    }

    static func time(_ seconds: Int64) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// What the journals of the file about to be edited ask of the person, on the terminal, before
/// the editor shows anything.
enum SessionCheck {
    /// `state` as the person decides: recovered, read-only, or as it is; throws to quit.
    static func before(_ state: EditorState) throws -> EditorState {
        guard let target = state.journalTarget else { return state }
        var state = state
        let store = JournalStore()
        for (path, entry) in store.journals(of: target, files: state.openFiles) {
            let journal: RecoveryJournal
            switch entry {
            case .failure(.newer(let version)):
                throw CLIError(message: "\(path): \(RecoveryJournal.ReadError.newer(version).description)")
            case .failure(let error):
                let aside = store.putAside(path, suffix: "damaged") ?? path
                printError("slcfg: \(path): \(error.description); kept aside as \(aside)")
                continue
            case .success(let read): journal = read
            }
            guard journal.pid != getpid() else { continue }
            let name = subject(of: journal, in: state)
            if journal.sessionAlive {
                try askAboutLock(journal, name: name, state: &state)
            } else if journal.members.isEmpty {
                store.remove(path)
            } else {
                try askAboutRecovery(journal, at: path, name: name, store: store, state: &state)
            }
        }
        return state
    }

    /// What `journal` is about, named for this session: the target when it is the same, else the
    /// files the two share (another set with a member in common, or one file of this set).
    static func subject(of journal: RecoveryJournal, in state: EditorState) -> String {
        let base = { (path: String) in SafeText.visible((path as NSString).lastPathComponent) }
        guard journal.target != state.journalTarget else { return base(journal.target) }
        let open = Set(state.openFiles)
        let shared = (journal.sessionAlive ? journal.files : journal.members.map(\.path)).filter(open.contains)
        let names = shared.isEmpty ? base(journal.target) : shared.map(base).joined(separator: ", ")
        return journal.files != [journal.target] ? "\(names) (in the set of \(base(journal.target)))" : names
    }

    static func askAboutLock(_ journal: RecoveryJournal, name: String, state: inout EditorState) throws {
        let host = journal.host == RecoveryJournal.hostName() ? "this host" : SafeText.visible(journal.host)
        let question = "\(name) is being edited by slcfg (pid \(journal.pid) on \(host)) since "
            + "\(RecoverCommand.time(journal.started)): (o)pen read-only (e)dit anyway (q)uit "
        switch ask(question, ["o", "e", "q"]) {
        case "o": state.openReadOnly(because: "slcfg pid \(journal.pid) on \(host) is editing it")
        case "e": return
        default: throw ExitCode.success
        }
    }

    static func askAboutRecovery(
        _ journal: RecoveryJournal, at path: String, name: String, store: JournalStore, state: inout EditorState
    ) throws {
        var question = "\(name) has unsaved changes from a session that ended \(ended(path))\n(slcfg pid "
            + "\(journal.pid) on \(SafeText.visible(journal.host)), \(journal.changes) changes): "
            + "(r)ecover (d)iscard (v)iew the changes (q)uit "
        if access(journal.target, F_OK) != 0 && errno == ENOENT {
            question = "\(name) no longer exists: r opens its unsaved changes as a new file, s saves it there and w "
                + "saves it under another name.\n" + question
        } else if changedOnDisk(journal) {
            question = "\(name) changed on disk since that session began: the review before saving shows the "
                + "changes against it as it is now.\n" + question
        }
        while true {
            switch ask(question, ["r", "d", "v", "q"]) {
            case "r":
                let byIndex = recovered(journal, in: state)
                state.recover(byIndex)
                guard byIndex.count < journal.members.count else { store.remove(path); return }
                // Files of that session this one does not edit (a set whose members changed).
                let aside = store.putAside(path, suffix: "unrecovered") ?? path
                let open = Set(state.openFiles)
                for member in journal.members where !open.contains(member.path) {
                    try keepOrWrite(member, journalAside: aside)
                }
                return
            case "d":
                let aside = store.putAside(path, suffix: "discarded") ?? path
                printError("slcfg: the unsaved changes were kept aside as \(aside)")
                return
            case "v": showChanges(journal)
            default: throw ExitCode.success
            }
        }
    }

    /// A recovered file this session does not edit: written anew where it was when it is gone
    /// (the person asks for it), else left in the journal kept aside.
    static func keepOrWrite(_ member: RecoveryJournal.Member, journalAside aside: String) throws {
        let shown = SafeText.visible(member.path)
        guard access(member.path, F_OK) != 0 && errno == ENOENT else {
            return printError("slcfg: \(shown) is not part of what is open now: its unsaved bytes stay in \(aside)")
        }
        let question = "\(shown) no longer exists: (w)rite its unsaved changes there as a new file, or (k)eep them "
            + "in \(aside) "
        guard ask(question, ["w", "k"]) == "w" else { return }
        do throws(FileError) {
            try FileStore().write(member.bytes, to: member.path)
            printError("slcfg: wrote \(shown) (\(member.bytes.count) bytes)")
        } catch {
            printError("slcfg: \(error.description); its unsaved bytes stay in \(aside)")
        }
    }

    /// The journal's files by their index in the editor's workspace.
    static func recovered(_ journal: RecoveryJournal, in state: EditorState) -> [Int: [UInt8]] {
        var byIndex: [Int: [UInt8]] = [:]
        for member in journal.members {
            if let k = state.workspace.files.firstIndex(where: { $0.path.map(FileStore.absolutePath) == member.path }) {
                byIndex[k] = member.bytes
            }
        }
        return byIndex
    }

    /// Each recovered file against the disk as it is now, masked like every review.
    static func showChanges(_ journal: RecoveryJournal) {
        var out = Output(fd: 2)
        for member in journal.members {
            let disk = (try? FileStore.read(member.path)) ?? []
            let (old, new) = Masking.masked(old: CfgDocument(bytes: disk), new: CfgDocument(bytes: member.bytes))
            out.write(bytes: UnifiedDiff.make(old: old, new: new, path: member.path))
        }
        out.flush()
    }

    static func changedOnDisk(_ journal: RecoveryJournal) -> Bool {
        guard let before = journal.snapshot, let bytes = try? FileStore.read(journal.target) else { return false }
        return before.size != bytes.count || before.hash != FileSnapshot.hash(bytes)
    }

    /// When the journal was last written: when its session was last heard of.
    static func ended(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "at an unknown time" }
        return RecoverCommand.time(Int64(st.st_mtim.tv_sec))
    }

    /// Asks `question` on the terminal and reads one of `keys` (any other key asks again; end of
    /// input quits).
    static func ask(_ question: String, _ keys: Set<Character>) -> Character {
        for line in question.split(separator: "\n") { printError(String(line)) }
        var saved = termios()
        let isTerminal = tcgetattr(0, &saved) == 0
        if isTerminal {
            var raw = saved
            raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
            tcsetattr(0, TCSANOW, &raw)
        }
        defer { if isTerminal { tcsetattr(0, TCSANOW, &saved) } }
        while true {
            var byte: UInt8 = 0
            let r = read(0, &byte, 1)
            if r < 0 && errno == EINTR { continue }
            guard r == 1 else { return "q" }
            let key = Character(Unicode.Scalar(byte))
            if keys.contains(key) {
                printError(String(key))
                return key
            }
        }
    }
}
