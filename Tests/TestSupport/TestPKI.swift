import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

/// Certificates made in the tests: a root, an intermediate and a leaf on P-256 keys, with
/// chosen names, serials and dates.
public struct TestPKI: Sendable {
    /// One set for all tests of a process.
    public static let shared = TestPKI()

    public struct Issued: @unchecked Sendable {
        public var der: [UInt8]
        public var key: P256.Signing.PrivateKey
        public var name: DistinguishedName
        public var pem: String { "-----BEGIN CERTIFICATE-----\n" + Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed]) + "\n-----END CERTIFICATE-----\n" }
        public var keyPEM: String { key.pemRepresentation + "\n" }
    }

    public static let start = Date(timeIntervalSince1970: 1_700_000_000)   // 2023-11-14T22:13:20Z
    public static let end = Date(timeIntervalSince1970: 2_000_000_000)     // 2033-05-18T03:33:20Z

    public let root: Issued
    public let intermediate: Issued
    public let leaf: Issued

    public init() {
        root = Self.issue(cn: "Test Root CA", org: "Spectralink Lab", serial: [0x01, 0x02], ca: true, issuer: nil)
        intermediate = Self.issue(cn: "Test Issuing CA", org: "Spectralink Lab", serial: [0x03], ca: true, issuer: root)
        leaf = Self.issue(cn: "radius.lab.example", org: nil, serial: [0x7F, 0x10], ca: false, issuer: intermediate)
    }

    /// Issues a certificate (self-signed when `issuer` is nil): v3 with critical basic
    /// constraints and the DNS names `dnsNames` as subjectAltName (and an extended key usage of
    /// serverAuth alone when `serverOnly`), or X.509 v1 with no extension.
    public static func issue(
        cn: String, org: String?, serial: [UInt8], ca: Bool, issuer: Issued?, notBefore: Date = start,
        notAfter: Date = end, dnsNames: [String] = [], v1: Bool = false, serverOnly: Bool = false
    ) -> Issued {
        let key = P256.Signing.PrivateKey()
        let name = try! DistinguishedName {
            if let org { OrganizationName(org) }
            CommonName(cn)
        }
        let constraints = ca ? BasicConstraints.isCertificateAuthority(maxPathLength: nil) : .notCertificateAuthority
        let extensions = try! Certificate.Extensions {
            Critical(constraints)
            if !dnsNames.isEmpty { SubjectAlternativeNames(dnsNames.map { .dnsName($0) }) }
            if serverOnly { try ExtendedKeyUsage([.serverAuth]) }
        }
        let certificate = try! Certificate(
            version: v1 ? .v1 : .v3, serialNumber: Certificate.SerialNumber(bytes: serial),
            publicKey: .init(key.publicKey), notValidBefore: notBefore, notValidAfter: notAfter,
            issuer: issuer?.name ?? name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: v1 ? Certificate.Extensions() : extensions, issuerPrivateKey: .init(issuer?.key ?? key))
        var serializer = DER.Serializer()
        try! serializer.serialize(certificate)
        return Issued(der: serializer.serializedBytes, key: key, name: name)
    }

    /// A self-signed certificate on a 1024-bit RSA key, for the weak-key warnings.
    public static func issueWeakRSA(cn: String) -> Issued {
        let key = try! _RSA.Signing.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        let name = try! DistinguishedName { CommonName(cn) }
        let certificate = try! Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(bytes: [0x51]), publicKey: .init(key.publicKey),
            notValidBefore: start, notValidAfter: end, issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: Certificate.Extensions(),
            issuerPrivateKey: .init(key))
        var serializer = DER.Serializer()
        try! serializer.serialize(certificate)
        return Issued(der: serializer.serializedBytes, key: P256.Signing.PrivateKey(), name: name)
    }

    /// Runs openssl with arguments in `directory`; fails the process on error.
    @discardableResult
    public static func openssl(_ arguments: [String], in directory: URL) -> String {
        let result = run("/usr/bin/env", ["openssl"] + arguments, in: directory)
        precondition(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.stderr)")
        return result.stdout
    }
}
