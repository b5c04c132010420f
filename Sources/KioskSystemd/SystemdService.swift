import Logging
import ServiceLifecycle

/// Tells systemd the kiosk is ready, feeds its watchdog while the kiosk is alive, and says when it
/// is stopping. One service in `kiosk run`'s service group; a no-op without `NOTIFY_SOCKET`.
///
/// The watchdog is fed only while `isAlive` says so: a kiosk whose store stopped answering lets the
/// watchdog expire, and systemd restarts it (`Restart=on-failure`), rather than hanging silently.
public struct SystemdService: Service {
    let notifier: SystemdNotifier?
    let status: @Sendable () -> String
    let isAlive: @Sendable () async -> Bool
    let logger: Logger

    public init(notifier: SystemdNotifier?, logger: Logger,
                status: @escaping @Sendable () -> String = { "running" },
                isAlive: @escaping @Sendable () async -> Bool = { true }) {
        self.notifier = notifier
        self.status = status
        self.isAlive = isAlive
        self.logger = logger
    }

    public func run() async throws {
        guard let notifier else {
            // Not under systemd: stay until shutdown (a service group ends when one service returns).
            try? await gracefulShutdown()
            return
        }
        notify(notifier, "READY=1\nSTATUS=\(status())")
        if let interval = notifier.watchdogInterval {
            logger.info("systemd watchdog armed", metadata: ["interval": "\(interval)"])
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                if await isAlive() {
                    notify(notifier, "WATCHDOG=1")
                } else {
                    logger.error("not feeding the systemd watchdog: the kiosk is not answering")
                }
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            }
        } else {
            try? await gracefulShutdown()
        }
        notify(notifier, "STOPPING=1")
    }

    private func notify(_ notifier: SystemdNotifier, _ state: String) {
        do {
            try notifier.send(state)
        } catch {
            logger.warning("\(error.description)")
        }
    }
}
