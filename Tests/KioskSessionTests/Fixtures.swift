import Foundation
import KioskCore
import Testing
@testable import KioskSession

let t0 = Date(timeIntervalSince1970: 1_795_000_000)

let ali = MemberView(id: "m-ali", displayName: "علی رضایی", balances: Balances(points: 1200, coins: 30),
                     tier: "silver", spin: SpinAvailability(freeSpins: 0, costInCoins: 10))
let sara = MemberView(id: "m-sara", displayName: "Sara", balances: Balances(points: 5, coins: 0),
                      spin: SpinAvailability(freeSpins: 0, costInCoins: 10))
let cashier = StaffView(id: "op-cash", displayName: "Reza", role: .cashier)
let enroller = StaffView(id: "op-enr", displayName: "Neda", role: .enroller)
let technician = StaffView(id: "op-tech", displayName: "Tech", role: .technician)

let outcome = SpinOutcome(segment: 3, segmentCount: 8, prize: "50 coins", won: true, auditRecord: "spin-1")

/// A card on a reader; one no one holds is blank unless `newCard` says otherwise.
func tap(_ identity: Identity, card: CardID? = "uid:04A1", reader: String = "R1", newCard: NewCard? = .blank, at: Date) -> SessionInput {
    .presented(Presentation(source: .reader(reader), card: card, identity: identity, at: at, newCard: newCard))
}

extension Array where Element == SessionEffect {
    var requests: [(RequestID, SessionRequest)] {
        compactMap { if case .perform(let id, let request) = $0 { (id, request) } else { nil } }
    }
    var screens: [SessionScreen] {
        compactMap { if case .show(let screen) = $0 { screen } else { nil } }
    }
    var feedback: [Feedback] {
        compactMap { if case .feedback(_, let feedback) = $0 { feedback } else { nil } }
    }
    var audits: [String] {
        compactMap { if case .audit(let audit) = $0 { audit.action } else { nil } }
    }
}

/// Logs `staff` in with PIN 1234 (answered correct) and returns the session at the menu.
func loggedIn(_ staff: StaffView, at time: Date = t0) throws -> Session {
    var session = Session()
    _ = session.step(tap(.staff(staff), card: "uid:STAFF", at: time), now: time)
    for digit: UInt8 in [1, 2, 3, 4] { _ = session.step(.key(.digit(digit), at: time), now: time) }
    let (request, _) = try #require(session.step(.key(.enter, at: time), now: time).requests.first)
    _ = session.step(.completed(request, .pinChecked(correct: true)), now: time)
    return session
}
