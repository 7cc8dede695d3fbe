import Foundation
import Testing
import TestSupport
import Certificates
import CfgDocument
import Editor
import Handset

private let pki = TestPKI.shared
private let base64 = PEM.base64Encode(pki.root.der)

/// Files that put each way of being ignored in front of the three front ends.
private let crafted: [(String, String)] = [
    ("device-set-0.cfg", "<polycomConfig>\n  <device device.set=\"0\"\n    device.sec.TLS.customCaCert1=\"\(base64)\"\n    device.sec.TLS.customCaCert1.set=\"1\"/>\n</polycomConfig>\n"),
    ("device-set-missing.cfg", "<polycomConfig>\n  <device\n    device.sec.TLS.customCaCert1=\"\(base64)\"\n    device.sec.TLS.customCaCert1.set=\"1\"/>\n</polycomConfig>\n"),
    ("misspelled.cfg", "<polycomConfig>\n  <device device.set=\"1\"\n    device.sec.TLS.customCaCert2=\"\(base64)\"\n    device.sec.TLS.cusomCaCert2.set=\"1\"/>\n</polycomConfig>\n"),
    ("set-0-and-missing.cfg", "<polycomConfig>\n  <device device.set=\"1\"\n    device.sec.TLS.customCaCert1=\"\(base64)\"\n    device.sec.TLS.customCaCert1.set=\"0\"\n    device.sec.TLS.customCaCert2=\"\(base64)\"/>\n</polycomConfig>\n"),
    ("garbage.cfg", "<polycomConfig>\n  <device device.set=\"1\"\n    device.sec.TLS.customCaCert1=\"garbage!\"\n    device.sec.TLS.customCaCert1.set=\"1\"/>\n</polycomConfig>\n"),
]

/// Every file the agreement is checked on: the fixtures and the crafted files, as (name, path).
private let files: [(String, URL)] = {
    let dir = temporaryDirectory()
    // A master file is a provisioning set for show (its CONFIG_FILES are read); the editor opens
    // it as one file, so it is compared in ProvisioningSetTests instead.
    var list = Samples.fixtures.filter { !$0.bytes.isEmpty && CfgDocument(bytes: $0.bytes).index(named: "CONFIG_FILES") == nil }.map { ($0.name, $0.url) }
    for (name, text) in crafted {
        let url = dir.appendingPathComponent(name)
        write(Array(text.utf8), to: url)
        list.append((name, url))
    }
    return list
}()

@Suite("One answer in every front end")
struct FrontEndAgreementTests {
    @Test("show, cert show and the editor's rows give the same status for every entry of every fixture and crafted file",
          arguments: files.map(\.0))
    func agreement(name: String) throws {
        let url = try #require(files.first { $0.0 == name }?.1)
        let bytes = contents(url)
        let state = EditorState(bytes: bytes, path: url.path)
        var editor: [String: String] = [:]
        for (m, node) in state.menu.enumerated() where node.name != nil {
            editor[node.label] = state.status(of: .menu(m))?.description
        }
        let show = slcfg(["show", "--json", url.path])
        try #require(show.status == 0, "\(show.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [[String: Any]])
        var shown: [String: String] = [:]
        for entry in entries where entry["name"] != nil { shown[entry["label"] as! String] = entry["status"] as? String }
        #expect(shown == editor)
        let certShow = slcfg(["cert", "show", "--json", url.path])
        try #require(certShow.status == 0, "\(certShow.stderr)")
        let slots = try #require(try JSONSerialization.jsonObject(with: Data(certShow.stdout.utf8)) as? [[String: Any]])
        for slot in slots {
            let label = slot["label"] as! String
            #expect(slot["status"] as? String == editor[label], "\(label)")
        }
        #expect(slots.count == 4)
    }

    @Test("The crafted files' slots read as the handset treats them, in all three front ends")
    func craftedStatuses() throws {
        let expected: [String: [String]] = [
            "device-set-0.cfg": ["ignored (device.set≠1)", "not in file"],
            "device-set-missing.cfg": ["ignored (device.set≠1)", "not in file"],
            "misspelled.cfg": ["not in file", "ignored (.set misspelled)"],
            "set-0-and-missing.cfg": ["ignored (.set=0)", "ignored (.set missing)"],
            "garbage.cfg": ["ignored (invalid value)", "not in file"],
        ]
        for (name, url) in files where expected[name] != nil {
            let result = slcfg(["cert", "show", "--json", url.path])
            let slots = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
            #expect(slots.prefix(2).map { $0["status"] as? String } == expected[name]!.map { $0 }, "\(name)")
            #expect(slots.prefix(2).map { $0["applied"] as? Bool } == [false, false], "\(name)")
        }
    }

    @Test("A misspelled .set partner is named on its slot with its line, in show, cert show and the editor's details; f renames it")
    func misspelledPartner() throws {
        let url = try #require(files.first { $0.0 == "misspelled.cfg" }?.1)
        let sentence = ".set is misspelled as cusomCaCert2.set on line 4 (the handset ignores it): rename it to device.sec.TLS.customCaCert2.set"
        #expect(slcfg(["show", url.path]).stdout.contains("    " + sentence + "\n"))
        #expect(slcfg(["cert", "show", url.path]).stdout.contains("  Platform CA 2: device.sec.TLS.customCaCert2, ignored (.set misspelled)\n"))
        #expect(slcfg(["cert", "show", url.path]).stdout.contains("    " + sentence + "\n"))
        var state = EditorState(bytes: contents(url), path: url.path)
        _ = state.update(.resize(width: 100, height: 30))
        _ = state.update(.key(.tab))
        _ = state.update(.key(.tab))
        let row = try #require(state.currentRow)
        let status = try #require(state.status(of: row))
        #expect(status.description == "ignored (.set misspelled)")
        #expect(status.explanation(flag: "device.sec.TLS.customCaCert2.set", in: state.document) == sentence)
        _ = state.update(.key(.character("f")))
        #expect(state.message == "fixed: rename to device.sec.TLS.customCaCert2.set")
        #expect(state.status(of: try #require(state.currentRow)) == .applied)
    }

    @Test("Importing into a slot whose .set is misspelled renames it instead of adding a second flag")
    func importRenamesMisspelled() throws {
        var document = CfgDocument("<r device.set=\"1\"\n  device.sec.TLS.customCaCert2=\"\"\n  device.sec.TLS.cusomCaCert2.set=\"0\"/>\n")
        _ = try document.importCA(try CertificateInput(pki.root.der).certificates[0], slot: 2, purpose: nil, asPEM: false)
        #expect(String(decoding: document.bytes, as: UTF8.self)
                == "<r device.set=\"1\"\n  device.sec.TLS.customCaCert2=\"\(base64)\"\n  device.sec.TLS.customCaCert2.set=\"1\"/>\n")
    }

    @Test("A device certificate's .publicCert and .privateKey are governed by customDeviceCertN.set: import, lint and fix agree")
    func deviceCertificateFlag() throws {
        #expect(SetRule.partner(of: "device.sec.TLS.customDeviceCert1.publicCert") == "device.sec.TLS.customDeviceCert1.set")
        #expect(SetRule.partner(of: "device.sec.tls.customDeviceCert2.privateKey") == "device.sec.tls.customDeviceCert2.set")
        #expect(SetRule.partner(of: "device.sec.TLS.customCaCert1") == "device.sec.TLS.customCaCert1.set")
        var document = CfgDocument("<r device.set=\"1\"/>\n")
        let credentials = try DeviceCredentials(certificates: [try CertificateInput(pki.leaf.der).certificates[0]],
                                                keyBlock: try CertificateInput(Array(pki.leaf.keyPEM.utf8)).privateKeys[0], keyFile: "k")
        _ = try document.importDevice(credentials, slot: 1)
        #expect(Linter().lint(document).filter { $0.rule == "set-flag" || $0.rule == "orphan-set" } == [])
        #expect(document.contents(of: .device(1)).status == .applied)
        #expect(!String(decoding: document.bytes, as: UTF8.self).contains("publicCert.set"))
    }
}
