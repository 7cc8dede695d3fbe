import Foundation
import Testing
import Certificates

/// Inputs the fuzzer found, kept so they stay fixed.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// base64 of a PEM (the trust store's COMODO root with a byte of its RSA key changed by the fuzzer):
    /// swift-crypto 3.12 freed memory twice when asked for this key; slcfg no longer hands it over.
    static let rsaKeyBoringSSLRejects = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUVIVENDQXdXZ0F3SUJBZ0lRVG9FdGlvSmw0QXNDN2o0MUFrYmxQVEFOQmdrcWhraUc5dzBCQVFVRkFEQ0IKZ1RFTE1Ba0dBMVVFQmhNQ1IwSXhHekFaQmdOVkJBZ1RFa2R5WldGMFpYSWdUV0Z1WTJobGMzUmxjakVRTUE0RwpBMVVFQnhNSFUyRnNabTl5WkRFYU1CZ0dBMVVFQ2hNUlEwOU5UMFJQSUVOQklFeHBiV2wwWldReEp6QWxCZ05WCkJBTVRIa05QVFU5RVR5QkRaWEowYVdacFkyRjBhVzl1SUVGMWRHaHZjbWwwZVRBZUZ3MHdOakV5TURFd01EQXcKTURCYUZ3MHlPVEV5TXpFeU16VTVOVGxhTUlHQk1Rc3dDUVlEVlFRR0V3SkhRakViTUJrR0ExVUVDQk1TUjNKbApZWFJsY2lCTllXNWphR1Z6ZEdWeU1SQXdEZ1lEVlFRSEV3ZFRZV3htYjNKa01Sb3dHQVlEVlFRS0V4RkRUMDFQClJFOGdRMEVnVEdsdGFYUmxaREVuTUNVR0ExVUVBeE1lUTA5TlQwUlBJRU5sY25ScFptbGpZWFJwYjI0Z1FYVjAKYUc5eWFYUjVNSUlCSWpBTkJna3Foa2lHOXcwQkFRRUZBQU9DQVE4QU1JSUJDZ0tDQVFFQTBFQ0xpM0xqa1J2MwpVY0ViVkFTWTA2bS93ZWFLWFR1SCs3dUl6ZzNqTHo4R2x2Q2lLVkNacnRzN29WZXdkRkZ4emUxQ2tVMUIvcW5JCjJHcUdkMFM3V1dhWFVGNjAxQ3h3Uk0vYU41VkNhVHd3eEhHelV2QWhUYUhZdWpsOEhKNmpKSjN5Z3hhWXFoWjgKUTVzVlc3ZXVOSkgrMUdJbUdFYWFQK3ZCK2ZHUVYrdXNlZzJMMjNJd2FtYlY0RWFqY054bzJmOEVTSWwzM3JYcAorMmR0UWVtOE9iMHkyV0lDOGJHb1BXNDNuT0l2NHRPaUpvdkd1RlZEaU9FalBxWFNKRGxxUjZzQTFLR3pxU1grCkRUK25IYnJUVWNFTHBOcXNPTzlWVUNRRlpVYVRORTh0amEzRzFDRVowbzdLQldGeEIzTkg1WW9aRXIwRVRjNU8KbktWSXJMc205d0lEQkFRb0E0R09NSUdMTUIwR0ExVWREZ1FXQkJRTFdPV0x4a3dWTjZSQXFUQ3BJYjVITmxwVwovekFPQmdOVkhROEJBZjhFQkFNQ0FRWXdEd1lEVlIwVEFRSC9CQVV3QXdFQi96QkpCZ05WSFI4RVFqQkFNRDZnClBLQTZoamhvZEhSd09pOHZZM0pzTG1OdmJXOWtiMk5oTG1OdmJTOURUMDFQUkU5RFpYSjBhV1pwWTJGMGFXOXUKUVhWMGFHOXlhWFI1TG1OeWJEQU5CZ2txaGtpRzl3MEJBUVVGQUFPQ0FRRUFQcGllbS9ZYjZkYzV0M2l1SFhJWQpTZE9INUVPQzZ6L0pxdldvdGU5VmZDRlNabmZWRGVGczlENk1rM09STGdMRVRnZHhiOENQT0dFSXFCNkJDc0F2CklDOUJpNUhjU0VXODhjYmV1blpyTThnQUxURkdUTzNubmMrSWxQOHp3RmJvSklZbXVOZzRPTjhxYTkwU3pNYy8KUnhkTW9zSUdsZ25XMi80L1BFWkIzMWppVmc4OE84RWNrelhaT0ZLczdzanNMakJPbERXMEpCOUxlR25hOGdJNAp6SlZTay9Cd0pWbWNJR2ZFN3ZtTFYySDBrblo5UDRTTlZiZm81YXpWOGZVWlZxWmErNUFjcjVQcjVSelVaNWRkCkJBNitDNE9tRjRPNU1CS2d4VE1WQmJrTis4Y0ZkdVBZU28zOE5CZWp4aUVvdmpCRk1SN0hlTDVZWVRpc08rSUIKWlE9PQotLS0tLUVORCBDRVJUSUZJQ0FURS0tLS0tCg=="

    @Test("A certificate whose RSA key BoringSSL rejects is read without handing the key to swift-crypto, and is no root")
    func malformedRSAKey() throws {
        let input = try CertificateInput(Array(Self.rsaKeyBoringSSLRejects.utf8))
        let facts = try #require(input.certificates.first)
        #expect(facts.subjectCommonName == "COMODO Certification Authority")
        #expect(facts.keyAlgorithm == "RSA" && facts.keyBits == 2048)
        // It names itself, but a broken key cannot check its signature: not taken as a root.
        #expect(!facts.selfSigned && facts.selfSignatureUnverifiable)
        #expect(facts.warnings().first?.hasPrefix("'COMODO Certification Authority' names itself as its issuer, but its "
            + "signature cannot be verified (RSA 2048 bits, sha1WithRSAEncryption): it is not taken as a root") == true)
        _ = try? Chain.selectRoot(input.certificates, allowNonRoot: true)
    }
}
