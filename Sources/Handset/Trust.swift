import Certificates
import CfgDocument
import Foundation

/// One rule of the handset's trust decision, with where it comes from.
public struct TrustRule: Sendable, Equatable {
    public let id: String
    public let text: String
    public let source: String
}

extension Catalogue {
    /// How a handset decides whether it trusts a server, one rule a line (README lists them).
    public static let trustRules: [TrustRule] = [
        TrustRule(id: "profile", text: "An application uses the profile its profileSelection names when that value applies (.set=1 and device.set=1); otherwise PlatformProfile1",
                  source: "the guide (TLS profile selection); the default assumed from the stock files"),
        TrustRule(id: "ca-list", text: "The profile trusts what its caCertListN names (All, Builtin, PlatformN); a list that does not apply means All",
                  source: "the guide; the default assumed from the stock files"),
        TrustRule(id: "slot", text: "A Platform CA slot counts only when it holds a certificate and its .set and device.set are 1",
                  source: "the guide (the .set rule)"),
        TrustRule(id: "chain", text: "The chain the server sends must lead, signature by signature, to the certificate of an allowed slot; certificates between must be CAs",
                  source: "RFC 5280 path building, done by swift-certificates' Verifier"),
        TrustRule(id: "anchor", text: "Any self-signed certificate in a slot is an anchor, even X.509 v1 or CA:FALSE (the server's own certificate pinned)",
                  source: "the guide (FileZilla's self-signed v1 certificate pasted into customCaCert2)"),
        TrustRule(id: "validity", text: "Every certificate of the path must be valid at the handset's clock (--at, default now)",
                  source: "RFC 5280; assumed for the handset"),
        TrustRule(id: "name", text: "With strictCertCommonNameValidation 1 (the default), the server's name must match a subjectAltName, or the CN when there is none; a leading *. matches one label",
                  source: "the guide (strict common-name validation); the matching rules assumed from RFC 6125"),
        TrustRule(id: "name", text: "The RADIUS server is met through the access point, without a host name: its certificate is matched against --radius-name, else the RADIUS host given (--radius, or the editor's prompt)",
                  source: "assumed: the guide does not say which name the handset compares for 802.1X"),
        TrustRule(id: "builtin", text: "A list with All or Builtin also trusts the handset's built-in public CAs, a list slcfg does not have: a chain to a CA of this machine's trust store is 'unknown'",
                  source: "assumed: the 8400's built-in list is not published"),
        TrustRule(id: "weak", text: "RSA keys under 2048 bits and SHA-1 signatures are warnings, not refusals",
                  source: "assumed: the handset's own limits are not documented"),
    ]
}

/// What the file says about trusting one application's server: the profile, its CA list and
/// the slots, each judged with the `.set` rule.
public struct TrustSettings: Sendable {
    public struct Slot: Sendable {
        public var slot: Int
        public var certificate: CertificateFacts?
        /// Why it does not count, nil when it does.
        public var excluded: String?
    }

    public var application: Vocabulary.Application
    public var profile: Int
    public var caList: CAList
    public var caListText: String
    public var slots: [Slot]
    public var strictName: Bool

    /// The settings from `value`, which gives a parameter's effective value (nil when no file
    /// sets it): a document's, or a provisioning set's.
    public init(application: Vocabulary.Application, value: (String) -> String?, vocabulary: Vocabulary = .handset) {
        let deviceSet = value(Vocabulary.deviceSet)
        func applied(_ name: String) -> String? {
            guard let v = value(name), let flag = SetRule.partner(of: name), value(flag) == "1", deviceSet == "1" else { return nil }
            return v
        }
        self.application = application
        let selected = applied(application.profileSelection)
        profile = vocabulary.profiles.first { Vocabulary.profileValue($0).caseInsensitiveCompare(selected ?? "") == .orderedSame } ?? vocabulary.profiles[0]
        let list = Vocabulary.caCertList(profile)
        caListText = applied(list).map { "\(list) = \"\($0)\"" } ?? "\(list) does not apply (All)"
        caList = CAList(applied(list) ?? "All", vocabulary: vocabulary)
        strictName = (applied(application.commonNameValidation) ?? "1") != "0"
        slots = vocabulary.caSlots.map { n in
            let name = Vocabulary.caCertificate(n)
            let raw = value(name) ?? ""
            let certificate = (try? CertificateInput(Array(raw.utf8)))?.certificates.first
            var excluded: String?
            if certificate == nil { excluded = raw.isEmpty ? "empty" : "does not hold a certificate" }
            else if value(name + ".set") != "1" { excluded = "its .set is \(value(name + ".set").map { "\"\($0)\"" } ?? "missing")" }
            else if deviceSet != "1" { excluded = "device.set is not 1" }
            return Slot(slot: n, certificate: certificate, excluded: excluded)
        }
    }
}

/// The reasons of a decision, in the order found.
final class ReasonLog: @unchecked Sendable {
    var reasons: [TrustDecision.Reason] = []

    func say(_ rule: String, _ severity: Finding.Severity, _ message: String) {
        reasons.append(TrustDecision.Reason(rule: rule, severity: severity, message: message))
    }
}

/// The handset's verdict on one server.
public struct TrustDecision: Sendable {
    public enum Verdict: String, Sendable { case trusted, notTrusted = "not trusted", unknown }

    public struct Reason: Sendable, Equatable {
        public var rule: String
        public var severity: Finding.Severity
        public var message: String
    }

    public var verdict: Verdict
    /// The chain as the server sent it.
    public var chain: [CertificateFacts]
    /// The anchor the chain reached, and its slot (nil for a built-in CA).
    public var anchor: CertificateFacts?
    public var anchorSlot: Int?
    public var reasons: [Reason]
    /// The slot to import the server's root into, when that is the fix.
    public var importSlot: Int?
    /// A slot that holds the chain's anchor but does not count (its .set, or the CA list).
    public var blockedSlot: Int?

    /// Decides as the handset would: the chain to an allowed slot, dates at `date`, the name
    /// when strict validation applies; `trustStore` stands in for the built-in list (unknown).
    public static func decide(_ settings: TrustSettings, presented: [CertificateFacts], host: String, at date: Date,
                              trustStore: [CertificateFacts]) async -> TrustDecision {
        var decision = TrustDecision(verdict: .notTrusted, chain: presented, reasons: [])
        let log = ReasonLog()
        let say = log.say
        say("profile", .info, "\(settings.application.label) uses Platform Profile \(settings.profile); \(settings.caListText)")
        let allowed = settings.slots.filter { settings.caList.allows(slot: $0.slot) && $0.excluded == nil }
        if let path = await TrustPath.build(presented: presented, anchors: allowed.compactMap(\.certificate)), let anchor = path.last {
            decision.anchor = anchor
            decision.anchorSlot = allowed.first { $0.certificate?.sha256 == anchor.sha256 }?.slot
            say("chain", .info, "the chain reaches '\(anchor.displayName)' in Platform CA \(decision.anchorSlot ?? 0)")
            decision.verdict = judgeDatesAndName(path, settings: settings, host: host, at: date, say: say) ? .trusted : .notTrusted
        } else {
            await explainNoPath(settings, presented: presented, trustStore: trustStore, decision: &decision, say: say)
        }
        for facts in presented {
            for concern in facts.concerns(now: date) where concern.kind == .weakKey || concern.kind == .weakSignature {
                say("weak", .warning, "'\(facts.displayName)': \(concern.message)")
            }
        }
        decision.reasons = log.reasons
        return decision
    }

    /// Dates of the path and the server's name; false when either fails.
    static func judgeDatesAndName(_ path: [CertificateFacts], settings: TrustSettings, host: String, at date: Date,
                                  say: (String, Finding.Severity, String) -> Void) -> Bool {
        var ok = true
        for facts in path where date > facts.notAfter || date < facts.notBefore {
            let when = date > facts.notAfter ? "expired on \(Linter.day(facts.notAfter))" : "is not valid before \(Linter.day(facts.notBefore))"
            say("validity", .error, "'\(facts.displayName)' \(when) (judged at \(Linter.day(date)))")
            ok = false
        }
        guard let leaf = path.first else { return ok }
        let match = TrustPath.match(leaf, host: host)
        switch match {
        case .subjectAltName(let name, let wildcard), .commonName(let name, let wildcard):
            let field = { if case .subjectAltName = match { return "subjectAltName" } else { return "CN" } }()
            say("name", wildcard ? .warning : .info, "'\(host)' matches the \(field) \(name)\(wildcard ? " (a wildcard: any host of that domain would do)" : "")")
        case .none(let names):
            let list = names.isEmpty ? "no name" : names.joined(separator: ", ")
            if settings.strictName {
                say("name", .error, "'\(host)' is not a name of the server's certificate (\(list)); strict common-name validation is on")
                ok = false
            } else {
                say("name", .warning, "'\(host)' is not a name of the server's certificate (\(list)); accepted only because strict common-name validation is off")
            }
        }
        return ok
    }

    /// No path to an allowed slot: why (a slot that would anchor it but does not count, a
    /// built-in CA, the missing root), and which slot to import into.
    static func explainNoPath(_ settings: TrustSettings, presented: [CertificateFacts], trustStore: [CertificateFacts],
                              decision: inout TrustDecision, say: (String, Finding.Severity, String) -> Void) async {
        let top = presented.last.map { $0.selfSigned ? "'\($0.displayName)' (self-signed)" : "'\($0.displayName)', issued by '\($0.issuerDisplayName)'" } ?? "nothing"
        let holding = settings.slots.filter { $0.certificate != nil }
        if let path = await TrustPath.build(presented: presented, anchors: holding.compactMap(\.certificate)), let anchor = path.last,
           let slot = holding.first(where: { $0.certificate?.sha256 == anchor.sha256 }) {
            let why = slot.excluded ?? "\(settings.caListText) leaves it out"
            decision.blockedSlot = slot.slot
            say("slot", .error, "Platform CA \(slot.slot) holds '\(anchor.displayName)', which anchors this chain, but it does not count: \(why)")
        } else {
            say("chain", .error, "the server's chain ends at \(top) and leads to no certificate in an allowed slot"
                + (presented.last.map { $0.selfSigned ? "" : "; the server sends no root, so import the root '\($0.issuerDisplayName)' itself" } ?? ""))
            decision.importSlot = settings.slots.first { settings.caList.allows(slot: $0.slot) && $0.certificate == nil }?.slot
                ?? settings.slots.first { settings.caList.allows(slot: $0.slot) }?.slot
        }
        guard settings.caList.builtin else { return }
        if let path = await TrustPath.build(presented: presented, anchors: trustStore), let anchor = path.last {
            decision.verdict = .unknown
            decision.anchor = anchor
            say("builtin", .warning, "trusted only if the handset's built-in list holds '\(anchor.displayName)' (a public CA in this machine's trust store)")
        }
    }
}
