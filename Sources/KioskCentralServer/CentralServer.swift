import Foundation
import Hummingbird
import HummingbirdTLS
import KioskCentralAPI
import Logging
import NIOSSL
import OpenAPIHummingbird
import OpenAPIRuntime

/// The reference central server: the contract's operations on Hummingbird over a storage.
public enum CentralServer {
    /// The router with every operation of the contract, behind `middlewares` (outermost first)
    /// and the device authentication. Gzip-compressed request bodies are inflated first.
    public static func router(
        storage: any CentralStorage, configuration: ConfigurationFiles, logger: Logger,
        clock: @escaping @Sendable () -> Date = { Date() },
        middlewares: [any RouterMiddleware<CentralRequestContext>] = []
    ) throws -> Router<CentralRequestContext> {
        let router = Router(context: CentralRequestContext.self)
        for middleware in middlewares { router.add(middleware: AnyRouterMiddleware(middleware)) }
        router.add(middleware: MethodNotAllowedMiddleware<CentralRequestContext>())
        router.add(middleware: PeerCertificateMiddleware())
        router.add(middleware: GzipRequestMiddleware<CentralRequestContext>())
        let handler = CentralAPIHandler(storage: storage, configuration: configuration, clock: clock, logger: logger)
        try handler.registerHandlersReadingBatchesByHand(on: router, configuration: .central, middlewares: [MalformedRequestMiddleware(), HeaderLimitsMiddleware(), DeviceAuthentication(storage: storage)])
        return router
    }

    /// The server as an application on `host:port` (port 0: any free one), over TLS when `tls`
    /// is given (`CentralTLS`); `onRunning` gets the port it listens on.
    public static func application(
        router: Router<CentralRequestContext>, host: String, port: Int, logger: Logger, tls: TLSConfiguration? = nil,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        Application(
            router: router,
            server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname(host, port: port), serverName: "kiosk-central"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// A middleware given as an existential, for `Router.add(middleware:)`, which wants a concrete type.
struct AnyRouterMiddleware: RouterMiddleware {
    typealias Context = CentralRequestContext
    let wrapped: any RouterMiddleware<CentralRequestContext>

    init(_ wrapped: any RouterMiddleware<CentralRequestContext>) { self.wrapped = wrapped }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await wrapped.handle(request, context: context, next: next)
    }
}
