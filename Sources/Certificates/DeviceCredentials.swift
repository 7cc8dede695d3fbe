import Foundation
import X509

/// An EAP-TLS device certificate with its private key, checked to belong together.
public struct DeviceCredentials: Sendable {
    /// The device certificate.
    public var certificate: CertificateFacts
    /// The certificate as PEM (header and footer kept).
    public var certificatePEM: String
    /// The private key as PEM, unencrypted, header and footer kept.
    public var privateKeyPEM: String

    /// Pairs a certificate with its key. Refuses an encrypted key (showing the `openssl` command
    /// that removes the passphrase), a key of another certificate, and anything that is no key.
    public init(certificate: CertificateInput, key: CertificateInput, keyFile: String = "KEYFILE")
        throws(CertificateError)
    {
        guard let block = key.privateKeys.first else {
            throw CertificateError(
                "no private key found in the key file: expected '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE "
                    + "KEY-----' or '-----BEGIN EC PRIVATE KEY-----'"
            )
        }
        try self.init(certificates: certificate.certificates, keyBlock: block, keyFile: keyFile)
    }

    /// Pairs the certificate among `certificates` that matches `keyBlock`.
    public init(certificates: [CertificateFacts], keyBlock block: PEMBlock, keyFile: String) throws(CertificateError) {
        if block.label == "ENCRYPTED PRIVATE KEY"
            || block.headers.contains(where: { $0.uppercased().contains("ENCRYPTED") })
        {
            throw CertificateError(
                "the private key is encrypted with a passphrase, and the handset needs it unencrypted; remove the "
                    + "passphrase with: openssl pkey -in \(keyFile) -out device-key.pem (keep device-key.pem private, "
                    + "and delete it after the import)"
            )
        }
        guard !certificates.isEmpty else { throw CertificateError("no certificate found for the device") }
        let privateKey: Certificate.PrivateKey
        do {
            privateKey = try Certificate.PrivateKey(pemEncoded: block.text)
        } catch {
            throw CertificateError(
                "the private key ('\(block.label)') cannot be read: only RSA (2048 bits or more), EC P-256/P-384/P-521 "
                    + "and Ed25519 keys are supported"
            )
        }
        for facts in certificates {
            guard facts.keyIsWellFormed, let parsed = try? Certificate(derEncoded: facts.der) else { continue }
            if parsed.publicKey == privateKey.publicKey {
                self.certificate = facts
                certificatePEM = PEM.encode(facts.der)
                privateKeyPEM = block.text.trimmingSpaces()
                return
            }
        }
        let names = certificates.map { "'\($0.displayName)'" }.joined(separator: ", ")
        throw CertificateError(
            "the private key does not belong to the certificate \(names): export the key that was generated with this "
                + "certificate"
        )
    }
}
