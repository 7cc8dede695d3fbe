// The editor's recovery journal while it runs: written at the start (the lock), about a second
// after each change on a thread of its own, at once on a signal, and removed on a clean quit.
#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Editor
import Files

/// Keeps one editing session's journal up to date.
final class RecoverySession: @unchecked Sendable {
    private let store: JournalStore
    private let path: String
    private var journal: RecoveryJournal
    private let queue = DispatchQueue(label: "slcfg.journal")
    private var written: [Int] = []
    private var changedAt: UInt64?
    /// Why the last write failed, once (the editor shows it in the status line), or nil.
    private(set) var failure: String?
    private var failureShown = false

    /// Starts the journal of `state`'s target (the file, or the set's master); nil for the sample.
    init?(_ state: EditorState, store: JournalStore = JournalStore()) {
        guard let target = state.journalTarget else { return nil }
        self.store = store
        let pid = getpid()
        path = store.path(target: target, pid: pid)
        journal = RecoveryJournal(
            target: target, host: RecoveryJournal.hostName(), pid: pid, started: Int64(time(nil)),
            snapshot: state.workspace.set == nil
                ? state.workspace.files.first?.snapshot : (try? FileStore.readIdentified(target))?.snapshot)
        journal.files = state.openFiles
        written = state.revision
        write(state)
    }

    /// Notes the state after an event: once it has changed and about a second has passed since,
    /// the journal is written on its own thread (a keystroke never waits for the disk).
    func note(_ state: EditorState) {
        let revision = state.revision
        guard revision != written else { return }
        let now = Self.milliseconds()
        guard let since = changedAt else { changedAt = now; return }
        guard now - since >= 700 else { return }
        written = revision
        changedAt = nil
        let unsaved = state.unsavedFiles, changes = state.editCount
        queue.async { [self] in save(Self.contents(unsaved, changes: changes, journal: journal)) }
    }

    /// Writes the journal now (a signal is ending the session).
    func flush(_ state: EditorState) {
        queue.sync {}
        write(state)
    }

    /// The session ended cleanly: its journal goes.
    func end() {
        queue.sync {}
        store.remove(path)
    }

    /// The failure to show, the first time only.
    func failureToShow() -> String? {
        guard let failure, !failureShown else { return nil }
        failureShown = true
        return failure
    }

    private func write(_ state: EditorState) {
        save(Self.contents(state.unsavedFiles, changes: state.editCount, journal: journal))
    }

    private func save(_ contents: RecoveryJournal) {
        do throws(FileError) {
            try store.write(contents, to: path)
        } catch {
            failure = "cannot keep the recovery journal: \(error.description); editing goes on"
        }
    }

    /// The journal with `unsaved` files' bytes, replayed here (on the journal's thread when
    /// called from there): the editor's thread only hands over the changes.
    private static func contents(_ unsaved: [UnsavedFile], changes: Int, journal: RecoveryJournal) -> RecoveryJournal {
        var contents = journal
        contents.members = unsaved.map {
            RecoveryJournal.Member(path: FileStore.absolutePath($0.path), bytes: $0.fileBytes())
        }
        contents.changes = contents.members.isEmpty ? 0 : changes
        return contents
    }

    private static func milliseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1000 + UInt64(now.tv_nsec) / 1_000_000
    }
}
