import CfgDocument

/// What applying a value would cost in security, in words a person can weigh.
public struct Weakening: Sendable, Equatable {
    /// What the handset would do: "turn name checking off: the handset would accept ...".
    public var effect: String
    /// The question the editor asks before applying it: "this makes the handset accept any RADIUS server name".
    public var question: String
    /// The secure way out: "set the value to 1 first".
    public var remedy: String
}

/// One parameter family whose values can lower security when the handset applies them, with
/// where the rule comes from. `fix` and the editor's `f` never turn such a value on by themselves.
public struct SecurityRule: Sendable {
    /// Which parameters (lower-cased names).
    public let applies: @Sendable (String) -> Bool
    /// The weakening of a value, or nil when the value is the secure one.
    public let judge: @Sendable (_ name: String, _ value: String) -> Weakening?
    /// "the guide", "DOMAIN", or "assumed".
    public let source: String
}

/// What a profile's `caCertList` value lets it trust: the built-in CAs and which platform slots.
public struct CAList: Sendable, Equatable {
    public var builtin: Bool
    public var slots: Set<Int>

    /// Reads `All`, `Builtin`, `PlatformN` (also `PlatformCAN`), separated by commas, spaces,
    /// semicolons or `And` (`BuiltinAndPlatform1`, `Platform1AndPlatform2`), in any case.
    public init(_ value: String, vocabulary: Vocabulary = .handset) {
        let separators: Set<Character> = [",", " ", ";"]
        let items = value.lowercased().split(whereSeparator: separators.contains)
            .flatMap { $0.components(separatedBy: "and") }.filter { !$0.isEmpty }
        let all = items.contains("all")
        builtin = all || items.contains("builtin")
        let slots = vocabulary.caSlots
        let named = slots.filter { items.contains("platform\($0)") || items.contains("platformca\($0)") }
        self.slots = all ? Set(slots) : Set(named)
    }

    public func allows(slot: Int) -> Bool { slots.contains(slot) }

    public init(builtin: Bool, slots: Set<Int>) {
        self.builtin = builtin
        self.slots = slots
    }

    /// The list as the handset's value: `All` for the built-in CAs and every slot, else its parts
    /// joined with `And` (`Platform1AndPlatform2`, `BuiltinAndPlatform2`).
    public func value(vocabulary: Vocabulary = .handset) -> String {
        if builtin && slots == Set(vocabulary.caSlots) { return "All" }
        let parts = (builtin ? ["Builtin"] : []) + slots.sorted().map(Vocabulary.platformItem)
        return parts.joined(separator: "And")
    }
}

extension Catalogue {

    /// The parameters whose values can weaken security, one rule a family.
    public static let securityRules: [SecurityRule] = [
        SecurityRule(
            applies: { $0.hasPrefix("device.sec.tls.") && $0.hasSuffix(".strictcertcommonnamevalidation") },
            judge: { name, value in
                guard value == "0" else { return nil }
                let key = name.lowercased().split(separator: ".").dropFirst(3).first.map(String.init) ?? ""
                let application = Vocabulary.handset.applications.first { $0.validationKey.lowercased() == key }
                let server = application?.server ?? "server"
                return Weakening(
                    effect: "would turn name checking off: the handset would accept a \(server) certificate "
                        + "issued to any name",
                    question: "this makes the handset accept any \(server) name",
                    remedy: "set the value to 1 first")
            },
            source: "the guide: turning strict common-name validation off is less secure"),
        SecurityRule(
            applies: { $0.hasPrefix("device.sec.tls.profile.cacertlist") },
            judge: { name, value in
                let list = CAList(value)
                guard list.slots.isEmpty, list.builtin else { return nil }
                let n = name.last.map(String.init) ?? ""
                let slots = Vocabulary.handset.caSlots.map(String.init).joined(separator: " and ")
                return Weakening(
                    effect: "would drop Platform CA \(slots) from Platform Profile \(n): servers would be checked "
                        + "only against the handset's built-in public CAs, not the CA you installed",
                    question: "this makes Platform Profile \(n) ignore your custom CA certificates",
                    remedy: "set it to All or Platform\(n) first")
            },
            source: "assumed: a profile that leaves out the custom slots trusts any public CA instead of yours"),
        SecurityRule(
            applies: { $0 == "device.prov.servertype" },
            judge: { _, value in
                let names = ["0": "FTP", "1": "TFTP", "2": "HTTP"]
                let upper = value.uppercased()
                let named = ["FTP", "TFTP", "HTTP"].contains(upper) ? upper : nil
                guard let protocolName = names[upper] ?? named else { return nil }
                let numeric = names[upper] != nil
                return Weakening(
                    effect: "would provision over \(protocolName) without TLS: the login and the configuration, "
                        + "passwords included, travel in clear text and the server is not authenticated",
                    question: "this makes the handset provision over \(protocolName), in clear text",
                    remedy: numeric ? "set it to 3 (HTTPS) or 4 (FTPS) first" : "set it to HTTPS or FTPS first")
            },
            source: "DOMAIN: 0 FTP, 1 TFTP, 2 HTTP carry no TLS"),
        SecurityRule(
            applies: { $0 == "device.prov.user" || $0 == "device.prov.password" },
            judge: { _, value in
                guard value == "PlcmSpIp" else { return nil }
                return Weakening(
                    effect: "would make the handset use the factory login PlcmSpIp, which anyone can look up",
                    question: "this makes the handset use the factory login PlcmSpIp",
                    remedy: "set a login of your own first")
            },
            source: "the guide: the default login is PlcmSpIp / PlcmSpIp"),
        SecurityRule(
            applies: { $0 == "device.wifi.securitymode" },
            judge: { _, value in
                guard ["none", "wep", "wpa-psk"].contains(value.lowercased()) else { return nil }
                let encryption = value.lowercased() == "none" ? "no encryption" : "broken encryption (\(value))"
                return Weakening(
                    effect: "would put the handset on a network with \(encryption)",
                    question: "this puts the handset on a \(value) network",
                    remedy: "set WPA2-PSK or WPA2-Enterprise first")
            },
            source: "assumed: open, WEP and WPA (TKIP) networks are not secure"),
        SecurityRule(
            applies: { $0 == "device.sec.tls.sslv2v3.enabled" },
            judge: { _, value in
                guard value == "1" else { return nil }
                return Weakening(
                    effect: "would allow SSL 2 and 3, which are broken",
                    question: "this lets the handset speak SSL 2 and 3",
                    remedy: "set the value to 0 first")
            },
            source: "assumed: SSL 2 and 3 are broken (RFC 6176, RFC 7568)"),
    ]

    /// What applying `value` to `name` would cost, or nil when it costs nothing.
    public func weakening(of name: String, value: String) -> Weakening? {
        let lower = name.lowercased()
        if CfgDocument.isTemplatePlaceholder(value) { return nil }
        for rule in Self.securityRules where rule.applies(lower) {
            if let weakening = rule.judge(name, value) { return weakening }
        }
        return nil
    }
}
