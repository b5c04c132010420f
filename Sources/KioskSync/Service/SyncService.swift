import Foundation
import Logging
import ServiceLifecycle

/// The kiosk's side of the central as one service of `kiosk run`'s service group: the forwarder
/// (the outbox to the central, with retention pruning) and, every `pollInterval`, configuration
/// sync and corrections. Graceful shutdown stops it between attempts or mid-request (an event
/// sent but not yet marked is sent again next time and answered `duplicate`); it then returns
/// normally.
///
///     let client = try CentralClient(endpoint: endpoint)
///     let sync = SyncService(
///         forwarder: Forwarder(store: store, uploader: client, statePath: ForwarderState.path(forDatabase: store.path)),
///         configuration: ConfigurationSync(directory: configDirectory, source: client),
///         corrections: CorrectionSync(store: store, client: client, branch: branch, cursorPath: cursorPath),
///         logger: Logger(label: "kiosk.sync"))
///     // … ServiceGroup(services: [..., sync], ...); after the group ends: try await client.shutdown()
public struct SyncService: Service {
    let forwarder: Forwarder
    let configuration: ConfigurationSync?
    let corrections: CorrectionSync?
    let pollInterval: Duration
    let logger: Logger
    /// Called with each configuration sync's outcome (the composition reloads the engine's
    /// program on `.activated`).
    let onConfiguration: @Sendable (ConfigurationSyncOutcome) async -> Void

    public init(forwarder: Forwarder, configuration: ConfigurationSync? = nil, corrections: CorrectionSync? = nil,
                pollInterval: Duration = .seconds(60), logger: Logger,
                onConfiguration: @escaping @Sendable (ConfigurationSyncOutcome) async -> Void = { _ in }) {
        self.forwarder = forwarder
        self.configuration = configuration
        self.corrections = corrections
        self.pollInterval = pollInterval
        self.logger = logger
        self.onConfiguration = onConfiguration
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { try await forwarder.run() }
                    if configuration != nil || corrections != nil {
                        group.addTask { try await poll() }
                    }
                }
            }
        } catch is CancellationError where Task.isShuttingDownGracefully {
            // Stopped by the shutdown: not a failure of the service.
        }
        logger.info("sync stopped")
    }

    /// Configuration and corrections, now and then every `pollInterval`, until cancelled.
    func poll() async throws {
        while !Task.isCancelled {
            if let configuration {
                let outcome = await configuration.sync()
                switch outcome {
                case .refused(let version, let issues):
                    logger.error("the central's configuration was refused; the active one stays",
                                 metadata: ["version": "\(version)", "issues": "\(issues.prefix(5).joined(separator: "; "))"])
                case .activated(let version):
                    logger.notice("configuration activated", metadata: ["version": "\(version)"])
                case .unreachable(let reason):
                    logger.info("configuration sync: the central did not answer", metadata: ["reason": "\(reason)"])
                case .unchanged:
                    break
                }
                await onConfiguration(outcome)
            }
            if let corrections {
                do {
                    let report = try await corrections.sync()
                    if report.applied > 0 { logger.notice("corrections applied", metadata: ["applied": "\(report.applied)"]) }
                } catch {
                    logger.info("corrections not fetched", metadata: ["error": "\(error)"])
                }
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
