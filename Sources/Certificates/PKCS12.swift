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
        guard let openssl = opensslPath() else {
            throw CertificateError(
                "the openssl command is not installed, and slcfg needs it to open \(file); install it, or run "
                    + "elsewhere: openssl pkcs12 -in \(file) -nodes -out device.pem, then import the certificate "
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
            if process.terminationStatus == 0 {
                return try CertificateInput(Array(pem))
            }
            lastError = String(decoding: message, as: UTF8.self)
        }
        if lastError.lowercased().contains("mac verify") || lastError.lowercased().contains("invalid password") {
            throw CertificateError("\(file): wrong passphrase (openssl could not verify the file with it)")
        }
        let firstLine = lastError.split(separator: "\n").first.map(String.init) ?? "no message"
        throw CertificateError("\(file): openssl could not open it as PKCS#12: \(firstLine)")
    }
}
