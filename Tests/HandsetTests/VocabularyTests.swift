import Testing
import CfgDocument
import Handset

@Suite("The handset vocabulary")
struct VocabularyTests {
    /// The 8400's vocabulary with a third CA slot and a third profile: a one-line change.
    static let three = Vocabulary(caSlots: [1, 2, 3], deviceSlots: [1, 2], profiles: [1, 2, 3], applications: Vocabulary.handset.applications)

    @Test("A vocabulary with three slots gives three slots to the menus, the catalogue's choices, the CA lists and the Tab order")
    func threeSlots() {
        let menu = MenuTree.root(for: Self.three)
        guard case .menu(_, let tls)? = menu.first, case .menu(_, let cas)? = tls.first, case .menu(_, let profiles)? = tls.dropFirst(2).first else {
            Issue.record("unexpected menu shape")
            return
        }
        #expect(cas == [.slot(.ca(1)), .slot(.ca(2)), .slot(.ca(3))])
        #expect(profiles.map(\.label) == ["Platform Profile 1", "Platform Profile 2", "Platform Profile 3"])
        #expect(Self.three.caListChoices == ["All", "Builtin", "Platform1", "Platform2", "Platform3"])
        #expect(Self.three.profileChoices == ["PlatformProfile1", "PlatformProfile2", "PlatformProfile3"])
        #expect(CertificateSlot.all(in: Self.three) == [.ca(1), .ca(2), .ca(3), .device(1), .device(2)])
        #expect(CAList("All", vocabulary: Self.three).slots == [1, 2, 3])
        #expect(CAList("Platform3", vocabulary: Self.three).slots == [3])
        #expect(CAList("Platform3").slots == [])
        let document = CfgDocument("<r device.set=\"1\" device.sec.TLS.customCaCert3=\"\" device.sec.TLS.customCaCert3.set=\"1\"/>")
        let nodes = document.menuNodes(findings: [], vocabulary: Self.three)
        let third = nodes.first { $0.label == "Platform CA 3" }
        #expect(third?.index == 1 && third?.status == .applied)
        #expect(!document.menuNodes(findings: []).contains { $0.label == "Platform CA 3" })
    }

    @Test("The 8400's vocabulary spells the parameters as the stock files do")
    func spelling() {
        let handset = Vocabulary.handset
        #expect(handset.applications.map(\.profileSelection) == ["device.sec.TLS.profileSelection.dot1x", "device.sec.TLS.profileSelection.provisioning", "device.sec.TLS.profileSelection.syslog"])
        #expect(handset.applications.map(\.commonNameValidation) == ["device.sec.TLS.dot1x.strictCertCommonNameValidation", "device.sec.TLS.prov.strictCertCommonNameValidation", "device.sec.TLS.syslog.strictCertCommonNameValidation"])
        #expect(Vocabulary.caCertificate(2) == "device.sec.TLS.customCaCert2")
        #expect(Vocabulary.caCertList(1) == "device.sec.TLS.profile.caCertList1")
        #expect(CertificateSlot.ca(1).setFlag == "device.sec.TLS.customCaCert1.set")
        #expect(CertificateSlot.device(2).setFlag == "device.sec.TLS.customDeviceCert2.set")
        #expect(Catalogue.shared.isKnown("device.sec.tls.customdevicecert2.privatekey"))
    }
}
