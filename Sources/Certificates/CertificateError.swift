/// Input that slcfg will not take as a certificate or key, with what was found instead and what to do.
public struct CertificateError: Error, Equatable, CustomStringConvertible {
    /// The message for people: what was found, and what to bring instead.
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
