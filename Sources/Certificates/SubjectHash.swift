// OpenSSL's subject hash (`openssl x509 -subject_hash`): the name of the `<hash>.N` links that
// `c_rehash` makes in a certificate directory, so that an issuer is found by its name.
import Crypto
import Foundation
import SwiftASN1

public enum SubjectHash {
    /// The hash of a DER-encoded X.509 name, as eight hex digits, or nil when it is not a name.
    ///
    /// As OpenSSL computes it (`x509_name_canon`, `asn1_string_canon`): each text value becomes a
    /// UTF8String with its leading and trailing white space gone, inner runs of white space one
    /// space, and ASCII letters lower-cased; the name's SETs are encoded again without the outer
    /// SEQUENCE; the first four bytes of their SHA-1, read little-endian.
    public static func of(name der: ArraySlice<UInt8>) -> String? {
        guard let name = try? DER.parse(der), case .constructed(let sets) = name.content else { return nil }
        var canonical: [UInt8] = []
        for set in sets {
            guard case .constructed(let entries) = set.content else { return nil }
            var encodedEntries: [UInt8] = []
            for entry in entries {
                guard case .constructed(let parts) = entry.content else { return nil }
                let fields = Array(parts)
                guard fields.count == 2 else { return nil }
                let value = canonicalValue(fields[1])
                encodedEntries += tagged(0x30, Array(fields[0].encodedBytes) + value)
            }
            canonical += tagged(0x31, encodedEntries)
        }
        let digest = Array(Insecure.SHA1.hash(data: canonical))
        let value = UInt32(digest[0]) | UInt32(digest[1]) << 8 | UInt32(digest[2]) << 16 | UInt32(digest[3]) << 24
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// A value as OpenSSL compares it: text types canonical, anything else as encoded.
    static func canonicalValue(_ node: ASN1Node) -> [UInt8] {
        guard node.identifier.tagClass == .universal, case .primitive(let bytes) = node.content,
              let text = utf8(bytes, tag: node.identifier.tagNumber)
        else { return Array(node.encodedBytes) }
        return tagged(0x0C, canonical(text))
    }

    /// The value's characters in UTF-8, for the text types OpenSSL canonicalizes.
    static func utf8(_ bytes: ArraySlice<UInt8>, tag: UInt) -> [UInt8]? {
        switch tag {
        case 12, 19, 22, 26: return Array(bytes)   // UTF8, Printable, IA5, Visible: as they are
        case 20: return Array(String(bytes.map { Character(Unicode.Scalar($0)) }).utf8)   // T61 read as Latin-1
        case 30:   // BMP: UTF-16BE
            let units = stride(from: bytes.startIndex, to: bytes.endIndex - 1, by: 2).map {
                UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1])
            }
            return Array(String(decoding: units, as: UTF16.self).utf8)
        case 28:   // Universal: UTF-32BE
            let starts = stride(from: bytes.startIndex, to: bytes.endIndex - 3, by: 4)
            let scalars = starts.compactMap { k -> Unicode.Scalar? in
                let value = bytes[k..<k + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                return Unicode.Scalar(value)
            }
            return Array(String(String.UnicodeScalarView(scalars)).utf8)
        default: return nil
        }
    }

    /// Leading and trailing white space dropped, inner runs one space, ASCII lower-cased.
    static func canonical(_ text: [UInt8]) -> [UInt8] {
        let space: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]
        guard let first = text.firstIndex(where: { !space.contains($0) }),
              let last = text.lastIndex(where: { !space.contains($0) })
        else { return [] }
        var out: [UInt8] = []
        var k = first
        while k <= last {
            let byte = text[k]
            if space.contains(byte) {
                out.append(0x20)
                while k <= last && space.contains(text[k]) { k += 1 }
                continue
            }
            out.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            k += 1
        }
        return out
    }

    /// A DER TLV with a short or long length.
    static func tagged(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length: [UInt8] = []
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            var n = content.count
            while n > 0 { length.insert(UInt8(n & 0xFF), at: 0); n >>= 8 }
            length.insert(0x80 | UInt8(length.count), at: 0)
        }
        return [tag] + length + content
    }
}

extension CertificateFacts {
    /// OpenSSL's hash of the subject: the certificate's `<hash>.N` link in a CA directory.
    public var subjectHash: String? { SubjectHash.of(name: subjectDER) }
    /// OpenSSL's hash of the issuer: the links where its issuer is looked for.
    public var issuerHash: String? { SubjectHash.of(name: issuerDER) }
}
