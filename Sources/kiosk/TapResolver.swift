import KioskCore
import KioskReaders
import KioskStore

/// What a tap means for the kiosk once the store has been asked: the decision the screen, the
/// engine and the reader's feedback act on.
enum TapVerdict: Equatable, Sendable {
    /// A member, known by a card bound here (or by a signed token for a card bound nowhere here).
    case member(MemberID, card: CardID, boundHere: Bool)
    /// A credential the readers trust, on a card no member has here.
    case unknownCard(CardID)
    /// The card or its member is blocked.
    case blocked(MemberID, card: CardID)
    /// A signed token naming one member on a card bound to another.
    case tokenMismatch(token: MemberID, boundTo: MemberID, card: CardID)
    /// The reader refused the card, or could not read it to the end.
    case refused(String)
    case unreadable(String)
}

/// Resolves taps against the store.
struct TapResolver {
    let store: KioskStore

    func resolve(_ outcome: TapOutcome) throws(StoreError) -> TapVerdict {
        switch outcome {
        case .refused(let refusal):
            return .refused(refusal.description)
        case .failed(let failure):
            return .unreadable(failure.description)
        case .identified(let credential):
            let card = credential.cardID
            let lookup = try store.member(byCard: card)
            if case .memberToken(let member, _) = credential {
                guard let lookup else { return .member(member, card: card, boundHere: false) }
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
