/// Input that slcfg will not take as a certificate or key, with what was found instead and what to do.
public struct CertificateError: Error, Equatable, CustomStringConvertible {
    /// The message for people: what was found, and what to bring instead.
    public var description: String
    /// The input is a PKCS#12 file: a front end may say how it imports one.
    public var isPKCS12: Bool

    public init(_ description: String, isPKCS12: Bool = false) {
        self.description = description
        self.isPKCS12 = isPKCS12
    }
}
