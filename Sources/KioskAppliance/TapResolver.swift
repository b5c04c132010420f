import KioskCore
import KioskReaders
import KioskStore

/// What a tap means for the kiosk once the store has been asked: the decision the screen, the
/// engine and the reader's feedback act on.
public enum TapVerdict: Equatable, Sendable {
    /// A member, known by a card bound here (or by a signed token for a card bound nowhere here).
    case member(MemberID, card: CardID, boundHere: Bool)
    /// A staff card: the operator it opens a staff session for (after the PIN).
    case staff(StaffLookup)
    /// A staff card that is blocked, or whose operator is no longer active.
    case staffRefused(OperatorID, card: CardID)
    /// A credential the readers trust, on a card no member has here.
    case unknownCard(CardID)
    /// A signed token for a member this store does not know (the central may: the sync asks it).
    case notKnownHere(MemberID, card: CardID)
    /// The card or its member is blocked.
    case blocked(MemberID, card: CardID)
    /// A signed token naming one member on a card bound to another.
    case tokenMismatch(token: MemberID, boundTo: MemberID, card: CardID)
    /// A forged or replayed credential: a token whose signature fails, a SUN message whose MAC
    /// fails or whose counter was seen before (a cloned card).
    case forged(String)
    /// The reader refused the card, or could not read it to the end.
    case refused(String)
    case unreadable(String)
}

/// Resolves taps against the store.
public struct TapResolver: Sendable {
    public let store: KioskStore

    public init(store: KioskStore) { self.store = store }

    public func resolve(_ outcome: TapOutcome) throws(StoreError) -> TapVerdict {
        switch outcome {
        case .refused(let refusal):
            switch refusal {
            case .badToken, .badSUN: return .forged(refusal.description)
            default: return .refused(refusal.description)
            }
        case .failed(let failure):
            return .unreadable(failure.description)
        case .identified(let credential):
            let card = credential.cardID
            if let staff = try store.staff(byCard: card) {
                return staff.refused ? .staffRefused(staff.operatorID, card: card) : .staff(staff)
            }
            let lookup = try store.member(byCard: card)
            if case .memberToken(let member, _) = credential {
                guard let lookup else {
                    // A card bound nowhere here: the token's member decides, if this store has them.
                    switch try store.memberStatus(member) {
                    case nil: return .notKnownHere(member, card: card)
                    case "active"?: return .member(member, card: card, boundHere: false)
                    default: return .blocked(member, card: card)
                    }
                }
                guard lookup.memberID == member else {
                    return .tokenMismatch(token: member, boundTo: lookup.memberID, card: card)
                }
            }
            guard let lookup else { return .unknownCard(card) }
            if lookup.cardBlocked || lookup.memberStatus != "active" { return .blocked(lookup.memberID, card: card) }
            return .member(lookup.memberID, card: card, boundHere: true)
        }
    }
}

extension TapVerdict {
    /// What the reader's LED and buzzer say for this verdict: only a member the kiosk greets
    /// hears "accepted".
    public var signal: ReaderFeedback.Signal {
        switch self {
        case .member, .staff: .accepted
        case .staffRefused, .unknownCard, .notKnownHere, .blocked, .tokenMismatch, .forged, .refused: .refused
        case .unreadable: .error
        }
    }
}

extension TapResolver {
    /// The reader feedback of a tap, decided by its verdict; a store that cannot answer is an
    /// error, never an "accepted".
    public func signal(for tap: Tap) -> ReaderFeedback.Signal {
        do { return try resolve(tap.outcome).signal } catch { return .error }
    }
}
