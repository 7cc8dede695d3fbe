import Foundation
import Testing
import TestSupport

/// The repository's root folder.
private let repository: URL = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url
}()

private let subcommands = [["edit"], ["params"], ["get"], ["set"], ["cert", "inspect"], ["cert", "show"], ["cert", "import"],
                           ["cert", "import-device"], ["lint"], ["fix"], ["show"], ["recover"]]

@Suite("Install")
struct InstallTests {
    @Test("--version prints the version from Sources/slcfg/Version.swift and exits 0")
    func version() throws {
        let source = try String(contentsOf: repository.appendingPathComponent("Sources/slcfg/Version.swift"), encoding: .utf8)
        let declared = try #require(source.firstMatch(of: /static let current = "([0-9]+\.[0-9]+\.[0-9]+)"/)?.1)
        let result = slcfg(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout == "\(declared)\n")
        #expect(result.stderr == "")
    }

    @Test("The Debian package's changelog begins with the version of Version.swift (the release checklist)")
    func packageChangelog() throws {
        let source = try String(contentsOf: repository.appendingPathComponent("Sources/slcfg/Version.swift"), encoding: .utf8)
        let declared = try #require(source.firstMatch(of: /static let current = "([0-9]+\.[0-9]+\.[0-9]+)"/)?.1)
        let changelog = try String(contentsOf: repository.appendingPathComponent("Packaging/deb/changelog"), encoding: .utf8)
        #expect(changelog.hasPrefix("slcfg (\(declared)) "), "add an entry to Packaging/deb/changelog (README, Release checklist)")
    }

    @Test("The checked-in man page documents every subcommand and every option their --help lists")
    func manPage() throws {
        let manual = try String(contentsOf: repository.appendingPathComponent("Sources/slcfg/slcfg.1"), encoding: .utf8)
        for path in subcommands {
            let help = slcfg(path + ["--help"])
            #expect(help.status == 0)
            #expect(manual.contains(".It Em \(path.last!)"), "no section for \(path.joined(separator: " "))")
            let options = Set(help.stdout.matches(of: /--([a-z][a-z0-9-]+)/).map { String($0.1) }).subtracting(["help", "version"])
            for option in options {
                #expect(manual.contains("Fl -\(option)"), "slcfg.1 lacks --\(option) of \(path.joined(separator: " ")): regenerate it (README, Install)")
            }
        }
    }

    @Test("bash completion completes file names for file arguments and offers wlan and provisioning for --for")
    func bashCompletion() throws {
        let dir = temporaryDirectory()
        let script = slcfg(["--generate-completion-script", "bash"])
        try #require(script.status == 0)
        write(Array(script.stdout.utf8), to: dir.appendingPathComponent("slcfg.bash"))
        write(Array("<r/>\n".utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let driver = """
        source ./slcfg.bash
        complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
          _slcfg slcfg "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; printf '%s\\n' "${COMPREPLY[@]}" | sort | tr '\\n' ' '; echo; }
        complete_words slcfg lint wi
        complete_words slcfg show wi
        complete_words slcfg cert import --for ""
        complete_words slcfg cert import --for w
        """
        let result = run("/bin/bash", ["-c", driver], in: dir)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: " ").map(String.init) }
        #expect(lines[0] == ["wireless.cfg"])
        #expect(lines[1] == ["wireless.cfg"])
        #expect(lines[2].contains("wlan") && lines[2].contains("provisioning"))
        #expect(lines[3].contains("wlan") && !lines[3].contains("provisioning"))
    }
}
