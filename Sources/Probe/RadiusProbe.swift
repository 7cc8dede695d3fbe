import Foundation

/// The RADIUS server's chain as a handset meets it, inside EAP: wpa_supplicant's own test client
/// `eapol_test` runs PEAP/MSCHAPv2 or EAP-TLS against the server and writes the chain it was
/// shown (`-o`). Without `ca_cert` it accepts any server: slcfg judges the chain itself.
public enum RadiusProbe {
    /// How the handset authenticates.
    public enum Method: Sendable {
        case peap(identity: String, anonymousIdentity: String?, password: String)
        /// EAP-TLS with the device certificate and its key (PEM).
        case tls(identity: String, anonymousIdentity: String?, certificate: String, key: String)
    }

    /// The certificates the server presented, DER, as `eapol_test` wrote them (duplicates removed).
    /// The password and the key reach `eapol_test` only in mode-0600 files of a private directory,
    /// removed afterwards. The shared secret is its `-s` argument: `eapol_test` has no other way.
    public static func chain(host: String, port: Int, secret: String, method: Method, timeout: Double,
                             eapolTest: String? = nil) throws(ProbeError) -> [[UInt8]] {
        guard let program = eapolTest ?? which("eapol_test") else {
            throw ProbeError(
                "eapol_test is not installed: it comes with Debian's eapoltest package (apt-get install eapoltest)")
        }
        let directory = try ScratchDirectory()
        defer { directory.remove() }
        let network: String
        switch method {
        case .peap(let identity, let anonymous, let password):
            network =
                "network={\n  ssid=\"slcfg\"\n  key_mgmt=WPA-EAP\n  eap=PEAP\n  identity=\(quoted(identity))\n  "
                    + outer(anonymous) + "password=\(quoted(password))\n  phase2=\"autheap=MSCHAPV2\"\n}\n"
        case .tls(let identity, let anonymous, let certificate, let key):
            let certPath = try directory.file("client.pem", certificate)
            let keyPath = try directory.file("client.key", key)
            network =
                "network={\n  ssid=\"slcfg\"\n  key_mgmt=WPA-EAP\n  eap=TLS\n  identity=\(quoted(identity))\n  "
                    + outer(anonymous) + "client_cert=\(quoted(certPath))\n  private_key=\(quoted(keyPath))\n}\n"
        }
        let configuration = try directory.file("eapol.conf", network)
        let chainPath = directory.path + "/chain.pem"
        let arguments = [
            "-c", configuration, "-a", try ipv4(host), "-p", "\(port)", "-s", secret, "-o", chainPath, "-t",
            "\(max(1, Int(timeout)))"
        ]
        let output = try run(program, arguments, timeout: timeout + 2)
        let pem = (try? String(contentsOfFile: chainPath, encoding: .utf8)) ?? ""
        // eapol_test writes the chain as OpenSSL walks it, from the top down: the server's first.
        let chain = Array(derBlocks(pem).reversed())
        guard !chain.isEmpty else {
            let last =
                output.split(separator: "\n").last {
                    $0.contains("EAP") || $0.contains("timeout") || $0.contains("FAILURE")
                } ?? "no answer"
            throw ProbeError(
                "\(host):\(port): the RADIUS server showed no certificate to eapol_test (\(last)); check the address, "
                    + "the port and the shared secret"
            )
        }
        return chain
    }

    /// A private directory (mode 0700) for eapol_test's files, its files mode 0600, removed by
    /// ``remove()`` and, if slcfg is stopped by a signal first, by ``ProbeScratch``.
    struct ScratchDirectory {
        let path: String

        init() throws(ProbeError) {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("slcfg-eapol-\(UUID().uuidString)")
                .path
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch {
                throw ProbeError("cannot create a private temporary directory: \(error.localizedDescription)")
            }
            ProbeScratch.shared.add(directory: path)
        }

        /// Writes `text` into a new mode-0600 file of the directory; returns its path.
        func file(_ name: String, _ text: String) throws(ProbeError) -> String {
            let file = path + "/" + name
            guard
                FileManager.default.createFile(
                    atPath: file, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else {
                throw ProbeError("cannot write \(file)")
            }
            return file
        }

        func remove() { ProbeScratch.shared.remove(directory: path) }
    }

    /// `eapol_test -a` takes an IPv4 address: a host name is resolved first.
    static func ipv4(_ host: String) throws(ProbeError) -> String {
        var probe = in_addr()
        if inet_pton(AF_INET, host, &probe) == 1 { return host }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list, let address = first.pointee.ai_addr else {
            throw ProbeError("\(host): no IPv4 address for this name (DNS)")
        }
        defer { freeaddrinfo(list) }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var ip = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
        inet_ntop(AF_INET, &ip, &text, socklen_t(text.count))
        return String(cString: text)
    }

    /// `s` as a quoted string of eapol_test's configuration: a quote or a control character (a line break would
    /// start a setting of its own: the values come from files other people write) is left out.
    static func quoted(_ s: String) -> String {
        "\"" + String(String.UnicodeScalarView(s.unicodeScalars.filter {
            $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F && !(0x80..<0xA0).contains($0.value)
        })) + "\""
    }

    /// The `anonymous_identity` line for an outer identity, or nothing.
    static func outer(_ anonymous: String?) -> String {
        anonymous.map { "anonymous_identity=\(quoted($0))\n  " } ?? ""
    }

    static func which(_ name: String) -> String? {
        let paths =
            (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + [
                "/usr/sbin", "/sbin"
            ]
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the program, its output collected, killed after `timeout` seconds.
    static func run(_ program: String, _ arguments: [String], timeout: Double) throws(ProbeError) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { throw ProbeError("cannot run \(program): \(error.localizedDescription)") }
        ProbeScratch.shared.add(child: process.processIdentifier)
        defer { ProbeScratch.shared.remove(child: process.processIdentifier) }
        // SIGKILL: a child started from a worker thread inherits its mask, SIGTERM blocked.
        let timer = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        timer.cancel()
        return String(decoding: data, as: UTF8.self)
    }

    /// The DER of each PEM certificate block, each once.
    static func derBlocks(_ pem: String) -> [[UInt8]] {
        var result: [[UInt8]] = []
        for block in pem.components(separatedBy: "-----BEGIN CERTIFICATE-----").dropFirst() {
            guard let body = block.components(separatedBy: "-----END CERTIFICATE-----").first,
                  let der = Data(base64Encoded: body.filter { !$0.isWhitespace }) else { continue }
            if !result.contains(Array(der)) { result.append(Array(der)) }
        }
        return result
    }
}
