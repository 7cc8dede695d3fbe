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

    /// Every parameter name the menus of `vocabulary` look up (values, `.set` flags, keys, `device.set`).
    public static func names(for vocabulary: Vocabulary = .handset) -> [String] {
        var wanted: [String] = [Vocabulary.deviceSet]
        func collect(_ items: [MenuItem]) {
            for item in items {
                switch item {
                case .menu(_, let children): collect(children)
                case .parameter(_, let name): wanted += [name] + (SetRule.partner(of: name).map { [$0] } ?? [])
                case .slot(let slot): wanted += [slot.parameter, slot.setFlag] + (slot.keyParameter.map { [$0] } ?? [])
                case .allParameters: break
                }
            }
        }
        collect(root(for: vocabulary))
        return wanted
    }

    /// TLS Security, Provisioning Server, Wi-Fi and All Parameters.
    public static let root: [MenuItem] = root(for: .handset)

    /// How deep All Parameters sits in the handset's menus (nil: it has none).
    public static let allParametersDepth: Int? = {
        func depth(in items: [MenuItem], at level: Int) -> Int? {
            for item in items {
                if case .allParameters = item { return level }
                if case .menu(_, let children) = item, let found = depth(in: children, at: level + 1) { return found }
            }
            return nil
        }
        return depth(in: root, at: 0)
    }()

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
        .menu("Wi-Fi", wifiMenus),
        .allParameters,
    ] }

    /// The Wi-Fi settings the certificates serve: the network, WPA2-Enterprise and the radio, each entry labelled
    /// as the catalogue labels it.
    static let wifiMenus: [MenuItem] = {
        let wifi = Vocabulary.Wifi.self
        func entries(_ names: [String]) -> [MenuItem] {
            names.map { name in .parameter(Catalogue.wireless.first { $0.name == name }?.label ?? name, name) }
        }
        return [
            .menu("Network", entries([wifi.enabled, wifi.ssid, wifi.securityMode, wifi.preSharedKey])),
            .menu("WPA2-Enterprise", entries([wifi.eapMethod, wifi.identity, wifi.password, wifi.anonymousIdentity])),
            .menu("Radio", entries([wifi.regulatoryDomain, wifi.band2_4GHz, wifi.band5GHz])),
        ]
    }()
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
    public func menuNodes(findings: [Finding], vocabulary: Vocabulary = .handset, now: Date = Date()) -> [MenuNode] {
        let names = MenuTree.names(for: vocabulary)
        return menuNodes(lookup: FindingLookup(findings, about: Set(names.map { $0.lowercased() })),
                         found: indices(named: names), slots: nil, vocabulary: vocabulary, now: now)
    }

    /// The menu from what a caller keeps between edits: the findings grouped, the indices of
    /// ``MenuTree/names(for:)`` (a ``NameIndex``) and, when it has them, what the slots hold.
    public func menuNodes(lookup: FindingLookup, found: [String: [Int]], slots: [SlotContents]?,
                          vocabulary: Vocabulary = .handset, now: Date = Date()) -> [MenuNode] {
        var nodes: [MenuNode] = []
        let tree = vocabulary == .handset ? MenuTree.root : MenuTree.root(for: vocabulary)
        let deviceSet = found[Vocabulary.deviceSet]?.first.map { value($0) }
        func visit(_ items: [MenuItem], depth: Int) {
            for item in items {
                switch item {
                case .menu(let label, let children):
                    nodes.append(MenuNode(label: label, depth: depth, item: item, findings: []))
                    visit(children, depth: depth + 1)
                case .parameter(let label, let name):
                    nodes.append(
                        resolve(
                            label: label, depth: depth, item: item, name: name,
                            flag: SetRule.partner(of: name), lookup: lookup, deviceSet: deviceSet, found: found))
                case .slot(let slot):
                    let contents = slots?.first { $0.slot == slot } ?? rawContents(of: slot, now: now, found: found)
                    nodes.append(resolve(label: slot.description, depth: depth, item: item, name: slot.parameter,
                                         flag: slot.setFlag, lookup: lookup, deviceSet: deviceSet, found: found,
                                         invalid: contents.problem != nil))
                case .allParameters:
                    nodes.append(MenuNode(label: item.label, depth: depth, item: item, findings: []))
                }
            }
        }
        visit(tree, depth: 0)
        return nodes
    }

    func resolve(
        label: String, depth: Int, item: MenuItem, name: String, flag: String?, lookup: FindingLookup,
        deviceSet: String?,
        found: [String: [Int]], invalid: Bool = false
    ) -> MenuNode {
        let index = found[name]?.first
        let flagIndex = flag.flatMap { found[$0]?.first }
        let writtenFlag =
            flagIndex.map { self.name($0) } ?? index.flatMap { SetRule.partner(of: self.name($0)) } ?? flag
        let related = Set([name.lowercased(), flag?.lowercased()].compactMap { $0 })
        var own = related.flatMap { lookup.byParameter[$0] ?? [] }.sorted { $0.position < $1.position }.map(\.finding)
        if flagIndex == nil, let flag, let typo = Self.misspelling(of: flag, in: lookup.nearMisses) { own.append(typo) }
        return MenuNode(
            label: label, depth: depth, item: item, name: name, index: index, setFlag: writtenFlag,
            setValue: flagIndex.map { value($0) }, findings: own,
            status: EntryStatus.judge(
                present: index != nil, flag: flag == nil ? nil : writtenFlag, flagValue: flagIndex.map { value($0) },
                deviceSet: deviceSet, invalid: invalid, findings: lookup.nearMisses))
    }
}

/// A document's findings grouped for the menu: by lower-cased parameter, and the near-misses
/// (which tell a misspelled `.set`).
public struct FindingLookup: Sendable {
    /// With each finding's position in the list, to keep their order when two lists merge.
    let byParameter: [String: [(position: Int, finding: Finding)]]
    /// The near-miss findings (what tells a misspelled `.set`).
    public let nearMisses: [Finding]
    /// How many findings of each severity.
    public let severityCounts: [Finding.Severity: Int]

    /// The findings about a parameter (any spelling), in the order lint gave them.
    public func findings(about name: String) -> [Finding] {
        byParameter[name.lowercased()]?.map(\.finding) ?? []
    }

    /// The findings grouped in one pass; with `about`, only those about these lower-cased names
    /// are kept by parameter (a menu's, not the 60,000 of a 33 MB file).
    public init(_ findings: [Finding], about names: Set<String>? = nil) {
        var counts: [Finding.Severity: Int] = [:]
        var byParameter: [String: [(position: Int, finding: Finding)]] = [:]
        var nearMisses: [Finding] = []
        for (position, finding) in findings.enumerated() {
            counts[finding.severity, default: 0] += 1
            if finding.rule == "near-miss" { nearMisses.append(finding) }
            guard let parameter = finding.parameter?.lowercased(), names?.contains(parameter) ?? true else { continue }
            byParameter[parameter, default: []].append((position, finding))
        }
        severityCounts = counts
        self.byParameter = byParameter
        self.nearMisses = nearMisses
    }
}
