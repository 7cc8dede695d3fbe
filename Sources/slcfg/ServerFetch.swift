import ArgumentParser
import Foundation
import Files
import Handset
import Probe

/// How to reach a RADIUS server through `eapol_test` (probe --radius, cert import --from-radius).
struct RadiusOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A file whose first line is the RADIUS shared secret.", valueName: "file"), completion: .file())
    var secretFile: String?

    @Option(help: "The identity for PEAP or EAP-TLS.")
    var identity = "slcfg-probe"

    @Option(help: ArgumentHelp("A file whose first line is the PEAP password.", valueName: "file"), completion: .file())
    var passwordFile: String?

    @Option(help: ArgumentHelp("EAP-TLS with the file's customDeviceCertN (certificate and key) instead of PEAP.", valueName: "1|2"))
    var deviceSlot: Int?

    @Option(help: ArgumentHelp("The name the RADIUS server's certificate must carry when strict common-name validation is on (default: the RADIUS host).", valueName: "name"))
    var radiusName: String?

    /// The RADIUS target `host[:port]` names (port 1812 by default), with what it needs checked.
    func target(_ text: String, option: String) throws -> ProbeTarget {
        guard secretFile != nil else { throw CLIError(message: "\(option) needs --secret-file (the RADIUS shared secret)", code: 64) }
        guard passwordFile != nil || deviceSlot != nil else { throw CLIError(message: "\(option) needs --password-file (PEAP) or --device-slot (EAP-TLS)", code: 64) }
        let (host, port) = try ProbeCommand.hostPort(text, defaultPort: 1812)
        return ProbeTarget(kind: .radius, url: "radius://\(host):\(port)", host: host, port: port, tls: nil, name: radiusName ?? host)
    }
}

/// Runs async work from a synchronous command and waits for it.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
    let box = Box<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        box.value = await work()
        done.signal()
    }
    done.wait()
    return box.value!
}

final class Box<T>: @unchecked Sendable {
    var value: T?
}

/// The chain a target sends: TLS in process, RADIUS through eapol_test. A provisioning server
/// of type FTPS read from the file (`fromFile`) is tried with explicit FTPS, then implicit.
func fetchChain(_ target: ProbeTarget, timeout: Double, fromFile: Bool, radius: RadiusOptions,
                value: (String) -> String?, file: String) throws -> [[UInt8]] {
    if target.kind == .radius { return try fetchRadius(target, timeout: timeout, options: radius, value: value, file: file) }
    let tls = target.tls!
    let host = target.host, port = target.port
    func attempt(_ kind: TLSProbe.Kind, _ port: Int) -> Result<[[UInt8]], ProbeError> {
        blocking { () -> Result<[[UInt8]], ProbeError> in
            do throws(ProbeError) { return .success(try await TLSProbe.chain(host: host, port: port, kind: kind, timeout: timeout)) } catch { return .failure(error) }
        }
    }
    let first = attempt(tls, port)
    if case .failure = first, fromFile, tls == .ftpes, case .success(let chain) = attempt(.ftps, 990) {
        printError("slcfg: provisioning: explicit FTPS (AUTH TLS on port \(port)) failed; implicit FTPS on port 990 worked")
        return chain
    }
    return try first.get()
}

func fetchRadius(_ target: ProbeTarget, timeout: Double, options: RadiusOptions, value: (String) -> String?, file: String) throws -> [[UInt8]] {
    let secret = try firstLine(options.secretFile!)
    let method: RadiusProbe.Method
    if let slot = options.deviceSlot {
        let stem = Vocabulary.deviceCertificate(slot)
        guard let cert = value(stem + ".publicCert"), !cert.isEmpty, let key = value(stem + ".privateKey"), !key.isEmpty else {
            throw CLIError(message: "Device certificate \(slot) is empty in \(file): import it first (slcfg cert import-device)", code: 2)
        }
        method = .tls(identity: options.identity, certificate: cert, key: key)
    } else {
        method = .peap(identity: options.identity, password: try firstLine(options.passwordFile!))
    }
    return try RadiusProbe.chain(host: target.host, port: target.port, secret: secret, method: method, timeout: timeout)
}

/// The first line of a file (a secret, a password), read without echoing it anywhere.
func firstLine(_ path: String) throws -> String {
    do {
        let text = String(decoding: try FileStore.read(path), as: UTF8.self)
        return String(text.split(whereSeparator: \.isNewline).first ?? "")
    } catch {
        throw CLIError(message: error.description, code: 2)
    }
}
