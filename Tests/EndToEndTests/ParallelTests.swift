// Many files on every core: the output of lint and params is byte for byte that of one thread.
import Foundation
import Testing
import TestSupport

@Suite("Many files on every core")
struct ParallelTests {
    /// Every fixture and corpus file, a provisioning directory, a missing file and a directory
    /// that is no set, each twice over, so that the threads overtake each other.
    var arguments: [String] {
        let files = (Samples.fixtures + Samples.corpus).map(\.url.path)
        let prov = Samples.fixturesDirectory.deletingLastPathComponent().appendingPathComponent("prov").path
        let once = files + [prov, "/nonexistent/wireless.cfg"] + files.reversed()
        return once + once
    }

    /// `slcfg arguments` with `SLCFG_JOBS=jobs`.
    func slcfg(jobs: Int, _ arguments: [String]) -> (status: Int32, stdout: String, stderr: String) {
        run("/usr/bin/env", ["SLCFG_JOBS=\(jobs)", slcfgPath] + arguments)
    }

    @Test("lint and params on four threads print what one thread prints, with the same status",
          arguments: [["lint"], ["lint", "--format", "gcc"], ["lint", "--format", "json", "--strict"], ["params"],
                      ["params", "--json"]])
    func sameAsOneThread(command: [String]) {
        let paramsArguments = arguments.filter { !$0.hasPrefix("/nonexistent") && !$0.hasSuffix("/prov") }
        let inputs = command[0] == "params" ? paramsArguments : arguments
        let one = slcfg(jobs: 1, command + inputs)
        let four = slcfg(jobs: 4, command + inputs)
        #expect(!one.stdout.isEmpty)
        #expect(four.stdout == one.stdout, "stdout of \(command)")
        #expect(four.stderr == one.stderr, "stderr of \(command)")
        #expect(four.status == one.status)
        if command[0] == "lint" {
            #expect(one.status == 2, "a missing file is status 2")
            #expect(one.stderr.contains("/nonexistent/wireless.cfg"))
        }
    }

    @Test("params stops at the first file it cannot read, on four threads as on one")
    func paramsStopsInOrder() {
        let files = Samples.fixtures.map(\.url.path)
        let arguments = ["params"] + files.prefix(5) + ["/nonexistent/x.cfg"] + files
        let one = slcfg(jobs: 1, arguments)
        let four = slcfg(jobs: 4, arguments)
        #expect(one.status != 0 && four.status == one.status)
        #expect(four.stderr == one.stderr && one.stderr.contains("/nonexistent/x.cfg"))
        #expect(four.stdout == one.stdout)
    }

    @Test("fix and set --dry-run on four threads print the diffs and notes one thread prints",
          arguments: [["fix", "--dry-run"], ["set", "--dry-run", "device.prov.serverName=prov.example.com"]])
    func editsSameAsOneThread(command: [String]) {
        // Files that can be written (not the malformed fixtures, which a fix refuses to touch).
        let files = (Samples.fixtures + Samples.corpus).filter { $0.wellFormed == true }.map(\.url.path)
        let one = slcfg(jobs: 1, command + files)
        let four = slcfg(jobs: 4, command + files)
        #expect(one.status == 0 && !one.stdout.isEmpty, "\(one.stderr.prefix(2000))")
        #expect(four.stdout == one.stdout)
        #expect(four.stderr == one.stderr)
        #expect(four.status == one.status)
    }
}
