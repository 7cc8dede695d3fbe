import Testing
import CfgDocument
import Handset

@Suite("Assignment")
struct AssignmentTests {
    @Test("The .set partner keeps the file's spelling; non-device names and flags have none")
    func partner() {
        #expect(SetRule.partner(of: "device.sec.tls.customCaCert1") == "device.sec.tls.customCaCert1.set")
        #expect(SetRule.partner(of: "sec.TLS.customCaCert.1") == nil)
        #expect(SetRule.partner(of: "device.set") == nil)
        #expect(SetRule.partner(of: "device.prov.user.set") == nil)
        #expect(SetRule.flagged(by: "device.prov.user.set") == "device.prov.user")
        #expect(SetRule.flagged(by: "device.set") == nil)
    }

    @Test("A missing parameter goes after the one sharing the longest dotted prefix (the last of equals)")
    func placementByPrefix() {
        let document = CfgDocument("<r device.set=\"1\" device.sec.TLS.customCaCert1=\"\" device.sec.TLS.customCaCert1.set=\"0\" device.prov.user=\"\"/>")
        #expect(document.placement(for: "device.sec.TLS.customCaCert2") == .after(2))
        #expect(document.placement(for: "DEVICE.SEC.tls.profile.caCertList1") == .after(2))
        #expect(document.placement(for: "device.prov.password") == .after(3))
        #expect(document.placement(for: "device.setx") == .inElement(0))
    }

    @Test("Without a close relative, a parameter goes into the element holding most of its family (device.*), else the root")
    func placementFallbacks() {
        let withDevice = CfgDocument("<polycomConfig>\n<a call.x=\"1\"/>\n<b device.y=\"1\"/>\n</polycomConfig>")
        #expect(withDevice.placement(for: "device.sec.TLS.customCaCert1") == .inElement(4))
        #expect(withDevice.placement(for: "sec.TLS.cipherList") == .inElement(0))
        let bare = CfgDocument("<!-- c -->\n<polycomConfig>\n</polycomConfig>")
        #expect(bare.placement(for: "sec.TLS.cipherList") == .inElement(2))
        #expect(CfgDocument("just text").placement(for: "x") == nil)
    }

    @Test("A parameter sharing only 'device' with others goes into the busiest device element, never into an unrelated small one")
    func placementNotIntoUnrelated() throws {
        var document = CfgDocument("<polycomConfig>\n  <device device.set=\"1\"\n    device.wifi.ssid=\"v\"\n    device.wifi.ssid.set=\"1\"\n    device.prov.serverName=\"p\"/>\n  <device.wifi.psk device.wifi.psk.key=\"k\"/>\n</polycomConfig>\n")
        _ = try document.assign("device.sec.TLS.customCaCert1", "x")
        #expect(String(decoding: document.bytes, as: UTF8.self)
                == "<polycomConfig>\n  <device device.set=\"1\"\n    device.wifi.ssid=\"v\"\n    device.wifi.ssid.set=\"1\"\n    device.prov.serverName=\"p\"\n    device.sec.TLS.customCaCert1=\"x\"/>\n  <device.wifi.psk device.wifi.psk.key=\"k\"/>\n</polycomConfig>\n")
    }

    @Test("assign sets every occurrence and reports old and new values")
    func assignDuplicates() throws {
        var document = CfgDocument("<r a.b=\"1\" A.B=\"2\"/>")
        let changes = try document.assign("A.B", "3")
        #expect(changes == [Assignment(name: "A.B", oldValue: "2", newValue: "3")])
        #expect(String(decoding: document.bytes, as: UTF8.self) == "<r a.b=\"1\" A.B=\"3\"/>")
        let folded = try document.assign("a.B", "4")
        #expect(folded.count == 2)
        #expect(String(decoding: document.bytes, as: UTF8.self) == "<r a.b=\"4\" A.B=\"4\"/>")
    }

    @Test("enable inserts the partner right after the parameter, or sets the existing one")
    func enable() throws {
        var document = CfgDocument("<r\n  device.sec.tls.customCaCert1=\"x\"\n  device.prov.user=\"u\"\n  device.prov.user.set=\"0\"\n/>")
        let inserted = try document.enable("device.sec.TLS.customCaCert1")
        #expect(inserted == [Assignment(name: "device.sec.tls.customCaCert1.set", oldValue: nil, newValue: "1")])
        let set = try document.enable("device.prov.user")
        #expect(set == [Assignment(name: "device.prov.user.set", oldValue: "0", newValue: "1")])
        #expect(String(decoding: document.bytes, as: UTF8.self)
                == "<r\n  device.sec.tls.customCaCert1=\"x\"\n  device.sec.tls.customCaCert1.set=\"1\"\n  device.prov.user=\"u\"\n  device.prov.user.set=\"1\"\n/>")
    }

    @Test("assign into a file without any element is refused with a reason")
    func assignNoElement() {
        var document = CfgDocument("")
        #expect(throws: AssignmentError.self) { try document.assign("device.set", "1") }
    }
}
