import Dispatch
import Foundation
import KioskSession
import Logging
import ServiceLifecycle

/// SIGHUP as the reload signal of a service (`systemctl reload kiosk` sends it): the session is
/// told the configuration changed and reads the program again at its next idle moment. The
/// signal's default action (ending the process) is set aside from the moment this exists.
public struct ReloadOnHangup: Service {
    let driver: SessionDriver
    let logger: Logger

    public init(driver: SessionDriver, logger: Logger) {
        self.driver = driver
        self.logger = logger
        signal(SIGHUP, SIG_IGN)
    }

    public func run() async throws {
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [driver, logger] in
            logger.notice("SIGHUP: the program is read again when the kiosk is idle")
            _ = driver.submit(.configurationChanged)
        }
        source.resume()
        defer { source.cancel() }
        // Until the service group stops (graceful shutdown or cancellation).
        try? await gracefulShutdown()
    }
}
