import Foundation
import Testing
import TestSupport

/// A file with device.set="1" holding one parameter at `value` with its .set at "0".
private func file(_ name: String, _ value: String) -> String {
    "<polycomConfig>\n  <device device.set=\"1\"\n    \(name)=\"\(value)\"\n    \(name).set=\"0\"/>\n</polycomConfig>\n"
}

/// Each parameter whose value can weaken security, with a weak value `fix` must not turn on and
/// what `fix` says about it.
private let weakCases: [(name: String, value: String, says: String)] = [
    ("device.sec.TLS.dot1x.strictCertCommonNameValidation", "0",
     "strictCertCommonNameValidation=0 would turn name checking off: the handset would accept a RADIUS server (802.1X) certificate issued to any name; set the value to 1 first"),
    ("device.sec.TLS.prov.strictCertCommonNameValidation", "0",
     "strictCertCommonNameValidation=0 would turn name checking off: the handset would accept a provisioning server certificate issued to any name; set the value to 1 first"),
    ("device.sec.TLS.syslog.strictCertCommonNameValidation", "0",
     "strictCertCommonNameValidation=0 would turn name checking off: the handset would accept a syslog server certificate issued to any name; set the value to 1 first"),
    ("device.sec.TLS.profile.caCertList1", "Builtin",
     "caCertList1=Builtin would drop Platform CA 1 and 2 from Platform Profile 1: servers would be checked only against the handset's built-in public CAs, not the CA you installed; set it to All or Platform1 first"),
    ("device.prov.serverType", "2",
     "serverType=2 would provision over HTTP without TLS: the login and the configuration, passwords included, travel in clear text and the server is not authenticated; set it to 3 (HTTPS) or 4 (FTPS) first"),
    ("device.prov.serverType", "TFTP",
     "serverType=TFTP would provision over TFTP without TLS: the login and the configuration, passwords included, travel in clear text and the server is not authenticated; set it to HTTPS or FTPS first"),
    ("device.wifi.securityMode", "WEP",
     "securityMode=WEP would put the handset on a network with broken encryption (WEP); set WPA2-PSK or WPA2-Enterprise first"),
    ("device.sec.TLS.SSLv2v3.enabled", "1", "enabled=1 would allow SSL 2 and 3, which are broken; set the value to 0 first"),
]

@Suite("fix never weakens security on its own")
struct WeakeningFixTests {
    @Test("fix and fix --rule set-flag leave each weakening value ignored, and say why and what to run instead",
          arguments: weakCases.indices)
    func weakValueNotApplied(index: Int) {
        let (name, value, says) = weakCases[index]
        for extra in [[], ["--rule", "set-flag"]] {
            let dir = temporaryDirectory()
            let text = file(name, value)
            write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
            let result = slcfg(["fix", "w.cfg"] + extra, in: dir)
            #expect(result.status == 0)
            #expect(result.stdout == "")
            #expect(result.stderr == "w.cfg:3:5: not applied [set-flag]: \(says), or run 'slcfg set w.cfg \(name).set=1' if you mean it\n")
            #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(text.utf8), "\(name) \(extra)")
        }
    }

    @Test("The factory login is the handset's default anyway: there is nothing to enable, and fix changes nothing")
    func factoryLogin() {
        let dir = temporaryDirectory()
        let text = file("device.prov.password", "PlcmSpIp")
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "w.cfg"], in: dir)
        #expect(result.stderr == "w.cfg: nothing to fix\n")
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(text.utf8))
    }

    @Test("A secure value keeps its fix: fix turns its .set on", arguments: [
        ("device.sec.TLS.profile.caCertList1", "Platform1"), ("device.sec.TLS.profile.caCertList2", "Builtin,Platform2"),
        ("device.prov.serverType", "3"), ("device.prov.serverType", "FTPS"), ("device.wifi.securityMode", "WPA2-Enterprise"),
        ("device.sec.TLS.SSLv2v3.enabled", "0"),
    ])
    func secureValueFixed(name: String, value: String) {
        let dir = temporaryDirectory()
        write(Array(file(name, value).utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "w.cfg"], in: dir)
        #expect(result.stderr == "w.cfg:3:5: fixed [set-flag]: set \(name).set=\"1\"\n")
        #expect(String(decoding: contents(dir.appendingPathComponent("w.cfg")), as: UTF8.self)
                == file(name, value).replacingOccurrences(of: ".set=\"0\"", with: ".set=\"1\""))
    }

    @Test("lint says both sides of a weakening set-flag finding, and JSON names what the fix needs a person for")
    func lintMessage() throws {
        let dir = temporaryDirectory()
        write(Array(file("device.sec.TLS.prov.strictCertCommonNameValidation", "0").utf8), to: dir.appendingPathComponent("w.cfg"))
        let gcc = slcfg(["lint", "--format", "gcc", "w.cfg"], in: dir)
        #expect(gcc.stdout == """
        w.cfg:3:5: warning: the handset ignores device.sec.TLS.prov.strictCertCommonNameValidation="0" because device.sec.TLS.prov.strictCertCommonNameValidation.set is "0", which keeps it safe by accident: enabling it would turn name checking off: the handset would accept a provisioning server certificate issued to any name; set the value to 1 first, or enable it deliberately if you mean it (fix leaves this to a person) [set-flag]
        w.cfg:3:5: info: device.sec.TLS.prov.strictCertCommonNameValidation is 0: the handset accepts a server certificate issued to any name, which is less secure [cn-validation-off]

        """)
        let json = slcfg(["lint", "--format", "json", "w.cfg"], in: dir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        #expect(entries.map { $0["fixNeedsPerson"] as? String } == ["this makes the handset accept any provisioning server name", nil])
        #expect(entries.map { $0["fix"] as? String } == ["set device.sec.TLS.prov.strictCertCommonNameValidation.set=\"1\"", nil])
    }

    @Test("fix on the guide's layout renames the typo and applies the profile selection, but not the two name-checking flags")
    func guideLayout() {
        let guide = """
        <?xml version="1.0" encoding="utf-8" standalone="yes"?>\r
        <polycomConfig>\r
        \t<device device.set="1">\r
        \t\t<WPA2Enterprise.PEAP\r
        \t\t\tdevice.sec.TLS.customCaCert2=""\r
        \t\t\tdevice.sec.TLS.cusomCaCert2.set="0"\r
        \t\t\tdevice.sec.TLS.profileSelection.dot1x="PlatformProfile2"\r
        \t\t\tdevice.sec.TLS.profileSelection.dot1x.set="0"\r
        \t\t\tdevice.sec.tls.dot1x.strictCertCommonNameValidation="0"\r
        \t\t\tdevice.sec.tls.dot1x.strictCertCommonNameValidation.set="0"\r
        \t\t\tdevice.sec.tls.prov.strictCertCommonNameValidation="0"\r
        \t\t\tdevice.sec.tls.prov.strictCertCommonNameValidation.set="0"\r
        \t\t/>\r
        \t</device>\r
        </polycomConfig>\r

        """
        let dir = temporaryDirectory()
        write(Array(guide.utf8), to: dir.appendingPathComponent("wireless.cfg"))
        let result = slcfg(["fix", "wireless.cfg"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr == """
        wireless.cfg:6:4: fixed [near-miss]: rename to device.sec.TLS.customCaCert2.set
        wireless.cfg:7:4: fixed [set-flag]: set device.sec.TLS.profileSelection.dot1x.set="1"
        wireless.cfg:9:4: not applied [set-flag]: strictCertCommonNameValidation=0 would turn name checking off: the handset would accept a RADIUS server (802.1X) certificate issued to any name; set the value to 1 first, or run 'slcfg set wireless.cfg device.sec.tls.dot1x.strictCertCommonNameValidation.set=1' if you mean it
        wireless.cfg:11:4: not applied [set-flag]: strictCertCommonNameValidation=0 would turn name checking off: the handset would accept a provisioning server certificate issued to any name; set the value to 1 first, or run 'slcfg set wireless.cfg device.sec.tls.prov.strictCertCommonNameValidation.set=1' if you mean it

        """)
        #expect(String(decoding: contents(dir.appendingPathComponent("wireless.cfg")), as: UTF8.self) == guide
            .replacingOccurrences(of: "cusomCaCert2.set", with: "customCaCert2.set")
            .replacingOccurrences(of: "profileSelection.dot1x.set=\"0\"", with: "profileSelection.dot1x.set=\"1\""))
    }
}

/// A typo that keeps a weak value off, with its `.set` at 1: renaming it turns the value on.
private let typoCases: [(written: String, value: String, says: String)] = [
    ("device.wifi.securityMod", "None",
     "securityMod=None would put the handset on a network with no encryption (device.wifi.securityMode=\"None\" "
        + "would take effect); set WPA2-PSK or WPA2-Enterprise first, or rename it to device.wifi.securityMode by hand"),
    ("device.prov.pasword", "PlcmSpIp",
     "pasword=******** would make the handset use the factory login PlcmSpIp, which anyone can look up "
        + "(device.prov.password=******** would take effect); set a login of your own first, or rename it to "
        + "device.prov.password by hand"),
    ("device.sec.TLS.prov.strictCertCommonNameValidatio", "0",
     "strictCertCommonNameValidatio=0 would turn name checking off: the handset would accept a provisioning server "
        + "certificate issued to any name (device.sec.TLS.prov.strictCertCommonNameValidation=\"0\" would take "
        + "effect); set the value to 1 first, or rename it to device.sec.TLS.prov.strictCertCommonNameValidation by "
        + "hand"),
    ("device.prov.serverTyp", "0",
     "serverTyp=0 would provision over FTP without TLS"),
]

@Suite("fix never weakens security, whatever the rule")
struct AnyRuleWeakeningTests {
    @Test("A near-miss rename that would turn a weak value on is left to a person, in fix, lint and the file",
          arguments: typoCases.indices)
    func renameWithheld(index: Int) {
        let (written, value, says) = typoCases[index]
        let flag = SetRule(written)
        let text = "<polycomConfig>\n  <device device.set=\"1\"\n    \(written)=\"\(value)\"\n    \(flag).set=\"1\"/>\n</polycomConfig>\n"
        let dir = temporaryDirectory()
        write(Array(text.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "w.cfg", "--rule", "near-miss"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("w.cfg:3:5: not applied [near-miss]: \(says)"), "\(result.stderr)")
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(text.utf8))
        let lint = slcfg(["lint", "w.cfg"], in: dir)
        #expect(lint.stdout.contains("(left to a person: "), "\(lint.stdout)")
    }

    @Test("device-set would switch a weak value on: left to a person; without one, fix sets device.set=1")
    func deviceSetWithheld() {
        let dir = temporaryDirectory()
        let weak = "<device device.set=\"0\" device.prov.serverType=\"0\" device.prov.serverType.set=\"1\"/>\n"
        write(Array(weak.utf8), to: dir.appendingPathComponent("w.cfg"))
        let result = slcfg(["fix", "w.cfg"], in: dir)
        #expect(
            result.stderr.contains(
                "not applied [device-set]: set=0 would provision over FTP without TLS"), "\(result.stderr)")
        #expect(result.stderr.contains("(device.prov.serverType=\"0\" would take effect)"))
        #expect(contents(dir.appendingPathComponent("w.cfg")) == Array(weak.utf8))
        let safe = "<device device.set=\"0\" device.prov.serverType=\"3\" device.prov.serverType.set=\"1\"/>\n"
        write(Array(safe.utf8), to: dir.appendingPathComponent("w.cfg"))
        #expect(slcfg(["fix", "w.cfg"], in: dir).status == 0)
        #expect(String(decoding: contents(dir.appendingPathComponent("w.cfg")), as: UTF8.self).contains("device.set=\"1\""))
    }
}

/// The `.set` flag the handset expects for a name written with a typo (the correct name's flag).
private func SetRule(_ written: String) -> String {
    ["device.wifi.securityMod": "device.wifi.securityMode", "device.prov.pasword": "device.prov.password",
     "device.sec.TLS.prov.strictCertCommonNameValidatio": "device.sec.TLS.prov.strictCertCommonNameValidation",
     "device.prov.serverTyp": "device.prov.serverType"][written] ?? written
}
