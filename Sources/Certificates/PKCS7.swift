// PKCS#7 certificate bundles (.p7b/.p7c, what Windows exports "with all certificates in the certification path"):
// the certificates of a SignedData, read natively.
import SwiftASN1

enum PKCS7 {
    /// `signedData`, the content type of a certificate bundle.
    static let signedData = "1.2.840.113549.1.7.2"

    /// Whether `node` is a ContentInfo (`SEQUENCE { OID, [0] … }`) whose content type is signedData.
    static func isBundle(_ node: ASN1Node) -> Bool {
        guard case .constructed(let parts) = node.content else { return false }
        let items = Array(parts)
        guard items.count == 2, items[0].identifier == .objectIdentifier,
            items[1].identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        else { return false }
        return (try? ASN1ObjectIdentifier(derEncoded: items[0]).description) == signedData
    }

    /// The DER of each certificate the bundle `bytes` (DER, or BER as some exporters write) holds, in its order.
    /// Throws, saying so, when it is no signedData bundle or holds no certificate.
    static func certificates(in bytes: [UInt8]) throws(CertificateError) -> [[UInt8]] {
        guard let root = (try? DER.parse(bytes)) ?? (try? BER.parse(bytes)), isBundle(root),
            case .constructed(let parts) = root.content, case .constructed(let wrapped) = Array(parts)[1].content,
            let signed = wrapped.first(where: { _ in true }), case .constructed(let fields) = signed.content
        else {
            throw CertificateError("found a PKCS#7 file that is not a certificate bundle (signedData)")
        }
        let certificatesTag = ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific)
        guard let set = Array(fields).first(where: { $0.identifier == certificatesTag }),
            case .constructed(let members) = set.content
        else {
            throw CertificateError(
                "found a PKCS#7 bundle with no certificate in it: export the certificate again, with its chain "
                    + "(\"include all certificates in the certification path\")")
        }
        let certificates = members.filter { $0.identifier == .sequence }.map { Array($0.encodedBytes) }
        guard !certificates.isEmpty else {
            throw CertificateError(
                "found a PKCS#7 bundle with no certificate in it: export the certificate again, with its chain "
                    + "(\"include all certificates in the certification path\")")
        }
        return certificates
    }
}
