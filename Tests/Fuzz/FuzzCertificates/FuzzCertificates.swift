// libFuzzer target: certificate normalisation never crashes, and what it accepts round-trips
// through PEM and base64.
import Certificates

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCertificates(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let input = try? CertificateInput(bytes) else { return 0 }
    for facts in input.certificates {
        let again = try? CertificateInput(Array(PEM.encode(facts.der).utf8))
        precondition(again?.certificates.first?.der == facts.der, "PEM round trip lost the certificate")
        precondition(PEM.base64Decode(PEM.base64Encode(facts.der)) == facts.der, "base64 round trip failed")
        _ = facts.warnings()
        _ = try? Chain.selectRoot(input.certificates, allowNonRoot: true)
    }
    return 0
}
