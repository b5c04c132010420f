import Foundation
import KioskReaders
import KioskStore
import Logging
import ServiceLifecycle

/// The readers inside `kiosk run`: every tap is identified by the reader service, then resolved to
/// a member through the store, and logged by ids only (never personal data). The screen and the
/// loyalty engine consume the same taps when the appliance's orchestration lands.
struct ReaderWatch: Service {
    let service: ReaderService
    let store: KioskStore
    let logger: Logger

    func run() async throws {
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
        case .cardRemoved(let name):
            logger.debug("card removed", metadata: ["reader": "\(name)"])
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
        case .tap(let tap):
            handle(tap)
        }
    }

    private func handle(_ tap: Tap) {
        var metadata: Logger.Metadata = ["reader": "\(tap.reader)", "kind": "\(tap.kind.rawValue)", "apdus": "\(tap.apdus)"]
        let verdict: TapVerdict
        do {
            verdict = try TapResolver(store: store).resolve(tap.outcome)
        } catch {
            metadata["error"] = "\(error)"
            logger.error("tap: store lookup failed", metadata: metadata)
            return
        }
        switch verdict {
        case .member(let member, let card, let boundHere):
            metadata["member"] = "\(member)"
            metadata["card"] = "\(card)"
            logger.info(boundHere ? "tap: member identified" : "tap: member identified by a signed token (card not bound at this kiosk)",
                        metadata: metadata)
        case .unknownCard(let card):
            metadata["card"] = "\(card)"
            logger.info("tap: card not enrolled", metadata: metadata)
        case .blocked(let member, let card):
            metadata["member"] = "\(member)"
            metadata["card"] = "\(card)"
            logger.notice("tap: card or member blocked", metadata: metadata)
        case .tokenMismatch(let token, let boundTo, let card):
            metadata["member"] = "\(token)"
            metadata["bound_to"] = "\(boundTo)"
            metadata["card"] = "\(card)"
            logger.notice("tap: refused, the token names another member than the card is bound to", metadata: metadata)
        case .refused(let reason):
            metadata["reason"] = "\(reason)"
            logger.notice("tap: card refused", metadata: metadata)
        case .unreadable(let reason):
            metadata["reason"] = "\(reason)"
            logger.notice("tap: card not read", metadata: metadata)
        }
    }
}
