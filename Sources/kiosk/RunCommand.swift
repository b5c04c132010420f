import ArgumentParser
import Foundation
import KioskConfig
import KioskCore
import KioskReaders
import KioskStore
import Logging
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the kiosk service until SIGTERM or SIGINT.",
        discussion: """
            Opens (and migrates) the store, then runs the kiosk's services in one service group that \
            stops them gracefully on SIGTERM or SIGINT. This build runs the card readers (every tap \
            identified and resolved to a member, logged by ids only; pcscd restarts survived) and the \
            store watch (health at start, the forwarding queue's depth); scanners, the display, the \
            engine's screens and forwarding join as their parts land.
            """)

    @OptionGroup var options: CommonOptions

    @Option(help: "Seconds between store status lines in the log.")
    var statusInterval: Int = 60

    func run() async throws {
        let configuration = try options.loadConfiguration()
        let logger = Logger(label: "kiosk")
        let store = try options.openStore(configuration)
        let report: QuickHealthReport
        do {
            report = try store.quickCheck()
        } catch {
            throw fail(error.message, KioskExit.code(for: error))
        }
        logger.info("kiosk starting", metadata: [
            "version": "\(BuildInfo.version)",
            "kiosk": "\(configuration.kiosk.id)",
            "branch": "\(configuration.kiosk.branch)",
            "config": "\(configuration.source ?? "defaults")",
            "store": "\(store.path)",
            "healthy": "\(report.isHealthy)",
            "outbox_pending": "\(report.outboxPending)",
        ])
        if !report.isHealthy {
            logger.error("the store failed its start-up check; run `kiosk db check` for details",
                         metadata: ["integrity": "\(report.integrity.prefix(3).joined(separator: "; "))"])
        }
        let watch = StoreWatch(store: store, interval: .seconds(max(1, statusInterval)), logger: Logger(label: "kiosk.store"))
        let readers = ReaderService(configuration: .init(
            readers: ReaderPolicy.filter(configuration),
            policy: try ReaderPolicy.identification(configuration, counters: store),
            feedback: configuration.readers.feedback,
            feedbackOverrides: ReaderPolicy.feedbackOverrides(configuration),
            cardTimeout: ReaderPolicy.cardTimeout(configuration)))
        let readerWatch = ReaderWatch(service: readers, store: store, logger: Logger(label: "kiosk.readers"))
        let group = ServiceGroup(configuration: .init(
            services: [watch, readerWatch],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
        logger.info("kiosk stopped")
    }
}

/// Logs the forwarding queue's depth periodically, and a failing store at once.
struct StoreWatch: Service {
    let store: KioskStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let pending = try store.outboxPending()
                logger.info("store status", metadata: ["outbox_pending": "\(pending)"])
            } catch {
                logger.error("store check failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown {
                try await Task.sleep(for: interval)
            }
        }
    }
}
