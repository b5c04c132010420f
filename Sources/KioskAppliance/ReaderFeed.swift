import Foundation
import KioskReaders
import KioskSession
import Logging
import ServiceLifecycle

/// The card readers in the kiosk's service group. Taps reach the session from the readers'
/// worker threads through `judge` (so the LED and buzzer say what the session decided); this
/// service reports the readers' other events, and a card taken off a reader as `.lifted`.
public struct ReaderFeed: Service {
    public let service: ReaderService
    public let driver: SessionDriver
    let logger: Logger

    public init(service: ReaderService, driver: SessionDriver, logger: Logger) {
        self.service = service
        self.driver = driver
        self.logger = logger
    }

    /// The reader service's judge for a kiosk: the tap resolved with the store, handed to the
    /// session, and the feedback the session decided for it.
    public static func judge(presentations: Presentations, driver: SessionDriver) -> TapJudge {
        { tap in
            let now = Date()
            // When the card arrived, not when its read ended: the session drops what is stale.
            let arrived = tap.elapsed.map { now.addingTimeInterval(-$0.seconds) } ?? now
            var presentation = presentations.presentation(of: tap, at: now)
            presentation.at = min(arrived, now)
            return driver.submit(.presented(presentation))[tap.reader].map { $0 == .accepted ? .accepted : .refused }
        }
    }

    public func run() async throws {
        let events = service.events()
        await withTaskCancellationOrGracefulShutdownHandler {
            for await event in events { handle(event) }
        } onCancelOrGracefulShutdown: {
            service.stop()
        }
    }

    private func handle(_ event: ReaderServiceEvent) {
        switch event {
        case .connected:
            logger.info("pcscd connected")
        case .disconnected(let why):
            logger.warning("pcscd unreachable; retrying", metadata: ["reason": "\(why)"])
        case .readerAdded(let name):
            logger.info("reader added", metadata: ["reader": "\(name)"])
        case .readerRemoved(let name):
            logger.info("reader removed", metadata: ["reader": "\(name)"])
            driver.submit(.lifted(reader: name, at: Date()))
        case .cardRemoved(let name):
            logger.debug("card removed", metadata: ["reader": "\(name)"])
            driver.submit(.lifted(reader: name, at: Date()))
        case .readerBusy(let name):
            logger.notice("reader held by another process; retrying", metadata: ["reader": "\(name)"])
        case .readerStuck(let name):
            logger.warning("card presented while the reader's last read is still stuck in its driver; it is read when that call returns",
                           metadata: ["reader": "\(name)"])
        case .cardMute(let name):
            logger.notice("card does not answer", metadata: ["reader": "\(name)"])
        case .feedbackUnavailable(let name, let why):
            logger.warning("reader refuses its LED/buzzer commands; no more feedback on it until it is plugged again (docs/cards.md)",
                           metadata: ["reader": "\(name)", "reason": "\(why)"])
        case .tap:
            break  // already handed to the session by the judge, and logged there
        }
    }
}
