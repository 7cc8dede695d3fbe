import Foundation

/// This machine's trust store: the public CAs it trusts (`SSL_CERT_FILE`, else
/// /etc/ssl/certs/ca-certificates.crt, and the PEM files of `SSL_CERT_DIR`, else /etc/ssl/certs).
/// slcfg uses it where the handset would use its built-in list, which is not published.
public enum TrustStore {
    /// Every certificate found, each once, with where they were read.
    public static func load(environment: [String: String] = ProcessInfo.processInfo.environment) -> (
        certificates: [CertificateFacts], source: String
    ) {
        let file = environment["SSL_CERT_FILE"] ?? "/etc/ssl/certs/ca-certificates.crt"
        let directory = environment["SSL_CERT_DIR"] ?? "/etc/ssl/certs"
        var paths = [file]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        paths += names.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }.sorted().map { "\(directory)/\($0)" }
            .filter { $0 != file }
        var seen = Set<String>()
        var result: [CertificateFacts] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path), let input = try? CertificateInput(Array(data))
            else { continue }
            for facts in input.certificates where seen.insert(facts.sha256).inserted { result.append(facts) }
        }
        return (result, "\(file) and \(directory)")
    }

    /// The issuer of `certificate` among `store`: same name, and its key verifies the signature.
    public static func issuer(of certificate: CertificateFacts, in store: [CertificateFacts]) -> CertificateFacts? {
        store.first { $0.subjectDER == certificate.issuerDER && CertificateFacts.verifies(certificate, by: $0) == true }
    }
}
