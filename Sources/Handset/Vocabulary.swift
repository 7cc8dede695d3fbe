/// The handset's TLS vocabulary, written once: the applications that use TLS, the platform
/// profiles, the certificate slots, the parameters that hold them and their `.set` partners. The
/// curated catalogue, the menu tree, lint and the slot logic are built from it, so a third slot or
/// another application is a one-line change here.
public struct Vocabulary: Sendable, Equatable {
    /// An application that uses a platform profile (802.1X, provisioning, syslog).
    public struct Application: Sendable, Equatable {
        /// The menu label ("802.1X").
        public var label: String
        /// Its key in `device.sec.TLS.profileSelection.KEY`.
        public var selectionKey: String
        /// Its key in `device.sec.TLS.KEY.strictCertCommonNameValidation`.
        public var validationKey: String
        /// The server it talks to, for messages ("RADIUS server (802.1X)").
        public var server: String

        /// `device.sec.TLS.profileSelection.KEY`.
        public var profileSelection: String { "device.sec.TLS.profileSelection.\(selectionKey)" }
        /// `device.sec.TLS.KEY.strictCertCommonNameValidation`.
        public var commonNameValidation: String { "device.sec.TLS.\(validationKey).strictCertCommonNameValidation" }

        /// WPA2-Enterprise's RADIUS server.
        public static let dot1x = Application(
            label: "802.1X", selectionKey: "dot1x", validationKey: "dot1x", server: "RADIUS server (802.1X)")
        /// The provisioning server.
        public static let provisioning = Application(
            label: "Provisioning", selectionKey: "provisioning", validationKey: "prov", server: "provisioning server")
        public static let syslog = Application(
            label: "Syslog", selectionKey: "syslog", validationKey: "syslog", server: "syslog server")
    }

    /// The Platform CA slots (`customCaCertN`).
    public var caSlots: [Int]
    /// The custom device certificate slots (`customDeviceCertN`).
    public var deviceSlots: [Int]
    /// The platform profiles (`PlatformProfileN`).
    public var profiles: [Int]
    /// The applications, in menu order.
    public var applications: [Application]

    public init(caSlots: [Int], deviceSlots: [Int], profiles: [Int], applications: [Application]) {
        self.caSlots = caSlots
        self.deviceSlots = deviceSlots
        self.profiles = profiles
        self.applications = applications
    }

    /// The 8400's.
    public static let handset = Vocabulary(
        caSlots: [1, 2], deviceSlots: [1, 2], profiles: [1, 2], applications: [.dot1x, .provisioning, .syslog])

    /// The master switch of every `device.*` parameter.
    public static let deviceSet = "device.set"

    /// `device.sec.TLS.customCaCertN`.
    public static func caCertificate(_ n: Int) -> String { "device.sec.TLS.customCaCert\(n)" }
    /// `device.sec.TLS.customDeviceCertN` (its `.set` governs the certificate and the key).
    public static func deviceCertificate(_ n: Int) -> String { "device.sec.TLS.customDeviceCert\(n)" }
    /// `device.sec.TLS.profile.caCertListN`.
    public static func caCertList(_ n: Int) -> String { "device.sec.TLS.profile.caCertList\(n)" }
    /// `device.sec.TLS.profile.deviceCertN`.
    public static func profileDeviceCertificate(_ n: Int) -> String { "device.sec.TLS.profile.deviceCert\(n)" }
    /// `PlatformProfileN`, the value that selects profile N.
    public static func profileValue(_ n: Int) -> String { "PlatformProfile\(n)" }

    /// The profile an application uses, from its applied `profileSelection` value (nil: none
    /// applies): the one named, else the first.
    public func profile(selectedBy value: String?) -> Int {
        profiles.first { Self.profileValue($0).caseInsensitiveCompare(value ?? "") == .orderedSame } ?? profiles[0]
    }
    /// `PlatformN`, the CA-list item for slot N.
    public static func platformItem(_ n: Int) -> String { "Platform\(n)" }

    /// The values a profile's CA list takes.
    public var caListChoices: [String] { ["All", "Builtin"] + caSlots.map(Self.platformItem) }
    /// The values a profile's device certificate takes.
    public var deviceCertificateChoices: [String] { ["Builtin"] + deviceSlots.map(Self.platformItem) }
    /// The values a profile selection takes.
    public var profileChoices: [String] { profiles.map(Self.profileValue) }
}
