import Certificates
import Foundation

/// Choosing what goes into a Platform CA slot from what the user brought, for every front end
/// (`cert import`, a paste, `p`, `i`): normalise the input, pick the root, judge it, collect the
/// warnings. The edit itself is ``CfgDocument/importCA(_:slot:purpose:asPEM:)`` (or the set's).
public enum CAImport {
    /// The certificate to store and what to say about it.
    public struct Plan: Sendable {
        public var certificate: CertificateFacts
        /// The selection's doubts and the certificate's own concerns, in words.
        public var warnings: [String]
        /// The other certificates of the input, which are not stored.
        public var leftOut: [CertificateFacts] = []

        /// What was kept of a chain, for every front end: "kept the root 'Corp Root' of 3
        /// certificates (left out 'radius.corp', 'Corp Issuing')"; nil for one certificate.
        public var chainSummary: String? {
            guard !leftOut.isEmpty else { return nil }
            return "kept the root '\(certificate.displayName)' of \(leftOut.count + 1) certificates (left out "
                + leftOut.map { "'\($0.displayName)'" }.joined(separator: ", ") + ")"
        }
    }

    /// Why nothing is imported.
    public enum Refusal: Error, Sendable, Equatable {
        /// The input is no certificate at all (what was found instead).
        case unreadable(CertificateError)
        /// Only a private key.
        case keyOnly
        /// Not a trust anchor; `confirmable` when `allowNonRoot` (a person's yes) would import it.
        case notRoot(RootRefusal, confirmable: Bool)

        public var description: String {
            switch self {
            case .unreadable(let error): return error.description
            case .keyOnly: return "found a private key, not a certificate: a CA slot takes the CA's certificate"
            case .notRoot(let refusal, _): return refusal.description
            }
        }
    }

    /// What to import from `bytes`, or why not.
    public static func plan(_ bytes: [UInt8], allowNonRoot: Bool, now: Date = Date()) -> Result<Plan, Refusal> {
        let input: CertificateInput
        do { input = try CertificateInput(bytes, now: now) } catch { return .failure(.unreadable(error)) }
        guard !input.certificates.isEmpty else { return .failure(.keyOnly) }
        do {
            let selection = try Chain.selectRoot(input.certificates, allowNonRoot: allowNonRoot)
            return .success(
                Plan(
                    certificate: selection.certificate,
                    warnings: selection.warnings + selection.certificate.warnings(now: now),
                    leftOut: input.certificates.filter { $0.sha256 != selection.certificate.sha256 }))
        } catch {
            return .failure(.notRoot(error, confirmable: error.candidate != nil && !allowNonRoot))
        }
    }
}
