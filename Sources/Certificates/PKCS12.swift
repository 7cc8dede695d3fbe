import Foundation

/// Opening `.pfx`/`.p12` files with the `openssl` command, without ever writing the key or the
/// passphrase anywhere but a pipe.
public enum PKCS12 {
    /// The path of `openssl` on `PATH`, or nil.
    public static func opensslPath() -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/openssl"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Extracts the certificates and key of `file` with `passphrase` (sent on openssl's stdin).
    public static func extract(_ file: String, passphrase: String) throws(CertificateError) -> CertificateInput {
        try CertificateInput(pem(file, passphrase: passphrase))
    }

    /// The certificates and key of a PKCS#12 file's bytes (named `shown` in messages), as PEM text: the bytes go to
    /// openssl through a mode-0600 file of a private directory, removed at once; the passphrase through a pipe.
    public static func pem(of bytes: [UInt8], shown: String, passphrase: String) throws(CertificateError) -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slcfg-pfx-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CertificateError("cannot make a private directory for openssl: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bundle.p12").path
        guard FileManager.default.createFile(
            atPath: file, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
        else { throw CertificateError("cannot write \(shown) for openssl") }
        return try pem(file, passphrase: passphrase, shown: shown)
    }

    /// `openssl pkcs12 -nodes` of `file` (named `shown` in messages), with and then without `-legacy`.
    static func pem(_ file: String, passphrase: String, shown: String? = nil) throws(CertificateError) -> [UInt8] {
        let shown = shown ?? file
        guard let openssl = opensslPath() else {
            throw CertificateError(
                "the openssl command is not installed, and slcfg needs it to open \(shown); install it, or run "
                    + "elsewhere: openssl pkcs12 -in \(shown) -nodes -out device.pem, then import the certificate "
                    + "and the key from device.pem (and delete device.pem afterwards)"
            )
        }
        var lastError = ""
        for legacy in [false, true] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: openssl)
            process.arguments = ["pkcs12", "-in", file, "-nodes", "-passin", "stdin"] + (legacy ? ["-legacy"] : [])
            let input = Pipe(), output = Pipe(), error = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = error
            do { try process.run() } catch {
                throw CertificateError("cannot run \(openssl): \(error)")
            }
            input.fileHandleForWriting.write(Data((passphrase + "\n").utf8))
            try? input.fileHandleForWriting.close()
            let pem = output.fileHandleForReading.readDataToEndOfFile()
            let message = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0 { return Array(pem) }
            lastError = String(decoding: message, as: UTF8.self)
        }
        if lastError.lowercased().contains("mac verify") || lastError.lowercased().contains("invalid password") {
            throw CertificateError("\(shown): wrong passphrase (openssl could not verify the file with it)")
        }
        let firstLine = lastError.split(separator: "\n").first.map(String.init) ?? "no message"
        throw CertificateError("\(shown): openssl could not open it as PKCS#12: \(firstLine)")
    }
}
