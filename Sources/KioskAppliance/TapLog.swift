import KioskReaders
import Logging

/// Every tap in the log, by ids only: the card's id, the member's id, the reader; never a name,
/// a token or a key.
enum TapLog {
    static func log(_ tap: Tap, verdict: TapVerdict?, logger: Logger) {
        // The identification id is the one stored with the SDM counter a SUN message consumed.
        var metadata: Logger.Metadata = ["reader": "\(tap.reader)", "kind": "\(tap.kind.rawValue)", "apdus": "\(tap.apdus)",
                                         "identification": "\(tap.identification)"]
        guard let verdict else { return }  // the store failure is logged where it happened
        switch verdict {
        case .member(let member, let card, let boundHere):
            metadata["member"] = "\(member)"
            metadata["card"] = "\(card)"
            logger.info(boundHere ? "tap: member identified" : "tap: member identified by a signed token (card not bound at this kiosk)",
                        metadata: metadata)
        case .staff(let staff):
            metadata["operator"] = "\(staff.operatorID)"
            metadata["role"] = "\(staff.role.rawValue)"
            logger.info("tap: staff card", metadata: metadata)
        case .staffRefused(let operatorID, let card):
            metadata["operator"] = "\(operatorID)"
            metadata["card"] = "\(card)"
            logger.notice("tap: staff card refused (blocked, or the operator is not active)", metadata: metadata)
        case .unknownCard(let card):
            metadata["card"] = "\(card)"
            logger.info("tap: card not enrolled", metadata: metadata)
        case .notKnownHere(let member, let card):
            metadata["member"] = "\(member)"
            metadata["card"] = "\(card)"
            logger.info("tap: signed token for a member not known here", metadata: metadata)
        case .blocked(let member, let card):
            metadata["member"] = "\(member)"
            metadata["card"] = "\(card)"
            logger.notice("tap: card or member blocked", metadata: metadata)
        case .tokenMismatch(let token, let boundTo, let card):
            metadata["member"] = "\(token)"
            metadata["bound_to"] = "\(boundTo)"
            metadata["card"] = "\(card)"
            logger.notice("tap: refused, the token names another member than the card is bound to", metadata: metadata)
        case .forged(let reason):
            metadata["reason"] = "\(reason)"
            logger.notice("tap: refused, a forged or replayed credential", metadata: metadata)
        case .refused(let reason):
            metadata["reason"] = "\(reason)"
            logger.notice("tap: card refused", metadata: metadata)
        case .unreadable(let reason):
            metadata["reason"] = "\(reason)"
            logger.notice("tap: card not read", metadata: metadata)
        }
    }
}
