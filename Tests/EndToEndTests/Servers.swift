import Foundation
import Glibc
import TestSupport

/// A test PKI written by openssl into a directory of its own: root → intermediate → server
/// (localhost), a server for another name, an expired server, and a self-signed server
/// certificate saying CA:FALSE. EC keys, so that making it takes a moment.
final class ServerPKI: @unchecked Sendable {
    let directory = temporaryDirectory()

    static let shared = ServerPKI()

    private init() {
        func openssl(_ arguments: [String]) {
            let result = run("/usr/bin/openssl", arguments, in: directory)
            precondition(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
        }
        func file(_ name: String, _ text: String) { write(Array(text.utf8), to: directory.appendingPathComponent(name)) }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        file("ca.ext", "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign\n")
        file("localhost.ext", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\n")
        file("other.ext", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:other.example\nextendedKeyUsage=serverAuth\n")
        openssl(["req", "-x509"] + key + ["-keyout", "root.key", "-out", "root.pem", "-days", "3650", "-subj", "/CN=Probe Test Root"])
        openssl(["req"] + key + ["-keyout", "int.key", "-out", "int.csr", "-subj", "/CN=Probe Test Intermediate"])
        openssl(["x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "int.pem", "-days", "3000", "-extfile", "ca.ext"])
        for (name, ext) in [("server", "localhost.ext"), ("other", "other.ext")] {
            openssl(["req"] + key + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name == "server" ? "localhost" : "other.example")"])
            openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "int.pem", "-CAkey", "int.key", "-CAcreateserial", "-out", "\(name).pem", "-days", "365", "-extfile", ext])
        }
        // Expired: `openssl ca` can set dates in the past.
        try? FileManager.default.createDirectory(at: directory.appendingPathComponent("issued"), withIntermediateDirectories: true)
        file("index.txt", "")
        file("serial", "1000\n")
        file("ca.conf", """
            [ca]
            default_ca = test
            [test]
            database = index.txt
            serial = serial
            new_certs_dir = issued
            policy = anything
            copy_extensions = none
            x509_extensions = server
            default_md = sha256
            [anything]
            commonName = supplied
            [server]
            basicConstraints = CA:FALSE
            subjectAltName = DNS:localhost

            """)
        openssl(["req"] + key + ["-keyout", "expired.key", "-out", "expired.csr", "-subj", "/CN=localhost"])
        openssl(["ca", "-batch", "-config", "ca.conf", "-cert", "int.pem", "-keyfile", "int.key", "-in", "expired.csr", "-out", "expired.pem",
                 "-startdate", "20200101000000Z", "-enddate", "20210101000000Z", "-notext"])
        openssl(["req", "-x509"] + key + ["-keyout", "self.key", "-out", "self.pem", "-days", "365", "-subj", "/CN=localhost",
                 "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "subjectAltName=DNS:localhost"])
        // A handset's device certificate for EAP-TLS, issued by the root.
        file("client.ext", "basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n")
        openssl(["req"] + key + ["-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=handset-0004f2abcdef"])
        openssl(["x509", "-req", "-in", "client.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial", "-out", "client.pem", "-days", "365", "-extfile", "client.ext"])
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
    func pem(_ name: String) -> String { String(decoding: contents(directory.appendingPathComponent(name)), as: UTF8.self) }
    /// A certificate as one line of base64, as a slot holds it.
    func base64(_ name: String) -> String { pem(name).split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined() }
}

/// A server process on loopback, stopped (and waited for) when released.
final class ServerProcess {
    let process = Process()
    let port: Int

    init(_ executable: String, _ arguments: [String], port: Int, in directory: URL, ready: () -> Bool) throws {
        self.port = port
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        let log = directory.appendingPathComponent("server-\(port).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: log)
        process.standardError = process.standardOutput
        try process.run()
        let deadline = Date().addingTimeInterval(15)
        while !ready() {
            guard Date() < deadline, process.isRunning else {
                stop()
                throw ServerError(description: "\(executable) did not start: \(String(decoding: contents(log), as: UTF8.self).suffix(2000))")
            }
            usleep(100_000)
        }
    }

    /// SIGKILL, not `terminate()`: a process started from a test's worker thread inherits that
    /// thread's signal mask, with SIGTERM blocked, and would never see it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }

    /// A TCP port nothing listens on now (bound to 0 and read back).
    static func freePort(udp: Bool = false) -> Int {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    /// `openssl s_server` sending `certificate` (with `key`) and then `chain` (PEM files of the PKI).
    static func https(_ pki: ServerPKI, certificate: String, key: String, chain: [String]) throws -> ServerProcess {
        let port = freePort()
        var arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", pki.path(certificate), "-key", pki.path(key), "-www", "-quiet"]
        if !chain.isEmpty {
            let bundle = pki.directory.appendingPathComponent("chain-\(port).pem")
            write(Array(chain.map(pki.pem).joined().utf8), to: bundle)
            arguments += ["-cert_chain", bundle.path]
        }
        return try ServerProcess("/usr/bin/openssl", arguments, port: port, in: pki.directory) { accepts(port) }
    }

    /// vsftpd with FTPS (explicit `AUTH TLS`, or `implicit`), anonymous and read-only.
    static func ftps(_ pki: ServerPKI, implicit: Bool) throws -> ServerProcess {
        let port = freePort()
        let root = pki.directory.appendingPathComponent("ftp-\(port)")
        let empty = pki.directory.appendingPathComponent("empty-\(port)")
        for dir in [root, empty] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        let chain = pki.directory.appendingPathComponent("vsftpd-chain.pem")
        write(Array((pki.pem("server.pem") + pki.pem("int.pem")).utf8), to: chain)
        let configuration = pki.directory.appendingPathComponent("vsftpd-\(port).conf")
        write(Array("""
            listen=YES
            listen_ipv6=NO
            listen_address=127.0.0.1
            listen_port=\(port)
            background=NO
            anonymous_enable=YES
            no_anon_password=YES
            anon_root=\(root.path)
            local_enable=NO
            write_enable=NO
            ssl_enable=YES
            allow_anon_ssl=YES
            force_anon_logins_ssl=NO
            force_anon_data_ssl=NO
            rsa_cert_file=\(chain.path)
            rsa_private_key_file=\(pki.path("server.key"))
            secure_chroot_dir=\(empty.path)
            seccomp_sandbox=NO
            pasv_enable=YES
            \(implicit ? "implicit_ssl=YES\n" : "")
            """.utf8), to: configuration)
        return try ServerProcess("/usr/sbin/vsftpd", [configuration.path], port: port, in: pki.directory) { accepts(port) }
    }
}

extension ServerProcess {
    static let freeradiusPath = "/usr/sbin/freeradius"

    /// FreeRADIUS 3 (`freeradius -X`) on loopback with a copy of the stock configuration: EAP
    /// with the PKI's server certificate followed by `chain`, the client `localhost` (secret
    /// `testing123`), and the user bob (password `hello`). Ready when it says so (about 3 s).
    static func radius(_ pki: ServerPKI, chain: [String]) throws -> ServerProcess {
        let directory = pki.directory.appendingPathComponent("radius-\(UUID().uuidString)")
        let copy = run("/bin/cp", ["-a", "/etc/freeradius/3.0", directory.path])
        guard copy.status == 0 else { throw ServerError(description: "cannot copy /etc/freeradius/3.0: \(copy.stderr)") }
        let certificates = directory.appendingPathComponent("server-chain.pem")
        write(Array((["server.pem"] + chain).map(pki.pem).joined().utf8), to: certificates)
        func edit(_ file: String, _ change: (String) -> String) throws {
            let url = directory.appendingPathComponent(file)
            try change(String(decoding: contents(url), as: UTF8.self)).write(to: url, atomically: false, encoding: .utf8)
        }
        try edit("radiusd.conf") { $0.replacingOccurrences(of: "\tuser = freerad", with: "#\tuser = freerad")
            .replacingOccurrences(of: "\tgroup = freerad", with: "#\tgroup = freerad") }
        try edit("mods-available/eap") { $0.replacingOccurrences(of: "/etc/ssl/private/ssl-cert-snakeoil.key", with: pki.path("server.key"))
            .replacingOccurrences(of: "/etc/ssl/certs/ssl-cert-snakeoil.pem", with: certificates.path)
            .replacingOccurrences(of: "ca_file = /etc/ssl/certs/ca-certificates.crt", with: "ca_file = \(pki.path("root.pem"))") }
        // Every listener on 127.0.0.1 (IPv6 may be missing), each on a free port of its own.
        let port = freePort(udp: true)
        try edit("sites-available/default") { text in
            var ports = [port] + (0..<3).map { _ in freePort(udp: true) }
            return text.replacingOccurrences(of: "ipv6addr = ::\t", with: "ipaddr = 127.0.0.1\t")
                .replacingOccurrences(of: "\tipv6addr = ::\n", with: "\tipaddr = 127.0.0.1\n")
                .replacingOccurrences(of: "ipaddr = *", with: "ipaddr = 127.0.0.1")
                .components(separatedBy: "port = 0\n").enumerated()
                .map { $0.offset == 0 ? $0.element : "port = \(ports.isEmpty ? freePort(udp: true) : ports.removeFirst())\n" + $0.element }
                .joined()
        }
        try edit("sites-available/inner-tunnel") { $0.replacingOccurrences(of: "port = 18120", with: "port = \(freePort())") }
        try edit("mods-config/files/authorize") { "bob Cleartext-Password := \"hello\"\n" + $0 }
        let log = pki.directory.appendingPathComponent("server-\(port).log")
        return try ServerProcess(freeradiusPath, ["-X", "-d", directory.path], port: port, in: pki.directory) {
            String(decoding: contents(log), as: UTF8.self).contains("Ready to process requests")
        }
    }
}

struct ServerError: Error, CustomStringConvertible {
    var description: String
}
