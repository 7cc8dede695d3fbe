import ArgumentParser
import Certificates
import Foundation
import Files
import Handset
import Probe

/// How to reach a RADIUS server through `eapol_test` (probe --radius, cert import --from-radius).
struct RadiusOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("A file whose first line is the RADIUS shared secret.", valueName: "file"),
        completion: .file())
    var secretFile: String?

    @Option(help: "The identity for PEAP or EAP-TLS.")
    var identity = "slcfg-probe"

    @Option(help: ArgumentHelp("A file whose first line is the PEAP password.", valueName: "file"), completion: .file())
    var passwordFile: String?

    @Option(
        help: ArgumentHelp(
            "EAP-TLS with the file's customDeviceCertN (certificate and key) instead of PEAP.", valueName: "1|2"))
    var deviceSlot: Int?

    @Option(
        help: ArgumentHelp(
            "The name the RADIUS server's certificate must carry when strict common-name validation is on (default: "
                + "the RADIUS host).",
            valueName: "name"))
    var radiusName: String?

    /// The RADIUS target `host[:port]` names (port 1812 by default), with what it needs checked.
    func target(_ text: String, option: String) throws -> ServerTarget {
        guard let secretFile else {
            throw CLIError(message: "\(option) needs --secret-file (the RADIUS shared secret)", code: 64)
        }
        guard passwordFile != nil || deviceSlot != nil else {
            throw CLIError(message: "\(option) needs --password-file (PEAP) or --device-slot (EAP-TLS)", code: 64)
        }
        let login = RadiusLogin(
            secretFile: secretFile, identity: identity, passwordFile: passwordFile, deviceSlot: deviceSlot)
        do throws(ProbeError) { return try ServerTarget.radius(text, login: login, name: radiusName) } catch {
            throw CLIError(message: error.description, code: 64)
        }
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

/// The chain `target` sends as facts judged at `date` (see `TrustProbe.fetch`), saying when FTPS
/// fell back to implicit.
func fetchChain(
    _ target: ServerTarget, timeout: Double, fallback: Bool, at date: Date = Date(),
    value: @escaping @Sendable (String) -> String?
) throws(ProbeError) -> [CertificateFacts] {
    let result = blocking { () -> Result<(chain: [CertificateFacts], note: String?), ProbeError> in
        do throws(ProbeError) {
            return .success(
                try await TrustProbe.fetch(target, timeout: timeout, fallback: fallback, at: date, value: value))
        } catch { return .failure(error) }
    }
    let fetched = try result.get()
    if let note = fetched.note { printError("slcfg: \(target.kind.rawValue): \(note)") }
    return fetched.chain
}
