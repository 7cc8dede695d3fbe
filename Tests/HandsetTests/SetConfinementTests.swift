// A provisioning set stays inside its directory: entries that leave it are never read, links that
// lead outside are marked, and --mac and --model cannot build a name that escapes.
import CfgDocument
@testable import Handset
import Testing

/// An in-memory file system that records every path read; `links` maps a path to where it really leads.
private final class Disk: @unchecked Sendable {
    var files: [String: String]
    var links: [String: String]
    var reads: [String] = []

    init(_ files: [String: String], links: [String: String] = [:]) {
        self.files = files
        self.links = links
    }

    var access: SetFiles {
        SetFiles(
            read: { path in
                self.reads.append(path)
                return self.files[path].map { Array($0.utf8) }
            },
            realPath: { path in
                if let target = self.links[path] { return target }
                return path.hasPrefix("/") ? path : "/srv/" + path
            })
    }
}

private func master(_ list: String, extra: String = "") -> String {
    "<APPLICATION APP_FILE_PATH=\"sip.ld\" CONFIG_FILES=\"\(list)\"\(extra)/>\n"
}

@Suite("A provisioning set never reaches outside its directory")
struct SetConfinementTests {
    @Test("Where an entry leads, by its text: inside (normalised), outside, or on another server")
    func entryPlaces() {
        let cases: [(String, EntryPlace)] = [
            ("site.cfg", .inside("site.cfg")), ("sub/../site.cfg", .inside("site.cfg")),
            ("./sub/./a.cfg", .inside("sub/a.cfg")), ("sub/x/../../a.cfg", .inside("a.cfg")),
            ("../outside.cfg", .outside), ("sub/../../outside.cfg", .outside), ("/tmp/x/outside.cfg", .outside),
            ("..\\outside.cfg", .outside), ("C:\\cfg\\a.cfg", .outside), ("a\\b/../../c.cfg", .outside),
            ("http://prov.example/a.cfg", .remote), ("ftp://prov/a.cfg", .remote), ("tftp://10.0.0.1/a.cfg", .remote),
            ("HTTPS://prov/a.cfg", .remote),
        ]
        for (name, place) in cases { #expect(EntryPlace(name) == place, "\(name)") }
    }

    @Test("--mac takes 12 hex digits, alone or separated by :, - or .; anything else is refused")
    func macAddresses() {
        for good in ["0004f2abcdef", "00:04:F2:AB:CD:EF", "00-04-f2-ab-cd-ef", "0004.f2ab.cdef"] {
            #expect(ProvisioningSet.macAddress(good) == "0004f2abcdef", "\(good)")
        }
        for bad in ["../../tmp/x", "0004f2abcde", "0004f2abcdef0", "00:04:f2:ab:cd", "00:04-f2:ab:cd:ef", "zz04f2abcdef",
            "00:04:f2:ab:cd:e:f", "", "0004f2abcdef/"]
        {
            #expect(ProvisioningSet.macAddress(bad) == nil, "\(bad)")
        }
        #expect(
            ProvisioningSet.macRefusal("../../tmp/x")
                == "--mac: '../../tmp/x' is not a MAC address (12 hex digits, alone or separated by ':', '-' or '.')")
        #expect(ProvisioningSet.isModelName("SPECTRALINK84") && ProvisioningSet.isModelName("8440_a-1"))
        #expect(!ProvisioningSet.isModelName("../x") && !ProvisioningSet.isModelName("a/b") && !ProvisioningSet.isModelName(""))
    }

    @Test("Entries that leave the directory are never read, each reported where it is written; the rest resolve")
    func entriesOutside() throws {
        let list = "../outside.cfg, sub/../site.cfg, /tmp/x/outside.cfg, http://other/remote.cfg, wireless.cfg"
        let disk = Disk([
            "prov/000000000000.cfg": master(list), "prov/site.cfg": "<s a=\"1\"/>",
            "prov/wireless.cfg": "<w b=\"2\"/>", "outside.cfg": "<o a=\"evil\"/>", "/tmp/x/outside.cfg": "<o a=\"evil\"/>",
        ])
        let set = try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: nil, model: nil, files: disk.access)
        #expect(disk.reads == ["prov/000000000000.cfg", "prov/site.cfg", "prov/wireless.cfg"])
        #expect(set.members.map(\.path) == ["prov/site.cfg", "prov/wireless.cfg"])
        #expect(set.members.map(\.listedName) == ["sub/../site.cfg", "wireless.cfg"])
        let text = master(list)
        func column(_ entry: String) -> Int { text.range(of: entry)!.lowerBound.utf16Offset(in: text) }
        #expect(
            set.problems == [
                .init(
                    rule: "outside-set", severity: .error, file: "prov/000000000000.cfg", offset: column("../outside"),
                    message: "../outside.cfg is outside prov: a provisioning server does not serve it, so the handset "
                        + "cannot read it"),
                .init(
                    rule: "outside-set", severity: .error, file: "prov/000000000000.cfg", offset: column("/tmp/x"),
                    message: "/tmp/x/outside.cfg is outside prov: a provisioning server does not serve it, so the "
                        + "handset cannot read it"),
                .init(
                    rule: "remote-file", severity: .info, file: "prov/000000000000.cfg", offset: column("http://"),
                    message: "http://other/remote.cfg: fetched from another server: not checked"),
            ])
        #expect(set.effectiveValue("a", in: set.effective()) == "1")
    }

    @Test("An OVERRIDES_DIRECTORY outside the set is reported and its overrides are not read")
    func overridesOutside() throws {
        let disk = Disk([
            "prov/000000000000.cfg": master("site.cfg", extra: " OVERRIDES_DIRECTORY=\"../ov\""),
            "prov/site.cfg": "<s a=\"1\"/>", "ov/0004f2abcdef-phone.cfg": "<o a=\"evil\"/>",
        ])
        let set = try ProvisioningSet.resolve(
            root: "prov", isDirectory: true, mac: "00:04:f2:ab:cd:ef", model: nil, files: disk.access)
        #expect(!disk.reads.contains { $0.hasPrefix("ov/") || $0.contains("..") })
        #expect(set.members.map(\.path) == ["prov/site.cfg"])
        #expect(set.problems.map(\.rule) == ["outside-set"])
        #expect(set.problems.first?.message.hasPrefix("../ov is outside prov:") == true)
    }

    @Test("Names that differ only in case are two files, as on the server; the same name twice is read once")
    func caseDistinctFiles() throws {
        let disk = Disk([
            "prov/000000000000.cfg": master("site.cfg, Site.cfg, site.cfg"), "prov/site.cfg": "<a a=\"1\"/>",
            "prov/Site.cfg": "<a a=\"2\" b=\"3\"/>",
        ])
        let set = try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: nil, model: nil, files: disk.access)
        #expect(set.members.map(\.path) == ["prov/site.cfg", "prov/Site.cfg"])
        #expect(set.problems.map(\.rule) == ["duplicate-file"])
        #expect(set.effectiveValue("a", in: set.effective()) == "1" && set.effectiveValue("b", in: set.effective()) == "3")
    }

    @Test("A member that is a link outside is read and reported; one inside is an ordinary member")
    func links() throws {
        let disk = Disk(
            [
                "prov/000000000000.cfg": master("away.cfg, near.cfg"), "prov/away.cfg": "<a a=\"1\"/>",
                "prov/near.cfg": "<n b=\"2\"/>",
            ], links: ["prov/away.cfg": "/srv/outside.cfg", "prov/near.cfg": "/srv/prov/real/near.cfg"])
        let set = try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: nil, model: nil, files: disk.access)
        #expect(set.members.map(\.path) == ["prov/away.cfg", "prov/near.cfg"])
        #expect(set.members.map(\.outsideTarget) == ["/srv/outside.cfg", nil])
        #expect(set.problems.map(\.rule) == ["link-outside"])
        #expect(
            set.problems.first?.message
                == "away.cfg is a link to /srv/outside.cfg, outside prov: a server that follows links serves it, so "
                + "slcfg reads it, but it does not write through it")
        #expect(
            set.outsideWrite(0) == "away.cfg is a link to /srv/outside.cfg, outside the set's directory: not written")
        #expect(set.outsideWrite(1) == nil)
    }

    @Test("A hostile --mac or --model is refused before anything is read")
    func hostileMacAndModel() {
        let disk = Disk(["prov/000000000000.cfg": master("[PHONE_MAC_ADDRESS].cfg")])
        #expect(throws: AssignmentError(description: ProvisioningSet.macRefusal("../../tmp/x"))) {
            try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: "../../tmp/x", model: nil, files: disk.access)
        }
        #expect(throws: AssignmentError(description: ProvisioningSet.modelRefusal("../x"))) {
            try ProvisioningSet.resolve(root: "prov", isDirectory: true, mac: nil, model: "../x", files: disk.access)
        }
        #expect(disk.reads.isEmpty)
    }
}
