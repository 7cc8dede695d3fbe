// The setup check: parameters that each pass on their own but together leave the handset off the network,
// judged on the values the handset applies (one file, or a whole provisioning set).
import CfgDocument
import Foundation

extension Vocabulary {
    /// The Wi-Fi parameters the menus, the setup check and the RADIUS probe read (the same in every vocabulary).
    public enum Wifi {
        public static let enabled = "device.wifi.enabled"
        public static let ssid = "device.wifi.ssid"
        public static let securityMode = "device.wifi.securityMode"
        public static let preSharedKey = "device.wifi.psk.key"
        public static let eapMethod = "device.wifi.wpa2Ent.method"
        public static let identity = "device.wifi.wpa2Ent.user"
        public static let password = "device.wifi.wpa2Ent.password"
        public static let anonymousIdentity = "device.wifi.wpa2Ent.anonid"
        public static let regulatoryDomain = "device.wifi.radio.regulatoryDomain"
        public static let band2_4GHz = "device.wifi.radio.band2_4GHz.enable"
        public static let band5GHz = "device.wifi.radio.band5GHz.enable"
        public static let dhcp = "device.wifi.dhcpEnabled"
        public static let ipAddress = "device.wifi.ipAddress"

        /// What a security mode value asks of the network.
        public enum Security: Equatable, Sendable {
            case open, wep, preSharedKey, enterprise, unknown

            public init(_ value: String) {
                let lower = value.lowercased()
                if lower.contains("enterprise") { self = .enterprise }
                else if lower.contains("psk") { self = .preSharedKey }
                else if lower.contains("wep") { self = .wep }
                else if lower == "none" || lower == "open" { self = .open }
                else { self = .unknown }
            }
        }

        /// The EAP method a `wpa2Ent.method` value names.
        public enum Method: Equatable, Sendable {
            case peap, tls, fast, unknown

            public init(_ value: String) {
                let lower = value.lowercased()
                if lower.contains("peap") { self = .peap }
                else if lower.contains("tls") { self = .tls }
                else if lower.contains("fast") { self = .fast }
                else { self = .unknown }
            }
        }

        /// Why a WPA pre-shared key cannot be one (IEEE 802.11i: 8 to 63 printable ASCII characters, or 64
        /// hexadecimal digits), or nil when it can. Says the length, never the key.
        public static func keyProblem(_ key: String) -> String? {
            let scalars = key.unicodeScalars
            if scalars.count == 64 && scalars.allSatisfy({ $0.properties.isASCIIHexDigit }) { return nil }
            if !scalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) {
                return "holds characters other than printable ASCII"
            }
            guard (8...63).contains(scalars.count) else {
                return "is \(scalars.count) character\(scalars.count == 1 ? "" : "s") long"
            }
            return nil
        }
    }
}

/// The values a handset applies, read from one file or a whole set, and findings placed at the entries they
/// concern.
struct AppliedValues {
    let set: ProvisioningSet
    let map: EffectiveNames
    /// For one file: the values of every name the rules read, found in one pass over the file (a lookup in a
    /// one-file set is a pass of its own, and a 33 MB file has 500,000 parameters). Keyed lower-cased.
    private let found: [String: String]?

    init(set: ProvisioningSet, map: EffectiveNames, vocabulary: Vocabulary = .handset) {
        self.set = set
        self.map = map
        guard set.members.count == 1 else {
            found = nil
            return
        }
        let document = set.members[0].document
        let names = Self.names(vocabulary)
        var values: [String: String] = [:]
        for (name, indices) in document.indices(named: names + names.compactMap(SetRule.partner(of:))) {
            if let first = indices.first { values[name.lowercased()] = document.value(first) }
        }
        found = values
    }

    /// Every name the setup check reads (their `.set` partners aside).
    static func names(_ vocabulary: Vocabulary) -> [String] {
        let wifi = Vocabulary.Wifi.self
        return [Vocabulary.deviceSet, wifi.enabled, wifi.ssid, wifi.securityMode, wifi.preSharedKey, wifi.eapMethod,
                wifi.identity, wifi.password, wifi.anonymousIdentity, wifi.regulatoryDomain, wifi.band2_4GHz,
                wifi.band5GHz, wifi.dhcp, wifi.ipAddress, "device.prov.serverType", "device.prov.serverName",
                "device.prov.user", "device.prov.password"]
            + vocabulary.applications.map(\.profileSelection)
            + vocabulary.profiles.flatMap { [Vocabulary.caCertList($0), Vocabulary.profileDeviceCertificate($0)] }
            + vocabulary.caSlots.map(Vocabulary.caCertificate)
            + vocabulary.deviceSlots.flatMap { n in
                [CertificateSlot.device(n).parameter, CertificateSlot.device(n).keyParameter!,
                 CertificateSlot.device(n).setFlag]
            }
    }

    /// The value written for `name` (the file that wins it), whatever its `.set`.
    func written(_ name: String) -> String? {
        if let found, let value = found[name.lowercased()] { return value }
        if found != nil && Self.known.contains(name.lowercased()) { return nil }
        return set.effectiveValue(name, in: map)
    }

    /// The names ``names(_:)`` gives for the handset, with their partners, lower-cased: what ``found`` answers.
    static let known: Set<String> = {
        let read = AppliedValues.names(Vocabulary.handset)
        return Set((read + read.compactMap(SetRule.partner(of:))).map { $0.lowercased() })
    }()

    /// The value the handset applies for `name`: nil when no file sets it or the `.set` rule ignores it.
    func applied(_ name: String) -> String? { EntryStatus.appliedValue(of: name, value: written) }

    /// Whether the handset applies a value of `name` that is more than blanks.
    func holds(_ name: String?) -> Bool {
        name.flatMap(applied)?.contains(where: { !$0.isWhitespace }) ?? false
    }

    /// Whether the applied value of `name` is a template's placeholder, which no rule judges.
    func isPlaceholder(_ name: String) -> Bool { applied(name).map(LintRun.isPlaceholder) ?? false }

    /// A finding at the first of `names` that some file sets (nil when none does).
    func finding(_ rule: String, _ severity: Finding.Severity, at names: [String], _ message: String) -> SetFinding? {
        guard let source = names.lazy.compactMap({ map[$0] }).first else { return nil }
        let member = set.members[source.member]
        return SetFinding(
            file: member.path,
            finding: Finding(
                rule: rule, severity: severity, offset: member.document.attributes[source.index].nameRange.lowerBound,
                parameter: member.document.name(source.index), message: message, fix: nil))
    }

    /// The security mode the handset applies, nil when none does.
    var security: Vocabulary.Wifi.Security? { applied(Vocabulary.Wifi.securityMode).map(Vocabulary.Wifi.Security.init) }

    /// The EAP method applied while the network is WPA2-Enterprise (or no mode applies), nil otherwise.
    var enterpriseMethod: Vocabulary.Wifi.Method? { Dot1xLogin(value: written).method }
}

extension ProvisioningSet {
    /// The setup check across parameters: `wifi-credentials`, `eap-tls-device-cert`, `dot1x-no-anchor`,
    /// `prov-scheme`, `prov-cleartext-login`, `static-address`, `wifi-radio`.
    func setupCheck(_ map: EffectiveNames, vocabulary: Vocabulary = .handset) -> [SetFinding] {
        let values = AppliedValues(set: self, map: map)
        return values.credentials() + eapTLSCertificate(values, vocabulary: vocabulary)
            + values.dot1xAnchor(vocabulary: vocabulary) + values.provisioningScheme() + values.clearTextLogin()
            + staticAddress(values) + values.radio()
    }

    /// `static-address`: DHCP off and a fixed address in a file every handset of the set reads.
    func staticAddress(_ values: AppliedValues) -> [SetFinding] {
        let wifi = Vocabulary.Wifi.self
        guard values.applied(wifi.dhcp) == "0", values.holds(wifi.ipAddress), !values.isPlaceholder(wifi.ipAddress),
            let source = values.map[wifi.ipAddress]
        else { return [] }
        let member = members[source.member]
        let fileName = (member.path as NSString).lastPathComponent
        guard !member.perHandset, Fleet.macs(fileNames: [fileName]).isEmpty else { return [] }
        return [values.finding("static-address", .warning, at: [wifi.ipAddress],
            "\(fileName) turns DHCP off and gives the fixed address \(values.applied(wifi.ipAddress)!), and every "
                + "handset that reads \(fileName) takes it: they conflict on the network; put the address in each "
                + "handset's own <MAC>.cfg, or turn DHCP on (device.wifi.dhcpEnabled=\"1\")")].compactMap { $0 }
    }

    /// `eap-tls-device-cert`: EAP-TLS while the profile 802.1X selects presents no device
    /// certificate the handset applies (an empty or ignored slot), or only the built-in one.
    func eapTLSCertificate(_ values: AppliedValues, vocabulary: Vocabulary = .handset) -> [SetFinding] {
        let login = Dot1xLogin(value: values.written, vocabulary: vocabulary)
        guard login.method == .tls else { return [] }
        let profile = login.profile
        if let n = login.deviceSlot {
            let slot = CertificateSlot.device(n)
            guard !values.holds(slot.parameter) || !values.holds(slot.keyParameter) else { return [] }
            return [values.finding("eap-tls-device-cert", .error, at: [Vocabulary.Wifi.eapMethod],
                "802.1X uses EAP-TLS and Platform Profile \(profile) presents \(slot), but it holds no "
                    + "certificate and key that the handset applies (empty, or its .set is not 1): the handset has "
                    + "nothing to present and cannot join the network; import one with 'slcfg cert import-device'")]
                .compactMap { $0 }
        }
        return [values.finding("eap-tls-device-cert", .warning, at: [Vocabulary.Wifi.eapMethod],
            "802.1X uses EAP-TLS and Platform Profile \(profile) presents the built-in device "
                + "certificate (\(Vocabulary.profileDeviceCertificate(profile)) is \(login.presented)): a RADIUS "
                + "server trusts it only if it trusts the factory's CA; import the site's device certificate with "
                + "'slcfg cert import-device'")].compactMap { $0 }
    }
}

extension AppliedValues {
    /// `wifi-credentials`: a security mode without what it needs (a pre-shared key of a valid length, an EAP
    /// method, PEAP's identity and password).
    func credentials() -> [SetFinding] {
        let wifi = Vocabulary.Wifi.self
        let mode = applied(wifi.securityMode) ?? ""
        switch security {
        case .preSharedKey?:
            guard holds(wifi.preSharedKey) else {
                return [finding("wifi-credentials", .error, at: [wifi.preSharedKey, wifi.securityMode],
                    "the security mode is \(mode) but no pre-shared key applies (\(wifi.preSharedKey) is missing, "
                        + "empty, or its .set is not 1): the handset cannot join the network; set the network's "
                        + "passphrase")].compactMap { $0 }
            }
            guard !isPlaceholder(wifi.preSharedKey), let problem = wifi.keyProblem(applied(wifi.preSharedKey)!) else {
                return []
            }
            return [finding("wifi-credentials", .error, at: [wifi.preSharedKey],
                "the pre-shared key \(problem): \(mode) takes 8 to 63 printable ASCII characters, or 64 hexadecimal "
                    + "digits, so the handset cannot join the network; set the network's passphrase")]
                .compactMap { $0 }
        case .enterprise?:
            guard let method = enterpriseMethod else {
                return [finding("wifi-credentials", .error, at: [wifi.eapMethod, wifi.securityMode],
                    "the security mode is \(mode) but no EAP method applies (\(wifi.eapMethod) is missing, empty, or "
                        + "its .set is not 1): the handset cannot authenticate; set PEAP or EAP-TLS")]
                    .compactMap { $0 }
            }
            let missing = [(wifi.identity, "an identity"), (wifi.password, "a password")].filter { !holds($0.0) }
            guard method == .peap, !missing.isEmpty else { return [] }
            return [finding("wifi-credentials", .error, at: missing.map(\.0) + [wifi.eapMethod],
                "802.1X uses PEAP but without \(missing.map(\.1).joined(separator: " and ")) that applies "
                    + "(\(missing.map(\.0).joined(separator: ", ")) missing, empty, or not .set): the RADIUS server "
                    + "refuses the handset; set the user's login")].compactMap { $0 }
        default:
            return []
        }
    }

    /// `dot1x-no-anchor`: 802.1X in use while its profile trusts no built-in CA and no slot that holds a
    /// certificate. The handset always validates the RADIUS server, so it can never join.
    func dot1xAnchor(vocabulary: Vocabulary) -> [SetFinding] {
        guard security == .enterprise || [.peap, .tls].contains(enterpriseMethod) else { return [] }
        let dot1x = Vocabulary.Application.dot1x
        let profile = vocabulary.profile(selectedBy: applied(dot1x.profileSelection))
        let listName = Vocabulary.caCertList(profile)
        let list = applied(listName) ?? "All"
        guard !LintRun.isPlaceholder(list) else { return [] }
        let parsed = CAList(list, vocabulary: vocabulary)
        let slots = parsed.slots.sorted()
        guard !parsed.builtin, !slots.contains(where: { holds(Vocabulary.caCertificate($0)) }) else { return [] }
        return [finding("dot1x-no-anchor", .error,
            at: [listName, dot1x.profileSelection, Vocabulary.Wifi.eapMethod, Vocabulary.Wifi.securityMode],
            "802.1X uses Platform Profile \(profile), whose CA list (\"\(list)\") leaves out the built-in CAs, and "
                + "\(LintRun.describeSlots(slots)): the handset always validates the RADIUS server, so it can never "
                + "join the network; import the RADIUS server's root CA with 'slcfg cert import FILE --slot "
                + "\(slots.first ?? profile) --for wlan'")].compactMap { $0 }
    }

    /// The provisioning protocol `device.prov.serverType` names (FTP when it does not apply: the default).
    var serverType: String {
        let value = applied("device.prov.serverType")?.uppercased() ?? "0"
        return ["0": "FTP", "1": "TFTP", "2": "HTTP", "3": "HTTPS", "4": "FTPS"][value] ?? value
    }

    /// `prov-scheme`: `serverName` written as a URL whose scheme is not the protocol `serverType` names.
    func provisioningScheme() -> [SetFinding] {
        let name = "device.prov.serverName"
        guard let server = applied(name), !isPlaceholder(name), let end = server.range(of: "://") else { return [] }
        let scheme = server[..<end.lowerBound].uppercased()
        guard ["FTP", "TFTP", "HTTP", "HTTPS", "FTPS"].contains(scheme), scheme != serverType else { return [] }
        let number = ["FTP": 0, "TFTP": 1, "HTTP": 2, "HTTPS": 3, "FTPS": 4][scheme]!
        return [finding("prov-scheme", .warning, at: [name],
            "the provisioning server is written as \(scheme.lowercased()):// but device.prov.serverType is "
                + "\(serverType)\(holds("device.prov.serverType") ? "" : " (the default)"): the two disagree, "
                + "and the handset may use either; make them agree (serverType \(number) for \(scheme), or change "
                + "the address)")].compactMap { $0 }
    }

    /// `prov-cleartext-login`: a provisioning login sent over FTP, TFTP or HTTP, where the files say so (the
    /// default FTP of a file that names no server type is not judged: the type may be set on the handset).
    func clearTextLogin() -> [SetFinding] {
        guard holds("device.prov.serverType"), ["FTP", "TFTP", "HTTP"].contains(serverType) else { return [] }
        let login = ["device.prov.user", "device.prov.password"].filter { holds($0) && !isPlaceholder($0) }
        guard !login.isEmpty else { return [] }
        let what = serverType == "TFTP"
            ? "TFTP has no login, so the handset reads its files without one, and so can anyone who reaches the "
                + "server"
            : "\(serverType) sends \(login.joined(separator: " and ")) in clear text, for anyone on the network "
                + "path to read"
        return [finding("prov-cleartext-login", .info, at: login,
            "provisioning uses \(serverType): \(what); use FTPS or HTTPS (device.prov.serverType 4 or 3)")]
            .compactMap { $0 }
    }

    /// `wifi-radio`: both bands off, or a Wi-Fi network set up while the regulatory domain is written but left
    /// unset (empty, or its `.set` not 1). A file that does not mention the domain leaves it to the handset.
    func radio() -> [SetFinding] {
        let wifi = Vocabulary.Wifi.self
        if applied(wifi.band2_4GHz) == "0" && applied(wifi.band5GHz) == "0" {
            return [finding("wifi-radio", .error, at: [wifi.band5GHz, wifi.band2_4GHz],
                "both radio bands are off (\(wifi.band2_4GHz) and \(wifi.band5GHz) are 0): the handset finds no "
                    + "network; turn on the band your access points use")].compactMap { $0 }
        }
        guard holds(wifi.ssid), written(wifi.regulatoryDomain) != nil, !holds(wifi.regulatoryDomain) else { return [] }
        return [finding("wifi-radio", .info, at: [wifi.regulatoryDomain],
            "the Wi-Fi network is set up, but \(wifi.regulatoryDomain) is left unset (empty, or its .set is not 1): "
                + "the handset keeps its factory domain, whose channels may not be those of your access points; set "
                + "it (0 Global, 1 US, 2 EU)")].compactMap { $0 }
    }
}

/// How a handset logs in to 802.1X, from the values it applies: what `probe --radius` uses unless told otherwise.
public struct Dot1xLogin: Sendable, Equatable {
    /// The EAP method, nil when none applies (or the network is not WPA2-Enterprise).
    public var method: Vocabulary.Wifi.Method?
    /// The identity (`wpa2Ent.user`), the anonymous outer identity and PEAP's password, each nil when none applies.
    public var identity: String?
    public var anonymousIdentity: String?
    public var password: String?
    /// For EAP-TLS: the device slot the 802.1X profile presents (nil: the built-in certificate).
    public var deviceSlot: Int?
    /// The platform profile 802.1X selects, and what it presents, as written (`Platform1`, `Builtin`).
    public var profile: Int
    public var presented: String

    /// The login read through `value` (a file's or a set's effective values).
    public init(value: (String) -> String?, vocabulary: Vocabulary = .handset) {
        func applied(_ name: String) -> String? {
            EntryStatus.appliedValue(of: name, value: value).flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        }
        let wifi = Vocabulary.Wifi.self
        let security = applied(wifi.securityMode).map(Vocabulary.Wifi.Security.init)
        method = security == nil || security == .enterprise ? applied(wifi.eapMethod).map(Vocabulary.Wifi.Method.init)
            : nil
        identity = applied(wifi.identity)
        anonymousIdentity = applied(wifi.anonymousIdentity)
        password = applied(wifi.password)
        profile = vocabulary.profile(selectedBy: applied(Vocabulary.Application.dot1x.profileSelection))
        presented = applied(Vocabulary.profileDeviceCertificate(profile)) ?? "Builtin"
        deviceSlot = vocabulary.deviceSlots.first {
            Vocabulary.platformItem($0).caseInsensitiveCompare(presented) == .orderedSame
        }
    }
}
