import ArgumentParser
import Foundation
import Hummingbird
import KioskCentralServer
import Logging
import PostgresNIO

/// `kiosk-central`: the reference central server (docs/central.md).
@main
struct CentralCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kiosk-central",
        abstract: "The reference central server of the kiosk chain: the central API on SQLite or PostgreSQL.",
        discussion: """
            Storage: --sqlite FILE (the default: ./central.sqlite), or PostgreSQL with --postgres-host and \
            friends (the password from $KIOSK_CENTRAL_POSTGRES_PASSWORD, never the command line). \
            The configuration it serves is DIR/configuration.json (--config-dir), read at each request. \
            Members are loaded from DIR/members.json at start when it exists.
            """,
        subcommands: [Serve.self, AddDevice.self],
        defaultSubcommand: Serve.self)
}

struct StorageOptions: ParsableArguments {
    @Option(help: "The SQLite database file (when no PostgreSQL host is given).")
    var sqlite: String = "central.sqlite"
    @Option(help: "PostgreSQL's host; selects PostgreSQL storage.")
    var postgresHost: String?
    @Option(help: "PostgreSQL's port.")
    var postgresPort: Int = 5432
    @Option(help: "PostgreSQL's user.")
    var postgresUser: String = "kiosk"
    @Option(help: "PostgreSQL's database.")
    var postgresDatabase: String = "kiosk_central"

    /// The storage, and a task to run beside the server (PostgreSQL's connection pool).
    func open(logger: Logger) throws -> (any CentralStorage, (@Sendable () async -> Void)?) {
        guard let host = postgresHost else { return (try SQLiteCentralStorage(path: sqlite), nil) }
        let password = ProcessInfo.processInfo.environment["KIOSK_CENTRAL_POSTGRES_PASSWORD"]
        let storage = PostgresCentralStorage(
            configuration: .init(host: host, port: postgresPort, username: postgresUser, password: password,
                                 database: postgresDatabase, tls: .disable),
            logger: logger)
        return (storage, { await storage.run() })
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the central API.")

    @Option(help: "The address to listen on.")
    var host: String = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed at start).")
    var port: Int = 8080
    @Option(help: "The directory of configuration.json (and members.json).")
    var configDir: String = "."
    @OptionGroup var storage: StorageOptions
    @Option(help: "Serve HTTPS with this certificate chain (PEM); needs --tls-key.")
    var tlsCertificate: String?
    @Option(help: "The private key (PEM) of --tls-certificate.")
    var tlsKey: String?
    @Option(help: "Require kiosks' client certificates issued by these authorities (PEM); needs --tls-certificate.")
    var clientCA: String?

    func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) { throw ValidationError("--tls-certificate and --tls-key go together") }
        if clientCA != nil && tlsCertificate == nil { throw ValidationError("--client-ca needs --tls-certificate and --tls-key") }
    }

    func run() async throws {
        let tls = try tlsCertificate.map { certificate in
            try CentralTLS(certificateFile: certificate, keyFile: tlsKey ?? "", clientCertificateAuthorityFile: clientCA).configuration()
        }
        var logger = Logger(label: "kiosk-central")
        logger.logLevel = .notice
        let (store, background) = try storage.open(logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let background { group.addTask { await background() } }
            if let postgres = store as? PostgresCentralStorage { try await postgres.migrate() }
            try await MembersFile.load(directory: configDir, into: store)
            let router = try CentralServer.router(storage: store, configuration: ConfigurationFiles(directory: configDir), logger: logger)
            let app = try CentralServer.application(router: router, host: host, port: port, logger: logger, tls: tls) { port in
                FileHandle.standardOutput.write(Data("kiosk-central listening on \(host):\(port)\n".utf8))
            }
            group.addTask { try await app.runService() }
            try await group.next()
            group.cancelAll()
        }
    }
}

struct AddDevice: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-device",
        abstract: "Register a kiosk: prints a new device token once (the server keeps only its hash).")

    @Option(help: "The kiosk's id.")
    var kiosk: String
    @Option(help: "The kiosk's branch.")
    var branch: String
    @OptionGroup var storage: StorageOptions
    @Option(help: ArgumentHelp("Bind the kiosk to this client certificate (PEM): over TLS its token is then accepted only with it (serve --client-ca).",
                               valueName: "FILE"))
    var clientCertificate: String?

    func run() async throws {
        let certificate: String?
        do { certificate = try clientCertificate.map { try CentralDevice.certificateSHA256(pemFile: $0) } } catch {
            throw ValidationError("--client-certificate \(clientCertificate ?? ""): not a PEM certificate (\(error))")
        }
        let logger = Logger(label: "kiosk-central")
        let (store, background) = try storage.open(logger: logger)
        var bytes = [UInt8](repeating: 0, count: 32)
        for index in bytes.indices { bytes[index] = UInt8.random(in: 0...255) }
        let token = bytes.map { String(format: "%02x", $0) }.joined()
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let background { group.addTask { await background() } }
            if let postgres = store as? PostgresCentralStorage { try await postgres.migrate() }
            try await store.register(CentralDevice(kioskID: kiosk, branchID: branch, certificateSHA256: certificate), token: token)
            group.cancelAll()
        }
        print(token)
    }
}
