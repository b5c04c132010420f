import Foundation

/// Where the central is and how to reach it.
public struct CentralEndpoint: Sendable {
    /// The API's base URL, e.g. `https://central.example/` (the contract's paths start at `/v1`).
    public var url: URL
    /// The device token; sent as `Authorization: Bearer`, never logged or printed.
    public var token: String
    /// The whole of one request, connect included.
    public var timeout: TimeInterval
    /// A PEM file of the certificates to trust instead of the system's (a private CA, or the
    /// server's own certificate: pinning).
    public var trustedCertificatesFile: String?
    /// A PEM client certificate and key for mutual TLS, if the chain uses them.
    public var clientCertificateFile: String?
    public var clientKeyFile: String?
    /// Batch bodies larger than this are sent gzip-compressed.
    public var gzipAboveBytes: Int

    public init(url: URL, token: String, timeout: TimeInterval = 10, trustedCertificatesFile: String? = nil,
                clientCertificateFile: String? = nil, clientKeyFile: String? = nil, gzipAboveBytes: Int = 4096) {
        self.url = url
        self.token = token
        self.timeout = timeout
        self.trustedCertificatesFile = trustedCertificatesFile
        self.clientCertificateFile = clientCertificateFile
        self.clientKeyFile = clientKeyFile
        self.gzipAboveBytes = gzipAboveBytes
    }
}
