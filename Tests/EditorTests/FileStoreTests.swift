import Foundation
import Glibc
import Testing
import TestSupport
import Editor
import Files

/// System calls that fail at one chosen step with one chosen errno.
struct FailingCalls: SystemCalls {
    enum Step: String, CaseIterable { case createTemporary, fchmod, write, secondWrite, fsync, close, rename }
    var step: Step
    var code: Int32
    let real = PosixCalls()
    let writes = Counter()

    final class Counter: @unchecked Sendable { var value = 0 }

    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) { real.open(path, flags, mode) }
    func openat(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) {
        if step == .createTemporary && flags & O_CREAT != 0 { return (-1, code) }
        return real.openat(directory, name, flags, mode)
    }
    func lstatat(_ directory: Int32, _ name: String) -> (stat?, Int32) { real.lstatat(directory, name) }
    func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> (Int, Int32) {
        writes.value += 1
        if step == .write || (step == .secondWrite && writes.value == 2) { return (-1, code) }
        // Write at most 7 bytes at a time so a second write happens.
        return real.write(fd, UnsafeRawBufferPointer(rebasing: buffer.prefix(7)))
    }
    func fsync(_ fd: Int32) -> (Int32, Int32) { step == .fsync ? (-1, code) : real.fsync(fd) }
    func fchmod(_ fd: Int32, _ mode: mode_t) -> (Int32, Int32) { step == .fchmod ? (-1, code) : real.fchmod(fd, mode) }
    func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) -> (Int32, Int32) { real.fchown(fd, uid, gid) }
    func close(_ fd: Int32) -> (Int32, Int32) {
        let r = real.close(fd)
        return step == .close ? (-1, code) : r
    }
    func renameat(_ directory: Int32, _ from: String, _ to: String) -> (Int32, Int32) {
        step == .rename ? (-1, code) : real.renameat(directory, from, to)
    }
    func unlinkat(_ directory: Int32, _ name: String) -> (Int32, Int32) { real.unlinkat(directory, name) }
}

/// Real system calls, except that `swap` runs once, when the temporary file is flushed: the
/// moment an attacker who can write the directory replaces the name (tests of the race).
struct RacingCalls: SystemCalls {
    let real = PosixCalls()
    let swap: @Sendable () -> Void
    let swapped = FailingCalls.Counter()

    func open(_ path: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) { real.open(path, flags, mode) }
    func openat(_ directory: Int32, _ name: String, _ flags: Int32, _ mode: mode_t) -> (Int32, Int32) {
        real.openat(directory, name, flags, mode)
    }
    func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> (Int, Int32) { real.write(fd, buffer) }
    func fsync(_ fd: Int32) -> (Int32, Int32) {
        if swapped.value == 0 {
            swapped.value = 1
            swap()
        }
        return real.fsync(fd)
    }
    func fchmod(_ fd: Int32, _ mode: mode_t) -> (Int32, Int32) { real.fchmod(fd, mode) }
    func fchown(_ fd: Int32, _ uid: uid_t, _ gid: gid_t) -> (Int32, Int32) { real.fchown(fd, uid, gid) }
    func close(_ fd: Int32) -> (Int32, Int32) { real.close(fd) }
    func lstatat(_ directory: Int32, _ name: String) -> (stat?, Int32) { real.lstatat(directory, name) }
    func renameat(_ directory: Int32, _ from: String, _ to: String) -> (Int32, Int32) {
        real.renameat(directory, from, to)
    }
    func unlinkat(_ directory: Int32, _ name: String) -> (Int32, Int32) { real.unlinkat(directory, name) }
}

@Suite("The save replaces exactly the file it read")
struct SaveRaceTests {
    @Test("The name swapped for a link to another file between read and rename: nothing written, the victim untouched")
    func symlinkSwapped() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg"), victim = dir.appendingPathComponent("shadow")
        write(Array("<r a=\"1\"/>\n".utf8), to: file)
        write(Array("secret\n".utf8), to: victim)
        let (_, snapshot) = try FileStore.readIdentified(file.path)
        let calls = RacingCalls {
            _ = Glibc.rename(file.path, dir.appendingPathComponent("moved.cfg").path)
            _ = Glibc.symlink(victim.path, file.path)
        }
        #expect(throws: FileError(path: file.path, message: "became a symbolic link since it was read; nothing was written")) {
            try FileStore(calls: calls).write(Array("<r a=\"2\"/>\n".utf8), to: file.path, expected: snapshot.identity)
        }
        #expect(contents(victim) == Array("secret\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["moved.cfg", "shadow", "wireless.cfg"])
    }

    @Test("The name replaced by another regular file: a conflict, nothing written")
    func fileReplaced() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array("<r a=\"1\"/>\n".utf8), to: file)
        let (_, snapshot) = try FileStore.readIdentified(file.path)
        let calls = RacingCalls {
            _ = Glibc.unlink(file.path)
            write(Array("theirs\n".utf8), to: file)
        }
        #expect(throws: FileError(path: file.path, message: "is another file than the one read (it was replaced meanwhile); nothing was written")) {
            try FileStore(calls: calls).write(Array("<r a=\"2\"/>\n".utf8), to: file.path, expected: snapshot.identity)
        }
        #expect(contents(file) == Array("theirs\n".utf8))
    }

    @Test("A link the user opened through keeps its rule, decided at read time: its target is written, the link stays")
    func linkOpenedThrough() throws {
        let dir = temporaryDirectory()
        let real = dir.appendingPathComponent("real.cfg"), link = dir.appendingPathComponent("wireless.cfg")
        write(Array("<r a=\"1\"/>\n".utf8), to: real)
        _ = Glibc.symlink(real.path, link.path)
        let (_, snapshot) = try FileStore.readIdentified(link.path)
        try FileStore().write(Array("<r a=\"2\"/>\n".utf8), to: link.path, expected: snapshot.identity)
        #expect(contents(real) == Array("<r a=\"2\"/>\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == real.path)
    }
}

@Suite("Atomic save")
struct FileStoreTests {
    @Test("Saving replaces the contents and keeps the file's mode")
    func keepsMode() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array("old\r\n".utf8), to: file)
        chmod(file.path, 0o640)
        try FileStore().write(Array("new\r\n".utf8), to: file.path)
        #expect(contents(file) == Array("new\r\n".utf8))
        var st = stat()
        stat(file.path, &st)
        #expect(st.st_mode & 0o7777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["wireless.cfg"])
    }

    @Test("Saving keeps the file's owner and group (as root, for a file owned by someone else)", .enabled(if: getuid() == 0))
    func keepsOwner() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        write(Array("old".utf8), to: file)
        #expect(chown(file.path, 65534, 65534) == 0)
        try FileStore().write(Array("new".utf8), to: file.path)
        var st = stat()
        stat(file.path, &st)
        #expect(st.st_uid == 65534 && st.st_gid == 65534)
        #expect(contents(file) == Array("new".utf8))
    }

    @Test("Saving through a symbolic link updates its target and keeps the link")
    func keepsSymlink() throws {
        let dir = temporaryDirectory()
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("real"), withIntermediateDirectories: true)
        let target = dir.appendingPathComponent("real/wireless.cfg")
        write(Array("old".utf8), to: target)
        let link = dir.appendingPathComponent("link.cfg")
        symlink("real/wireless.cfg", link.path)
        try FileStore().write(Array("new".utf8), to: link.path)
        #expect(contents(target) == Array("new".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real/wireless.cfg")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("real").path) == ["wireless.cfg"])
    }

    @Test("A fault at any step leaves the original whole and no temporary file",
          arguments: FailingCalls.Step.allCases, [EIO, ENOSPC])
    func faults(step: FailingCalls.Step, code: Int32) {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("wireless.cfg")
        let original = Array("<polycomConfig device.set=\"1\"/>\n".utf8)
        write(original, to: file)
        let store = FileStore(calls: FailingCalls(step: step, code: code))
        #expect(throws: FileError.self) { try store.write(Array(repeating: UInt8(ascii: "x"), count: 100), to: file.path) }
        #expect(contents(file) == original)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["wireless.cfg"])
    }

    @Test("The error says what failed and that the original is unchanged")
    func faultMessage() {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("x".utf8), to: file)
        let store = FileStore(calls: FailingCalls(step: .write, code: ENOSPC))
        do {
            try store.write(Array("y".utf8), to: file.path)
            Issue.record("no error")
        } catch {
            #expect(error.description == "\(file.path): cannot write: No space left on device; free some disk space; the original file is unchanged")
        }
    }

    @Test("A stale temporary file of a dead process is removed by the next save")
    func staleTemporary() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("x".utf8), to: file)
        // PID 2^22+1 is above Linux's pid_max default range: no such process.
        let stale = dir.appendingPathComponent(".w.cfg.slcfg-4194305-12345.tmp")
        write(Array("half".utf8), to: stale)
        let other = dir.appendingPathComponent(".other.cfg.slcfg-4194305-1.tmp")
        write(Array("not ours".utf8), to: other)
        try FileStore().write(Array("y".utf8), to: file.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == [".other.cfg.slcfg-4194305-1.tmp", "w.cfg"])
    }

    @Test("A new file gets the default mode (0666 less the umask)")
    func newFile() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("new.cfg")
        let mask = umask(0o022)
        defer { umask(mask) }
        try FileStore().write(Array("n".utf8), to: file.path)
        var st = stat()
        stat(file.path, &st)
        #expect(st.st_mode & 0o7777 == 0o644)
    }

    @Test("Reading a missing file says so and what to do")
    func readMissing() {
        #expect(throws: FileError(path: "/nonexistent/w.cfg", message: "cannot open: No such file or directory; check the path", code: ENOENT)) {
            try FileStore.read("/nonexistent/w.cfg")
        }
    }

    @Test("A mode-0444 file is read-only by its bits, for root too; status tells size, time, bytes; a missing directory is unwritable")
    func readOnlyBits() throws {
        let dir = temporaryDirectory()
        let file = dir.appendingPathComponent("w.cfg")
        write(Array("<r/>\n".utf8), to: file)
        chmod(file.path, 0o444)
        #expect(FileStore.readOnlyReason(file.path) == "\(file.path) is read-only (mode 0444)")
        let status = FileStore.status(of: file.path)
        #expect(status.exists && !status.isDirectory && status.bytes == Array("<r/>\n".utf8) && status.readOnly == "mode 0444")
        #expect(status.snapshot?.size == 5 && status.modifiedText.count == 16)
        chmod(file.path, 0o644)
        #expect(FileStore.readOnlyReason(file.path) == nil && FileStore.status(of: file.path).readOnly == nil)
        #expect(FileStore.status(of: dir.path) == FileStatus(exists: true, isDirectory: true))
        #expect(FileStore.status(of: dir.appendingPathComponent("nodir/out.cfg").path)
                == FileStatus(exists: false, unwritable: "its directory \(dir.path)/nodir does not exist"))
    }
}
