import Certificates
import Foundation

/// What a probe of one server found, worded once: `probe` prints it (text or JSON) and the
/// editor's `v` shows it in the details pane.
public struct TrustReport: Encodable, Sendable, Equatable {
    /// One cause of the decision, in words, with its rule and severity.
    public struct Reason: Encodable, Sendable, Equatable {
        public var rule: String
        public var severity: Finding.Severity
        public var message: String

        public init(_ cause: TrustCause) {
            rule = cause.rule
            severity = cause.severity
            message = cause.message
        }

        enum CodingKeys: String, CodingKey { case rule, severity, message }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rule, forKey: .rule)
            try container.encode(severity.rawValue, forKey: .severity)
            try container.encode(message, forKey: .message)
        }
    }

    public var target: String
    public var kind: String
    public var verdict: TrustDecision.Verdict
    public var chain: [CertificateFacts]
    public var anchor: CertificateFacts?
    public var reasons: [Reason]
    /// The command that makes the handset trust the server (from the decision's typed fix).
    public var fix: String?

    enum CodingKeys: String, CodingKey { case target, kind, verdict, chain, anchor, reasons, fix }

    /// The JSON of `probe --json`: the verdict in words.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(target, forKey: .target)
        try container.encode(kind, forKey: .kind)
        try container.encode(verdict.rawValue, forKey: .verdict)
        try container.encode(chain, forKey: .chain)
        try container.encodeIfPresent(anchor, forKey: .anchor)
        try container.encode(reasons, forKey: .reasons)
        try container.encodeIfPresent(fix, forKey: .fix)
    }

    /// One line of the report, with what it says: the verdict (first line) or a reason's severity.
    public struct Line: Sendable, Equatable {
        public var text: String
        public var verdict: TrustDecision.Verdict?
        public var severity: Finding.Severity?

        public init(_ text: String, verdict: TrustDecision.Verdict? = nil, severity: Finding.Severity? = nil) {
            self.text = text
            self.verdict = verdict
            self.severity = severity
        }
    }

    /// `from` is how the root would be fetched (`--from-server URL`); `root` is where it is
    /// (`ServerRoot.of`): when the server sends it or this machine's trust store has it,
    /// fetching it is the fix.
    public init(target: String, kind: String, decision: TrustDecision, file: String, from: String, root: ServerRoot?) {
        self.target = target
        self.kind = kind
        verdict = decision.verdict
        chain = decision.chain
        anchor = decision.anchor
        reasons = decision.causes.map(Reason.init)
        let fetchable = switch root { case .sent?, .trustStore?: true; case .missing?, nil: false }
        fix = decision.fix.map { Self.command($0, file: file, from: fetchable ? from : nil) }
    }

    /// The slcfg command that makes `fix`; `from` fetches the root (nil: the server does not send it).
    public static func command(_ fix: TrustFix, file: String, from: String?) -> String {
        switch fix {
        case .set(let settings):
            return setCommand(settings, file: file)
        case .importRoot(let slot, let root, let then):
            let also = then.isEmpty ? "" : " && " + setCommand(then, file: file)
            guard let from else {
                let comment = "# '\(root)', from your CA: the server does not send it"
                return "slcfg cert import \(shellWord(file)) --slot \(slot) ROOT.pem\(also)   \(comment)"
            }
            return "slcfg cert import \(shellWord(file)) --slot \(slot) \(from)\(also)"
        }
    }

    /// `slcfg set FILE NAME=VALUE…`.
    static func setCommand(_ settings: [TrustFix.Setting], file: String) -> String {
        "slcfg set \(shellWord(file)) " + settings.map { shellWord("\($0.name)=\($0.value)") }.joined(separator: " ")
    }

    /// `word` as one shell word: quoted when it holds anything but letters, digits and `.,=_-/:`.
    static func shellWord(_ word: String) -> String {
        let plain = word.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || ".,=_-/:".unicodeScalars.contains($0)
        }
        return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// The report as lines: the verdict, the chain as sent, the anchor, each reason, the fix.
    public var lines: [Line] {
        var lines = [Line("\(kind) \(target): \(verdict.rawValue)", verdict: verdict), Line("  chain as sent:")]
        for (k, facts) in chain.enumerated() {
            lines.append(
                Line(
                    "    \(k + 1). '\(facts.displayName)', issued by '\(facts.issuerDisplayName)', "
                        + "until \(Linter.day(facts.notAfter))"))
        }
        if let anchor { lines.append(Line("  anchor: '\(anchor.displayName)'")) }
        for reason in reasons {
            lines.append(
                Line("  \(reason.severity.rawValue): \(reason.message) [\(reason.rule)]", severity: reason.severity))
        }
        if let fix { lines.append(Line("  fix: \(fix)")) }
        return lines
    }
}

/// Where the root of a server's chain comes from, for `--from-server`, `--from-radius` and the
/// editor's `g`: the server itself, this machine's trust store, or nowhere.
public enum ServerRoot: Sendable, Equatable {
    /// The server sends it (a self-signed certificate at the top of its chain).
    case sent(CertificateFacts)
    /// The top certificate's issuer, found in this machine's trust store.
    case trustStore(CertificateFacts)
    /// Neither: the top certificate, which names the root nobody has.
    case missing(top: CertificateFacts)

    /// The root for `chain` (nil when the chain is empty).
    public static func of(_ chain: [CertificateFacts], trustStore: TrustStore) -> ServerRoot? {
        guard let top = chain.last else { return nil }
        if top.selfSigned { return .sent(top) }
        if let root = trustStore.issuer(of: top) { return .trustStore(root) }
        return .missing(top: top)
    }

    /// Where it came from, in one sentence (`url`: the server; `store`: the trust store's path).
    public func origin(url: String, store: String) -> String {
        switch self {
        case .sent(let root): "The root '\(root.displayName)' came from \(url) itself."
        case .trustStore(let root):
            "\(url) sends no root; its issuer '\(root.displayName)' came from this machine's trust store (\(store))."
        case .missing(let top):
            "\(url) sends no root: its chain ends at '\(top.displayName)', issued by '\(top.issuerDisplayName)', which "
                + "is not in this machine's trust store either; get '\(top.issuerDisplayName)' from your CA and import "
                + "it from a file"
        }
    }
}

extension TrustSettings {
    /// Why the file's provisioning has no certificate to check (not TLS, or no server named), nil when it has.
    public static func provisioningNotTLS(value: (String) -> String?) -> String? {
        let type = value("device.prov.serverType") ?? "0"
        guard ["3", "4", "HTTPS", "FTPS"].contains(type.uppercased()) else {
            return
                "device.prov.serverType is \(Catalogue.shared.valueLabel(type, for: "device.prov.serverType")): not "
                    + "TLS, so there is no provisioning certificate to check"
        }
        if (value("device.prov.serverName") ?? "").isEmpty {
            return "device.prov.serverName is empty: no provisioning server to ask"
        }
        return nil
    }

    /// The provisioning server the file names, as `probe --provisioning` takes it: `https://`
    /// for type 3, `ftpes://` for 4 (explicit FTPS, tried first); nil when `provisioningNotTLS` says why.
    public static func provisioningURL(value: (String) -> String?) -> String? {
        guard provisioningNotTLS(value: value) == nil, let type = value("device.prov.serverType"),
            let name = value("device.prov.serverName")
        else { return nil }
        let scheme = ["3", "HTTPS"].contains(type.uppercased()) ? "https" : "ftpes"
        return "\(scheme)://\(name.split(separator: "/").first.map(String.init) ?? name)"
    }

    /// A device slot's certificate and key as the file holds them (empty when it does not).
    public static func deviceCredentials(_ slot: Int, value: (String) -> String?) -> (certificate: String, key: String)
    {
        let stem = Vocabulary.deviceCertificate(slot)
        return (value(stem + ".publicCert") ?? "", value(stem + ".privateKey") ?? "")
    }
}
