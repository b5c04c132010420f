import Foundation
import KioskCentralServer
import KioskTestSupport
import Logging
import PostgresNIO

/// The reference server's storages the same tests run on. PostgreSQL comes from the test command
/// (kiosk/dev/test starts a cluster and sets KIOSK_TEST_POSTGRES_*); without it the PostgreSQL
/// cases fail under CI (CI=true) and are left out elsewhere, saying so.
enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    static var postgresAvailable: Bool { environment["KIOSK_TEST_POSTGRES_PORT"] != nil }

    /// The backends to run: both under CI (where a missing PostgreSQL is then a failure).
    static var available: [Backend] {
        if postgresAvailable || environment["CI"] == "true" { return [.sqlite, .postgres] }
        print("note: KIOSK_TEST_POSTGRES_PORT is not set (run through kiosk/dev/test): PostgreSQL cases not run")
        return [.sqlite]
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "PostgreSQL is required under CI: KIOSK_TEST_POSTGRES_PORT is not set (kiosk/dev/test starts one)" }
    }

    static var postgresConfiguration: PostgresClient.Configuration {
        get throws {
            guard let port = environment["KIOSK_TEST_POSTGRES_PORT"].flatMap(Int.init) else { throw Missing() }
            return .init(host: environment["KIOSK_TEST_POSTGRES_HOST"] ?? "127.0.0.1", port: port,
                         username: environment["KIOSK_TEST_POSTGRES_USER"] ?? "kiosk", password: nil,
                         database: environment["KIOSK_TEST_POSTGRES_DATABASE"] ?? "postgres", tls: .disable)
        }
    }
}

/// A fresh storage of one backend. PostgreSQL gets a database of its own per test.
final class StorageUnderTest: @unchecked Sendable {
    let storage: any CentralStorage
    private let background: Task<Void, Never>?
    let sqlitePath: String?
    let postgresDatabase: String?
    /// PostgreSQL clients run on a thread of their own, like the server they belong to.
    static let executor = DedicatedThreadExecutor(name: "test-postgres-clients")

    static func make(_ backend: Backend, directory: String) async throws -> StorageUnderTest {
        switch backend {
        case .sqlite:
            let path = directory + "/central.sqlite"
            return StorageUnderTest(storage: try SQLiteCentralStorage(path: path), background: nil, sqlitePath: path, database: nil)
        case .postgres:
            var configuration = try Backend.postgresConfiguration
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
            let admin = PostgresCentralStorage(configuration: configuration, logger: Logger(label: "test.pg"))
            let adminTask = Task(executorPreference: Self.executor) { await admin.run() }
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
            adminTask.cancel()
            configuration.database = String(name)
            let storage = PostgresCentralStorage(configuration: configuration, logger: Logger(label: "test.pg"))
            let task = Task(executorPreference: Self.executor) { await storage.run() }
            try await storage.migrate()
            return StorageUnderTest(storage: storage, background: task, sqlitePath: nil, database: String(name))
        }
    }

    private init(storage: any CentralStorage, background: Task<Void, Never>?, sqlitePath: String?, database: String?) {
        self.storage = storage
        self.background = background
        self.sqlitePath = sqlitePath
        self.postgresDatabase = database
    }

    deinit { background?.cancel() }
}
