import Foundation
import Hummingbird
import KioskCentralServer
import KioskSync
import KioskTestSupport
import Logging
import NIOSSL

/// A reference server in this process on a loopback port of its own, on a storage of the given
/// backend, behind a fault switch; with one registered kiosk.
final class CentralHarness: @unchecked Sendable {
    let backend: Backend
    let storageUnderTest: StorageUnderTest
    var storage: any CentralStorage { storageUnderTest.storage }
    let faults = FaultSwitch()
    let configDirectory: String
    private(set) var port = 0
    /// Serve HTTPS with this configuration (`CentralTLS`) from the next `start()`.
    var tls: TLSConfiguration?
    private var task: Task<Void, any Error>?
    /// The server answers on a thread of its own, as it would from its own process.
    private let executor = DedicatedThreadExecutor(name: "test-central")

    static let kioskA = (id: "kiosk-a", token: "token-of-kiosk-a-0123456789")
    static let kioskB = (id: "kiosk-b", token: "token-of-kiosk-b-0123456789")

    init(_ backend: Backend, directory: String) async throws {
        self.backend = backend
        configDirectory = directory
        storageUnderTest = try await StorageUnderTest.make(backend, directory: directory)
        try await storage.register(CentralDevice(kioskID: Self.kioskA.id, branchID: "tehran-1"), token: Self.kioskA.token)
        try await storage.register(CentralDevice(kioskID: Self.kioskB.id, branchID: "tehran-2"), token: Self.kioskB.token)
    }

    /// Starts serving (again) on the same port when it had one.
    func start() async throws {
        var logger = Logger(label: "test.central")
        logger.logLevel = .critical
        let router = try CentralServer.router(storage: storage, configuration: ConfigurationFiles(directory: configDirectory),
                                              logger: logger, middlewares: [FaultMiddleware(faults: faults)])
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try CentralServer.application(router: router, host: "127.0.0.1", port: port, logger: logger, tls: tls) {
            continuation.yield($0)
        }
        task = Task(executorPreference: executor) { try await app.runService(gracefulShutdownSignals: []) }
        for await bound in stream {
            port = bound
            break
        }
    }

    /// Stops serving: connections are refused until `start()`.
    func stop() async {
        task?.cancel()
        _ = await task?.result
        task = nil
    }

    /// Starts serving, runs `body` with a client of kiosk A, and closes the client and stops the
    /// server on every way out, a thrown error included (which is then rethrown).
    func serving<T>(_ body: (CentralClient) async throws -> T) async throws -> T {
        try await start()
        let client: CentralClient
        do { client = try self.client() } catch {
            await stop()
            throw error
        }
        let result: Result<T, any Error>
        do { result = .success(try await body(client)) } catch { result = .failure(error) }
        try? await client.shutdown()
        await stop()
        return try result.get()
    }

    var url: URL { URL(string: "\(tls == nil ? "http" : "https")://127.0.0.1:\(port)")! }

    func client(_ kiosk: (id: String, token: String) = CentralHarness.kioskA, timeout: TimeInterval = 5,
                wireCounter: WireCounter? = nil) throws -> CentralClient {
        try CentralClient(endpoint: CentralEndpoint(url: url, token: kiosk.token, timeout: timeout), wireCounter: wireCounter)
    }

    /// The ids the server holds for a kiosk, in arrival order.
    func storedIDs(_ kiosk: String = CentralHarness.kioskA.id) async throws -> [String] {
        try await storage.events(kioskID: kiosk).map(\.id)
    }
}
