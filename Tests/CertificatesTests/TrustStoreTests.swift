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

    @Test("The subject and issuer hashes agree with openssl x509 -subject_hash, on the store and on odd names")
    func subjectHashAgrees() throws {
        let dir = temporaryDirectory()
        let odd = TestPKI.issue(cn: "  Test \t ROOT   ca ", org: "Ünïcode Lab  GmbH", serial: [9], ca: true, issuer: nil)
        let oddURL = dir.appendingPathComponent("odd.pem")
        write(Array(odd.pem.utf8), to: oddURL)
        var mismatches: [String] = []
        for url in trustStore + [oddURL] {
            let facts = try #require(try CertificateInput(contents(url)).certificates.first)
            let out = run("/usr/bin/env", ["openssl", "x509", "-in", url.path, "-noout", "-subject_hash", "-issuer_hash"])
            let hashes = out.stdout.split(separator: "\n").map(String.init)
            if hashes != [facts.subjectHash ?? "", facts.issuerHash ?? ""] {
                mismatches.append("\(url.lastPathComponent): \(hashes) vs \([facts.subjectHash, facts.issuerHash])")
            }
        }
        #expect(mismatches == [])
    }

    @Test("An issuer is found through the <hash>.N links, reading only its file; a change to the directory is seen")
    func lookupByLinks() throws {
        let dir = temporaryDirectory()
        let pki = TestPKI()
        for (name, issued) in [("root.pem", pki.root), ("unrelated.pem", TestPKI.issue(
            cn: "Unrelated CA", org: nil, serial: [5], ca: true, issuer: nil))] {
            write(Array(issued.pem.utf8), to: dir.appendingPathComponent(name))
        }
        _ = TestPKI.openssl(["rehash", dir.path], in: dir)
        let store = TrustStore(environment: ["SSL_CERT_DIR": dir.path])
        let intermediate = try CertificateFacts(der: pki.intermediate.der)
        #expect(store.filesRead == 0, "nothing is read before a question")
        #expect(store.issuer(of: intermediate)?.sha256 == (try CertificateFacts(der: pki.root.der)).sha256)
        #expect(store.filesRead == 1, "only the issuer's link is read")
        // A CA added (and linked) while the store is kept, as in an editing session.
        let other = TestPKI.issue(cn: "Added Later CA", org: nil, serial: [6], ca: true, issuer: nil)
        let issuedByOther = try CertificateFacts(der: TestPKI.issue(
            cn: "leaf.example", org: nil, serial: [7], ca: false, issuer: other).der)
        #expect(store.issuer(of: issuedByOther) == nil)
        sleep(1)   // a directory time the file system can tell apart
        write(Array(other.pem.utf8), to: dir.appendingPathComponent("added.pem"))
        _ = TestPKI.openssl(["rehash", dir.path], in: dir)
        #expect(store.issuer(of: issuedByOther)?.subject == "CN=Added Later CA")
    }

    @Test("A directory without links is read whole, once")
    func directoryWithoutLinks() throws {
        let dir = temporaryDirectory()
        let pki = TestPKI()
        write(Array(pki.root.pem.utf8), to: dir.appendingPathComponent("root.pem"))
        write(Array(pki.leaf.pem.utf8), to: dir.appendingPathComponent("leaf.crt"))
        let store = TrustStore(environment: ["SSL_CERT_DIR": dir.path, "SSL_CERT_FILE": dir.path + "/none.crt"])
        let intermediate = try CertificateFacts(der: pki.intermediate.der)
        #expect(store.issuer(of: intermediate)?.subject == "CN=Test Root CA,O=Spectralink Lab")
        #expect(store.issuer(of: intermediate) != nil)
        #expect(store.filesRead == 3, "the bundle and both files, once")
    }
}
