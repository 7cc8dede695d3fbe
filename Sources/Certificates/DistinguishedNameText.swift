import SafeText
import SwiftASN1

/// Distinguished names as text, the way `openssl x509 -nameopt RFC2253,-esc_msb` prints them:
/// most specific first, OpenSSL's short names, RFC 2253 escaping, strings decoded from every
/// ASN.1 string type.
enum DistinguishedNameText {
    static let shortNames: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.9": "street", "2.5.4.10": "O",
        "2.5.4.11": "OU", "2.5.4.4": "SN", "2.5.4.42": "GN", "2.5.4.12": "title", "2.5.4.5": "serialNumber",
        "2.5.4.97": "organizationIdentifier", "2.5.4.15": "businessCategory", "2.5.4.17": "postalCode",
        "2.5.4.46": "dnQualifier", "2.5.4.65": "pseudonym", "2.5.4.43": "initials", "2.5.4.44": "generationQualifier",
        "2.5.4.41": "name", "2.5.4.45": "x500UniqueIdentifier", "2.5.4.16": "postalAddress",
        "1.2.840.113549.1.9.1": "emailAddress", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
        "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC", "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
        "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
    ]

    /// The name as text, and its common name (the last CN), from the DER `Name`.
    static func format(_ name: ASN1Node) throws -> (text: String, commonName: String) {
        guard case .constructed(let rdns) = name.content else { throw CertificateError("bad name") }
        var parts: [String] = []
        var commonName = ""
        for rdn in rdns {
            guard case .constructed(let attributes) = rdn.content else { throw CertificateError("bad name") }
            var values: [String] = []
            for attribute in attributes {
                guard case .constructed(let pair) = attribute.content else { throw CertificateError("bad name") }
                var it = pair.makeIterator()
                guard let typeNode = it.next(), let valueNode = it.next() else { throw CertificateError("bad name") }
                let oid = try ASN1ObjectIdentifier(derEncoded: typeNode).description
                let value: String
                if let decoded = decodeString(valueNode) {
                    value = escape(decoded)
                    if oid == "2.5.4.3" { commonName = decoded }
                } else {
                    value = "#" + CertificateFacts.hex(valueNode.encodedBytes).uppercased()
                }
                values.append("\(shortNames[oid] ?? oid)=\(value)")
            }
            parts.append(values.joined(separator: "+"))
        }
        return (parts.reversed().joined(separator: ","), commonName)
    }

    /// Decodes the ASN.1 string types found in names; nil for anything else.
    static func decodeString(_ node: ASN1Node) -> String? {
        guard case .primitive(let bytes) = node.content else { return nil }
        switch node.identifier {
        case .utf8String, .printableString, .ia5String, .numericString, .visibleString:
            return String(decoding: bytes, as: UTF8.self)
        case .teletexString:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case .bmpString:
            var units: [UInt16] = []
            var i = bytes.startIndex
            while i + 1 < bytes.endIndex { units.append(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])); i += 2 }
            return String(decoding: units, as: UTF16.self)
        case .universalString:
            var scalars = String.UnicodeScalarView()
            var i = bytes.startIndex
            while i + 3 < bytes.endIndex {
                let v =
                    UInt32(bytes[i]) << 24 | UInt32(bytes[i + 1]) << 16 | UInt32(bytes[i + 2]) << 8
                    | UInt32(bytes[i + 3])
                scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                i += 4
            }
            return String(scalars)
        default:
            return nil
        }
    }

    /// RFC 2253 escaping: `,+"\<>;` always, `#` and space at the start, space at the end; a character
    /// that could drive a terminal spelled out as `SafeText` writes it (`\e`, `\u202E`).
    static func escape(_ value: String) -> String {
        var out = ""
        let scalars = Array(value.unicodeScalars)
        for (i, c) in scalars.enumerated() {
            switch c {
            case ",", "+", "\"", "\\", "<", ">", ";":
                out += "\\\(c)"
            case "#" where i == 0, " " where i == 0 || i == scalars.count - 1:
                out += "\\\(c)"
            default:
                if let spelled = SafeText.spelling(of: c) {
                    out += spelled
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }
}
