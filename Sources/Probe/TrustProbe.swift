// The probe pipeline, from a server to the handset's verdict: the one call of `probe`, `cert import
// --from-server/--from-radius` and the editor's `v` and `g`.
import Certificates
import Foundation
import Handset

/// A server asked for its chain and judged as the handset would, the same way for every front end.
public enum TrustProbe {
    /// The chain `target` sends, as facts judged at `date`; `note` says when FTPS fell back to
    /// implicit. `value` gives the file's parameters (a device slot's certificate and key for EAP-TLS).
    public static func fetch(
        _ target: ServerTarget, timeout: Double, fallback: Bool, at date: Date,
        value: @escaping @Sendable (String) -> String?
    ) async throws(ProbeError) -> (chain: [CertificateFacts], note: String?) {
        let fetched = try await ServerFetch.chain(target, timeout: timeout, fallback: fallback) {
            TrustSettings.deviceCredentials($0, value: value)
        }
        guard fetched.chain.count <= CertificateInput.maximumCertificates else {
            throw ProbeError(
                "the server sent \(fetched.chain.count) certificates; slcfg judges at most "
                    + "\(CertificateInput.maximumCertificates) (a chain has a handful)")
        }
        do {
            return (try fetched.chain.map { try CertificateFacts(der: $0, now: date) }, fetched.note)
        } catch {
            throw ProbeError("the server sent something that is not a certificate: \(error)")
        }
    }

    /// The verdict on `chain` from `target` under the file's settings for the application the
    /// server serves, worded as a report whose fix names `file`.
    public static func verify(
        _ chain: [CertificateFacts], from target: ServerTarget, settings: TrustSettings, file: String, at date: Date,
        trustStore: TrustStore
    ) async -> TrustReport {
        let decision = await TrustDecision.decide(
            settings, presented: chain, host: target.name, at: date, trustStore: trustStore)
        // Where the root is matters only to a fix (whether fetching it is one).
        let root = decision.fix == nil ? nil : ServerRoot.of(chain, trustStore: trustStore)
        return TrustReport(
            target: target.url, kind: target.kind.rawValue, decision: decision, file: file, from: target.fromOption,
            root: root)
    }

    /// The file's trust settings for the application `target` serves (802.1X or provisioning).
    public static func settings(for target: ServerTarget, value: (String) -> String?) -> TrustSettings {
        switch target.kind {
        case .radius: TrustSettings(application: .dot1x, value: value)
        case .provisioning: TrustSettings(application: .provisioning, value: value)
        }
    }
}
