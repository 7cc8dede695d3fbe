import Files
import Foundation

/// A server to ask for its certificates: the provisioning server over TLS, or the RADIUS
/// server through `eapol_test`. `probe`, `cert import --from-server/--from-radius` and the
/// editor's `v` and `g` all name servers this way.
public struct ServerTarget: Sendable, Equatable {
    public enum Kind: String, Sendable { case provisioning, radius }
    public var kind: Kind
    /// `https://host:port`, `ftpes://…`, `ftps://…` or `radius://host:port`.
    public var url: String
    public var host: String
    public var port: Int
    public var tls: TLSProbe.Kind?
    /// The name the certificate must carry: the host, or `--radius-name` for RADIUS.
    public var name: String
    /// How to log in to the RADIUS server.
    public var login: RadiusLogin?

    /// `https://host[:port]`, `ftpes://host[:port]` or `ftps://host[:port]`.
    public static func provisioning(_ url: String) throws(ProbeError) -> ServerTarget {
        let parts = url.components(separatedBy: "://")
        guard parts.count == 2, let kind = TLSProbe.Kind(rawValue: parts[0].lowercased()) else {
            throw ProbeError("'\(url)': give https://host[:port], ftpes://host[:port] or ftps://host[:port]")
        }
        let authority = parts[1].split(separator: "/").first.map(String.init) ?? ""
        let (host, port) = try hostPort(authority, defaultPort: kind.defaultPort)
        return ServerTarget(
            kind: .provisioning, url: "\(kind.rawValue)://\(host):\(port)", host: host, port: port, tls: kind,
            name: host)
    }

    /// `host[:port]` of a RADIUS server (port 1812 by default).
    public static func radius(_ text: String, login: RadiusLogin, name: String? = nil) throws(ProbeError)
        -> ServerTarget
    {
        let (host, port) = try hostPort(text, defaultPort: 1812)
        return ServerTarget(
            kind: .radius, url: "radius://\(host):\(port)", host: host, port: port, tls: nil, name: name ?? host,
            login: login)
    }

    public static func hostPort(_ text: String, defaultPort: Int) throws(ProbeError) -> (String, Int) {
        let pieces = text.split(separator: ":")
        guard let host = pieces.first, !host.isEmpty, pieces.count <= 2 else {
            throw ProbeError("'\(text)' is not host[:port]")
        }
        guard pieces.count == 2 else { return (String(host), defaultPort) }
        guard let port = Int(pieces[1]), (1...65535).contains(port) else {
            throw ProbeError("'\(pieces[1])' is not a port")
        }
        return (String(host), port)
    }

    /// What a fix imports from: `--from-server URL` or `--from-radius HOST:PORT`.
    public var fromOption: String { kind == .radius ? "--from-radius \(host):\(port)" : "--from-server \(url)" }
}

/// How slcfg logs in to a RADIUS server: the files that hold the secrets, read only when used.
public struct RadiusLogin: Sendable, Equatable {
    /// PEAP's password: a file's first line, or the value the configuration holds.
    public enum Password: Sendable, Equatable {
        case file(String)
        case value(String)
    }

    public var secretFile: String
    public var identity: String
    /// The outer identity sent before the tunnel, nil for the identity itself.
    public var anonymousIdentity: String?
    /// PEAP's password, or nil for EAP-TLS with `deviceSlot`.
    public var password: Password?
    public var deviceSlot: Int?

    public init(
        secretFile: String, identity: String, anonymousIdentity: String? = nil, password: Password?, deviceSlot: Int?
    ) {
        self.secretFile = secretFile
        self.identity = identity
        self.anonymousIdentity = anonymousIdentity
        self.password = password
        self.deviceSlot = deviceSlot
    }

    public init(secretFile: String, identity: String, passwordFile: String?, deviceSlot: Int?) {
        self.init(secretFile: secretFile, identity: identity, password: passwordFile.map(Password.file),
                  deviceSlot: deviceSlot)
    }

    /// The method, with the password or the device slot's certificate and key (`device` reads
    /// them from the configuration: PEM, empty when the slot is).
    func method(device: (Int) -> (certificate: String, key: String)) throws(ProbeError) -> RadiusProbe.Method {
        if let slot = deviceSlot {
            let (cert, key) = device(slot)
            guard !cert.isEmpty, !key.isEmpty else {
                throw ProbeError("Device certificate \(slot) is empty: import it first (slcfg cert import-device)")
            }
            return .tls(identity: identity, anonymousIdentity: anonymousIdentity, certificate: cert, key: key)
        }
        switch password {
        case .file(let path)?:
            return .peap(identity: identity, anonymousIdentity: anonymousIdentity, password: try Self.firstLine(path))
        case .value(let value)?: return .peap(identity: identity, anonymousIdentity: anonymousIdentity, password: value)
        case nil: throw ProbeError("give a password file (PEAP) or a device slot (EAP-TLS)")
        }
    }

    /// The first line of a file (a secret, a password), read without echoing it anywhere.
    static func firstLine(_ path: String) throws(ProbeError) -> String {
        do throws(FileError) {
            return String(
                String(decoding: try FileStore.read(path), as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
            )
        } catch {
            throw ProbeError(error.description)
        }
    }
}

/// The chain a server sends, however it is reached.
public enum ServerFetch {
    /// TLS in process, RADIUS through eapol_test. An FTPS server named by the file (`fallback`)
    /// is tried with explicit FTPS, then implicit on port 990; `note` says when that worked.
    /// `device` gives a device slot's certificate and key for EAP-TLS.
    public static func chain(
        _ target: ServerTarget, timeout: Double, fallback: Bool = false,
        device: @Sendable (Int) -> (certificate: String, key: String)
    ) async throws(ProbeError) -> (chain: [[UInt8]], note: String?) {
        if let login = target.login {
            let secret = try RadiusLogin.firstLine(login.secretFile)
            let method = try login.method(device: device)
            let start = ContinuousClock.now
            defer { ProbePhases.record("eapol_test", since: start) }
            return (
                try RadiusProbe.chain(
                    host: target.host, port: target.port, secret: secret, method: method, timeout: timeout), nil
            )
        }
        let tls = target.tls ?? .https
        do {
            return (try await TLSProbe.chain(host: target.host, port: target.port, kind: tls, timeout: timeout), nil)
        } catch {
            guard fallback, tls == .ftpes,
                let chain = try? await TLSProbe.chain(host: target.host, port: 990, kind: .ftps, timeout: timeout)
            else { throw error }
            return (chain, "explicit FTPS (AUTH TLS on port \(target.port)) failed; implicit FTPS on port 990 worked")
        }
    }
}
