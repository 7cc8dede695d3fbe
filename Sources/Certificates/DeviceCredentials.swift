import Foundation
import SwiftASN1
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
        throw Self.notBelonging(certificates)
    }

    /// The private key is another certificate's: said once, for the import and lint alike.
    static func notBelonging(_ certificates: [CertificateFacts]) -> CertificateError {
        let names = certificates.map { "'\($0.displayName)'" }.joined(separator: ", ")
        return CertificateError(
            "the private key does not belong to the certificate \(names): export the key that was generated with this "
                + "certificate"
        )
    }

    /// Why the private key in `block` cannot go with `certificate` (nil: it can). An RSA key
    /// carries its public half, which is compared with the certificate's without reading the
    /// whole key (a fleet's lint checks thousands); any other key is paired as the import pairs it.
    public static func mismatch(of block: PEMBlock, with certificate: CertificateFacts) -> CertificateError? {
        if block.headers.isEmpty, let key = rsaPublicNumbers(privateKey: block),
            let certified = rsaPublicNumbers(certificate: certificate.der)
        {
            return key == certified ? nil : notBelonging([certificate])
        }
        do {
            _ = try DeviceCredentials(certificates: [certificate], keyBlock: block, keyFile: "KEYFILE")
            return nil
        } catch {
            return error
        }
    }

    /// The modulus and public exponent of an RSA private key (PKCS#1, or PKCS#8 holding one).
    static func rsaPublicNumbers(privateKey block: PEMBlock) -> [[UInt8]]? {
        guard var node = try? DER.parse(block.der) else { return nil }
        if block.label == "PRIVATE KEY" {
            // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, OCTET STRING privateKey, ... }
            guard case .constructed(let parts) = node.content else { return nil }
            let fields = Array(parts)
            guard fields.count >= 3, case .constructed(let algorithm) = fields[1].content,
                let oid = algorithm.first(where: { _ in true }),
                (try? ASN1ObjectIdentifier(derEncoded: oid))?.description == "1.2.840.113549.1.1.1",
                case .primitive(let inner) = fields[2].content, let parsed = try? DER.parse(Array(inner))
            else { return nil }
            node = parsed
        } else if block.label != "RSA PRIVATE KEY" {
            return nil
        }
        // RSAPrivateKey ::= SEQUENCE { version, modulus INTEGER, publicExponent INTEGER, ... }
        guard case .constructed(let parts) = node.content else { return nil }
        let numbers = Array(parts.prefix(3))
        guard numbers.count == 3, numbers.allSatisfy({ $0.identifier == .integer }),
            case .primitive(let modulus) = numbers[1].content, case .primitive(let exponent) = numbers[2].content
        else { return nil }
        return [Array(modulus), Array(exponent)]
    }

    /// The modulus and public exponent of a certificate's RSA key (nil for any other key).
    static func rsaPublicNumbers(certificate der: [UInt8]) -> [[UInt8]]? {
        guard let spki = subjectPublicKeyInfo(certificate: der), case .constructed(let info) = spki.content else {
            return nil
        }
        let parts = Array(info)
        guard parts.count == 2, case .constructed(let algorithm) = parts[0].content,
            let oid = algorithm.first(where: { _ in true }),
            (try? ASN1ObjectIdentifier(derEncoded: oid))?.description == "1.2.840.113549.1.1.1",
            let bits = try? ASN1BitString(derEncoded: parts[1]), let key = try? DER.parse(Array(bits.bytes)),
            case .constructed(let numbers) = key.content
        else { return nil }
        let pair = Array(numbers)
        guard pair.count == 2, case .primitive(let modulus) = pair[0].content,
            case .primitive(let exponent) = pair[1].content
        else { return nil }
        return [Array(modulus), Array(exponent)]
    }

    /// A certificate's subjectPublicKeyInfo: two certificates with the same one share a key.
    static func subjectPublicKeyInfo(certificate der: [UInt8]) -> ASN1Node? {
        // Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial, signature,
        //   issuer, validity, subject, subjectPublicKeyInfo, ... }, ... }
        guard let root = try? DER.parse(der), case .constructed(let outer) = root.content,
            let tbs = outer.first(where: { _ in true }), case .constructed(let tbsParts) = tbs.content
        else { return nil }
        var fields = Array(tbsParts)
        if fields.first?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields.removeFirst()
        }
        return fields.count > 5 ? fields[5] : nil
    }

    /// The certificate's public key as DER (its subjectPublicKeyInfo), to tell a key used twice.
    public var publicKeyDER: [UInt8] {
        Self.subjectPublicKeyInfo(certificate: certificate.der).map { Array($0.encodedBytes) } ?? certificate.der
    }

    /// Whether the certificate may authenticate a client (EAP-TLS): no extended key usage, or
    /// one that lists clientAuth or anyExtendedKeyUsage.
    public var allowsClientAuthentication: Bool {
        guard let parsed = try? Certificate(derEncoded: certificate.der),
            let usage = try? parsed.extensions.extendedKeyUsage
        else { return true }
        return usage.contains(.clientAuth) || usage.contains(.any)
    }

    /// The names the certificate gives its holder: the subject's CN and every subjectAltName
    /// written as text (DNS name, e-mail address, URI).
    public var holderNames: [String] {
        var names = [certificate.subjectCommonName]
        if let parsed = try? Certificate(derEncoded: certificate.der),
            let alternatives = try? parsed.extensions.subjectAlternativeNames
        {
            for name in alternatives {
                switch name {
                case .dnsName(let text), .rfc822Name(let text), .uniformResourceIdentifier(let text): names.append(text)
                default: break
                }
            }
        }
        return names
    }
}
