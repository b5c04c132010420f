import Dispatch
import Foundation
import KioskSession
import Logging
import ServiceLifecycle

/// SIGHUP as the reload signal of a service (`systemctl reload kiosk` sends it, once the kiosk
/// said READY=1): the session is told the configuration changed and reads the program again at
/// its next idle moment. From the moment this exists the signal's default action (ending the
/// process) is set aside and every SIGHUP is taken; the service ends with the service group.
public struct ReloadOnHangup: Service {
    private let source: Box

    public init(driver: SessionDriver, logger: Logger) {
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler {
            logger.notice("SIGHUP: the program is read again when the kiosk is idle")
            _ = driver.submit(.configurationChanged)
        }
        source.resume()
        self.source = Box(source)
    }

    public func run() async throws {
        // Until the service group stops (graceful shutdown or cancellation).
        try? await gracefulShutdown()
        source.source.cancel()
    }

    /// The dispatch source, set up once and cancelled once.
    private final class Box: @unchecked Sendable {
        let source: any DispatchSourceSignal
        init(_ source: any DispatchSourceSignal) { self.source = source }
    }
}
