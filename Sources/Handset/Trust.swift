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
        TrustRule(id: "profile", text: "An application uses the profile its profileSelection names when that value "
            + "applies (.set=1 and device.set=1); otherwise PlatformProfile1",
                  source: "the guide (TLS profile selection); the default assumed from the stock files"),
        TrustRule(id: "ca-list", text: "The profile trusts what its caCertListN names (All, Builtin, PlatformN); a "
            + "list that does not apply means All",
                  source: "the guide; the default assumed from the stock files"),
        TrustRule(id: "slot", text: "A Platform CA slot counts only when it holds a certificate and its .set and "
            + "device.set are 1",
                  source: "the guide (the .set rule)"),
        TrustRule(id: "chain", text: "The chain the server sends must lead, signature by signature, to the certificate "
            + "of an allowed slot; certificates between must be CAs",
                  source: "RFC 5280 path building, done by swift-certificates' Verifier"),
        TrustRule(id: "anchor", text: "Any self-signed certificate in a slot is an anchor, even X.509 v1 or CA:FALSE "
            + "(the server's own certificate pinned)",
                  source: "the guide (FileZilla's self-signed v1 certificate pasted into customCaCert2)"),
        TrustRule(id: "validity", text: "Every certificate of the path must be valid at the handset's clock (--at, "
            + "default now)",
                  source: "RFC 5280; assumed for the handset"),
        TrustRule(id: "name", text: "With strictCertCommonNameValidation 1 (the default), the server's name must match "
            + "a subjectAltName, or the CN when there is none; a leading *. matches one label",
                  source: "the guide (strict common-name validation); the matching rules assumed from RFC 6125"),
        TrustRule(id: "name", text: "The RADIUS server is met through the access point, without a host name: its "
            + "certificate is matched against --radius-name, else the RADIUS host given (--radius, or the editor's "
            + "prompt)",
                  source: "assumed: the guide does not say which name the handset compares for 802.1X"),
        TrustRule(id: "builtin", text: "A list with All or Builtin also trusts the handset's built-in public CAs, a "
            + "list slcfg does not have: a chain to a CA of this machine's trust store is 'unknown'",
                  source: "assumed: the 8400's built-in list is not published"),
        TrustRule(id: "weak", text: "RSA keys under 2048 bits and SHA-1 signatures are warnings, not refusals",
                  source: "assumed: the handset's own limits are not documented"),
    ]
}

/// Why a Platform CA slot does not count for the profile an application selects.
public enum SlotExclusion: Sendable, Equatable {
    /// The slot holds nothing.
    case empty
    /// The slot's value is no certificate.
    case notACertificate
    /// The `.set` rule (``EntryStatus/blockers(of:value:)``): every reason, in order.
    case ignored([EntryStatus.Reason])
    /// The profile's CA list leaves the slot out.
    case notListed
}

/// What the file says about trusting one application's server: the profile, its CA list and
/// the slots, each judged with the `.set` rule.
public struct TrustSettings: Sendable {
    public struct Slot: Sendable {
        public var slot: Int
        public var certificate: CertificateFacts?
        /// Why it does not count; empty when it does.
        public var exclusions: [SlotExclusion]

        /// Whether the handset validates against it.
        public var counts: Bool { exclusions.isEmpty }
    }

    public var application: Vocabulary.Application
    public var profile: Int
    /// The profile's `caCertListN` parameter, and its value when the handset applies it.
    public var caListName: String
    public var caListValue: String?
    public var caList: CAList
    public var slots: [Slot]
    public var strictName: Bool
    /// `device.set` as the handset reads it (nil: no file sets it).
    public var deviceSet: String?

    /// The settings from `value`, which gives a parameter's effective value (nil when no file
    /// sets it): a document's, or a provisioning set's.
    public init(application: Vocabulary.Application, value: (String) -> String?, vocabulary: Vocabulary = .handset) {
        func applied(_ name: String) -> String? { EntryStatus.appliedValue(of: name, value: value) }
        self.application = application
        profile = vocabulary.profile(selectedBy: applied(application.profileSelection))
        caListName = Vocabulary.caCertList(profile)
        caListValue = applied(caListName)
        let caList = CAList(caListValue ?? "All", vocabulary: vocabulary)
        self.caList = caList
        strictName = (applied(application.commonNameValidation) ?? "1") != "0"
        deviceSet = value(Vocabulary.deviceSet)
        slots = vocabulary.caSlots.map { n in
            let name = Vocabulary.caCertificate(n)
            let raw = value(name) ?? ""
            let certificate = (try? CertificateInput(Array(raw.utf8)))?.certificates.first
            var exclusions: [SlotExclusion] = []
            if certificate == nil { exclusions.append(raw.isEmpty ? .empty : .notACertificate) }
            let blockers = EntryStatus.blockers(of: name, value: value)
            if !blockers.isEmpty { exclusions.append(.ignored(blockers)) }
            if !caList.allows(slot: n) { exclusions.append(.notListed) }
            return Slot(slot: n, certificate: certificate, exclusions: exclusions)
        }
    }

    /// "device.sec.TLS.profile.caCertList1 = "Platform1"", or that it does not apply.
    public var caListText: String {
        caListValue.map { "\(caListName) = \"\($0)\"" } ?? "\(caListName) does not apply (All)"
    }
}

/// Why the handset trusts a server or not: one cause a reason, each worded once
/// (``TrustCause/message``) and belonging to one rule of ``Catalogue/trustRules``.
public enum TrustCause: Sendable, Equatable {
    /// The profile the application uses and its CA list.
    case profile(TrustSettings.Profile)
    /// The chain leads to the certificate in an allowed slot (nil: a built-in CA).
    case reachesSlot(anchor: CertificateFacts, slot: Int)
    /// A certificate of the path is out of its validity at the handset's clock.
    case expired(CertificateFacts, judgedAt: Date)
    case notYetValid(CertificateFacts, judgedAt: Date)
    /// The server's name matches a name of its certificate.
    case nameMatches(host: String, field: String, name: String, wildcard: Bool)
    /// The server's name is none of its certificate's names; `strict`: validation refuses it.
    case nameMismatch(host: String, names: [String], strict: Bool)
    /// A slot holds the chain's anchor but does not count, for every reason given.
    case slotDoesNotCount(slot: Int, anchor: CertificateFacts, exclusions: [SlotExclusion], caList: String)
    /// The chain names the certificate that an allowed slot holds, yet leads to it by no valid path:
    /// `notCA` sits between and is no CA (nil: a signature or a link does not verify).
    case brokenChain(slot: Int, anchor: CertificateFacts, notCA: CertificateFacts?)
    /// The chain leads to no slot; `top` is the last certificate the server sent.
    case noAnchor(top: CertificateFacts?)
    /// The chain leads to a CA of this machine's trust store, which the handset may or may not hold.
    case builtinOnly(anchor: CertificateFacts)
    /// A weak key or signature in the chain.
    case weak(CertificateConcern)

    /// The rule of ``Catalogue/trustRules`` the cause belongs to.
    public var rule: String {
        switch self {
        case .profile: "profile"
        case .reachesSlot, .brokenChain, .noAnchor: "chain"
        case .expired, .notYetValid: "validity"
        case .nameMatches, .nameMismatch: "name"
        case .slotDoesNotCount: "slot"
        case .builtinOnly: "builtin"
        case .weak: "weak"
        }
    }

    public var severity: Finding.Severity {
        switch self {
        case .profile, .reachesSlot: .info
        case .nameMatches(_, _, _, let wildcard): wildcard ? .warning : .info
        case .nameMismatch(_, _, let strict): strict ? .error : .warning
        case .expired, .notYetValid, .slotDoesNotCount, .brokenChain, .noAnchor: .error
        case .builtinOnly, .weak: .warning
        }
    }

    /// Whether the cause alone keeps the handset from trusting the server.
    public var refuses: Bool { severity == .error }
}

extension TrustSettings {
    /// The profile an application uses, for ``TrustCause/profile(_:)``.
    public struct Profile: Sendable, Equatable {
        public var application: String
        public var number: Int
        public var caList: String

        public init(application: String, number: Int, caList: String) {
            self.application = application
            self.number = number
            self.caList = caList
        }
    }

    var profileCause: TrustCause {
        .profile(Profile(application: application.label, number: profile, caList: caListText))
    }
}

/// The handset's verdict on one server.
public struct TrustDecision: Sendable {
    public enum Verdict: String, Sendable { case trusted, notTrusted = "not trusted", unknown }

    public var verdict: Verdict
    /// The chain as the server sent it.
    public var chain: [CertificateFacts]
    /// The anchor the chain reached, and its slot (nil for a built-in CA).
    public var anchor: CertificateFacts?
    public var anchorSlot: Int?
    public var causes: [TrustCause]
    /// What to change so that the handset trusts the server, when slcfg knows (``TrustFix/of(_:settings:)``).
    public var fix: TrustFix?

    /// Decides as the handset would: the chain to an allowed slot, dates at `date`, the name
    /// when strict validation applies; `trustStore` stands in for the built-in list (unknown).
    public static func decide(
        _ settings: TrustSettings, presented: [CertificateFacts], host: String, at date: Date,
        trustStore: TrustStore
    ) async -> TrustDecision {
        var decision = TrustDecision(verdict: .notTrusted, chain: presented, causes: [settings.profileCause])
        let allowed = settings.slots.filter(\.counts)
        if let path = await TrustPath.build(presented: presented, anchors: allowed.compactMap(\.certificate)),
            let anchor = path.last, let slot = allowed.first(where: { $0.certificate?.sha256 == anchor.sha256 })
        {
            decision.anchor = anchor
            decision.anchorSlot = slot.slot
            decision.causes.append(.reachesSlot(anchor: anchor, slot: slot.slot))
            decision.causes += judgeDatesAndName(path, settings: settings, host: host, at: date)
            decision.verdict = decision.causes.contains(where: \.refuses) ? .notTrusted : .trusted
        } else {
            decision.causes += await explainNoPath(settings, presented: presented)
            // The store is read only here: for a chain that reaches no slot, under a list that
            // allows the built-in CAs, and then only the presented certificates' issuers.
            if settings.caList.builtin,
                let path = await TrustPath.build(presented: presented, anchors: trustStore.anchors(for: presented)),
                let anchor = path.last
            {
                decision.verdict = .unknown
                decision.anchor = anchor
                decision.causes.append(.builtinOnly(anchor: anchor))
            }
        }
        for facts in presented {
            for concern in facts.concerns(now: date) where concern.kind == .weakKey || concern.kind == .weakSignature {
                decision.causes.append(.weak(concern))
            }
        }
        decision.fix = decision.verdict == .trusted ? nil : TrustFix.of(decision, settings: settings)
        return decision
    }

    /// Dates of the path and the server's name.
    static func judgeDatesAndName(_ path: [CertificateFacts], settings: TrustSettings, host: String, at date: Date)
        -> [TrustCause]
    {
        var causes: [TrustCause] = []
        for facts in path {
            if date > facts.notAfter {
                causes.append(.expired(facts, judgedAt: date))
            } else if date < facts.notBefore {
                causes.append(.notYetValid(facts, judgedAt: date))
            }
        }
        guard let leaf = path.first else { return causes }
        switch TrustPath.match(leaf, host: host) {
        case .subjectAltName(let name, let wildcard):
            causes.append(.nameMatches(host: host, field: "subjectAltName", name: name, wildcard: wildcard))
        case .commonName(let name, let wildcard):
            causes.append(.nameMatches(host: host, field: "CN", name: name, wildcard: wildcard))
        case .none(let names):
            causes.append(.nameMismatch(host: host, names: names, strict: settings.strictName))
        }
        return causes
    }

    /// No path to an allowed slot: a slot that would anchor it but does not count, an allowed
    /// slot that the chain names but cannot reach, or no slot at all.
    static func explainNoPath(_ settings: TrustSettings, presented: [CertificateFacts]) async -> [TrustCause] {
        let holding = settings.slots.filter { $0.certificate != nil }
        if let path = await TrustPath.build(presented: presented, anchors: holding.compactMap(\.certificate)),
            let anchor = path.last, let slot = holding.first(where: { $0.certificate?.sha256 == anchor.sha256 })
        {
            return [
                .slotDoesNotCount(
                    slot: slot.slot, anchor: anchor, exclusions: slot.exclusions, caList: settings.caListText)
            ]
        }
        guard let top = presented.last else { return [.noAnchor(top: nil)] }
        let named = settings.slots.first { slot in
            guard slot.counts, let held = slot.certificate else { return false }
            return held.sha256 == top.sha256 || (held.subject == top.issuer && !top.selfSigned)
        }
        guard let named, let anchor = named.certificate else { return [.noAnchor(top: top)] }
        let between = presented.dropFirst().filter { !$0.isCA && !$0.selfSigned }
        return [.brokenChain(slot: named.slot, anchor: anchor, notCA: between.first)]
    }
}

extension TrustCause {
    /// The cause in words: the one wording `probe`, `--json` and the editor's details print.
    public var message: String {
        switch self {
        case .profile(let profile):
            "\(profile.application) uses Platform Profile \(profile.number); \(profile.caList)"
        case .reachesSlot(let anchor, let slot):
            "the chain reaches '\(anchor.displayName)' in Platform CA \(slot)"
        case .expired(let facts, let date):
            "'\(facts.displayName)' expired on \(Linter.day(facts.notAfter)) (judged at \(Linter.day(date)))"
        case .notYetValid(let facts, let date):
            "'\(facts.displayName)' is not valid before \(Linter.day(facts.notBefore)) (judged at \(Linter.day(date)))"
        case .nameMatches(let host, let field, let name, let wildcard):
            "'\(host)' matches the \(field) \(name)"
                + (wildcard ? " (a wildcard: any host of that domain would do)" : "")
        case .nameMismatch(let host, let names, let strict):
            "'\(host)' is not a name of the server's certificate "
                + "(\(names.isEmpty ? "no name" : names.joined(separator: ", "))); "
                + (strict ? "strict common-name validation is on"
                    : "accepted only because strict common-name validation is off")
        case .slotDoesNotCount(let slot, let anchor, let exclusions, let caList):
            "Platform CA \(slot) holds '\(anchor.displayName)', which anchors this chain, but it does not count: "
                + exclusions.map { $0.words(caList: caList) }.joined(separator: "; ")
        case .brokenChain(let slot, let anchor, let notCA):
            "the server's chain names '\(anchor.displayName)' in Platform CA \(slot) but does not lead to it: "
                + (notCA.map { "'\($0.displayName)' issues a certificate of the chain but is not a CA" }
                    ?? "a signature of the chain does not verify")
                + "; the server must send a valid chain"
        case .noAnchor(let top):
            Self.noAnchorMessage(top)
        case .builtinOnly(let anchor):
            "trusted only if the handset's built-in list holds '\(anchor.displayName)' (a public CA in this machine's "
                + "trust store)"
        case .weak(let concern):
            concern.message
        }
    }

    static func noAnchorMessage(_ top: CertificateFacts?) -> String {
        guard let top else { return "the server sent no certificate" }
        let end = top.selfSigned
            ? "'\(top.displayName)' (self-signed)" : "'\(top.displayName)', issued by '\(top.issuerDisplayName)'"
        let missingRoot = top.selfSigned
            ? "" : "; the server sends no root, so import the root '\(top.issuerDisplayName)' itself"
        return "the server's chain ends at \(end) and leads to no certificate in an allowed slot" + missingRoot
    }
}

extension SlotExclusion {
    /// Why the slot does not count, as the end of a sentence; `caList` names the profile's list.
    func words(caList: String) -> String {
        switch self {
        case .empty: "it is empty"
        case .notACertificate: "it does not hold a certificate"
        case .notListed: "\(caList) leaves it out"
        case .ignored(let reasons):
            reasons.map { reason in
                switch reason {
                case .setNotOne(let value): "its .set is \"\(value)\""
                case .setMissing: "its .set is missing"
                case .setMisspelled: "its .set is misspelled"
                case .deviceSetNotOne: "device.set is not 1"
                case .invalidValue: "its value is not one the handset can use"
                }
            }.joined(separator: "; ")
        }
    }
}

/// What to change so that the handset trusts a server, built from the causes that refused it.
public enum TrustFix: Sendable, Equatable {
    /// Parameters to set, in order: every change that the blocked slot needs.
    case set([Setting])
    /// Import the server's root (named `root`) into `slot`, then make the settings `then` (the
    /// import sets the slot's `.set`, not `device.set`).
    case importRoot(slot: Int, root: String, then: [Setting])

    public struct Setting: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fix for `decision`, or nil when no change to the file would do (an expired
    /// certificate, a wrong name: the server must change).
    static func of(_ decision: TrustDecision, settings: TrustSettings) -> TrustFix? {
        for cause in decision.causes {
            switch cause {
            case .slotDoesNotCount(let slot, _, let exclusions, _):
                return .set(settings.changes(enabling: slot, exclusions: exclusions))
            case .noAnchor(let top?):
                let listed = settings.slots.filter { settings.caList.allows(slot: $0.slot) }
                guard let slot = (listed.first { $0.certificate == nil } ?? listed.first)?.slot else { return nil }
                let root = top.selfSigned ? top.displayName : top.issuerDisplayName
                let then = EntryStatus.blockers(flagValue: "1", deviceSet: settings.deviceSet).isEmpty
                    ? [] : [Setting(Vocabulary.deviceSet, "1")]
                return .importRoot(slot: slot, root: root, then: then)
            default: continue
            }
        }
        return nil
    }
}

extension TrustSettings {
    /// The settings that make slot `slot` count, one for each exclusion, without repeats.
    func changes(enabling slot: Int, exclusions: [SlotExclusion]) -> [TrustFix.Setting] {
        let certificate = Vocabulary.caCertificate(slot)
        var changes: [TrustFix.Setting] = []
        func add(_ name: String, _ value: String) {
            if !changes.contains(where: { $0.name == name }) { changes.append(TrustFix.Setting(name, value)) }
        }
        for exclusion in exclusions {
            switch exclusion {
            case .ignored(let reasons):
                for reason in reasons {
                    switch reason {
                    case .deviceSetNotOne: add(Vocabulary.deviceSet, "1")
                    case .setNotOne, .setMissing, .setMisspelled:
                        add(SetRule.partner(of: certificate) ?? certificate + ".set", "1")
                    case .invalidValue: continue
                    }
                }
            case .notListed:
                add(caListName, (caListValue.map { $0 + "," } ?? "") + "Platform\(slot)")
            case .empty, .notACertificate: continue
            }
        }
        return changes
    }
}
