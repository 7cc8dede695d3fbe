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
        case expired, notYetValid, expiring, weakKey, weakSignature
    }
    public var kind: Kind
    public var message: String
}

/// Root selection: the handset validates the server's chain up to a root it holds.
public enum Chain {
    /// Picks the root CA from `certificates`: the self-signed certificate the others chain up to.
    /// Without a root, or for a single certificate that is not a root CA, refuses unless
    /// `allowNonRoot`, saying which certificate is missing.
    public static func selectRoot(_ certificates: [CertificateFacts], allowNonRoot: Bool) throws(CertificateError)
        -> CASelection
    {
        guard !certificates.isEmpty else { throw CertificateError("no certificate found") }
        if certificates.count == 1 {
            let only = certificates[0]
            // Any self-signed certificate is its own root and a trust anchor: a v3 root CA, a
            // v1 certificate without extensions (FileZilla's), or a server's own with CA:FALSE.
            if only.isTrustAnchor {
                return CASelection(certificate: only, warnings: only.anchorNote.map { [$0] } ?? [])
            }
            let problem =
                only.isCA
                ? "'\(only.displayName)' is an intermediate CA, issued by '\(only.issuerDisplayName)'"
                : "'\(only.displayName)' is a server or user certificate issued by '\(only.issuerDisplayName)', not a "
                    + "CA"
            let advice =
                "the handset validates the RADIUS or provisioning server's chain up to a root CA it holds, so the "
                    + "server's certificate (or an intermediate) alone will not do"
            guard allowNonRoot else {
                throw CertificateError(
                    "\(problem); \(advice). Import the root CA certificate ('\(only.issuerDisplayName)' or above), or "
                        + "pass --allow-non-root to import this one anyway"
                )
            }
            return CASelection(certificate: only, warnings: ["\(problem); \(advice)"])
        }
        // Walk from each certificate up through issuers found in the input.
        func issuer(of c: CertificateFacts) -> CertificateFacts? {
            let named = certificates.filter { $0.subjectDER == c.issuerDER && $0.sha256 != c.sha256 }
            return named.first { CertificateFacts.verifies(c, by: $0) == true } ?? named.first
        }
        func top(from c: CertificateFacts) -> CertificateFacts {
            var current = c
            var seen: Set<String> = [c.sha256]
            while !current.selfSigned, let next = issuer(of: current), seen.insert(next.sha256).inserted {
                current = next
            }
            return current
        }
        let tops = certificates.map(top(from:))
        // A self-signed top first; among those, the one most certificates lead to (the first of equals).
        var counts: [String: Int] = [:]
        for t in tops { counts[t.sha256, default: 0] += 1 }
        let candidates = tops.contains(where: \.selfSigned) ? tops.filter(\.selfSigned) : tops
        var chosen = candidates[0]
        for t in candidates where counts[t.sha256]! > counts[chosen.sha256]! { chosen = t }
        if chosen.selfSigned {
            var warnings: [String] = []
            if let note = chosen.anchorNote { warnings.append(note) }
            let unrelated = certificates.filter { top(from: $0).sha256 != chosen.sha256 }
            if !unrelated.isEmpty {
                warnings.append(
                    "\(unrelated.count) certificate(s) do not chain to '\(chosen.displayName)' and were left out: "
                        + "\(unrelated.map { "'\($0.displayName)'" }.joined(separator: ", "))"
                )
            }
            return CASelection(certificate: chosen, warnings: warnings)
        }
        let missing =
            "the chain has no root CA: '\(chosen.displayName)' was issued by '\(chosen.issuerDisplayName)', which is "
                + "missing"
        guard allowNonRoot else {
            throw CertificateError(
                "\(missing); get the certificate of '\(chosen.issuerDisplayName)' (the root CA) from your CA and "
                    + "import it, or pass --allow-non-root to import '\(chosen.displayName)'"
            )
        }
        return CASelection(
            certificate: chosen,
            warnings: [
                "\(missing); the handset validates the chain up to a root CA, so this certificate alone may not do"
            ])
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
            let days = Int(notAfter.timeIntervalSince(now) / 86400)
            result.append(
                CertificateConcern(
                    kind: .expiring,
                    message:
                        "'\(displayName)' expires in \(days) day\(days == 1 ? "" : "s"), on \(Self.day(notAfter)): "
                            + "plan its replacement"
                ))
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
