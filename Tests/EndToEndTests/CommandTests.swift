import Foundation
import Testing
import TestSupport

private let wireless = """
<?xml version="1.0" encoding="utf-8"?>\r
<polycomConfig>\r
\t<WPA2Enterprise.PEAP\r
\t\tdevice.set="1"\r
\t\tdevice.sec.tls.customCaCert1=""\r
\t\tdevice.sec.tls.customCaCert1.set="0"\r
\t\tdevice.prov.serverName="prov.example.com"\r
\t/>\r
</polycomConfig>\r

"""

private func fixture(_ text: String = wireless, name: String = "wireless.cfg") -> (URL, URL) {
    let dir = temporaryDirectory()
    let file = dir.appendingPathComponent(name)
    write(Array(text.utf8), to: file)
    return (dir, file)
}

@Suite("Commands")
struct CommandTests {
    @Test("get prints each value on its own line, matching names in any case")
    func get() {
        let (dir, _) = fixture()
        let result = slcfg(["get", "wireless.cfg", "device.prov.serverName", "device.sec.TLS.customCaCert1.set"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "prov.example.com\n0\n")
        #expect(result.stderr == "")
    }

    @Test("get exits 1 naming the missing parameters after the others, with their defaults or the name meant")
    func getMissing() {
        let (dir, _) = fixture()
        let result = slcfg(["get", "wireless.cfg", "device.set", "device.prov.user", "device.prov.password",
                            "device.prov.serverType", "device.prov.sevrerName"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout == "1\n")
        #expect(result.stderr == """
            wireless.cfg: note: device.prov.user is not in the file: the handset uses its default, "PlcmSpIp"
            wireless.cfg: note: device.prov.password is not in the file: the handset uses its default
            wireless.cfg: note: device.prov.serverType is not in the file: the handset uses its default, "0"
            wireless.cfg: note: device.prov.sevrerName is not a parameter the handset knows; did you mean \
            device.prov.serverName?
            slcfg: wireless.cfg: no parameter named device.prov.user, device.prov.password, device.prov.serverType, \
            device.prov.sevrerName

            """)
    }

    @Test("set changes the value in place, keeping CRLF, tabs and the file's spelling")
    func setInPlace() {
        let (dir, file) = fixture()
        let result = slcfg(["set", "wireless.cfg", "device.sec.TLS.customCaCert1.set=1"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: contents(file), as: UTF8.self) == wireless.replacingOccurrences(
            of: "customCaCert1.set=\"0\"", with: "customCaCert1.set=\"1\""))
    }

    @Test("set --enable inserts a missing parameter after its nearest relative, and its .set partner after it")
    func setEnableInserts() {
        let (dir, file) = fixture()
        let result = slcfg(["set", "wireless.cfg", "device.sec.TLS.customCaCert2=MIIB", "--enable"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: contents(file), as: UTF8.self) == wireless.replacingOccurrences(
            of: "\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n",
            with: "\t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n\t\tdevice.sec.TLS.customCaCert2=\"MIIB\"\r\n\t\tdevice.sec.TLS.customCaCert2.set=\"1\"\r\n"))
    }

    @Test("set --dry-run prints a unified diff and writes nothing")
    func dryRun() {
        let (dir, file) = fixture()
        let result = slcfg(["set", "--dry-run", "wireless.cfg", "device.prov.serverName=new.example.com"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "--- a/wireless.cfg\n+++ b/wireless.cfg\n@@ -4,6 +4,6 @@\n \t\tdevice.set=\"1\"\r\n \t\tdevice.sec.tls.customCaCert1=\"\"\r\n \t\tdevice.sec.tls.customCaCert1.set=\"0\"\r\n-\t\tdevice.prov.serverName=\"prov.example.com\"\r\n+\t\tdevice.prov.serverName=\"new.example.com\"\r\n \t/>\r\n </polycomConfig>\r\n")
        #expect(contents(file) == Array(wireless.utf8))
    }

    @Test("set -o writes another file and leaves the input alone")
    func setOutput() {
        let (dir, file) = fixture()
        let result = slcfg(["set", "wireless.cfg", "-o", "out.cfg", "device.set=0"], in: dir)
        #expect(result.status == 0)
        #expect(contents(file) == Array(wireless.utf8))
        #expect(String(decoding: contents(dir.appendingPathComponent("out.cfg")), as: UTF8.self)
                == wireless.replacingOccurrences(of: "device.set=\"1\"", with: "device.set=\"0\""))
    }

    @Test("set takes assignments in order wherever they stand, and an option's value holding '=' as that value")
    func setArgumentOrder() {
        let (dir, file) = fixture()
        let result = slcfg(
            ["set", "device.prov.user=a", "wireless.cfg", "--enable", "device.prov.user=b", "-o", "x=y.cfg", "--force",
             "--", "device.prov.user=c"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(contents(file) == Array(wireless.utf8))
        #expect(String(decoding: contents(dir.appendingPathComponent("x=y.cfg")), as: UTF8.self)
                == wireless.replacingOccurrences(
                    of: "\t\tdevice.prov.serverName=\"prov.example.com\"\r\n",
                    with: "\t\tdevice.prov.serverName=\"prov.example.com\"\r\n\t\tdevice.prov.user=\"c\"\r\n"
                        + "\t\tdevice.prov.user.set=\"1\"\r\n"))
        // The options of set that take a value, which SetAside.optionsWithValue must list.
        let help = slcfg(["set", "--help"]).stdout
        let withValue = help.split(separator: "\n").compactMap { line -> String? in
            let words = line.split(separator: " ")
            guard let first = words.first, first.hasPrefix("-"), words.count > 1, words[1].hasPrefix("<") else { return nil }
            return String(first)
        }
        #expect(withValue == ["-o", "--schema"])
    }

    @Test("set on several files changes each")
    func setSeveral() {
        let (dir, first) = fixture()
        let second = dir.appendingPathComponent("b.cfg")
        write(Array("<polycomConfig device.set=\"0\"/>".utf8), to: second)
        let result = slcfg(["set", "wireless.cfg", "b.cfg", "device.set=1", "device.prov.user=admin"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(String(decoding: contents(second), as: UTF8.self) == "<polycomConfig device.set=\"1\" device.prov.user=\"admin\"/>")
        #expect(String(decoding: contents(first), as: UTF8.self).contains("\t\tdevice.prov.serverName=\"prov.example.com\"\r\n\t\tdevice.prov.user=\"admin\"\r\n"))
    }

    @Test("Errors are one line, exit non-zero and touch nothing", arguments: [
        (["get", "missing.cfg", "x"], "slcfg: missing.cfg: cannot open: No such file or directory; check the path\n"),
        (["set", "wireless.cfg", "--bogus", "a=1"], "slcfg: Unknown option '--bogus' (see 'slcfg set --help')\n"),
        (["set", "wireless.cfg", "other.cfg", "-o", "x.cfg", "a=1"], "slcfg: -o takes one input file; 2 were given\n"),
        (["set", "wireless.cfg"], "slcfg: name at least one NAME=VALUE to set\n"),
        (["set", "wireless.cfg", "=1"], "slcfg: an argument has no parameter name before its '=' (its value is not shown)\n"),
        (["set", "wireless.cfg", "bad name=1"], "slcfg: wireless.cfg: cannot set bad name: 'bad name' is not a valid parameter name (no spaces, quotes, '=', '<', '>' or '/'); nothing was changed\n"),
    ])
    func errors(arguments: [String], message: String) {
        let (dir, file) = fixture()
        let result = slcfg(arguments, in: dir)
        #expect(result.status != 0)
        #expect(result.stderr == message)
        #expect(contents(file) == Array(wireless.utf8))
    }

    @Test("set refuses a read-only file before changing anything")
    func readOnly() {
        guard getuid() != 0 else { return }   // root may write anything
        let (dir, file) = fixture()
        chmod(file.path, 0o444)
        let result = slcfg(["set", "wireless.cfg", "device.set=0"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr == "slcfg: wireless.cfg is not writable (Permission denied): nothing was changed\n")
    }

    @Test("Malformed input is reported as FILE:LINE:COL: warning and does not stop a read")
    func diagnosticsOnStderr() {
        let (dir, _) = fixture("<r>\n  <a x=\"1\" {if $y}y=\"2\"{/if}/>\n", name: "t.cfg")
        let result = slcfg(["get", "t.cfg", "y"], in: dir)
        #expect(result.status == 0)
        #expect(result.stdout == "2\n")
        #expect(result.stderr == """
        t.cfg:1:1: warning: element <r> is never closed

        """)
    }

    @Test("params lists file:line:col, path, name and value, tab-separated, newlines escaped")
    func paramsText() {
        let (dir, _) = fixture("<r>\n  <a x=\"1\" y=\"a\nb\"/>\n</r>\n", name: "t.cfg")
        let result = slcfg(["params", "t.cfg"], in: dir)
        #expect(result.stdout == "t.cfg:2:6\tr/a\tx\t1\nt.cfg:2:12\tr/a\ty\ta\\nb\n")
    }

    @Test("The editor outside a terminal says what to use instead")
    func notATerminal() {
        let result = slcfg([])
        #expect(result.status == 2)
        #expect(result.stderr == "slcfg: the editor needs a terminal (standard input and output must be a tty); for scripts use the params, get, set, cert, lint and fix subcommands\n")
    }
}
