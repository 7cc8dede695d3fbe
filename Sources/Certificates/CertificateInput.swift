import Foundation
import SwiftASN1

/// Certificates and keys as users bring them, decoded.
public struct CertificateInput: Sendable {
    /// Every certificate found, in input order.
    public var certificates: [CertificateFacts]
    /// Every private key block found (PEM), in input order.
    public var privateKeys: [PEMBlock]

    /// The most certificates one input may hold: a chain has a handful, a CA bundle a few hundred.
    public static let maximumCertificates = 1_000

    static let tooMany = CertificateError(
        "holds more than \(maximumCertificates) certificates; slcfg takes at most \(maximumCertificates) from one "
            + "input (a chain has a handful): import the root CA's certificate alone")

    /// Decodes PEM (one or several blocks, any line endings, text around them), DER, one line of
    /// base64 of DER, base64 of a PEM file, text pasted from a PDF or an e-mail, Windows
    /// "Base-64 encoded X.509" exports, and PKCS#7 bundles (`.p7b`, PEM or DER or base64 of either). Throws,
    /// saying what was found, when there is no certificate and no key.
    public init(_ bytes: [UInt8], now: Date = Date()) throws(CertificateError) {
        certificates = []
        privateKeys = []
        try read(bytes, now: now, depth: 0)
        if certificates.isEmpty && privateKeys.isEmpty {
            throw CertificateError(Self.describe(bytes))
        }
    }

    private mutating func read(_ bytes: [UInt8], now: Date, depth: Int) throws(CertificateError) {
        guard !bytes.isEmpty else { return }
        if bytes.first == 0x30 {
            let kind = DERKind(bytes)
            if kind == .pkcs7 {
                try readBundle(bytes, now: now)
                return
            }
            if let kind, kind != .certificate {
                throw CertificateError(kind.message, isPKCS12: kind == .pkcs12)
            }
            certificates.append(try CertificateFacts(der: bytes, now: now))
            return
        }
        guard let text = Self.text(bytes) else { return }
        let blocks = try PEM.blocks(in: text)
        if !blocks.isEmpty {
            for block in blocks {
                switch block.label {
                case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
                    guard certificates.count < Self.maximumCertificates else { throw Self.tooMany }
                    certificates.append(try CertificateFacts(der: block.der, now: now))
                case "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY":
                    privateKeys.append(block)
                case "CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST":
                    throw CertificateError(
                        "found a certificate signing request (CSR), not a certificate: send it to your CA and import "
                            + "the certificate the CA returns"
                    )
                case "PKCS7", "CMS", "CERTIFICATE CHAIN":
                    try readBundle(block.der, now: now)
                case "PUBLIC KEY", "RSA PUBLIC KEY":
                    throw CertificateError(
                        "found a public key, not a certificate: the handset needs the CA's certificate")
                default:
                    throw CertificateError("found a PEM block '\(block.label)', not a certificate")
                }
            }
            return
        }
        // No PEM markers: one line of base64 (of DER, or of a whole PEM file), line breaks allowed.
        guard depth == 0, let decoded = PEM.base64Decode(text), decoded.count >= 16 else { return }
        try read(decoded, now: now, depth: depth + 1)
    }

    /// Each certificate of a PKCS#7 bundle (DER or BER).
    private mutating func readBundle(_ bytes: [UInt8], now: Date) throws(CertificateError) {
        for der in try PKCS7.certificates(in: bytes) {
            guard certificates.count < Self.maximumCertificates else { throw Self.tooMany }
            certificates.append(try CertificateFacts(der: der, now: now))
        }
    }

    /// The input as text (UTF-8, UTF-16 with a byte-order mark, or Latin-1), or nil for binary data.
    static func text(_ bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            var i = 2
            while i + 1 < bytes.count {
                units.append(
                    little ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
                )
                i += 2
            }
            return String(decoding: units, as: UTF16.self)
        }
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let controls = body.filter { $0 < 0x20 && $0 != 9 && $0 != 10 && $0 != 13 }.count
        guard controls == 0 else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// Says what the input is, when it is no certificate.
    static func describe(_ bytes: [UInt8]) -> String {
        guard let text = text(bytes) else {
            return
                "found \(bytes.count) bytes of binary data that is neither a DER certificate nor PEM text; export the "
                    + "CA certificate as DER (.cer) or Base-64 (PEM)"
        }
        let trimmed = text.trimmingSpaces()
        if trimmed.isEmpty { return "the input is empty: paste or name a CA certificate (PEM, DER or base64)" }
        if trimmed.hasPrefix("<") {
            return "found XML or HTML, not a certificate: this looks like a configuration file or a web page"
        }
        if let decoded = PEM.base64Decode(trimmed) {
            return
                "found base64 that decodes to \(decoded.count) bytes, not a certificate: part of it is missing or "
                    + "altered; copy the whole certificate"
        }
        let firstLine = trimmed.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).first.map(String.init) ?? ""
        let shown = firstLine.count > 40 ? String(firstLine.prefix(40)) + "..." : firstLine
        return
            "found text that is neither PEM nor base64 (it starts '\(shown)'); a certificate starts '-----BEGIN "
                + "CERTIFICATE-----' or 'MII'"
    }
}

/// What a DER blob that starts like a SEQUENCE is.
enum DERKind: Equatable {
    case certificate, pkcs7, pkcs12, pkcs8Key, pkcs1Key, request, unknown

    init?(_ bytes: [UInt8]) {
        guard let root = (try? DER.parse(bytes)) ?? (try? BER.parse(bytes)), case .constructed(let parts) = root.content
        else { return nil }
        if PKCS7.isBundle(root) {
            self = .pkcs7
            return
        }
        let items = Array(parts)
        if items.count == 3, items[0].identifier == .sequence, items[1].identifier == .sequence,
            items[2].identifier == .bitString
        {
            // A certificate's signed part starts [0] version or a serial; a CSR's with INTEGER 0 then a Name.
            if case .constructed(let tbs) = items[0].content {
                let inner = Array(tbs)
                if inner.count >= 3, inner[0].identifier == .integer, inner[1].identifier == .sequence,
                    inner[2].identifier == .sequence, inner.count <= 4,
                    inner.last?.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
                {
                    self = .request
                    return
                }
            }
            self = .certificate
            return
        }
        if items.count >= 2, items[0].identifier == .integer, items[1].identifier == .sequence,
            case .constructed(let content) = items[1].content,
            let oid = content.first(where: { _ in true }), oid.identifier == .objectIdentifier,
            (try? ASN1ObjectIdentifier(derEncoded: oid).description) == "1.2.840.113549.1.7.1"
                || (try? ASN1ObjectIdentifier(derEncoded: oid).description) == "1.2.840.113549.1.7.2"
        {
            self = .pkcs12
            return
        }
        if items.count == 3, items[0].identifier == .integer, items[1].identifier == .sequence,
            items[2].identifier == .octetString
        {
            self = .pkcs8Key
            return
        }
        if items.count >= 9, items.allSatisfy({ $0.identifier == .integer }) {
            self = .pkcs1Key
            return
        }
        self = .unknown
    }

    var message: String {
        switch self {
        case .certificate, .pkcs7: return ""
        case .pkcs12:
            return
                "found a PKCS#12 (.pfx/.p12) file, not a certificate: it belongs in a device certificate slot, "
                    + "which takes it whole; for a CA run 'openssl pkcs12 -in FILE -nokeys -cacerts' and import the "
                    + "root CA it prints"
        case .pkcs8Key, .pkcs1Key:
            return "found a private key, not a certificate: a CA slot takes the CA's certificate, never a key"
        case .request:
            return
                "found a certificate signing request (CSR), not a certificate: send it to your CA and import the "
                    + "certificate the CA returns"
        case .unknown: return "found DER data that is not an X.509 certificate"
        }
    }
}
