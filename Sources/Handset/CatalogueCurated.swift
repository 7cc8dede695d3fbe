extension Catalogue {
    /// Parameters that share one `.set` flag, as (stem, numbered, parts): a device certificate's
    /// `.publicCert` and `.privateKey` are governed by `device.sec.TLS.customDeviceCertN.set`, the
    /// only flag the stock files have for them (no `.publicCert.set` exists in any real file).
    static let sharedSetFlags: [(stem: String, parts: [String])] = [
        ("device.sec.tls.customdevicecert", [".publiccert", ".privatekey"]),
    ]

    /// For a lower-cased name governed by a shared flag, the length of the stem (with its number)
    /// the flag is named after; nil for every other name.
    static func sharedFlagStem(_ lower: String) -> Int? {
        for (stem, parts) in sharedSetFlags where lower.hasPrefix(stem) {
            for part in parts where lower.hasSuffix(part) {
                let digits = lower.dropFirst(stem.count).dropLast(part.count)
                if !digits.isEmpty && digits.allSatisfy(\.isNumber) { return lower.count - part.count }
            }
        }
        return nil
    }

    static let serverTypes = ["0", "1", "2", "3", "4", "FTP", "TFTP", "HTTP", "HTTPS", "FTPS"]

    /// The TLS, provisioning and wireless parameters of the 8400, with the handset's labels.
    static let curated: [ParameterInfo] = curated(for: .handset)

    /// The curated entries for a vocabulary (its slots, profiles and applications).
    static func curated(for vocabulary: Vocabulary) -> [ParameterInfo] {
        let deviceSet = ParameterInfo(
            name: Vocabulary.deviceSet, label: "Use device settings (device.set)", menu: "Device",
            domain: .boolean, hasSetFlag: false, defaultValue: "0",
            help: "1: the handset uses the device.* parameters whose .set is 1")
        let caSlots = vocabulary.caSlots.map { n in
            ParameterInfo(
                name: Vocabulary.caCertificate(n), label: "Platform CA \(n)", menu: "Custom CA Certificates",
                domain: .certificate, hasSetFlag: true, defaultValue: "",
                help: "the root CA certificate: base64 of the DER on one line, or PEM")
        }
        return [deviceSet] + caSlots + vocabulary.deviceSlots.flatMap(deviceSlot)
            + vocabulary.profiles.flatMap { profile($0, vocabulary) }
            + vocabulary.applications.flatMap { application($0, vocabulary) } + provisioningServer
    }

    /// Device certificate slot `n`: the certificate, its key, and the flag both share.
    static func deviceSlot(_ n: Int) -> [ParameterInfo] {
        let stem = Vocabulary.deviceCertificate(n)
        return [
            ParameterInfo(
                name: stem + ".publicCert", label: "Device Certificate \(n)", menu: "Custom Device Certificates",
                domain: .certificate, hasSetFlag: false, defaultValue: "",
                help: "the EAP-TLS device certificate, PEM"),
            ParameterInfo(
                name: stem + ".privateKey", label: "Device Certificate \(n) Private Key",
                menu: "Custom Device Certificates", domain: .privateKey, hasSetFlag: false, defaultValue: "",
                help: "the device certificate's private key, PEM, unencrypted"),
            ParameterInfo(
                name: stem, label: "Device Certificate \(n)", menu: "Custom Device Certificates",
                domain: .text, hasSetFlag: true, defaultValue: "",
                help: "set through .publicCert and .privateKey"),
        ]
    }

    /// Platform profile `n`: the CAs it trusts and the device certificate it presents.
    static func profile(_ n: Int, _ vocabulary: Vocabulary) -> [ParameterInfo] {
        [
            ParameterInfo(
                name: Vocabulary.caCertList(n), label: "CA Certificate List", menu: "Platform Profile \(n)",
                domain: .choices(vocabulary.caListChoices, strict: false), hasSetFlag: true, defaultValue: "All",
                help: "All (built-in and every platform CA), "
                    + vocabulary.caListChoices.dropFirst().joined(separator: ", ")),
            ParameterInfo(
                name: Vocabulary.profileDeviceCertificate(n), label: "Device Certificate",
                menu: "Platform Profile \(n)", domain: .choices(vocabulary.deviceCertificateChoices, strict: false),
                hasSetFlag: true, defaultValue: "Builtin",
                help: "the certificate the handset presents: "
                    + vocabulary.deviceCertificateChoices.joined(separator: ", ")),
        ]
    }

    /// A TLS application: the profile it uses and whether it checks the server's name.
    static func application(_ app: Vocabulary.Application, _ vocabulary: Vocabulary) -> [ParameterInfo] {
        [
            ParameterInfo(
                name: app.profileSelection, label: "\(app.label) Profile", menu: app.label,
                domain: .choices(vocabulary.profileChoices, strict: true), hasSetFlag: true,
                defaultValue: Vocabulary.profileValue(vocabulary.profiles[0]),
                help: "the platform profile used for \(app.label): "
                    + vocabulary.profileChoices.joined(separator: " or ")),
            ParameterInfo(
                name: app.commonNameValidation, label: "Common Name Validation", menu: app.label,
                domain: .boolean, hasSetFlag: true, defaultValue: "1",
                help: "1: the server certificate's name must match the server address; 0 is less secure"),
        ]
    }

    /// The provisioning server and Wi-Fi entries (the same in every vocabulary).
    static let provisioningServer: [ParameterInfo] = [
            ParameterInfo(
                name: "device.prov.serverType", label: "Server Type", menu: "Provisioning Server",
                domain: .choices(serverTypes, strict: true), hasSetFlag: true, defaultValue: "0",
                help: "0 FTP, 1 TFTP, 2 HTTP, 3 HTTPS, 4 FTPS (or the names)"),
            ParameterInfo(
                name: "device.prov.serverName", label: "Server Name", menu: "Provisioning Server",
                domain: .text, hasSetFlag: true, defaultValue: "",
                help: "the provisioning server's address, with an optional path"),
            ParameterInfo(
                name: "device.prov.user", label: "Server User", menu: "Provisioning Server",
                domain: .text, hasSetFlag: true, defaultValue: "PlcmSpIp",
                help: "the login on the provisioning server"),
            ParameterInfo(
                name: "device.prov.password", label: "Server Password", menu: "Provisioning Server",
                domain: .secret, hasSetFlag: true, defaultValue: "PlcmSpIp",
                help: "the password on the provisioning server"),
    ] + wireless

    /// The Wi-Fi entries: the network, WPA2-Enterprise and the radio. Labels the 8400's own menus are not
    /// documented to show are marked `labelAssumed`.
    static let wireless: [ParameterInfo] = {
        let wifi = Vocabulary.Wifi.self
        func entry(_ name: String, _ label: String, _ menu: String, _ domain: ValueDomain, default value: String = "",
                   assumed: Bool = true, help: String = "") -> ParameterInfo {
            ParameterInfo(name: name, label: label, menu: menu, domain: domain, hasSetFlag: true, defaultValue: value,
                          help: help, labelAssumed: assumed)
        }
        return [
            entry(wifi.enabled, "Wi-Fi Enabled", "Network", .boolean, default: "1",
                  help: "1: the handset uses its Wi-Fi radio (the default assumed)"),
            entry(wifi.ssid, "SSID", "Network", .text, assumed: false, help: "the network's name, 1 to 32 characters"),
            entry(wifi.securityMode, "Security Mode", "Network",
                  .choices(["None", "WEP", "WPA-PSK", "WPA2-PSK", "WPA2-Enterprise"], strict: false), assumed: false,
                  help: "None, WEP, WPA-PSK, WPA2-PSK or WPA2-Enterprise"),
            entry(wifi.preSharedKey, "Pre-Shared Key", "Network", .secret,
                  help: "WPA-PSK and WPA2-PSK: 8 to 63 printable ASCII characters, or 64 hexadecimal digits"),
            entry(wifi.eapMethod, "EAP Method", "WPA2-Enterprise",
                  .choices(["PEAP-MSCHAPv2", "EAP-TLS", "EAP-FAST"], strict: false), assumed: false,
                  help: "PEAP-MSCHAPv2 (identity and password), EAP-TLS (the device certificate) or EAP-FAST"),
            entry(wifi.identity, "User", "WPA2-Enterprise", .text, assumed: false,
                  help: "the identity the RADIUS server knows the handset by"),
            entry(wifi.password, "Password", "WPA2-Enterprise", .secret, assumed: false,
                  help: "PEAP's password for the identity"),
            entry(wifi.anonymousIdentity, "Anonymous Identity", "WPA2-Enterprise", .text,
                  help: "the outer identity sent before the TLS tunnel (empty: the identity itself)"),
            entry(wifi.regulatoryDomain, "Regulatory Domain", "Radio", .choices(["0", "1", "2"], strict: false),
                  help: "0 Global, 1 US, 2 EU (from a stock template's comment)"),
            entry(wifi.band2_4GHz, "2.4 GHz Band", "Radio", .boolean, default: "1", help: "1: the band is used"),
            entry(wifi.band5GHz, "5 GHz Band", "Radio", .boolean, default: "1", help: "1: the band is used"),
        ]
    }()
}
