// No escape sequence from a file or a certificate reaches the terminal: every human-facing output
// of every command, checked byte for byte, on names and values holding ESC, CSI, OSC 52, BEL, C1
// controls and bidi overrides.
import Foundation
import Testing
import TestSupport

/// A wireless.cfg whose names and values hold every kind of character that drives a terminal,
/// raw and as character references.
private let hostile: [UInt8] = Array(
    """
    <polycomConfig>
      <device device.set="1"
        device.prov.serverName="prov&#27;]52;c;cm0gLXJmIH4=&#7;.example.com" device.prov.serverName.set="1"
        device.prov.serverType="3" device.prov.serverType.set="1"
        device.prov.user="a&#27;[2Jb" device.prov.user.set="1" device.prov.password="p&#27;w"
        device.wifi.ssid="c1&#x9B;31m&#x85;x&#x202E;gnp.exe&#x2066;" device.wifi.ssid.set="1"
        device.sec.TLS.customCaCert1="" device.sec.TLS.customCaCert1.set="0"
        device.\u{1B}[5mblink="1" reg.1.label="bell\u{07}raw\u{1B}]0;title\u{07}"/>
    </polycomConfig>

    """.utf8)

/// The bytes no human-facing output may hold: ESC, BEL, the C1 controls (UTF-8 C2 80–9F and a
/// lone 9B), and the bidi overrides and isolates (E2 80 AA–AE, E2 81 A6–A9).
private func forbidden(_ text: String) -> [String] {
    var found: [String] = []
    let bytes = Array(text.utf8)
    for (k, b) in bytes.enumerated() {
        let next = k + 1 < bytes.count ? bytes[k + 1] : 0, after = k + 2 < bytes.count ? bytes[k + 2] : 0
        if b == 0x1B || b == 0x07 { found.append(String(format: "%02x at %d", b, k)) }
        if b == 0xC2 && (0x80...0x9F).contains(next) { found.append("C1 \(next) at \(k)") }
        if b == 0xE2 && next == 0x80 && (0xAA...0xAE).contains(after) { found.append("bidi at \(k)") }
        if b == 0xE2 && next == 0x81 && (0xA6...0xA9).contains(after) { found.append("isolate at \(k)") }
    }
    return found
}

/// A certificate whose subject CN holds OSC 52 and a bidi override.
private let hostileCertificate = TestPKI.issue(
    cn: "evil\u{1B}]52;c;cm0gLXJmIH4=\u{07}\u{202E}gnp", org: nil, serial: [0x66], ca: true, issuer: nil)

@Suite("Hostile input: no escape sequence from a file reaches the terminal")
struct HostileTextTests {
    @Test("Every human-facing output of every command, stdout and stderr, holds none of those bytes")
    func everyCommand() {
        let dir = temporaryDirectory()
        write(hostile, to: dir.appendingPathComponent("w.cfg"))
        write(Array(hostileCertificate.pem.utf8), to: dir.appendingPathComponent("evil.pem"))
        let commands: [[String]] = [
            ["show", "w.cfg"], ["lint", "w.cfg"], ["lint", "--format", "gcc", "w.cfg"],
            ["fix", "w.cfg", "-o", "fixed.cfg"], ["cert", "show", "w.cfg"], ["cert", "inspect", "evil.pem"],
            ["cert", "import", "w.cfg", "--slot", "1", "evil.pem", "-o", "imported.cfg"],
            ["probe", "w.cfg", "--timeout", "1"], ["params", "w.cfg"], ["get", "w.cfg", "no.such\u{1B}[2J"],
            ["set", "w.cfg", "reg.1.label\u{1B}]0;x\u{07}"], ["get", "missing\u{1B}[2J.cfg", "x"],
        ]
        for command in commands {
            let result = slcfg(command, in: dir)
            #expect(forbidden(result.stdout) == [], "\(command) stdout: \(result.stdout)")
            #expect(forbidden(result.stderr) == [], "\(command) stderr: \(result.stderr)")
        }
    }

    @Test("show spells each character out where it stands; get, data like cat, prints the value exactly")
    func spelledOut() {
        let dir = temporaryDirectory()
        write(hostile, to: dir.appendingPathComponent("w.cfg"))
        let show = slcfg(["show", "w.cfg", "--show-secrets"], in: dir)
        #expect(show.stdout.contains("prov\\e]52;c;cm0gLXJmIH4=\\x07.example.com"), "\(show.stdout)")
        #expect(show.stdout.contains("c1\\u009B31m\\u0085x\\u202Egnp.exe\\u2066"), "\(show.stdout)")
        let get = slcfg(["get", "w.cfg", "device.prov.serverName"], in: dir)
        #expect(get.stdout == "prov\u{1B}]52;c;cm0gLXJmIH4=\u{07}.example.com\n")
        let params = slcfg(["params", "w.cfg"], in: dir)
        #expect(params.stdout.contains("\tdevice.\\e[5mblink\t1\n"))
        #expect(params.stdout.contains("\treg.1.label\tbell\\x07raw\\e]0;title\\x07\n"))
    }

    @Test("lint reports control-char on each name and value, with the character and its column")
    func lintRule() {
        let dir = temporaryDirectory()
        write(hostile, to: dir.appendingPathComponent("w.cfg"))
        let lint = slcfg(["lint", "--format", "gcc", "w.cfg"], in: dir)
        let lines = lint.stdout.split(separator: "\n").filter { $0.hasSuffix("[control-char]") }
        // A C0 control makes the file not XML: an error. CSI (C1) is XML, but it drives a terminal.
        let xml = "; an XML file cannot hold it, so a strict parser rejects the whole file"
        let expected: [String] = [
            "w.cfg:3:5: error: device.prov.serverName holds ESC (U+001B) at column 5 and 1 more such character: "
                + "the handset uses it as it is; it was probably pasted from a terminal\(xml) [control-char]",
            "w.cfg:5:5: error: device.prov.user holds ESC (U+001B) at column 2: the handset uses it as it is; it "
                + "was probably pasted from a terminal\(xml) [control-char]",
            "w.cfg:5:60: error: device.prov.password holds ESC (U+001B) at column 2: the handset uses it as it is; "
                + "it was probably pasted from a terminal\(xml) (a secret: fix leaves it to a person) [control-char]",
            "w.cfg:6:5: warning: device.wifi.ssid holds CSI (U+009B) at column 3 and 3 more such characters: the "
                + "handset uses it as it is; it was probably pasted from a terminal [control-char]",
            "w.cfg:8:5: error: the name device.\\e[5mblink holds ESC (U+001B) at column 8: the handset reads it "
                + "as it is, so this is not the parameter it looks like; it was probably pasted from a terminal\(xml) "
                + "[control-char]",
            "w.cfg:8:26: error: reg.1.label holds BEL (U+0007) at column 5 and 2 more such characters: the "
                + "handset uses it as it is; it was probably pasted from a terminal\(xml) [control-char]",
        ]
        #expect(lines.map(String.init) == expected, "\(lint.stdout)")
        let fixed = slcfg(["fix", "w.cfg", "--rule", "control-char", "-o", "fixed.cfg"], in: dir)
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let after = slcfg(["get", "fixed.cfg", "device.prov.serverName", "device.wifi.ssid", "reg.1.label"], in: dir)
        #expect(after.stdout == "prov]52;c;cm0gLXJmIH4=.example.com\nc131mxgnp.exe\nbellraw]0;title\n")
    }
}

@Suite("Bounded work: shapes no configuration file has are refused in one line")
struct BoundedWorkTests {
    @Test("params and show on 10,000 nested elements print output linear in what they read: a path over 128 levels keeps its first and last 64 names")
    func deepPathsLinear() {
        let dir = temporaryDirectory()
        let n = 10_000
        let text = (0..<n).map { "<e a\($0)=\"1\">" }.joined() + String(repeating: "</e>", count: n) + "\n"
        write(Array(text.utf8), to: dir.appendingPathComponent("deep.cfg"))
        let params = slcfg(["params", "deep.cfg"], in: dir)
        #expect(params.status == 0)
        #expect(params.stdout.utf8.count < 20 * text.utf8.count, "\(params.stdout.utf8.count) bytes")
        let lines = params.stdout.split(separator: "\n")
        #expect(lines[127].hasSuffix("\t" + Array(repeating: "e", count: 128).joined(separator: "/") + "\ta127\t1"))
        let e64 = Array(repeating: "e", count: 64).joined(separator: "/")
        #expect(lines[n - 1].hasSuffix("\t\(e64)/…(\(n - 128) more levels)…/\(e64)\ta\(n - 1)\t1"))
        let show = slcfg(["show", "deep.cfg"], in: dir)
        #expect(show.status == 0 && show.stdout.utf8.count < 20 * text.utf8.count, "\(show.stdout.utf8.count) bytes")
    }

    @Test("Standard input over 64 MB, and a certificate over 8 MB, are refused with the limit, without reading the rest")
    func inputCaps() {
        let dir = temporaryDirectory()
        let flood = run("/bin/bash", ["-c", "head -c 200000000 /dev/zero | '\(slcfgPath)' get - device.set"], in: dir)
        #expect(flood.status == 2)
        #expect(flood.stderr == "slcfg: standard input: holds more than 64 MB, more than a configuration file ever is; "
                + "stopped reading\n")
        write([UInt8](repeating: 0x41, count: 9_000_000), to: dir.appendingPathComponent("big.pem"))
        let pem = slcfg(["cert", "inspect", "big.pem"], in: dir)
        #expect(pem.status == 2)
        #expect(pem.stderr == "slcfg: big.pem: holds 9000000 bytes, more than a certificate chain ever is (slcfg reads "
                + "up to 8 MB)\n")
    }

    @Test("Elements nested more than 10,000 deep: every command refuses in one line; 10,000 are read")
    func deepNesting() {
        let dir = temporaryDirectory()
        func nested(_ n: Int) -> [UInt8] {
            Array(((0..<n).map { _ in "<e a=\"1\">" }.joined() + String(repeating: "</e>", count: n) + "\n").utf8)
        }
        write(nested(10_001), to: dir.appendingPathComponent("deep.cfg"))
        write(nested(10_000), to: dir.appendingPathComponent("ok.cfg"))
        let message = "slcfg: deep.cfg: elements are nested 10001 deep; slcfg reads at most 10000 levels, far more "
            + "than any configuration file has\n"
        for command in [["lint", "deep.cfg"], ["show", "deep.cfg"], ["fix", "deep.cfg"], ["params", "deep.cfg"]] {
            let result = slcfg(command, in: dir)
            #expect(result.status != 0 && result.stderr == message, "\(command): \(result.stderr)")
        }
        #expect(slcfg(["get", "ok.cfg", "a"], in: dir).stdout == "1\n")
    }
}

@Suite("Line formats cannot be forged")
struct ForgedLineTests {
    @Test("A value holding &#10; cannot print a line of its own in lint (gcc and text), fix or show")
    func oneLineEachFinding() {
        let dir = temporaryDirectory()
        let forged = "&#10;w.cfg:1:1: error: forged finding [xml]&#10;"
        write(
            Array(
                ("<device device.set=\"1\" device.prov.serverType=\"9\(forged)\" device.prov.serverType.set=\"1\" "
                    + "device.prov.serverName=\"x\(forged)\" device.prov.serverName.set=\"0\"/>\n").utf8),
            to: dir.appendingPathComponent("w.cfg"))
        let outputs = [
            slcfg(["lint", "--format", "gcc", "w.cfg"], in: dir).stdout, slcfg(["lint", "w.cfg"], in: dir).stdout,
            slcfg(["show", "w.cfg"], in: dir).stdout, slcfg(["fix", "w.cfg", "-o", "f.cfg"], in: dir).stderr,
        ]
        for (k, output) in outputs.enumerated() {
            let lines = output.split(separator: "\n")
            #expect(!lines.contains { $0.hasPrefix("w.cfg:1:1: error: forged") }, "\(output)")
            // The value is quoted, its line breaks spelled out (fix's report quotes no value).
            #expect(k == 3 || lines.contains { $0.contains("\\nw.cfg:1:1: error: forged") }, "\(output)")
        }
        let gcc = slcfg(["lint", "--format", "gcc", "w.cfg"], in: dir).stdout.split(separator: "\n")
        #expect(gcc.allSatisfy { $0.wholeMatch(of: /w\.cfg:\d+:\d+: (error|warning|info): .* \[[a-z-]+\]/) != nil })
    }
}
