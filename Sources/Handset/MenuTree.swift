import CfgDocument
import Foundation

/// One entry of the handset's menus.
public indirect enum MenuItem: Sendable, Equatable {
    /// A submenu.
    case menu(String, [MenuItem])
    /// A parameter, by its catalogue name, with the label shown.
    case parameter(String, String)
    /// A certificate slot.
    case slot(CertificateSlot)
    /// Every attribute of the file, by element.
    case allParameters

    /// The label shown.
    public var label: String {
        switch self {
        case .menu(let label, _), .parameter(let label, _): return label
        case .slot(let slot): return slot.description
        case .allParameters: return "All Parameters"
        }
    }
}

/// The handset's own menu structure: Settings › Advanced Settings › Administration Settings.
public enum MenuTree {
    /// The path shown above the menus.
    public static let breadcrumb = ["Settings", "Advanced Settings", "Administration Settings", "TLS Security"]

    /// TLS Security, Provisioning Server and All Parameters.
    public static let root: [MenuItem] = root(for: .handset)

    /// The menus for a vocabulary (its slots, profiles and applications).
    public static func root(for vocabulary: Vocabulary) -> [MenuItem] { [
        .menu("TLS Security", [
            .menu("Custom CA Certificates", vocabulary.caSlots.map { .slot(.ca($0)) }),
            .menu("Custom Device Certificates", vocabulary.deviceSlots.map { .slot(.device($0)) }),
            .menu("TLS Profiles", vocabulary.profiles.map { n in
                .menu("Platform Profile \(n)", [
                    .parameter("CA Certificate List", Vocabulary.caCertList(n)),
                    .parameter("Device Certificate", Vocabulary.profileDeviceCertificate(n)),
                ])
            }),
            .menu("TLS Applications", vocabulary.applications.map { app in
                .menu(app.label, [
                    .parameter("Profile", app.profileSelection),
                    .parameter("Common Name Validation", app.commonNameValidation),
                ])
            }),
        ]),
        .menu("Provisioning Server", [
            .parameter("Server Type", "device.prov.serverType"),
            .parameter("Server Name", "device.prov.serverName"),
            .parameter("Server User", "device.prov.user"),
            .parameter("Server Password", "device.prov.password"),
        ]),
        .allParameters,
    ] }
}

/// A menu entry resolved against one file: what it shows and what lint says about it.
public struct MenuNode: Sendable {
    /// The label shown.
    public var label: String
    /// How deep it sits (0 for the top menus).
    public var depth: Int
    /// The entry it shows.
    public var item: MenuItem
    /// The parameter's catalogue name (the slot's certificate parameter for slots), nil for menus.
    public var name: String?
    /// The parameter's index in the file, nil when the file lacks it.
    public var index: Int?
    /// The `.set` flag's name as written in the file (or as the catalogue spells it), if the entry has one.
    public var setFlag: String?
    /// The `.set` flag's value, nil when missing or when the entry has none.
    public var setValue: String?
    /// The findings about this entry's parameter or flag (a misspelled flag's included).
    public var findings: [Finding]
    /// Whether the handset applies it, and why not (menus: `.applied`).
    public var status: EntryStatus = .applied
}

extension CfgDocument {
    /// The menu tree flattened in display order (menus expanded), resolved against this file.
    public func menuNodes(findings: [Finding], vocabulary: Vocabulary = .handset) -> [MenuNode] {
        var nodes: [MenuNode] = []
        let deviceSet = index(named: Vocabulary.deviceSet).map { value($0) }
        func visit(_ items: [MenuItem], depth: Int) {
            for item in items {
                switch item {
                case .menu(let label, let children):
                    nodes.append(MenuNode(label: label, depth: depth, item: item, findings: []))
                    visit(children, depth: depth + 1)
                case .parameter(let label, let name):
                    nodes.append(resolve(label: label, depth: depth, item: item, name: name,
                                         flag: SetRule.partner(of: name), findings: findings, deviceSet: deviceSet))
                case .slot(let slot):
                    nodes.append(resolve(label: slot.description, depth: depth, item: item, name: slot.parameter,
                                         flag: slot.setFlag, findings: findings, deviceSet: deviceSet, invalid: rawContents(of: slot, now: Date()).problem != nil))
                case .allParameters:
                    nodes.append(MenuNode(label: item.label, depth: depth, item: item, findings: []))
                }
            }
        }
        visit(vocabulary == .handset ? MenuTree.root : MenuTree.root(for: vocabulary), depth: 0)
        return nodes
    }

    func resolve(label: String, depth: Int, item: MenuItem, name: String, flag: String?, findings: [Finding], deviceSet: String?, invalid: Bool = false) -> MenuNode {
        let index = self.index(named: name)
        let flagIndex = flag.flatMap { self.index(named: $0) }
        let writtenFlag = flagIndex.map { self.name($0) } ?? index.flatMap { SetRule.partner(of: self.name($0)) } ?? flag
        let related = Set([name.lowercased(), flag?.lowercased()].compactMap { $0 })
        var own = findings.filter { $0.parameter.map { related.contains($0.lowercased()) } ?? false }
        if flagIndex == nil, let flag, let typo = Self.misspelling(of: flag, in: findings) { own.append(typo) }
        return MenuNode(label: label, depth: depth, item: item, name: name, index: index, setFlag: writtenFlag,
                        setValue: flagIndex.map { value($0) }, findings: own,
                        status: EntryStatus.judge(present: index != nil, flag: flag == nil ? nil : writtenFlag, flagValue: flagIndex.map { value($0) },
                                                  deviceSet: deviceSet, invalid: invalid, findings: findings))
    }
}
