// RSA signatures by keys swift-certificates does not take (1024 to 2047 bits): a root's own signature.
import Crypto
import _CryptoExtras

/// Checks a PKCS#1 v1.5 RSA signature with a key of 1024 bits or more, which swift-crypto reads
/// only through its "unsafe" initialiser. Used for a certificate's self-signature alone: whether
/// such a key is strong enough is the weak-key warning's business, not this check's.
enum SmallRSA {
    /// Whether `signature` signs `signed` with the key of the DER SubjectPublicKeyInfo `key`
    /// under the OpenSSL-named `algorithm`; nil when it cannot tell (another algorithm, a key
    /// BoringSSL refuses).
    static func verifies(_ signed: [UInt8], signature: [UInt8], key: [UInt8], algorithm: String) -> Bool? {
        guard let publicKey = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: key) else { return nil }
        let rsa = _RSA.Signing.RSASignature(rawRepresentation: signature)
        let padding = _RSA.Signing.Padding.insecurePKCS1v1_5
        switch algorithm {
        case "sha1WithRSAEncryption":
            return publicKey.isValidSignature(rsa, for: Insecure.SHA1.hash(data: signed), padding: padding)
        case "sha256WithRSAEncryption":
            return publicKey.isValidSignature(rsa, for: SHA256.hash(data: signed), padding: padding)
        case "sha384WithRSAEncryption":
            return publicKey.isValidSignature(rsa, for: SHA384.hash(data: signed), padding: padding)
        case "sha512WithRSAEncryption":
            return publicKey.isValidSignature(rsa, for: SHA512.hash(data: signed), padding: padding)
        default:
            return nil
        }
    }
}
