import Foundation
import KioskCore
import KioskReaders
import KioskSession
import Logging

/// A tap as the session takes it: who the card belongs to, decided with the store. Runs on the
/// reader's worker thread (the store's synchronous reads are fine there, off the cooperative pool).
public struct Presentations: Sendable {
    public let resolver: TapResolver
    public let members: MemberViews
    let logger: Logger

    public init(resolver: TapResolver, members: MemberViews, logger: Logger) {
        self.resolver = resolver
        self.members = members
        self.logger = logger
    }

    public func presentation(of tap: Tap, at now: Date) -> KioskSession.Presentation {
        let (verdict, identity) = identify(tap, at: now)
        TapLog.log(tap, verdict: verdict, logger: logger)
        let blank = Self.blankCard(tap)
        return KioskSession.Presentation(source: .reader(tap.reader), card: blank ?? verdict?.card, identity: identity, at: now,
                                         newCard: Self.newCard(tap, verdict: verdict, blank: blank))
    }

    /// How a card no one holds can become a member's: a blank card that can take a token gets one
    /// (even where its bare UID is trusted: a signed token is the stronger credential); a card
    /// that identifies itself with what the readers trust (a bare UID where accepted, a SUN
    /// message) is taken as it is. A card carrying a member's token, or anything else, cannot.
    static func newCard(_ tap: Tap, verdict: TapVerdict?, blank: CardID?) -> NewCard? {
        switch verdict {
        case .refused?, .unknownCard?: break  // no one holds it
        default: return nil
        }
        if blank != nil { return .blank }
        guard case .identified(let credential) = tap.outcome else { return nil }
        switch credential {
        case .bareUID, .sun: return .selfIdentifying
        case .memberToken: return nil
        }
    }

    /// A card that carries nothing (no NDEF record) but has a UID: a blank card, which staff
    /// may enroll (its card id is its UID's). A card carrying anything is never called blank,
    /// so enrollment never writes over another system's data.
    static func blankCard(_ tap: Tap) -> CardID? {
        let carriesNothing: Bool = switch tap.outcome {
        case .refused(let refusal): refusal == .noCredential || refusal == .bareUIDNotAccepted
        case .identified(.bareUID): true  // nothing but its UID, trusted here as a credential
        default: false
        }
        guard carriesNothing, tap.ndef.isEmpty, let uid = tap.uid, tap.kind == .ultralightOrNTAG || tap.kind == .iso14443_4 else { return nil }
        return CardCredential.uidCardID(uid)
    }

    func identify(_ tap: Tap, at now: Date) -> (TapVerdict?, Identity) {
        let verdict: TapVerdict
        do { verdict = try resolver.resolve(tap.outcome) } catch {
            logger.error("tap: store lookup failed", metadata: ["reader": "\(tap.reader)", "error": "\(error)"])
            return (nil, .unreadable)
        }
        switch verdict {
        case .member(let member, _, _):
            do { return (verdict, .member(try members.view(of: member, at: now))) } catch {
                logger.error("tap: the member's balances could not be read", metadata: ["member": "\(member)", "error": "\(error)"])
                return (verdict, .unreadable)
            }
        case .staff(let staff):
            return (verdict, .staff(StaffView(id: staff.operatorID, displayName: staff.displayName, role: staff.role)))
        case .staffRefused: return (verdict, .blocked)
        case .unknownCard, .notKnownHere: return (verdict, .unknown)
        case .blocked: return (verdict, .blocked)
        case .tokenMismatch: return (verdict, .cloned)
        case .forged: return (verdict, .cloned)
        case .refused: return (verdict, .unknown)
        case .unreadable: return (verdict, .unreadable)
        }
    }
}

extension TapVerdict {
    var card: CardID? {
        switch self {
        case .staff(let staff): staff.cardID
        case .member(_, let card, _), .staffRefused(_, let card), .unknownCard(let card), .notKnownHere(_, let card), .blocked(_, let card),
             .tokenMismatch(_, _, let card): card
        case .forged, .refused, .unreadable: nil
        }
    }
}

extension Presentations {
    /// A member named by a scanned member QR (its signature already verified by the scan's
    /// reading), as the session takes them.
    public func identify(member: MemberID, at now: Date) -> Identity {
        do {
            switch try resolver.store.memberStatus(member) {
            case nil: return .unknown
            case "active"?: return .member(try members.view(of: member, at: now))
            default: return .blocked
            }
        } catch {
            logger.error("scan: the member could not be read", metadata: ["member": "\(member)", "error": "\(error)"])
            return .unreadable
        }
    }
}
