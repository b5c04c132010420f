import ArgumentParser
import Foundation
import KioskConfig
import KioskCore
import KioskLogging
import KioskLoyalty
import KioskStore
import Logging

/// Options every command that reads the configuration takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The configuration file.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Use this database file instead of the configured one.", valueName: "PATH"))
    var db: String?

    @Option(name: .customLong("log-level"), help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    /// Loads the configuration, or exits with a clear error.
    func loadConfiguration() throws -> KioskConfiguration {
        let environment = ProcessInfo.processInfo.environment
        let path = ConfigLoader.resolvePath(explicit: config, environment: environment)
        if let path, !FileManager.default.fileExists(atPath: path) {
            throw fail("configuration file \(path) does not exist", KioskExit.noInput)
        }
        do {
            var configuration = try ConfigLoader.load(path: path, environment: environment)
            if let db { configuration.store.path = db }
            if let logLevel {
                guard let level = KioskConfiguration.LogLevel(rawValue: logLevel) else {
                    throw ValidationError("unknown log level \"\(logLevel)\"")
                }
                configuration.log.level = level
            }
            bootstrapLogging(configuration)
            return configuration
        } catch let error as ConfigError {
            throw fail("invalid configuration:\n\(error)", KioskExit.dataError)
        }
    }

    private func bootstrapLogging(_ configuration: KioskConfiguration) {
        let style: KioskLogHandler.Style = switch configuration.log.format {
        case .journald: .journald
        case .text: .text
        case .auto: KioskLogHandler.defaultStyle()
        }
        let level = Logger.Level(rawValue: configuration.log.level.rawValue) ?? .info
        LoggingBootstrap.once(level: level, style: style)
    }

    /// Opens the store the configuration names, or exits with a clear error.
    func openStore(_ configuration: KioskConfiguration, mode: KioskStore.Mode = .readWrite, migrate: Bool = true) throws -> KioskStore {
        do {
            let maxSize = configuration.store.maxSizeMiB > 0 ? Int64(configuration.store.maxSizeMiB) * 1_048_576 : nil
            return try KioskStore(path: configuration.store.path, mode: mode,
                                  options: .init(maxSizeBytes: maxSize, migrate: migrate, fileMode: StorePolicy.fileMode(configuration)))
        } catch {
            throw fail(error.message, KioskExit.code(for: error))
        }
    }
}

enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false
    private static let lock = NSLock()

    static func once(level: Logger.Level, style: KioskLogHandler.Style) {
        lock.withLock {
            guard !done else { return }
            done = true
            KioskLogHandler.bootstrap(level: level, style: style)
        }
    }
}

/// Prints a value as pretty, sorted JSON on stdout.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// The store's settings from the configuration.
enum StorePolicy {
    static func fileMode(_ configuration: KioskConfiguration) -> StoreFileMode {
        switch configuration.store.fileMode {
        case .ownerOnly: .ownerOnly
        case .serviceGroup: .serviceGroup
        }
    }
}

/// What a member may spend in credit before the central has acknowledged it, from the
/// configuration.
enum OfflineCreditPolicy {
    /// The offline credit limit (`central.offline_credit_limit_toman` and its overrides), in Rial.
    static func limit(_ configuration: KioskConfiguration) -> OfflineCreditLimit {
        OfflineCreditLimit(
            perMember: Rial(Int64(configuration.central.offlineCreditLimitToman) * 10),
            overrides: Dictionary(uniqueKeysWithValues: configuration.central.offlineCreditOverridesToman.map {
                (MemberID(rawValue: $0.key), Rial(Int64($0.value) * 10))
            }))
    }
}
