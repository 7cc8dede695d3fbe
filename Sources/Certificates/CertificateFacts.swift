import Crypto
import Foundation
import SwiftASN1
import X509

/// What an administrator needs to know about one certificate.
public struct CertificateFacts: Equatable, Sendable {
    /// The subject, RFC 4514 (`CN=Corp Root CA,O=Corp,C=US`).
    public var subject: String
    /// The subject's common name, or empty.
    public var subjectCommonName: String
    /// The issuer, RFC 4514.
    public var issuer: String
    /// The issuer's common name, or empty.
    public var issuerCommonName: String
    /// The serial number in lower-case hex.
    public var serialNumber: String
    /// The start of validity.
    public var notBefore: Date
    /// The end of validity.
    public var notAfter: Date
    /// Whether `notAfter` is before the date the facts were taken on.
    public var expired: Bool
    /// Whether `notBefore` is after the date the facts were taken on.
    public var notYetValid: Bool
    /// Whether the certificate is issued by itself, its signature checked with its own key (a
    /// root when it is also a CA).
    public var selfSigned: Bool
    /// Whether it names itself as its issuer but its signature cannot be checked (a key or an
    /// algorithm that cannot be verified here): it is not taken as self-signed.
    public var selfSignatureUnverifiable = false
    /// Whether basic constraints say it is a CA.
    public var isCA: Bool
    /// `RSA`, `EC`, `Ed25519`, `DSA` or the algorithm's OID.
    public var keyAlgorithm: String
    /// The key size in bits (RSA modulus, curve size).
    public var keyBits: Int
    /// The signature algorithm in OpenSSL's words (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`).
    public var signatureAlgorithm: String
    /// SHA-256 fingerprint of the DER, lower-case hex.
    public var sha256: String
    /// SHA-1 fingerprint of the DER, lower-case hex.
    public var sha1: String
    /// The DER encoding.
    public var der: [UInt8]
    /// The raw DER of subject and issuer names, for chain building.
    var subjectDER: ArraySlice<UInt8>
    var issuerDER: ArraySlice<UInt8>
    /// Whether the public key is one swift-crypto can be handed safely: an RSA key that BoringSSL
    /// would reject can make swift-crypto 3.12 free memory twice (found by the fuzzer), so such
    /// keys never reach it.
    var keyIsWellFormed = true

    /// Reads the facts of a DER certificate as of `now`.
    public init(der: [UInt8], now: Date = Date()) throws(CertificateError) {
        do {
            try self.init(parsing: der, now: now)
        } catch {
            throw CertificateError("found DER data that is not an X.509 certificate")
        }
    }

    private init(parsing der: [UInt8], now: Date) throws {
        self.der = der
        let root = try DER.parse(der)
        guard root.identifier == .sequence, case .constructed(let parts) = root.content else {
            throw CertificateError("found DER data that is not an X.509 certificate")
        }
        var outer = parts.makeIterator()
        guard let tbs = outer.next(), let signatureAlgorithmNode = outer.next(), let signatureNode = outer.next(),
              signatureNode.identifier == .bitString, case .primitive(let signatureBits) = signatureNode.content,
              tbs.identifier == .sequence, case .constructed(let tbsParts) = tbs.content else {
            throw CertificateError("found DER data that is not an X.509 certificate")
        }
        var fields = tbsParts.makeIterator()
        var field = fields.next()
        if field?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) { field = fields.next() }
        guard let serial = field, serial.identifier == .integer, case .primitive(let serialBytes) = serial.content
        else {
            throw CertificateError("found DER data that is not an X.509 certificate (no serial number)")
        }
        serialNumber = Self.hex(serialBytes.drop { $0 == 0 && serialBytes.count > 1 })
        _ = fields.next()   // the signature algorithm again, inside the signed part
        guard let issuerNode = fields.next(), let validity = fields.next(), let subjectNode = fields.next(),
              let spki = fields.next() else {
            throw CertificateError("found DER data that is not an X.509 certificate (fields missing)")
        }
        issuerDER = issuerNode.encodedBytes
        subjectDER = subjectNode.encodedBytes
        (issuer, issuerCommonName) = try DistinguishedNameText.format(issuerNode)
        (subject, subjectCommonName) = try DistinguishedNameText.format(subjectNode)
        guard case .constructed(let times) = validity.content else { throw CertificateError("bad validity") }
        var timeNodes = times.makeIterator()
        guard let start = timeNodes.next(), let end = timeNodes.next() else { throw CertificateError("bad validity") }
        notBefore = try Self.date(start)
        notAfter = try Self.date(end)
        expired = notAfter < now
        notYetValid = notBefore > now
        (keyAlgorithm, keyBits, keyIsWellFormed) = try Self.key(spki)
        signatureAlgorithm = try Self.algorithmName(signatureAlgorithmNode)
        isCA = false
        while let next = fields.next() {
            if next.identifier == ASN1Identifier(tagWithNumber: 3, tagClass: .contextSpecific) {
                isCA = try Self.basicConstraintsCA(next)
            }
        }
        sha256 = Self.hex(SHA256.hash(data: der))
        sha1 = Self.hex(Insecure.SHA1.hash(data: der))
        selfSigned = false
        let namesItself = issuerDER == subjectDER || issuer == subject
        var verified = namesItself ? Self.verifies(self, by: self, allowingSHA1: true) : false
        if verified == nil && keyAlgorithm == "RSA" && keyIsWellFormed && keyBits < 2048 {
            // swift-crypto takes no RSA key under 2048 bits, and handing it a key it then rejects has
            // crashed it (a double free the fuzzer found twice): such a root is taken by its names,
            // and the weak-key warning says what it is.
            verified = true
        }
        selfSigned = verified == true
        selfSignatureUnverifiable = namesItself && verified == nil
    }

    /// Whether the certificate `signed` carries a valid signature by the key of `signer`, checked
    /// with swift-certificates; nil when it cannot tell (an algorithm or key size it does not handle).
    /// `allowingSHA1`: SHA-1 RSA signatures count too (a root's self-signature, which is not what
    /// makes it trusted; links of a chain must be stronger).
    static func verifies(_ signed: CertificateFacts, by signer: CertificateFacts, allowingSHA1: Bool = false) -> Bool? {
        guard signed.keyIsWellFormed, signer.keyIsWellFormed,
            let child = try? Certificate(derEncoded: signed.der), let parent = try? Certificate(derEncoded: signer.der)
        else { return nil }
        let trusted: Set<Certificate.SignatureAlgorithm> = [
            .sha256WithRSAEncryption, .sha384WithRSAEncryption, .sha512WithRSAEncryption,
            .ecdsaWithSHA256, .ecdsaWithSHA384, .ecdsaWithSHA512, .ed25519,
        ]
        guard trusted.contains(child.signatureAlgorithm)
            || (allowingSHA1 && child.signatureAlgorithm == .sha1WithRSAEncryption)
        else { return nil }
        return parent.publicKey.isValidSignature(child.signature, for: child)
    }

    static func hex<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 15)]] }
        return String(decoding: out, as: UTF8.self)
    }

    static func date(_ node: ASN1Node) throws -> Date {
        let y, mo, d, h, mi, s: Int
        if node.identifier == .utcTime {
            let t = try UTCTime(derEncoded: node)
            (y, mo, d, h, mi, s) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        } else {
            let t = try GeneralizedTime(derEncoded: node)
            (y, mo, d, h, mi, s) = (t.year, t.month, t.day, t.hours, t.minutes, t.seconds)
        }
        // Days from the civil date (proleptic Gregorian), no calendar object needed.
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146097 + doe - 719468
        return Date(timeIntervalSince1970: TimeInterval(days * 86400 + h * 3600 + mi * 60 + s))
    }

    static let signatureNames: [String: String] = [
        "1.2.840.113549.1.1.2": "md2WithRSAEncryption", "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5": "sha1WithRSAEncryption", "1.2.840.113549.1.1.14": "sha224WithRSAEncryption",
        "1.2.840.113549.1.1.11": "sha256WithRSAEncryption", "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13": "sha512WithRSAEncryption", "1.2.840.113549.1.1.10": "rsassaPss",
        "1.2.840.10045.4.1": "ecdsa-with-SHA1", "1.2.840.10045.4.3.1": "ecdsa-with-SHA224",
        "1.2.840.10045.4.3.2": "ecdsa-with-SHA256", "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4": "ecdsa-with-SHA512", "1.3.101.112": "ED25519", "1.3.101.113": "ED448",
        "1.2.840.10040.4.3": "dsa-with-SHA1", "2.16.840.1.101.3.4.3.2": "dsa_with_SHA256",
    ]

    static func algorithmName(_ node: ASN1Node) throws -> String {
        guard case .constructed(let parts) = node.content, let first = parts.first(where: { _ in true }) else {
            throw CertificateError("bad algorithm identifier")
        }
        let oid = try ASN1ObjectIdentifier(derEncoded: first).description
        return signatureNames[oid] ?? oid
    }

    static func key(_ spki: ASN1Node) throws -> (String, Int, Bool) {
        guard case .constructed(let parts) = spki.content else { throw CertificateError("bad public key") }
        var it = parts.makeIterator()
        guard let algorithm = it.next(), let keyNode = it.next(), case .constructed(let algParts) = algorithm.content
        else {
            throw CertificateError("bad public key")
        }
        var algIt = algParts.makeIterator()
        guard let oidNode = algIt.next() else { throw CertificateError("bad public key") }
        let oid = try ASN1ObjectIdentifier(derEncoded: oidNode).description
        let parameters = algIt.next()
        let bits = try ASN1BitString(derEncoded: keyNode).bytes
        switch oid {
        case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10":
            // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
            let rsa = try DER.parse(Array(bits))
            guard case .constructed(let numbers) = rsa.content, let modulus = numbers.first(where: { _ in true }),
                  case .primitive(let m) = modulus.content else { throw CertificateError("bad RSA key") }
            let list = Array(numbers)
            var wellFormed = false
            if list.count == 2, list[0].identifier == .integer, list[1].identifier == .integer,
               case .primitive(let e) = list[1].content {
                // What BoringSSL accepts: positive odd modulus of 512 to 16384 bits, odd exponent 3 to 33 bits.
                let modulusBits = bitLength(m), exponentBits = bitLength(e)
                wellFormed = m.first.map { $0 < 0x80 } == true && e.first.map { $0 < 0x80 } == true
                    && (512...16384).contains(modulusBits) && (2...33).contains(exponentBits)
                    && m.last.map { $0 & 1 == 1 } == true && e.last.map { $0 & 1 == 1 } == true
            }
            return ("RSA", bitLength(m), wellFormed)
        case "1.2.840.10045.2.1":
            var curveBits = (bits.count - 1) / 2 * 8
            if let parameters, parameters.identifier == .objectIdentifier {
                switch try ASN1ObjectIdentifier(derEncoded: parameters).description {
                case "1.2.840.10045.3.1.7": curveBits = 256
                case "1.3.132.0.34": curveBits = 384
                case "1.3.132.0.35": curveBits = 521
                default: break
                }
            }
            return ("EC", curveBits, true)
        case "1.3.101.112": return ("Ed25519", 256, true)
        case "1.3.101.113": return ("Ed448", 456, true)
        case "1.2.840.10040.4.1":
            if let parameters, case .constructed(let pqg) = parameters.content,
               let p = pqg.first(where: { _ in true }), case .primitive(let pBytes) = p.content {
                return ("DSA", bitLength(pBytes), true)
            }
            return ("DSA", 0, true)
        default: return (oid, bits.count * 8, true)
        }
    }

    static func bitLength(_ bytes: ArraySlice<UInt8>) -> Int {
        let trimmed = bytes.drop { $0 == 0 }
        guard let first = trimmed.first else { return 0 }
        return (trimmed.count - 1) * 8 + (8 - first.leadingZeroBitCount)
    }

    /// Reads `cA` from a basicConstraints extension in the `[3]` extensions field.
    static func basicConstraintsCA(_ wrapper: ASN1Node) throws -> Bool {
        guard case .constructed(let inner) = wrapper.content, let list = inner.first(where: { _ in true }),
              case .constructed(let extensions) = list.content else { return false }
        for ext in extensions {
            guard case .constructed(let parts) = ext.content else { continue }
            var it = parts.makeIterator()
            guard let oidNode = it.next(), try ASN1ObjectIdentifier(derEncoded: oidNode).description == "2.5.29.19"
            else { continue }
            var valueNode = it.next()
            if valueNode?.identifier == .boolean { valueNode = it.next() }
            guard let valueNode, case .primitive(let value) = valueNode.content else { return false }
            let constraints = try DER.parse(Array(value))
            guard case .constructed(let items) = constraints.content, let first = items.first(where: { _ in true }),
                  first.identifier == .boolean else { return false }
            return try Bool(derEncoded: first)
        }
        return false
    }
}

extension CertificateFacts: Encodable {
    enum CodingKeys: String, CodingKey {
        case subject, subjectCommonName, issuer, issuerCommonName, serialNumber, notBefore, notAfter, expired
        case notYetValid, selfSigned, isCA, keyAlgorithm, keyBits, signatureAlgorithm, sha256, sha1
    }

    /// ISO 8601 in UTC (`2026-11-29T14:00:00Z`).
    public static func iso8601(_ date: Date) -> String {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        return date.formatted(formatter)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(subject, forKey: .subject)
        try c.encode(subjectCommonName, forKey: .subjectCommonName)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(issuerCommonName, forKey: .issuerCommonName)
        try c.encode(serialNumber, forKey: .serialNumber)
        try c.encode(Self.iso8601(notBefore), forKey: .notBefore)
        try c.encode(Self.iso8601(notAfter), forKey: .notAfter)
        try c.encode(expired, forKey: .expired)
        try c.encode(notYetValid, forKey: .notYetValid)
        try c.encode(selfSigned, forKey: .selfSigned)
        try c.encode(isCA, forKey: .isCA)
        try c.encode(keyAlgorithm, forKey: .keyAlgorithm)
        try c.encode(keyBits, forKey: .keyBits)
        try c.encode(signatureAlgorithm, forKey: .signatureAlgorithm)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(sha1, forKey: .sha1)
    }
}

extension CertificateFacts {
    /// Whole days from `now` until the certificate expires: 0 on its last day, negative once expired.
    public func daysLeft(now: Date = Date()) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86400).rounded(.down))
    }

    /// The facts as labelled lines for people (`Subject:      CN=...`).
    public func summaryLines(now: Date = Date()) -> [(label: String, value: String)] {
        let validity: String
        if expired { validity = "EXPIRED" } else if notYetValid { validity = "NOT YET VALID" } else {
            validity = "valid, \(daysLeft(now: now)) days left"
        }
        return [
            ("Subject", subject), ("Issuer", issuer), ("Role", role), ("Serial", serialNumber),
            ("Valid from", Self.iso8601(notBefore)), ("Valid until", "\(Self.iso8601(notAfter)) (\(validity))"),
            ("Key", "\(keyAlgorithm) \(keyBits) bits"), ("Signature", signatureAlgorithm),
            ("SHA-256", Self.colonHex(sha256)), ("SHA-1", Self.colonHex(sha1)),
        ]
    }

    /// What the certificate is, in words: said of this certificate, never of its issuer.
    public var role: String {
        selfSigned
            ? (isCA ? "root CA (self-signed)" : "self-signed server certificate (its own root)")
            : (isCA
                ? "intermediate CA (issued by another CA, not a root)"
                : "server or user certificate (issued by a CA; not a CA itself)")
    }

    /// `ab:cd:...` from `abcd...`.
    public static func colonHex(_ hex: String) -> String {
        var out = ""
        for (i, c) in hex.enumerated() {
            if i > 0 && i % 2 == 0 { out.append(":") }
            out.append(c)
        }
        return out
    }
}
