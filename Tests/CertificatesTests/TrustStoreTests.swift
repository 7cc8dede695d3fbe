import Foundation
import Testing
import TestSupport
import Certificates

/// The system trust store's certificates (one file each), as `openssl version -d` names it.
private let trustStore: [URL] = {
    guard opensslAvailable else { return [] }
    let version = run("/usr/bin/env", ["openssl", "version", "-d"]).stdout
    guard let open = version.firstIndex(of: "\""), let close = version.lastIndex(of: "\""), open < close else { return [] }
    let directory = URL(fileURLWithPath: String(version[version.index(after: open)..<close])).appendingPathComponent("certs")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var seen = Set<String>()
    return names.sorted().compactMap { name -> URL? in
        let url = directory.appendingPathComponent(name)
        let real = url.resolvingSymlinksInPath().path
        guard (name.hasSuffix(".pem") || name.hasSuffix(".crt")), seen.insert(real).inserted else { return nil }
        return url
    }
}()

@Suite("System trust store")
struct TrustStoreTests {
    @Test("The trust store is there to compare against")
    func present() {
        #expect(trustStore.count >= 50, "found \(trustStore.count) certificates; install ca-certificates")
    }

    @Test("Every certificate of the trust store agrees with openssl x509 on subject, dates and fingerprints")
    func agreesWithOpenSSL() throws {
        var mismatches: [String] = []
        for url in trustStore {
            let input = try CertificateInput(contents(url))
            let facts = try #require(input.certificates.first, "\(url.lastPathComponent)")
            let out = run("/usr/bin/env", ["openssl", "x509", "-in", url.path, "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb",
                                           "-startdate", "-enddate", "-fingerprint", "-sha256"]).stdout
            var fields: [String: String] = [:]
            for line in out.split(separator: "\n") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                fields[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
            let sha1 = run("/usr/bin/env", ["openssl", "x509", "-in", url.path, "-noout", "-fingerprint", "-sha1"]).stdout
            let expectedSHA1 = sha1.split(separator: "=").last.map { $0.replacingOccurrences(of: ":", with: "").lowercased().trimmingCharacters(in: .whitespacesAndNewlines) }
            let expectedSHA256 = fields["sha256 Fingerprint"]?.replacingOccurrences(of: ":", with: "").lowercased()
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "MMM d HH:mm:ss yyyy zzz"
            func date(_ s: String?) -> Date? { s.flatMap { formatter.date(from: $0.replacingOccurrences(of: "  ", with: " ")) } }
            let name = url.lastPathComponent
            if facts.sha256 != expectedSHA256 { mismatches.append("\(name): sha256") }
            if facts.sha1 != expectedSHA1 { mismatches.append("\(name): sha1") }
            if facts.notBefore != date(fields["notBefore"]) { mismatches.append("\(name): notBefore \(facts.notBefore) vs \(fields["notBefore"] ?? "")") }
            if facts.notAfter != date(fields["notAfter"]) { mismatches.append("\(name): notAfter") }
            // A trust store may hold more than CAs (ssl-cert's snakeoil is a self-signed CA:FALSE).
            let issuer = run("/usr/bin/env", ["openssl", "x509", "-in", url.path, "-noout", "-issuer", "-nameopt", "RFC2253,-esc_msb"]).stdout
            let constraints = run("/usr/bin/env", ["openssl", "x509", "-in", url.path, "-noout", "-ext", "basicConstraints"]).stdout
            if facts.selfSigned != (issuer.dropFirst("issuer=".count).trimmingCharacters(in: .newlines) == fields["subject"]) {
                mismatches.append("\(name): self-signed \(facts.selfSigned)")
            }
            if facts.isCA != constraints.contains("CA:TRUE") { mismatches.append("\(name): CA \(facts.isCA)") }
            if facts.subject != fields["subject"] { mismatches.append("\(name): subject '\(facts.subject)' vs '\(fields["subject"] ?? "")'") }
        }
        #expect(mismatches == [])
    }
}
