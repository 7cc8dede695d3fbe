import Foundation
import SwiftASN1
import X509

/// The chain a server presents, built up to a trust anchor as the handset does it: the path
/// and every signature on it checked by swift-certificates' `Verifier`, under a policy of our own
/// where the handset differs from RFC 5280 (any self-signed certificate in a slot is an anchor,
/// even a v1 one or one saying CA:FALSE). Dates are not part of the path: they are judged after,
/// so that an expired chain is named as expired rather than as no chain at all.
public enum TrustPath {
    /// The path from the leaf (the first certificate presented) to one of `anchors`, leaf first,
    /// anchor last; nil when none can be built.
    /// A server certificate that is itself in a slot is its own path, whatever its key: swift-certificates
    /// cannot parse an RSA key under 2048 bits, and such a pinned certificate is a warning, not a refusal.
    public static func build(presented: [CertificateFacts], anchors: [CertificateFacts]) async -> [CertificateFacts]? {
        if let leafFacts = presented.first, let pinned = anchors.first(where: { $0.der == leafFacts.der }) {
            return [pinned]
        }
        guard let leafFacts = presented.first, let leaf = try? Certificate(derEncoded: leafFacts.der) else {
            return nil
        }
        let roots = anchors.compactMap { try? Certificate(derEncoded: $0.der) }
        let intermediates = presented.dropFirst().compactMap { try? Certificate(derEncoded: $0.der) }
        var verifier = Verifier(rootCertificates: CertificateStore(roots)) { HandsetPathPolicy() }
        guard
            case .validCertificate(let chain) = await verifier.validate(
                leaf: leaf, intermediates: CertificateStore(intermediates))
        else {
            return nil
        }
        let known = presented + anchors
        return chain.map { certificate in
            var serializer = DER.Serializer()
            let der = (try? serializer.serialize(certificate)).map { serializer.serializedBytes } ?? []
            return known.first { $0.der == der } ?? (try? CertificateFacts(der: der)) ?? leafFacts
        }
    }

    /// How a certificate's names cover the name a client connected to.
    public enum NameMatch: Equatable, Sendable {
        /// A subjectAltName entry matched (`wildcard` when it was `*.`).
        case subjectAltName(String, wildcard: Bool)
        /// No subjectAltName entries: the subject's common name matched.
        case commonName(String, wildcard: Bool)
        /// Nothing matched; the names the certificate holds.
        case none([String])
    }

    /// Whether `facts` is issued to `host` (DNS names compared ignoring case, one `*.` label
    /// allowed; IP addresses compared exactly). The subjectAltName wins when present, else the CN.
    public static func match(_ facts: CertificateFacts, host: String) -> NameMatch {
        let host = host.lowercased()
        var dnsNames: [String] = []
        var addresses: [String] = []
        if let certificate = try? Certificate(derEncoded: facts.der),
            let sans = try? certificate.extensions.subjectAlternativeNames
        {
            for name in sans {
                switch name {
                case .dnsName(let dns): dnsNames.append(dns.lowercased())
                case .ipAddress(let bytes): addresses.append(address(Array(bytes.bytes)))
                default: break
                }
            }
        }
        if !dnsNames.isEmpty || !addresses.isEmpty {
            if addresses.contains(host) { return .subjectAltName(host, wildcard: false) }
            for name in dnsNames where covers(name, host) {
                return .subjectAltName(name, wildcard: name.hasPrefix("*."))
            }
            return .none(dnsNames + addresses)
        }
        let cn = facts.subjectCommonName.lowercased()
        if !cn.isEmpty && covers(cn, host) { return .commonName(cn, wildcard: cn.hasPrefix("*.")) }
        return .none(cn.isEmpty ? [] : [cn])
    }

    static func covers(_ pattern: String, _ host: String) -> Bool {
        if pattern == host { return true }
        guard pattern.hasPrefix("*."), let dot = host.firstIndex(of: ".") else { return false }
        return host[dot...] == pattern.dropFirst() && host[..<dot].count > 0
    }

    static func address(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        return stride(from: 0, to: bytes.count, by: 2).map {
            String(format: "%x", Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]))
        }.joined(separator: ":")
    }
}

/// The handset's path rules for the `Verifier`: certificates between the leaf and the anchor
/// must be CAs; the anchor is whatever the slot holds; dates are judged separately.
struct HandsetPathPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = [
        .X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage, .X509ExtensionID.extendedKeyUsage,
        .X509ExtensionID.subjectAlternativeName, .X509ExtensionID.nameConstraints,
    ]

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let count = chain.count
        guard count > 2 else { return .meetsPolicy }
        for k in 1..<(count - 1) {
            let certificate = chain[k]
            guard case .isCertificateAuthority? = try? certificate.extensions.basicConstraints else {
                return .failsToMeetPolicy(reason: "'\(certificate.subject)' issues certificates but is not a CA")
            }
        }
        return .meetsPolicy
    }
}
