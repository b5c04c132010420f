import Crypto
import Foundation
import Hummingbird
import NIOCore
import NIOSSL

/// The reference server's request context: Hummingbird's basic one, with the connection's
/// channel, so that a kiosk's TLS client certificate can be read from it.
public struct CentralRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

/// The client certificate of the connection a request came on, for `DeviceAuthentication`.
enum RequestPeer {
    /// The SHA-256 (lower-case hex) of the DER of the client's certificate; nil without TLS, or
    /// when the client presented none.
    @TaskLocal static var certificateSHA256: String?
}

/// Reads the connection's client certificate (on the channel's event loop, where its TLS handler
/// lives) and makes its SHA-256 known to the handlers of the request.
struct PeerCertificateMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let channel = context.channel
        let der: [UInt8]? = try? await channel.eventLoop.submit { () -> [UInt8]? in
            guard let handler = try? channel.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self) else { return nil }
            return try handler.peerCertificate?.toDERBytes()
        }.get()
        return try await RequestPeer.$certificateSHA256.withValue(der.map { CentralHash.hex(Data($0)) }) {
            try await next(request, context)
        }
    }
}

extension CentralDevice {
    /// The SHA-256 of a PEM certificate file's first certificate, as `certificateSHA256` binds it.
    public static func certificateSHA256(pemFile path: String) throws -> String {
        guard let first = try NIOSSLCertificate.fromPEMFile(path).first else {
            throw NIOSSLError.failedToLoadCertificate
        }
        return CentralHash.hex(Data(try first.toDERBytes()))
    }
}
