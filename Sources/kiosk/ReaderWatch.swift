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
        case .cardMute(let name):
            logger.notice("card does not answer", metadata: ["reader": "\(name)"])
        case .tap(let tap):
            handle(tap)
        }
    }

    private func handle(_ tap: Tap) {
        var metadata: Logger.Metadata = ["reader": "\(tap.reader)", "kind": "\(tap.kind.rawValue)", "apdus": "\(tap.apdus)"]
        switch tap.outcome {
        case .identified(let credential):
            metadata["card"] = "\(credential.cardID)"
            do {
                let lookup = try store.member(byCard: credential.cardID)
                if case .memberToken(let member, _) = credential {
                    metadata["member"] = "\(member)"
                    // A signed token names its member; the card it sits on must not be bound to
                    // someone else here (a token copied onto another member's card).
                    if let lookup, lookup.memberID != member {
                        metadata["bound_to"] = "\(lookup.memberID)"
                        logger.notice("tap: refused, the token names another member than the card is bound to", metadata: metadata)
                        return
                    }
                    if lookup == nil {
                        logger.info("tap: member identified by a signed token (card not bound at this kiosk)", metadata: metadata)
                        return
                    }
                }
                guard let lookup else {
                    logger.info("tap: card not enrolled", metadata: metadata)
                    return
                }
                metadata["member"] = "\(lookup.memberID)"
                if lookup.cardBlocked || lookup.memberStatus != "active" {
                    logger.notice("tap: card or member blocked", metadata: metadata)
                } else {
                    logger.info("tap: member identified", metadata: metadata)
                }
            } catch {
                metadata["error"] = "\(error)"
                logger.error("tap: store lookup failed", metadata: metadata)
            }
        case .refused(let refusal):
            metadata["reason"] = "\(refusal)"
            logger.notice("tap: card refused", metadata: metadata)
        case .failed(let failure):
            metadata["reason"] = "\(failure)"
            logger.notice("tap: card not read", metadata: metadata)
        }
    }
}
