// The benchmark: whole processes side by side (slcfg and Python's ElementTree) on generated
// inputs, plus in-process timings. Run it in release mode:
//     swift run -c release slcfg-bench [--runs N] [--params N]
import CfgDocument
import Editor
import Handset
import Screen
import Foundation
import Glibc
import Files

struct Measurement {
    var seconds: Double
    var peakKB: Int
    /// User and system time of the process, on all its threads.
    var cpuSeconds: Double = 0
}

/// Runs a command with stdout and stderr sent to /dev/null; returns wall time and peak RSS.
func measure(_ argv: [String], acceptedStatus: Set<Int32> = [0]) -> Measurement {
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    let start = ContinuousClock.now
    let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
    precondition(rc == 0, "cannot run \(argv[0])")
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let elapsed = ContinuousClock.now - start
    posix_spawn_file_actions_destroy(&actions)
    let exitStatus = (status >> 8) & 0xFF
    precondition(
        status & 0x7F == 0 && acceptedStatus.contains(exitStatus),
        "\(argv.prefix(4).joined(separator: " ")) failed with status \(status)")
    let (s, atto) = elapsed.components
    let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    return Measurement(seconds: Double(s) + Double(atto) / 1e18, peakKB: usage.ru_maxrss, cpuSeconds: cpu)
}

func median(_ argv: [String], runs: Int, acceptedStatus: Set<Int32> = [0]) -> Measurement {
    _ = measure(argv, acceptedStatus: acceptedStatus)   // warm the page cache
    let all = (0..<runs).map { _ in measure(argv, acceptedStatus: acceptedStatus) }.sorted { $0.seconds < $1.seconds }
    return all[all.count / 2]
}

func format(_ seconds: Double) -> String {
    String(format: "%.3f s", seconds)
}

/// A field of /proc/self/status in MB (VmRSS: resident now, VmHWM: the peak).
func statusMB(_ field: String) -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix(field + ":") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

/// Keys that put the cursor on a menu entry, found with the editor's own search.
func find(_ label: String, in state: inout EditorState) {
    _ = state.update(.key(.escape))
    _ = state.update(.key(.character("/")))
    for c in label { _ = state.update(.key(.character(c))) }
    _ = state.update(.key(.enter))
}

/// `--edit-memory FILE` (run by the benchmark in a process of its own): opens the editor on
/// FILE, makes 1,000 edits (a `.set` toggle and a typed server name, in turn), and prints the
/// resident memory then and at its peak.
func editMemory(_ path: String) -> Never {
    let baseline = statusMB("VmRSS")
    guard let bytes = try? FileStore.read(path) else { print("cannot read \(path)"); exit(66) }
    let opened = statusMB("VmRSS")
    var state = EditorState(bytes: bytes, path: path)
    _ = state.update(.resize(width: 100, height: 30))
    for i in 0..<500 {
        _ = state.update(.key(.tab))
        _ = state.update(.key(.character(" ")))
        find("Server Name", in: &state)
        for key: Key in [.enter, .character(Character(String(i % 10))), .enter] { _ = state.update(.key(key)) }
    }
    precondition(state.modified)
    print(String(format: "%.0f %.0f %.0f %.0f", statusMB("VmRSS"), statusMB("VmHWM"), baseline, opened))
    exit(0)
}

var runs = 5
/// Only the in-process figures (scanner, editor): for profiling one part.
var inProcessOnly = false
var params = 500_000
/// Only the start-up figures of the shipped binary.
var startupOnly = false
/// Only the fleet figures.
var fleetOnly = false
/// The binary the package ships (`--shipped`), else the package build's, else the one beside the benchmark.
var shipped: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let a = arguments.next() {
    switch a {
    case "--runs": runs = Int(arguments.next() ?? "") ?? runs
    case "--params": params = Int(arguments.next() ?? "") ?? params
    case "--in-process": inProcessOnly = true
    case "--startup": startupOnly = true
    case "--fleet": fleetOnly = true
    case "--shipped": shipped = arguments.next()
    case "--edit-memory": editMemory(arguments.next() ?? "")
    default:
        print("usage: slcfg-bench [--runs N] [--params N] [--in-process | --startup | --fleet] [--shipped SLCFG]")
        exit(64)
    }
}

let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let slcfg = products.appendingPathComponent("slcfg").path
var shared = URL(fileURLWithPath: #filePath)
for _ in 0..<4 { shared.deleteLastPathComponent() }
shared.appendPathComponent("shared")
let work = FileManager.default.temporaryDirectory.appendingPathComponent("slcfg-bench")
try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)

let big = work.appendingPathComponent("big-\(params).cfg").path
let bigCRLF = work.appendingPathComponent("big-\(params)-crlf.cfg").path
for (path, extra) in [(big, [String]()), (bigCRLF, ["--crlf"])] where !FileManager.default.fileExists(atPath: path) {
    _ = measure(
        ["python3", shared.appendingPathComponent("bench/gen_cfg.py").path, path, "--params", "\(params)"] + extra)
}
let size = (try? FileManager.default.attributesOfItem(atPath: big)[.size] as? Int) ?? 0

// A parameter near the end of the file, so `get` looks at everything.
let document = CfgDocument(bytes: try FileStore.read(big))
let lastName = document.name(document.parameterCount - 1)

let copies = work.appendingPathComponent("copies")
let deviceCfg = shared.appendingPathComponent(
    "corpus/mjmunger__PolyPyTools__tests_fixtures_issue_35_4.0.15.1009_Config_device.cfg")
if !FileManager.default.fileExists(atPath: copies.appendingPathComponent("1999.cfg").path) {
    try? FileManager.default.createDirectory(at: copies, withIntermediateDirectories: true)
    let bytes = try Data(contentsOf: deviceCfg)
    for i in 0..<2000 { try bytes.write(to: copies.appendingPathComponent("\(i).cfg")) }
}
let copyPaths = (0..<2000).map { copies.appendingPathComponent("\($0).cfg").path }

let etParse = "import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])"
let etWrite = "import sys, xml.etree.ElementTree as ET; t = ET.parse(sys.argv[1]); t.write(sys.argv[2])"
let etParams = """
import sys, json, xml.etree.ElementTree as ET
def walk(f, e, path):
    path = path + [e.tag]
    p = "/".join(path)
    for k, v in e.attrib.items():
        print(json.dumps({"file": f, "path": p, "name": k, "value": v}))
    for c in e:
        walk(f, c, path)
for f in sys.argv[1:]:
    walk(f, ET.parse(f).getroot(), [])
"""

if startupOnly {
    startupFigures()
    exit(0)
}

if fleetOnly {
    fleetFigures(runs: runs)
    exit(0)
}

if !inProcessOnly {
    print(
        "slcfg-bench: \(runs) runs each, median wall time; input \(big) (\(size / 1_000_000) MB, \(params) "
            + "parameters)\n"
    )
    print("| case | slcfg | Python ElementTree | ratio | goal |")
    print("|---|---|---|---|---|")
    for (label, file) in [("LF", big), ("CRLF", bigCRLF)] {
        let get = median([slcfg, "get", file, lastName], runs: runs)
        let parse = median(["python3", "-c", etParse, file], runs: runs)
        print(
            "| get, 33 MB \(label) | \(format(get.seconds)) | \(format(parse.seconds)) (parse) | "
                + "\(String(format: "%.3f", get.seconds / parse.seconds)) | ≤ 0.10 |"
        )
        let out = work.appendingPathComponent("out.cfg").path
        let set = median(
            [slcfg, "set", file, "--force", "-o", out, "\(lastName)=changed", "device.bench.new=1"], runs: runs)
        let write = median(["python3", "-c", etWrite, file, out], runs: runs)
        print(
            "| set -o, 33 MB \(label) | \(format(set.seconds)) | \(format(write.seconds)) (parse + write) | "
                + "\(String(format: "%.3f", set.seconds / write.seconds)) | ≤ 0.15 |"
        )
        print(
            "| peak memory of get, \(label) | \(get.peakKB / 1024) MB | file \(size / 1_048_576) MB | "
                + "\(String(format: "%.2f", Double(get.peakKB * 1024) / Double(size)))x | < 4x |"
        )
    }
    let params2000 = median([slcfg, "params", "--json"] + copyPaths, runs: runs)
    let python2000 = median(["python3", "-c", etParams] + copyPaths, runs: runs)
    print(
        "| params --json, 2,000 × 14 KB device.cfg | \(format(params2000.seconds)) | \(format(python2000.seconds)) "
            + "(parse + json.dumps) | \(String(format: "%.3f", params2000.seconds / python2000.seconds)) | ≤ 0.25 |"
    )

// Lint over 2,000 corpus-sized files: the 40 corpus files, 50 copies each, in one process.
let lintCopies = work.appendingPathComponent("lint-copies")
let corpusFiles = (try FileManager.default.contentsOfDirectory(atPath: shared.appendingPathComponent("corpus").path))
    .filter { !$0.hasSuffix(".md") }.sorted()
if !FileManager.default.fileExists(atPath: lintCopies.appendingPathComponent("49-\(corpusFiles.last!)").path) {
    try? FileManager.default.createDirectory(at: lintCopies, withIntermediateDirectories: true)
    for name in corpusFiles {
        let bytes = try Data(contentsOf: shared.appendingPathComponent("corpus/\(name)"))
        for copy in 0..<50 { try bytes.write(to: lintCopies.appendingPathComponent("\(copy)-\(name)")) }
    }
}
let lintPaths = corpusFiles.flatMap { name in (0..<50).map { lintCopies.appendingPathComponent("\($0)-\(name)").path } }
let lintBytes = lintPaths.reduce(0) { total, path in
    total + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
}
// On one core (SLCFG_JOBS=1) and on every core: wall time against CPU time.
for (jobs, label) in [("1", "one core"), ("\(ProcessInfo.processInfo.activeProcessorCount)", "every core")] {
    for command in [["lint", "--format", "gcc"], ["params"]] {
        let m = median(["env", "SLCFG_JOBS=\(jobs)", slcfg] + command + lintPaths, runs: runs, acceptedStatus: [0, 1])
        print(
            "| \(command.joined(separator: " ")), 2,000 corpus files (\(lintBytes / 1_000_000) MB), \(label) | "
                + "\(format(m.seconds)) (CPU \(format(m.cpuSeconds)), wall/CPU "
                + "\(String(format: "%.2f", m.seconds / m.cpuSeconds)), peak \(m.peakKB / 1024) MB) | | | |")
    }
}

    // Pathological shapes that once made lint and fix quadratic: everything on one line, and many fixes.
    func writeInput(_ name: String, _ text: String) -> String {
        let path = work.appendingPathComponent(name).path
        if !FileManager.default.fileExists(atPath: path) {
            FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
        return path
    }
    let oneLineAttributes = writeInput(
        "one-line-150000.cfg",
        "<polycomConfig><device device.set=\"1\" "
            + (0..<75_000).map { "device.bench.p\($0)=\"v\" device.bench.p\($0).set=\"0\"" }.joined(separator: " ")
            + "/></polycomConfig>\n")
    let oneLineElements = writeInput(
        "one-line-20000-elements.cfg",
        "<polycomConfig>"
            + (0..<20_000).map { _ in "<e device.sec.TLS.cusomCaCert2.set=\"0\"/>" }.joined() + "</polycomConfig>\n")
    let separateLines = writeInput(
        "lines-20000-elements.cfg",
        "<polycomConfig>\n"
            + (0..<20_000).map { _ in "<e device.sec.TLS.cusomCaCert2.set=\"0\"/>\n" }.joined() + "</polycomConfig>\n")
    func fixInput(_ count: Int) -> String {
        writeInput(
            "fixes-\(count).cfg",
            "<polycomConfig>\n"
                + (0..<count).map { "  <e\($0) device.sec.tls.customCaCert1=\"\" device.set=\"1\"/>\n" }.joined()
                + "</polycomConfig>\n")
    }
    let quick = max(1, min(runs, 3))
    print("\n| case | slcfg |")
    print("|---|---|")
    /// One row of the table: a lint or fix command, timed over `quick` runs.
    func row(_ label: String, _ arguments: [String], _ acceptedStatus: Set<Int32> = [0]) {
        let seconds = median([slcfg] + arguments, runs: quick, acceptedStatus: acceptedStatus).seconds
        print("| \(label) | \(format(seconds)) |")
    }
    let lint = ["lint", "--format", "gcc"]
    row("lint --format gcc, one line of 150,000 attributes (75,000 set-flag findings)",
        lint + [oneLineAttributes], [0, 1])
    row("lint --format gcc, one line of 20,000 elements, one finding each",
        lint + [oneLineElements], [0, 1])
    row("lint --format gcc, the same 20,000 elements one a line", lint + [separateLines], [0, 1])
    for count in [1_000, 2_000] {
        let output = work.appendingPathComponent("fixed.cfg").path
        let fix = ["fix", "--rule", "case-variant", "--force", "-o", output, fixInput(count)]
        row("fix --rule case-variant -o, \(count) fixes", fix)
    }
    hostileShapes(row: row, writeInput: writeInput, quick: quick)
    attackerShapes(row: row, writeInput: writeInput)
    startupFigures()
    fleetFigures(runs: quick)

}

/// The shapes of the hostile-input work: show beside lint on the 33 MB file (with memory), deep
/// nesting (the deepest accepted, and refused), and a 1,000-certificate input.
func hostileShapes(
    row: (String, [String], Set<Int32>) -> Void, writeInput: (String, String) -> String, quick: Int
) {
    for (label, arguments) in [("lint --format gcc", ["lint", "--format", "gcc", big]), ("show", ["show", big])] {
        let m = median([slcfg] + arguments, runs: quick, acceptedStatus: [0, 1])
        let ratio = String(format: "%.1f", Double(m.peakKB * 1024) / Double(size))
        print("| \(label), the 33 MB file (peak \(m.peakKB / 1024) MB, \(ratio)x the file) | \(format(m.seconds)) |")
    }
    func nested(_ n: Int) -> String {
        writeInput(
            "nested-\(n).cfg",
            "<polycomConfig>" + (0..<n).map { "<e\($0) device.sec.tls.customCaCert1=\"\" device.set=\"1\">" }.joined()
                + (0..<n).reversed().map { "</e\($0)>" }.joined() + "</polycomConfig>\n")
    }
    let output = work.appendingPathComponent("fixed.cfg").path
    row("fix -o, 10,000 levels of nesting (the deepest accepted; 9,998 duplicates removed)",
        ["fix", "--force", "-o", output, nested(9_999)], [0])
    row("fix -o, 100,000 nested elements (refused in one line)",
        ["fix", "--force", "-o", output, nested(100_000)], [2])
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let pem = try! String(
        contentsOf: repository.appendingPathComponent("Tests/Fixtures/source/example-root.pem"), encoding: .utf8)
    let many = writeInput("certificates-1000.pem", String(repeating: pem, count: 1_000))
    row("cert inspect, 1,000 certificates in one PEM", ["cert", "inspect", many], [0])
    let tooMany = writeInput("certificates-1001.pem", String(repeating: pem, count: 1_001))
    row("cert inspect, 1,001 certificates (refused in one line)", ["cert", "inspect", tooMany], [1, 2])
}

/// The shapes of the attacker issue: many assignments, many duplicates, many certificates of one name.
func attackerShapes(row: (String, [String], Set<Int32>) -> Void, writeInput: (String, String) -> String) {
    let output = work.appendingPathComponent("attacked.cfg").path
    let small = writeInput(
        "set-target.cfg", "<polycomConfig>\n  <device device.set=\"1\" device.prov.user=\"u\"/>\n</polycomConfig>\n")
    let names = (0..<8_000).map { "device.bench.group\($0 % 40).p\($0)=v" }
    row("set -o, 8,000 new names", ["set", small, "-o", output, "--force"] + names, [0])
    let line = writeInput(
        "one-line-1000000.cfg",
        "<polycomConfig><device device.set=\"1\" "
            + (0..<1_000_000).map { "device.b.p\($0)=\"v\"" }.joined(separator: " ") + "/></polycomConfig>\n")
    let values = (0..<5_000).map { "device.b.p\($0 * 200)=w" }
    row("set -o, 5,000 values on one line of 10^6 attributes", ["set", line, "-o", output, "--force"] + values, [0])
    let duplicates = writeInput(
        "duplicates-16000.cfg",
        "<polycomConfig device.set=\"1\">\n" + (0...16_000).map { "  <e\($0) device.prov.user=\"u\"/>\n" }.joined()
            + "</polycomConfig>\n")
    row("fix -o, 16,000 duplicates removed", ["fix", duplicates, "-o", output, "--force"], [0])
    let sameName = work.appendingPathComponent("same-name-1000.pem").path
    if !FileManager.default.fileExists(atPath: sameName) { writeSameNameCertificates(sameName, count: 1_000) }
    row("cert import --dry-run, 1,000 certificates of one name",
        ["cert", "import", small, sameName, "--slot", "1", "--dry-run"], [0])
}

/// `count` self-signed CA certificates that share one subject, one key and nothing else, made with openssl.
func writeSameNameCertificates(_ path: String, count: Int) {
    let key = work.appendingPathComponent("same-name.key").path
    let script = "openssl ecparam -name prime256v1 -genkey -noout -out '\(key)' && for i in $(seq 1 \(count)); do "
        + "openssl req -x509 -key '\(key)' -subj '/CN=Same Name CA' -set_serial $i -days 3650 "
        + "-addext basicConstraints=critical,CA:TRUE; done > '\(path)'"
    let shell = Process()
    shell.executableURL = URL(fileURLWithPath: "/bin/sh")
    shell.arguments = ["-c", script]
    try? shell.run()
    shell.waitUntilExit()
}

// In-process: the scanner alone.
let bytes = try FileStore.read(big)
var best = Double.infinity
for _ in 0..<runs {
    let start = ContinuousClock.now
    let d = CfgDocument(bytes: bytes)
    let (s, atto) = (ContinuousClock.now - start).components
    precondition(d.parameterCount > 0)
    best = min(best, Double(s) + Double(atto) / 1e18)
}
print(
    "\nIn process: CfgDocument scan of the 33 MB file: \(format(best)) (best of \(runs)), "
        + "\(String(format: "%.0f", Double(size) / best / 1e6)) MB/s"
)

// The editor on the 33 MB file: open (scan, lint, menu, rows) and draw the first frame; then
// keystrokes: update + render of a frame at 100x30.
func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
}
var openTimes: [Double] = []
var state = EditorState(bytes: [], path: nil)
for _ in 0..<runs {
    let start = ContinuousClock.now
    var opened = EditorState(bytes: bytes, path: big)
    _ = opened.update(.resize(width: 100, height: 30))
    _ = Screen.render(opened)
    openTimes.append(seconds(ContinuousClock.now - start))
    state = opened
}
openTimes.sort()
print(
    "\nEditor, 33 MB file: open and first frame \(format(openTimes[openTimes.count / 2])) (median of \(runs); lint "
        + "runs in the background)"
)
let lintStart = ContinuousClock.now
let bigFindings = Linter(now: state.now).lintAlone(state.document)
print(
    "Editor, 33 MB file: the background lint \(format(seconds(ContinuousClock.now - lintStart))) (\(bigFindings.count) "
        + "findings)"
)
_ = state.update(.linted(generation: state.generation, findings: bigFindings))
var moves: [Double] = []
for i in 0..<200 {
    let start = ContinuousClock.now
    _ = state.update(.key(i % 50 < 25 ? .down : .up))
    _ = Screen.render(state)
    moves.append(seconds(ContinuousClock.now - start))
}
moves.sort()
print(
    "Editor, 33 MB file: a movement keystroke (update + render) median "
        + "\(String(format: "%.2f", moves[moves.count / 2] * 1000)) ms, 95th percentile "
        + "\(String(format: "%.2f", moves[moves.count * 95 / 100] * 1000)) ms"
)
func medianMilliseconds(_ times: [Double]) -> String {
    String(format: "%.2f", times.sorted()[times.count / 2] * 1000)
}

/// Times one keystroke (update and render of the frame), `count` times; `prepare` runs untimed before each.
@MainActor func timeKey(_ key: Key, count: Int, prepare: (inout EditorState) -> Void = { _ in }) -> [Double] {
    (0..<count).map { _ in
        prepare(&state)
        let start = ContinuousClock.now
        _ = state.update(.key(key))
        _ = Screen.render(state)
        return seconds(ContinuousClock.now - start)
    }
}
let keystrokes = 21
find("Server Name", in: &state)
let editStarts = timeKey(.enter, count: keystrokes) { s in _ = s.update(.key(.escape)) }
_ = state.update(.key(.escape))
let commits = timeKey(.enter, count: keystrokes) { s in
    for key: Key in [.escape, .enter, .character("x")] { _ = s.update(.key(key)) }
}
let undos = timeKey(.character("u"), count: keystrokes)
let redos = timeKey(.control("r"), count: keystrokes)
_ = state.update(.key(.tab))
let spaces = timeKey(.character(" "), count: keystrokes)
// As the terminal runs a background lint: a snapshot that the lint thread copies, then lets go.
let duringLint = timeKey(.character(" "), count: keystrokes) { s in
    let snapshot = LintSnapshot(s.document)
    let taken = DispatchSemaphore(value: 0)
    DispatchQueue.global().async { _ = snapshot.take(); taken.signal() }
    taken.wait()
}
print(
    "Editor, 33 MB file, Space while a background lint runs (once its thread has taken its own copy): median "
        + "\(medianMilliseconds(duringLint)) ms"
)
print(
    "Editor, 33 MB file, median of \(keystrokes) (update + render): Space on a .set flag \(medianMilliseconds(spaces)) "
        + "ms, Enter to edit a value \(medianMilliseconds(editStarts)) ms, Enter to commit it "
        + "\(medianMilliseconds(commits)) ms, undo \(medianMilliseconds(undos)) ms, redo \(medianMilliseconds(redos)) "
        + "ms"
)

// The recovery journal: what a keystroke pays (the state's revision and its unsaved files, handed
// to the journal's thread), and what that thread pays to write the 33 MB file's journal.
let journalStore = JournalStore(environment: ["XDG_STATE_HOME": work.appendingPathComponent("state").path])
let keystrokeSide = (0..<keystrokes).map { _ in
    let start = ContinuousClock.now
    precondition(!state.revision.isEmpty && state.unsavedFiles.count <= 1)
    return seconds(ContinuousClock.now - start)
}
// The keystroke after the journal took its bytes, while its thread still holds them to write.
var heldByJournal: [UnsavedFile] = []
let whileJournalWrites = timeKey(.character(" "), count: keystrokes) { s in heldByJournal = s.unsavedFiles }
heldByJournal = []
var journalRecord = RecoveryJournal(target: big, host: "bench", pid: getpid(), started: 0, snapshot: nil)
let unsavedNow = state.unsavedFiles
precondition(unsavedNow.count == 1 && unsavedNow[0].bytes() == state.document.bytes)
let journalPath = journalStore.path(target: big, pid: getpid())
let journalWrites = (0..<3).map { _ in
    let start = ContinuousClock.now
    journalRecord.members = unsavedNow.map { .init(path: $0.path, bytes: $0.bytes()) }
    try? journalStore.write(journalRecord, to: journalPath)
    return seconds(ContinuousClock.now - start)
}.sorted()
journalStore.remove(journalPath)
print(
    "Editor, 33 MB file, recovery journal: \(medianMilliseconds(keystrokeSide)) ms on a keystroke; Space while its "
        + "thread holds what it writes \(medianMilliseconds(whileJournalWrites)) ms; replaying its "
        + "\(state.editCount) changes and writing it (on its own thread, about a second after a change) "
        + "\(format(journalWrites[1])), median of 3")

let memory = Pipe()
let child = Process()
child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
child.arguments = ["--edit-memory", big]
child.standardOutput = memory
try child.run()
child.waitUntilExit()
let figures = String(decoding: memory.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ")
    .compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
if figures.count == 4 {
    let mb = Double(size) / 1_048_576
    print(
        String(
            format:
                "Editor, 33 MB file, after 1,000 edits (500 .set toggles, 500 typed values): resident %.0f MB (%.2fx "
                    + "the file), peak %.0f MB (%.2fx); the process held %.0f MB before reading the file and %.0f MB "
                    + "with it read",
            figures[0], figures[0] / mb, figures[1], figures[1] / mb, figures[2], figures[3]))
}

/// Start-up of the shipped binary on the 14 KB device.cfg: `--version`, `get` and `lint`, beside
/// `xmlstarlet sel` and `xmlstarlet val` on the same file, then `probe` beside `openssl s_client`;
/// medians of 21 runs.
@MainActor func startupFigures() {
    var packaged = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { packaged.deleteLastPathComponent() }
    packaged.appendPathComponent(".build/deb/root/usr/bin/slcfg")
    let binary = shipped ?? (FileManager.default.isExecutableFile(atPath: packaged.path) ? packaged.path : slcfg)
    let file = deviceCfg.path
    let document = CfgDocument(bytes: (try? FileStore.read(file)) ?? [])
    let name = document.name(document.parameterCount - 1)
    let hasXmlstarlet = FileManager.default.isExecutableFile(atPath: "/usr/bin/xmlstarlet")
    print("\nStart-up, \(binary), on \(deviceCfg.lastPathComponent) (median of 21 runs):\n")
    print("| command | slcfg | anchor | ratio |")
    print("|---|---|---|---|")
    let xsd = shared.appendingPathComponent("schemas/polycomConfig.xsd").path
    var cases: [(String, [String], [String]?)] = [
        ("--version", ["--version"], nil),
        ("get", ["get", file, name], ["sel", "-t", "-v", "//@\(name)", file]),
        ("lint", ["lint", file], ["val", file]),
    ]
    if FileManager.default.fileExists(atPath: xsd) {
        cases.append(("lint --schema polycomConfig.xsd (3.6 MB)", ["lint", file, "--schema", xsd],
                      ["val", "-s", xsd, file]))
    }
    for (label, arguments, anchor) in cases {
        let ours = median([binary] + arguments, runs: 21, acceptedStatus: [0, 1]).seconds
        guard let anchor, hasXmlstarlet else {
            print("| \(label) | \(milliseconds(ours)) | \(anchor == nil ? "" : "not installed") | |")
            continue
        }
        let theirs = median(["/usr/bin/xmlstarlet"] + anchor, runs: 21, acceptedStatus: [0, 1]).seconds
        print("| \(label) | \(milliseconds(ours)) | \(milliseconds(theirs)) (\(anchor[0])) | "
              + "\(String(format: "%.1f", ours / theirs))x |")
    }
    probeFigure(binary)
    schemaFigure(xsd)
}

/// Reading the 3.6 MB firmware schema in process (the bytes already read), median of 11.
func schemaFigure(_ path: String) {
    guard let bytes = try? FileStore.read(path) else { return }
    var times: [Double] = []
    var count = 0
    for _ in 0..<11 {
        let start = Date()
        count = (try? FirmwareSchema(bytes: bytes, source: "polycomConfig.xsd"))?.parameters.count ?? 0
        times.append(Date().timeIntervalSince(start))
    }
    print("\nReading polycomConfig.xsd (\(bytes.count / 1_000) KB, \(count) parameters) in process: "
          + "\(milliseconds(times.sorted()[5])) (median of 11)")
}

/// `probe` of a loopback `openssl s_server` whose chain reaches slot 2, beside `openssl s_client
/// -verify_return_error` against the same server, medians of 21.
func probeFigure(_ binary: String) {
    let dir = work.appendingPathComponent("probe")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let port = 20_000 + Int(getpid() % 20_000)
    let setup = """
        set -e
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
          -subj "/CN=Bench Root" -days 3650
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout srv.key -out srv.csr -subj /CN=localhost
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > ext
        openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 365 -extfile ext
        ca=$(openssl x509 -in ca.pem -outform DER | base64 -w0)
        printf '<polycomConfig><device device.set="1" device.prov.serverType="3" device.prov.serverType.set="1" \
        device.prov.serverName="127.0.0.1:\(port)" device.prov.serverName.set="1" device.sec.TLS.customCaCert2="%s" \
        device.sec.TLS.customCaCert2.set="1"/></polycomConfig>\n' "$ca" > wireless.cfg
        """
    let made = Process()
    made.executableURL = URL(fileURLWithPath: "/bin/sh")
    made.arguments = ["-c", setup]
    made.currentDirectoryURL = dir
    made.standardError = FileHandle.nullDevice
    guard (try? made.run()) != nil else { return }
    made.waitUntilExit()
    let server = Process()
    server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "srv.pem", "-key", "srv.key", "-www",
                        "-quiet"]
    server.currentDirectoryURL = dir
    server.standardOutput = FileHandle.nullDevice
    server.standardError = FileHandle.nullDevice
    guard made.terminationStatus == 0, (try? server.run()) != nil else { print("\n(probe: no openssl)"); return }
    defer { server.terminate(); server.waitUntilExit() }
    usleep(500_000)
    let cfg = dir.appendingPathComponent("wireless.cfg").path
    let ours = median([binary, "probe", cfg], runs: 21).seconds
    let theirs = median(["openssl", "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile",
                         dir.appendingPathComponent("ca.pem").path, "-verify_return_error"], runs: 21).seconds
    print("| probe, loopback s_server, chain to slot 2 | \(milliseconds(ours)) | \(milliseconds(theirs)) "
          + "(`openssl s_client -verify_return_error`) | \(String(format: "%.1f", ours / theirs))x |")
}

func milliseconds(_ seconds: Double) -> String {
    String(format: "%.1f ms", seconds * 1000)
}
