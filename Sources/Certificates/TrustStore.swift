// This machine's trust store, looked up by subject as OpenSSL does: the `<hash>.N` links of the
// certificate directory, read only for the names asked for.
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// This machine's trust store: the public CAs it trusts (`SSL_CERT_DIR`, else /etc/ssl/certs,
/// and the bundle `SSL_CERT_FILE`, else /etc/ssl/certs/ca-certificates.crt). slcfg uses it where
/// the handset would use its built-in list, which is not published.
///
/// Nothing is read until a decision needs it. A certificate is then found by its subject: in a
/// directory that `c_rehash` (or `update-ca-certificates`) has linked, only the files named by
/// the subject's hash are read, as OpenSSL does. The bundle, or every file of a directory
/// without links, is read (once) only when the directory has no links, or when `SSL_CERT_FILE`
/// names a bundle of its own. What was read is kept, until the directory changes.
public final class TrustStore: @unchecked Sendable {
    /// Where the store is, in words.
    public let source: String
    private let file: String
    private let directory: String
    private let ownBundle: Bool
    private let lock = NSLock()
    private var byPath: [String: [CertificateFacts]] = [:]
    private var everything: [CertificateFacts]?
    private var directoryTime: timespec?
    private var linked: Bool?
    /// Files read so far (for tests and `--verbose`).
    public private(set) var filesRead = 0

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        file = environment["SSL_CERT_FILE"] ?? "/etc/ssl/certs/ca-certificates.crt"
        directory = environment["SSL_CERT_DIR"] ?? "/etc/ssl/certs"
        ownBundle = environment["SSL_CERT_FILE"] != nil
        source = "\(file) and \(directory)"
    }

    /// A store of these certificates only (tests, and a list the user gave).
    public init(certificates: [CertificateFacts], source: String = "the certificates given") {
        file = ""
        directory = ""
        ownBundle = false
        self.source = source
        everything = certificates
    }

    /// The store's certificates whose subject is `name` (DER).
    public func certificates(named name: ArraySlice<UInt8>) -> [CertificateFacts] {
        lock.lock()
        defer { lock.unlock() }
        forgetIfChanged()
        if everything == nil, !directory.isEmpty, let hash = SubjectHash.of(name: name), hasLinks() {
            var found: [CertificateFacts] = []
            for n in 0... {
                let path = "\(directory)/\(hash).\(n)"
                guard access(path, F_OK) == 0 else { break }
                found += read(path).filter { $0.subjectDER == name }
            }
            if !found.isEmpty || !ownBundle { return found }
            return read(file).filter { $0.subjectDER == name }
        }
        return all().filter { $0.subjectDER == name }
    }

    /// The issuer of `certificate` in the store: same name, and its key verifies the signature.
    public func issuer(of certificate: CertificateFacts) -> CertificateFacts? {
        certificates(named: certificate.issuerDER).first { CertificateFacts.verifies(certificate, by: $0) == true }
    }

    /// What could anchor `presented` in the store: each certificate's issuers by name, once each.
    public func anchors(for presented: [CertificateFacts]) -> [CertificateFacts] {
        var seen = Set<String>()
        return presented.flatMap { certificates(named: $0.issuerDER) }.filter { seen.insert($0.sha256).inserted }
    }

    // MARK: Reading

    private func read(_ path: String) -> [CertificateFacts] {
        if let known = byPath[path] { return known }
        filesRead += 1
        let certificates = FileManager.default.contents(atPath: path)
            .flatMap { try? CertificateInput(Array($0)) }?.certificates ?? []
        byPath[path] = certificates
        return certificates
    }

    /// Every certificate of the bundle and the directory's PEM files, each once.
    private func all() -> [CertificateFacts] {
        if let everything { return everything }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let paths = [file] + names.filter { $0.hasSuffix(".pem") || $0.hasSuffix(".crt") }.sorted()
            .map { "\(directory)/\($0)" }.filter { $0 != file }
        var seen = Set<String>()
        let found = paths.flatMap(read).filter { seen.insert($0.sha256).inserted }
        everything = found
        return found
    }

    /// Whether the directory holds `<hash>.N` links.
    private func hasLinks() -> Bool {
        if let linked { return linked }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let found = names.contains { name in
            let parts = name.split(separator: ".")
            return parts.count == 2 && parts[0].count == 8 && parts[0].allSatisfy(\.isHexDigit)
                && parts[1].allSatisfy(\.isNumber)
        }
        linked = found
        return found
    }

    /// Drops what was read when the directory changed since (a CA added or removed).
    private func forgetIfChanged() {
        guard !directory.isEmpty else { return }
        var st = stat()
        let now = stat(directory, &st) == 0 ? st.st_mtim : nil
        if let before = directoryTime, let now, before.tv_sec == now.tv_sec && before.tv_nsec == now.tv_nsec {
            return
        }
        if directoryTime != nil { (byPath, everything, linked) = ([:], nil, nil) }
        directoryTime = now
    }
}
