import NIOSSL

/// The reference server's TLS: its certificate chain and key, and optionally the certificate
/// authority whose client certificates it requires (a kiosk without one, or with one another
/// authority issued, fails the handshake before any request; the device token is still checked
/// after it).
public struct CentralTLS: Sendable {
    public var certificateFile: String
    public var keyFile: String
    /// PEM file of the authorities that issue kiosks' client certificates; nil: none required.
    public var clientCertificateAuthorityFile: String?

    public init(certificateFile: String, keyFile: String, clientCertificateAuthorityFile: String? = nil) {
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.clientCertificateAuthorityFile = clientCertificateAuthorityFile
    }

    /// NIOSSL's server configuration; throws when a file cannot be read as PEM.
    public func configuration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        if let authorities = clientCertificateAuthorityFile {
            // A client certificate is required and must chain to these authorities; kiosks have no
            // host name to check.
            configuration.certificateVerification = .noHostnameVerification
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(authorities))
        }
        return configuration
    }
}
