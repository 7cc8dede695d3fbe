import Foundation

/// The certificate to put into a CA slot, chosen from what the user brought.
public struct CASelection: Sendable {
    /// The certificate chosen.
    public var certificate: CertificateFacts
    /// Why the choice is doubtful, in words for administrators (empty for a root CA).
    public var warnings: [String]
}

/// One thing to worry about in a certificate, in words for administrators.
public struct CertificateConcern: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case expired, notYetValid, expiring, weakKey, weakSignature, unverifiableSelfSignature
    }
    public var kind: Kind
    public var message: String
}

/// Why no root CA could be picked, as data: each front end words its own way past it (the CLI's
/// flag, the editor's question).
public enum RootRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input held no certificate.
    case noCertificate
    /// A single certificate that is not self-signed: a server, user or intermediate certificate.
    case notRoot(CertificateFacts)
    /// A chain whose top certificate's issuer is not in the input.
    case rootMissing(top: CertificateFacts)

    /// The certificate that importing anyway would store.
    public var candidate: CertificateFacts? {
        switch self {
        case .noCertificate: nil
        case .notRoot(let only): only
        case .rootMissing(let top): top
        }
    }

    /// What was found, and which certificate to bring instead.
    public var description: String {
        switch self {
        case .noCertificate:
            "no certificate found"
        case .notRoot(let only):
            "\(Self.problem(only)); \(Self.advice). Import the root CA certificate ('\(only.issuerDisplayName)' or "
                + "above)"
        case .rootMissing(let top):
            "\(Self.missing(top)); get the certificate of '\(top.issuerDisplayName)' (the root CA) from your CA and "
                + "import it"
        }
    }

    /// The warning when a person imports the candidate anyway.
    public var warning: String {
        switch self {
        case .noCertificate: ""
        case .notRoot(let only): "\(Self.problem(only)); \(Self.advice)"
        case .rootMissing(let top):
            "\(Self.missing(top)); the handset validates the chain up to a root CA, so this certificate alone may "
                + "not do"
        }
    }

    static func problem(_ only: CertificateFacts) -> String {
        only.selfSignatureUnverifiable
            ? "'\(only.displayName)' names itself as its issuer, but its signature cannot be verified ("
                + "\(only.keyAlgorithm) \(only.keyBits) bits, \(only.signatureAlgorithm)), so it is not taken as a root"
            : only.isCA
            ? "'\(only.displayName)' is an intermediate CA, issued by '\(only.issuerDisplayName)'"
            : "'\(only.displayName)' is a server or user certificate issued by '\(only.issuerDisplayName)', not a CA"
    }

    static let advice =
        "the handset validates the RADIUS or provisioning server's chain up to a root CA it holds, so the server's "
        + "certificate (or an intermediate) alone will not do"

    static func missing(_ top: CertificateFacts) -> String {
        "the chain has no root CA: '\(top.displayName)' was issued by '\(top.issuerDisplayName)', which is missing"
    }
}

/// Root selection: the handset validates the server's chain up to a root it holds.
public enum Chain {
    /// Picks the root CA from `certificates`: the self-signed certificate the others chain up to.
    /// Without a root, or for a single certificate that is not a root CA, refuses unless
    /// `allowNonRoot` (a person's yes), saying which certificate is missing.
    public static func selectRoot(_ certificates: [CertificateFacts], allowNonRoot: Bool) throws(RootRefusal)
        -> CASelection
    {
        guard !certificates.isEmpty else { throw .noCertificate }
        if certificates.count == 1 {
            let only = certificates[0]
            // Any self-signed certificate is its own root and a trust anchor: a v3 root CA, a
            // v1 certificate without extensions (FileZilla's), or a server's own with CA:FALSE.
            if only.isTrustAnchor {
                return CASelection(certificate: only, warnings: only.anchorNote.map { [$0] } ?? [])
            }
            return try anyway(.notRoot(only), allowNonRoot: allowNonRoot)
        }
        var index = ChainIndex(certificates)
        let tops = index.tops()
        let chosen = Self.mostLedTo(tops)
        guard chosen.selfSigned else { return try anyway(.rootMissing(top: chosen), allowNonRoot: allowNonRoot) }
        var warnings: [String] = []
        if let note = chosen.anchorNote { warnings.append(note) }
        let unrelated = zip(certificates, tops).filter { $0.1.sha256 != chosen.sha256 }.map(\.0)
        if !unrelated.isEmpty {
            let named = unrelated.prefix(5).map { "'\($0.displayName)'" }.joined(separator: ", ")
            warnings.append(
                "\(unrelated.count) certificate(s) do not chain to '\(chosen.displayName)' and were left out: \(named)"
                    + (unrelated.count > 5 ? " and \(unrelated.count - 5) more" : "")
            )
        }
        return CASelection(certificate: chosen, warnings: warnings)
    }

    /// The refusal's candidate with its warning when a person said yes, else the refusal.
    static func anyway(_ refusal: RootRefusal, allowNonRoot: Bool) throws(RootRefusal) -> CASelection {
        guard allowNonRoot, let candidate = refusal.candidate else { throw refusal }
        return CASelection(certificate: candidate, warnings: [refusal.warning])
    }

    /// The top most certificates lead to (`tops`: each certificate's): a self-signed one first;
    /// among equals, the first.
    static func mostLedTo(_ tops: [CertificateFacts]) -> CertificateFacts {
        var counts: [String: Int] = [:]
        for t in tops { counts[t.sha256, default: 0] += 1 }
        let candidates = tops.contains(where: \.selfSigned) ? tops.filter(\.selfSigned) : tops
        var chosen = candidates[0]
        for t in candidates where counts[t.sha256, default: 0] > counts[chosen.sha256, default: 0] { chosen = t }
        return chosen
    }
}

/// The certificates of one input indexed by subject, so that walking each one up to its top is
/// linear overall: each certificate's issuer is looked up, and verified, once.
struct ChainIndex {
    let certificates: [CertificateFacts]
    let bySubject: [ArraySlice<UInt8>: [Int]]
    var issuers: [Int: Int?] = [:]

    init(_ certificates: [CertificateFacts]) {
        self.certificates = certificates
        bySubject = Dictionary(grouping: certificates.indices, by: { certificates[$0].subjectDER })
    }

    /// The issuer of certificate `k` in the input: one whose signature verifies, else the first named.
    mutating func issuer(of k: Int) -> Int? {
        if let known = issuers[k] { return known }
        let c = certificates[k]
        let named = (bySubject[c.issuerDER] ?? []).filter { certificates[$0].sha256 != c.sha256 }
        let found = named.first { CertificateFacts.verifies(c, by: certificates[$0]) == true } ?? named.first
        issuers[k] = .some(found)
        return found
    }

    /// Each certificate's top: up through issuers in the input until a self-signed one, the end,
    /// or a loop; a top found once is reused by every certificate below it.
    mutating func tops() -> [CertificateFacts] {
        var top: [Int: Int] = [:]
        for start in certificates.indices where top[start] == nil {
            var walked = [start]
            var seen: Set<Int> = [start]
            var current = start
            while top[current] == nil, !certificates[current].selfSigned, let next = issuer(of: current),
                seen.insert(next).inserted
            {
                walked.append(next)
                current = next
            }
            let end = top[current] ?? current
            for k in walked { top[k] = end }
        }
        return certificates.indices.map { certificates[top[$0] ?? $0] }
    }
}

extension CertificateFacts {
    /// Whether the handset can hold it as a root: any self-signed certificate is its own root,
    /// whatever its version or basic constraints. The one rule for imports, pastes, lint and `cert show`.
    public var isTrustAnchor: Bool { selfSigned }

    /// The plain-words note for a self-signed certificate that is not a CA certificate, or nil.
    public var anchorNote: String? {
        guard selfSigned && !isCA else { return nil }
        return
            "'\(displayName)' is a self-signed server certificate: the handset will trust exactly this server; import "
                + "it again when the server's certificate is renewed"
    }

    /// The common name, or the whole subject when there is none.
    public var displayName: String { subjectCommonName.isEmpty ? subject : subjectCommonName }
    /// The issuer's common name, or the whole issuer when there is none.
    public var issuerDisplayName: String { issuerCommonName.isEmpty ? issuer : issuerCommonName }

    /// What an administrator should worry about, as of `now`: validity, key strength, signature.
    /// The one source of certificate warnings: imports print them, lint's `cert-*` rules quote them.
    public func concerns(now: Date = Date()) -> [CertificateConcern] {
        var result: [CertificateConcern] = []
        if expired {
            result.append(
                CertificateConcern(
                    kind: .expired,
                    message:
                        "'\(displayName)' expired on \(Self.day(notAfter)): the handset will reject servers that rely "
                            + "on it"
                ))
        } else if notYetValid {
            result.append(
                CertificateConcern(
                    kind: .notYetValid,
                    message:
                        "'\(displayName)' is not valid until \(Self.day(notBefore)): check the handset's clock and the "
                            + "certificate"
                ))
        } else if notAfter.timeIntervalSince(now) < 30 * 86400 {
            let days = daysLeft(now: now)
            result.append(
                CertificateConcern(
                    kind: .expiring,
                    message:
                        "'\(displayName)' expires in \(days) day\(days == 1 ? "" : "s"), on \(Self.day(notAfter)): "
                            + "plan its replacement"
                ))
        }
        if selfSignatureUnverifiable {
            result.append(
                CertificateConcern(
                    kind: .unverifiableSelfSignature,
                    message:
                        "'\(displayName)' names itself as its issuer, but its signature cannot be verified "
                            + "(\(keyAlgorithm) \(keyBits) bits, \(signatureAlgorithm)): it is not taken as a root"))
        }
        if keyAlgorithm == "RSA" && keyBits < 2048 {
            result.append(
                CertificateConcern(
                    kind: .weakKey,
                    message: "'\(displayName)' has a weak \(keyBits)-bit RSA key: 2048 bits or more is expected"))
        }
        let signature = signatureAlgorithm.lowercased()
        if signature.contains("sha1") || signature.hasPrefix("md5") || signature.hasPrefix("md2") {
            result.append(
                CertificateConcern(
                    kind: .weakSignature,
                    message:
                        "'\(displayName)' is signed with \(signatureAlgorithm), which is broken: ask for a certificate "
                            + "signed with SHA-256"
                ))
        }
        return result
    }

    /// The concerns' messages.
    public func warnings(now: Date = Date()) -> [String] {
        concerns(now: now).map(\.message)
    }

    static func day(_ date: Date) -> String {
        String(CertificateFacts.iso8601(date).prefix(10))
    }
}
