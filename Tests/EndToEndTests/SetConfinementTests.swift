// Every command that reads or writes a provisioning set stays inside its directory, on a real disk:
// `..` escaping, `..` staying inside, an absolute path, a URL, links inside and outside, a hostile --mac.
import Foundation
import Glibc
import Testing
import TestSupport

private let root = Samples.fixturesDirectory.deletingLastPathComponent()
    .appendingPathComponent("source/example-root.pem").path

/// `base/prov` with a master listing every shape, and files outside it that hold values which must
/// never show up (`OUTSIDE-…`).
private struct Layout {
    let base = temporaryDirectory()
    var prov: URL { base.appendingPathComponent("prov") }
    var outside: URL { base.appendingPathComponent("outside.cfg") }
    var absolute: URL { base.appendingPathComponent("abs/absolute.cfg") }
    var linkedOutside: URL { base.appendingPathComponent("linked-outside.cfg") }

    /// The master's CONFIG_FILES, as written.
    var list: String {
        "../outside.cfg, sub/../site.cfg, \(absolute.path), http://prov.example/remote.cfg, away.cfg, near.cfg, "
            + "wireless.cfg"
    }
    var master: String { "<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"\(list)\"/>\n" }

    init() {
        try! FileManager.default.createDirectory(at: prov.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: prov.appendingPathComponent("real"), withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(at: absolute.deletingLastPathComponent(), withIntermediateDirectories: true)
        let evil = { (tag: String) in
            "<device device.set=\"1\" device.prov.serverName=\"OUTSIDE-\(tag).example\" device.prov.serverName.set=\"1\" "
                + "device.sec.TLS.customCaCert2=\"\" device.sec.TLS.customCaCert2.set=\"1\" device.wifi.ssid=\"OUTSIDE-\(tag)\"/>\n"
        }
        write(Array(evil("dotdot").utf8), to: outside)
        write(Array(evil("absolute").utf8), to: absolute)
        write(Array("<device device.sec.TLS.customCaCert1=\"\" device.sec.TLS.customCaCert1.set=\"0\"/>\n".utf8), to: linkedOutside)
        write(Array(master.utf8), to: prov.appendingPathComponent("000000000000.cfg"))
        write(Array("<site device.set=\"1\" device.prov.serverType=\"0\"/>\n".utf8), to: prov.appendingPathComponent("site.cfg"))
        write(Array("<near device.wifi.security=\"WPA2-Enterprise\"/>\n".utf8), to: prov.appendingPathComponent("real/near.cfg"))
        write(Array("<wifi device.wifi.ssid=\"Inside\" device.wifi.ssid.set=\"1\"/>\n".utf8), to: prov.appendingPathComponent("wireless.cfg"))
        symlink(linkedOutside.path, prov.appendingPathComponent("away.cfg").path)
        symlink("real/near.cfg", prov.appendingPathComponent("near.cfg").path)
    }

    /// Column (1-based) of `entry` on the master's only line.
    func column(_ entry: String) -> Int { master.utf8.distance(from: master.startIndex, to: master.range(of: entry)!.lowerBound) + 1 }

    /// The bytes and modification time of every file outside `prov`.
    func outsideState() -> [String: ([UInt8], Date)] {
        var state: [String: ([UInt8], Date)] = [:]
        for url in [outside, absolute, linkedOutside] {
            let date = try! FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as! Date
            state[url.path] = (contents(url), date)
        }
        return state
    }
}

@Suite("A provisioning set never reaches outside its directory, on disk", .serialized)
struct SetConfinementEndToEndTests {
    @Test("get, params, show and probe never answer from a file outside the directory")
    func readersStayInside() {
        let layout = Layout()
        let before = layout.outsideState()
        let runs = [
            slcfg(["get", "prov", "device.wifi.ssid", "device.prov.serverName", "--effective"], in: layout.base),
            slcfg(["params", "prov", "--effective"], in: layout.base),
            slcfg(["show", "prov"], in: layout.base),
            slcfg(["lint", "prov"], in: layout.base),
            slcfg(["probe", "prov", "--timeout", "1"], in: layout.base),
        ]
        for run in runs {
            #expect(!run.stdout.contains("OUTSIDE-") && !run.stderr.contains("OUTSIDE-"), "\(run.stdout)\(run.stderr)")
        }
        #expect(runs[0].stdout == "prov/wireless.cfg:1:7\tInside\n")
        #expect(runs[0].status == 1)
        #expect(layout.outsideState().mapValues(\.0) == before.mapValues(\.0))
    }

    @Test("lint reports each entry where it is written: outside-set, remote-file and link-outside")
    func lintFindings() {
        let layout = Layout()
        let result = slcfg(["lint", "prov", "--format", "gcc"], in: layout.base)
        #expect(result.status == 1)
        let master = "prov/000000000000.cfg:1"
        let lines = result.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix(master) }
        #expect(
            lines == [
                "\(master):\(layout.column("../outside")): error: ../outside.cfg is outside prov: a provisioning server "
                    + "does not serve it, so the handset cannot read it [outside-set]",
                "\(master):\(layout.column(layout.absolute.path)): error: \(layout.absolute.path) is outside prov: a "
                    + "provisioning server does not serve it, so the handset cannot read it [outside-set]",
                "\(master):\(layout.column("http://")): info: http://prov.example/remote.cfg: fetched from another "
                    + "server: not checked [remote-file]",
                "\(master):\(layout.column("away.cfg")): warning: away.cfg is a link to \(realpath(layout.linkedOutside)), "
                    + "outside prov: a server that follows links serves it, so slcfg reads it, but it does not write "
                    + "through it [link-outside]",
            ])
        #expect(!result.stdout.contains("[shadowed]"))
    }

    @Test("cert import writes only inside: the slot an outside file would supply goes to a file of the set")
    func importStaysInside() {
        let layout = Layout()
        let before = layout.outsideState()
        let result = slcfg(["cert", "import", "prov", "--slot", "2", root], in: layout.base)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("prov/wireless.cfg: "))
        #expect(layout.outsideState().mapValues(\.0) == before.mapValues(\.0))
        #expect(layout.outsideState().mapValues(\.1) == before.mapValues(\.1))
    }

    @Test("A change that lands in a link outside is refused, naming its target; --write-outside writes through it")
    func linkOutsideWrites() throws {
        let layout = Layout()
        let before = layout.outsideState()
        let refused = slcfg(["cert", "import", "prov", "--slot", "1", root], in: layout.base)
        #expect(refused.status != 0)
        #expect(
            refused.stderr.hasSuffix(
                "slcfg: away.cfg is a link to \(realpath(layout.linkedOutside)), outside the set's directory: not "
                    + "written (nothing was changed); --write-outside writes through the link\n"), "\(refused.stderr)")
        #expect(layout.outsideState().mapValues(\.0) == before.mapValues(\.0))
        #expect(contents(layout.prov.appendingPathComponent("wireless.cfg")) == Array("<wifi device.wifi.ssid=\"Inside\" device.wifi.ssid.set=\"1\"/>\n".utf8))
        let allowed = slcfg(["cert", "import", "prov", "--slot", "1", "--write-outside", root], in: layout.base)
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(String(decoding: contents(layout.linkedOutside), as: UTF8.self).contains("customCaCert1.set=\"1\""))
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: layout.prov.appendingPathComponent("away.cfg").path)
        #expect(link == layout.linkedOutside.path)
    }

    @Test("A hostile --mac or --model is refused with one line and exit 64, for readers and writers alike")
    func hostileMac() {
        let layout = Layout()
        let refusal = "slcfg: --mac: '../../tmp/x' is not a MAC address (12 hex digits, alone or separated by ':', '-' or '.')\n"
        for arguments in [["get", "prov", "device.wifi.ssid", "--effective"], ["lint", "prov"], ["show", "prov"],
                          ["cert", "import", "prov", "--slot", "2", root]] {
            let result = slcfg(arguments + ["--mac", "../../tmp/x"], in: layout.base)
            #expect(result.status == 64 && result.stderr == refusal, "\(arguments): \(result.stderr)")
        }
        let model = slcfg(["lint", "prov", "--model", "../x"], in: layout.base)
        #expect(model.status == 64 && model.stderr == "slcfg: --model: '../x' is not a model name (letters, digits, '-' and '_')\n")
        let good = slcfg(["get", "prov", "device.wifi.ssid", "--effective", "--mac", "00-04-F2-AB-CD-EF"], in: layout.base)
        #expect(good.stdout == "prov/wireless.cfg:1:7\tInside\n")
    }
}

private func realpath(_ url: URL) -> String {
    guard let real = Glibc.realpath(url.path, nil) else { return url.path }
    defer { free(real) }
    return String(cString: real)
}
