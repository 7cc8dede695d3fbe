// `slcfg cert serve`: one CA certificate as PEM over HTTP, for the handset's web page to install from a URL, for a
// bounded time or number of downloads.
import ArgumentParser
import Certificates
import Foundation
import Glibc
import Handset

struct CertServe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a CA certificate over HTTP, as PEM, for the handset's web page to install from a URL.",
        discussion:
            "The handset's web page (Settings › Network › TLS) installs a certificate into a Platform CA slot from "
                + "an HTTP URL and needs PEM with its header and line breaks. This normalises the certificate from "
                + "any shape (the root, from a chain), serves it at the printed URL only (any other path is 404), "
                + "logs each download with the client's address, and stops after --count downloads or --for "
                + "minutes, or on Ctrl-C. It listens on loopback unless told otherwise: give --listen 0.0.0.0:8080 "
                + "(or this machine's address) for the handsets to reach it.")

    @Argument(help: "The certificate: PEM, DER, PKCS#7, base64 or a chain ('-' for standard input).",
              completion: .file())
    var certificate: String

    @Option(help: ArgumentHelp("Where to listen (port 0: any free port).", valueName: "addr:port"))
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("for"), help: ArgumentHelp("Stop after this many minutes.", valueName: "minutes"))
    var minutes: Double = 10

    @Option(help: ArgumentHelp("Stop after this many downloads.", valueName: "n"))
    var count: Int?

    @Flag(help: "Serve a certificate that is not a root CA (an intermediate, or a server's own).")
    var allowNonRoot = false

    func run() throws {
        guard minutes > 0, count.map({ $0 > 0 }) ?? true else {
            throw CLIError(message: "--for and --count take a number above 0", code: 64)
        }
        let plan: CAImport.Plan
        switch CAImport.plan(try readCertificateFile(certificate), allowNonRoot: allowNonRoot) {
        case .success(let p): plan = p
        case .failure(let refusal):
            throw CLIError(message: "\(certificate == "-" ? "standard input" : certificate): \(refusal.description)",
                           code: 1)
        }
        let (host, port) = try Self.address(listen)
        let path = "/" + Self.fileName(plan.certificate)
        let server: CertificateServer
        do {
            server = try CertificateServer(
                host: host, port: port, path: path, body: PEM.encode(plan.certificate.der) + "\n")
        } catch {
            throw CLIError(message: "cannot listen on \(listen): \(error.description)", code: 2)
        }
        CertificateServer.stopOnSignals()
        let limit = count.map { " or \($0) download\($0 == 1 ? "" : "s")" } ?? ""
        let lines = (plan.chainSummary.map { [$0] } ?? []) + [
            "Serving '\(plan.certificate.displayName)' (until \(Linter.day(plan.certificate.notAfter))) as PEM for "
                + "\(Self.number(minutes)) minute\(minutes == 1 ? "" : "s")\(limit); Ctrl-C stops. Type into the "
                + "handset's web page (Settings › Network › TLS):",
        ] + server.urls().map { "  \($0)" }
        lines.forEach(Self.say)
        let outcome = server.run(until: Date().addingTimeInterval(minutes * 60), count: count, log: Self.say)
        Self.say(outcome.description)
        if outcome.reason == .interrupted { throw ExitCode(130) }
    }

    /// `ADDR:PORT` (IPv4, or `localhost`) as an address and a port.
    static func address(_ text: String) throws(CLIError) -> (String, UInt16) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else {
            throw CLIError(message: "--listen takes ADDR:PORT (127.0.0.1:8080, 0.0.0.0:8080), not '\(text)'", code: 64)
        }
        let host = String(text[..<colon])
        var probe = in_addr()
        guard host == "localhost" || inet_pton(AF_INET, host, &probe) == 1 else {
            throw CLIError(message: "--listen takes an IPv4 address (127.0.0.1, 0.0.0.0), not '\(host)'", code: 64)
        }
        return (host == "localhost" ? "127.0.0.1" : host, port)
    }

    /// `corp-root-3f9a2c1b.pem`: the CN in letters, digits and dashes, and a random part, so that the URL is
    /// typed easily and not guessed.
    static func fileName(_ certificate: CertificateFacts) -> String {
        var stem = String(certificate.displayName.lowercased().unicodeScalars.map {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) ? Character($0) : "-"
        })
        while stem.contains("--") { stem = stem.replacingOccurrences(of: "--", with: "-") }
        stem = String(stem.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(32))
        let random = (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return (stem.isEmpty ? "ca" : stem) + "-" + random + ".pem"
    }

    /// One line on standard output, now (a log is read as it grows); what came from the network made visible.
    static func say(_ line: String) {
        var out = Output(fd: 1)
        out.write(field: line)
        out.write("\n")
        out.flush()
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
