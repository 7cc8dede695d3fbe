import ArgumentParser
import Certificates
import Foundation
import Files
import Handset
import Probe

/// How to reach a RADIUS server through `eapol_test` (probe --radius, cert import --from-radius): each value from
/// its option, else from the configuration's 802.1X settings (`Dot1xLogin`).
struct RadiusOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("A file whose first line is the RADIUS shared secret.", valueName: "file"),
        completion: .file())
    var secretFile: String?

    @Option(help: "The identity for PEAP or EAP-TLS (default: the file's device.wifi.wpa2Ent.user).")
    var identity: String?

    @Option(help: "The outer identity sent before the tunnel (default: the file's device.wifi.wpa2Ent.anonid).")
    var anonymousIdentity: String?

    @Option(
        help: ArgumentHelp(
            "A file whose first line is the PEAP password (PEAP; default: the file's device.wifi.wpa2Ent.password).",
            valueName: "file"),
        completion: .file())
    var passwordFile: String?

    @Option(
        help: ArgumentHelp(
            "EAP-TLS with the file's customDeviceCertN (certificate and key) instead of PEAP (default: the file's EAP "
                + "method, and the slot its 802.1X profile presents).",
            valueName: "1|2"))
    var deviceSlot: Int?

    @Option(
        help: ArgumentHelp(
            "The name the RADIUS server's certificate must carry when strict common-name validation is on (default: "
                + "the RADIUS host).",
            valueName: "name"))
    var radiusName: String?

    /// The RADIUS target `host[:port]` names (port 1812 by default), logging in as `file` says where no option does;
    /// says on standard error which values came from the file.
    func target(_ text: String, option: String, file: Dot1xLogin) throws -> ServerTarget {
        guard let secretFile else {
            throw CLIError(message: "\(option) needs --secret-file (the RADIUS shared secret)", code: 64)
        }
        let (login, fromFile) = try self.login(secretFile: secretFile, option: option, file: file)
        if !fromFile.isEmpty { printError("slcfg: radius: from the file: \(fromFile.joined(separator: ", "))") }
        do throws(ProbeError) { return try ServerTarget.radius(text, login: login, name: radiusName) } catch {
            throw CLIError(message: error.description, code: 64)
        }
    }

    /// The login: an option where one is given, else the file's value; and what came from the file.
    func login(secretFile: String, option: String, file: Dot1xLogin) throws(CLIError)
        -> (RadiusLogin, fromFile: [String])
    {
        var fromFile: [String] = []
        let tls: Bool
        if deviceSlot != nil || passwordFile != nil {
            tls = deviceSlot != nil
        } else {
            switch file.method {
            case .tls?: tls = true
            case .peap?: tls = false
            case .fast?, .unknown?, nil:
                let named = file.method == nil
                    ? "no EAP method that applies" : "an EAP method other than PEAP and EAP-TLS"
                throw CLIError(
                    message: "\(option) needs --password-file (PEAP) or --device-slot (EAP-TLS): the file names "
                        + "\(named) (device.wifi.wpa2Ent.method)",
                    code: 64)
            }
            fromFile.append(tls ? "EAP-TLS" : "PEAP")
        }
        let identity = self.identity ?? file.identity ?? "slcfg-probe"
        if self.identity == nil, file.identity != nil { fromFile.append("identity '\(identity)'") }
        let anonymous = anonymousIdentity ?? file.anonymousIdentity
        if anonymousIdentity == nil, let anonymous { fromFile.append("anonymous identity '\(anonymous)'") }
        if tls {
            guard let slot = deviceSlot ?? file.deviceSlot else {
                throw CLIError(
                    message: "\(option): 802.1X presents the built-in device certificate "
                        + "(\(Vocabulary.profileDeviceCertificate(file.profile)) is \(file.presented)), which slcfg "
                        + "cannot read: give --device-slot 1 or 2",
                    code: 64)
            }
            if deviceSlot == nil { fromFile.append("the certificate of Device certificate \(slot)") }
            return (RadiusLogin(secretFile: secretFile, identity: identity, anonymousIdentity: anonymous,
                                password: nil, deviceSlot: slot), fromFile)
        }
        let fromOption = passwordFile.map(RadiusLogin.Password.file)
        guard let password = fromOption ?? file.password.map(RadiusLogin.Password.value) else {
            throw CLIError(
                message: "\(option) uses PEAP, which needs a password: the file has none that applies "
                    + "(device.wifi.wpa2Ent.password); give --password-file",
                code: 64)
        }
        if passwordFile == nil { fromFile.append("the password") }
        return (RadiusLogin(secretFile: secretFile, identity: identity, anonymousIdentity: anonymous,
                            password: password, deviceSlot: nil), fromFile)
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
