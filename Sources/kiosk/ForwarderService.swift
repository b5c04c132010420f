import Foundation
import KioskCore
import KioskStore
import KioskSync
import Logging
import ServiceLifecycle

/// The central in `kiosk run`'s service group, when one is configured: the outbox's forwarder
/// (what the kiosk committed, in order, at least once, backing off while the central is away;
/// delivered events pruned after the retention), and every minute configuration sync and
/// corrections (docs/central.md). A program the central activates is written where `kiosk run`
/// loads it from, and `activated` asks the session to serve it at its next idle moment. The
/// client is closed when the service ends.
struct CentralService: Service {
    let sync: SyncService
    let client: CentralClient

    static func make(_ store: KioskStore, client: CentralClient, branch: BranchID, logger: Logger,
                     activated: @escaping @Sendable () -> Void = {}) -> CentralService {
        let directory = CentralFiles.directory(forDatabase: store.path)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let sync = SyncService(
            forwarder: Forwarder(store: store, uploader: client, statePath: ForwarderState.path(forDatabase: store.path), logger: logger),
            configuration: ConfigurationSync(directory: directory, source: client),
            corrections: CorrectionSync(store: store, client: client, branch: branch, cursorPath: directory + "/corrections.cursor"),
            logger: logger,
            onConfiguration: { outcome in
                if case .activated(let version) = outcome {
                    logger.notice("the central's configuration is served from the kiosk's next idle moment", metadata: ["version": "\(version)"])
                    activated()
                }
            })
        return CentralService(sync: sync, client: client)
    }

    func run() async throws {
        do {
            try await sync.run()
        } catch {
            try? await client.shutdown()  // the service's own error is the one to report
            throw error
        }
        try await client.shutdown()
    }
}

/// Where the central's files for a kiosk live: beside its database.
enum CentralFiles {
    static func directory(forDatabase path: String) -> String {
        ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("central")
    }
}
