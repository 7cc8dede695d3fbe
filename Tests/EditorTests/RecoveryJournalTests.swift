// The recovery journal's bytes and its store: what is written is read back, what is damaged or
// newer is told apart, and nothing is readable by anyone else.
import Foundation
import Glibc
import Testing
import Files
import TestSupport

@Suite("Recovery journal")
struct RecoveryJournalTests {
    func sample() -> RecoveryJournal {
        var journal = RecoveryJournal(
            target: "/srv/prov/000000000000.cfg", host: "prov-01", pid: 4242, started: 1_796_400_000,
            snapshot: FileSnapshot(size: 12, modified: 1_796_300_000, modifiedNanoseconds: 5, hash: 0xABCDEF))
        journal.changes = 3
        journal.files = ["/srv/prov/wireless.cfg", "/srv/prov/site.cfg", "/srv/prov/phone1.cfg"]
        journal.members = [
            .init(path: "/srv/prov/wireless.cfg", bytes: Array("<a b=\"\u{1}\r\n\"/>".utf8)),
            .init(path: "/srv/prov/site.cfg", bytes: []),
        ]
        return journal
    }

    @Test("A journal reads back as written: header, snapshot and every member's bytes")
    func roundTrip() throws {
        let journal = sample()
        #expect(try RecoveryJournal(decoding: journal.encoded()) == journal)
    }

    @Test("A truncated journal, one with bytes beyond its members, or no header is damaged; a newer one is refused")
    func damagedAndNewer() {
        let bytes = sample().encoded()
        #expect(throws: RecoveryJournal.ReadError.damaged("it ends before its last file")) {
            try RecoveryJournal(decoding: Array(bytes.dropLast(3)))
        }
        #expect(throws: RecoveryJournal.ReadError.damaged("it holds more than its header lists")) {
            try RecoveryJournal(decoding: bytes + [0x41])
        }
        #expect(throws: RecoveryJournal.ReadError.damaged("no header")) { try RecoveryJournal(decoding: []) }
        let newer = Array("{\"slcfgJournal\":2}\n".utf8)
        #expect(throws: RecoveryJournal.ReadError.newer(2)) { try RecoveryJournal(decoding: newer) }
    }

    @Test("The store writes 0600 files in a 0700 directory, finds the journals of a target or its files, puts aside")
    func store() throws {
        let state = temporaryDirectory().appendingPathComponent("state")
        let store = JournalStore(environment: ["XDG_STATE_HOME": state.path, "HOME": "/nonexistent"])
        #expect(store.directory == state.path + "/slcfg")
        let journal = sample()
        let path = store.path(target: journal.target, pid: journal.pid)
        try store.write(journal, to: path)
        for (file, mode) in [(state.path, 0o700), (store.directory, 0o700), (path, 0o600)] {
            var st = stat()
            #expect(stat(file, &st) == 0 && Int(st.st_mode & 0o777) == mode, "\(file)")
        }
        write(Array("garbage".utf8), to: URL(fileURLWithPath: store.path(target: journal.target, pid: 1)))
        let found = store.journals(of: journal.target)
        #expect(found.count == 2)
        #expect(found.compactMap { try? $0.journal.get() } == [journal])
        #expect(store.journals(of: "/elsewhere.cfg").isEmpty)
        // A file of the set, opened alone or in another set, finds the set's session.
        #expect(store.journals(of: "/srv/prov/phone1.cfg").count == 1)
        #expect(store.journals(of: "/srv/other/0004f2000001.cfg", files: ["/srv/prov/site.cfg"]).count == 1)
        let aside = try #require(store.putAside(path, suffix: "discarded"))
        #expect(aside.contains(".discarded-") && FileManager.default.fileExists(atPath: aside))
        #expect(store.journals(of: journal.target).count == 1)
    }

    @Test("A session on this host whose process is gone is dead; another host's is never taken for dead")
    func liveness() {
        var journal = sample()
        journal.host = RecoveryJournal.hostName()
        journal.pid = getpid()
        #expect(journal.sessionAlive)
        journal.pid = Int32.max
        #expect(!journal.sessionAlive)
        journal.host = "another-host"
        #expect(journal.sessionAlive)
    }
}
