import Foundation
import KioskCore
import Testing
@testable import KioskSession

@Suite struct StaffFlowTests {
    func enterPIN(_ session: inout Session, at time: Date) -> [SessionEffect] {
        for digit: UInt8 in [9, 9, 9, 9] { _ = session.step(.key(.digit(digit), at: time), now: time) }
        return session.step(.key(.enter, at: time), now: time)
    }

    @Test func aStaffCardAsksForThePINOnTheKeypad() {
        var session = Session()
        let effects = session.step(tap(.staff(cashier), at: t0), now: t0)
        #expect(effects.feedback == [.accepted])
        #expect(effects.screens == [.pinEntry(staffName: "Reza", digitsTyped: 0, message: nil)])
        #expect(effects.contains(.keypad(enabled: true)))
    }

    @Test func thePINIsShownMaskedAndNeverPrinted() throws {
        var session = Session()
        _ = session.step(tap(.staff(cashier), at: t0), now: t0)
        #expect(session.step(.key(.digit(4), at: t0), now: t0).screens == [.pinEntry(staffName: "Reza", digitsTyped: 1, message: nil)])
        _ = session.step(.key(.digit(7), at: t0), now: t0)
        #expect(session.step(.key(.backspace, at: t0), now: t0).screens == [.pinEntry(staffName: "Reza", digitsTyped: 1, message: nil)])
        #expect(session.step(.key(.enter, at: t0), now: t0).requests.isEmpty, "too short to check")
        for digit: UInt8 in [1, 5, 9] { _ = session.step(.key(.digit(digit), at: t0), now: t0) }
        let (_, verify) = try #require(session.step(.key(.enter, at: t0), now: t0).requests.first)
        #expect(verify == .verifyPIN(staff: "op-cash", pin: PIN(digits: [4, 1, 5, 9])))
        for text in ["\(verify)", String(reflecting: verify), "\(PIN(digits: [4, 1, 5, 9]))"] {
            #expect(!text.contains("4159") && !text.contains("4, 1, 5, 9"), "\(text)")
        }
    }

    @Test func theRightPINOpensTheMenuOfTheRoleAndIsAudited() throws {
        var session = Session()
        _ = session.step(tap(.staff(cashier), at: t0), now: t0)
        for digit: UInt8 in [1, 2, 3, 4] { _ = session.step(.key(.digit(digit), at: t0), now: t0) }
        let (request, _) = try #require(session.step(.key(.enter, at: t0), now: t0).requests.first)
        let effects = session.step(.completed(request, .pinChecked(correct: true)), now: t0 + 1)
        #expect(effects.audits == ["staff.login"])
        #expect(effects.screens == [.staffMenu(cashier, actions: [.recordPurchase, .recordReturn, .redeemVoucher, .redeemGift])])
        #expect(!cashier.actions.contains(.enroll) && !cashier.actions.contains(.adjustBalance))
        #expect(!enroller.actions.contains(.recordPurchase))
    }

    @Test func threeWrongPINsLockTheCardForAWhile() throws {
        var session = Session()
        for attempt in 0..<3 {
            let time = t0 + Double(attempt)
            if attempt == 0 { _ = session.step(tap(.staff(cashier), at: time), now: time) }
            let (request, _) = try #require(enterPIN(&session, at: time).requests.first)
            let answered = session.step(.completed(request, .pinChecked(correct: false)), now: time)
            #expect(answered.audits.contains("staff.wrong_pin"))
            if attempt < 2 {
                #expect(answered.screens == [.pinEntry(staffName: "Reza", digitsTyped: 0, message: .wrongPIN(triesLeft: 2 - attempt))])
            } else {
                #expect(answered.audits.contains("staff.locked"))
                #expect(answered.screens == [.refusal(.staffCardLocked(until: t0 + 2 + 300))])
            }
        }
        let locked = session.step(tap(.staff(cashier), at: t0 + 100), now: t0 + 100)
        #expect(locked.feedback == [.refused])
        #expect(locked.screens == [.refusal(.staffCardLocked(until: t0 + 302))])
        #expect(locked.audits == ["staff.locked_card_tapped"])
        _ = session.step(.tick, now: t0 + 302)
        let unlocked = session.step(tap(.staff(cashier), at: t0 + 303), now: t0 + 303)
        #expect(unlocked.screens == [.pinEntry(staffName: "Reza", digitsTyped: 0, message: nil)])
    }

    @Test func aTechnicianGoesStraightToDiagnosticsWhichCarriesNoMemberData() throws {
        var session = try loggedIn(technician)
        #expect(session.screen == .diagnostics(technician, nil))
        // The diagnostics screen value has room for no member: a member's tap is refused there.
        let tapped = session.step(tap(.member(ali), reader: "R2", at: t0 + 1), now: t0 + 1)
        #expect(tapped.feedback == [.refused])
        #expect(tapped.screens.isEmpty)
        #expect(session.screen == .diagnostics(technician, nil))
    }

    @Test func theDiagnosticsAreReadOnEntryAndAgainWhileShown() throws {
        var session = Session()
        _ = session.step(tap(.staff(technician), at: t0), now: t0)
        for digit in [UInt8(1), 2, 3, 4] { _ = session.step(.key(.digit(digit), at: t0), now: t0) }
        let (verify, _) = try #require(session.step(.key(.enter, at: t0), now: t0).requests.first)
        let entered = session.step(.completed(verify, .pinChecked(correct: true)), now: t0)
        #expect(entered.screens == [.diagnostics(technician, nil)])
        let (first, read) = try #require(entered.requests.first)
        #expect(read == .readDiagnostics)
        let view = DiagnosticsView(rows: [.init(.outbox, "3 waiting", ok: true)])
        #expect(session.step(.completed(first, .diagnostics(view)), now: t0 + 0.1).screens == [.diagnostics(technician, view)])
        // Not asked again before the refresh interval; then once, while the read is under way.
        #expect(session.step(.tick, now: t0 + 1.5).requests.isEmpty)
        let (second, again) = try #require(session.step(.tick, now: t0 + 2.1).requests.first)
        #expect(again == .readDiagnostics)
        #expect(session.step(.tick, now: t0 + 4.5).requests.isEmpty, "one read at a time")
        // The same answer draws nothing new; a changed one is shown.
        #expect(session.step(.completed(second, .diagnostics(view)), now: t0 + 4.6).screens.isEmpty)
        let (third, _) = try #require(session.step(.tick, now: t0 + 6.6).requests.first)
        let later = DiagnosticsView(rows: [.init(.outbox, "0 waiting", ok: true)])
        #expect(session.step(.completed(third, .diagnostics(later)), now: t0 + 6.7).screens == [.diagnostics(technician, later)])
        // An answer to a read no longer awaited is dropped.
        #expect(session.step(.completed(first, .diagnostics(view)), now: t0 + 6.8).screens.isEmpty)
        #expect(session.screen == .diagnostics(technician, later))
        // A read that never answers is asked anew after the operation timeout.
        let (lost, _) = try #require(session.step(.tick, now: t0 + 8.8).requests.first)
        #expect(session.step(.tick, now: t0 + 20).requests.isEmpty)
        let (retried, _) = try #require(session.step(.tick, now: t0 + 31).requests.first)
        #expect(retried != lost)
    }

    @Test func enrollmentWritesTheTokenThenTakesThePhone() throws {
        var session = try loggedIn(enroller)
        #expect(session.step(.key(.digit(1), at: t0 + 1), now: t0 + 1).screens == [.staffStep(enroller, .enrollTapBlankCard)])
        let blank = session.step(tap(.unknown, card: "uid:04BLANK", reader: "R1", at: t0 + 2), now: t0 + 2)
        #expect(blank.feedback == [.accepted])
        let (writeID, write) = try #require(blank.requests.first)
        #expect(write == .prepareNewCard(reader: "R1", card: "uid:04BLANK", .blank))
        #expect(!blank.contains(.keypad(enabled: false)), "the keypad stays with staff for the whole session")
        let written = session.step(.completed(writeID, .cardPrepared(member: "m-new")), now: t0 + 3)
        #expect(written.screens == [.staffStep(enroller, .enrollContact(typed: ""))])
        for digit in "09121234567" { _ = session.step(.key(.digit(UInt8(String(digit))!), at: t0 + 4), now: t0 + 4) }
        let (enrollID, enroll) = try #require(session.step(.key(.enter, at: t0 + 5), now: t0 + 5).requests.first)
        #expect(enroll == .enroll(Enrollment(member: "m-new", card: "uid:04BLANK", phone: "09121234567", source: nil,
                                             referralCode: nil, staff: "op-enr", at: t0 + 5)))
        let done = session.step(.completed(enrollID, .enrolled("m-new")), now: t0 + 6)
        #expect(done.audits == ["staff.enroll"])
        #expect(done.screens == [.staffStep(enroller, .enrolled("m-new"))])
        #expect(session.step(.key(.enter, at: t0 + 7), now: t0 + 7).screens == [.staffMenu(enroller, actions: enroller.actions)])
    }

    @Test func anImplausiblePhoneIsNotSubmitted() throws {
        var session = try loggedIn(enroller)
        _ = session.step(.key(.digit(1), at: t0), now: t0)
        let (writeID, _) = try #require(session.step(tap(.unknown, card: "uid:B", at: t0), now: t0).requests.first)
        _ = session.step(.completed(writeID, .cardPrepared(member: "m-new")), now: t0)
        for digit: UInt8 in [9, 1, 2] { _ = session.step(.key(.digit(digit), at: t0), now: t0) }
        #expect(session.step(.key(.enter, at: t0), now: t0).requests.isEmpty)
    }

    @Test func anEnrollmentLinkScannedRecordsItsSourceAndReferral() throws {
        var session = try loggedIn(enroller)
        _ = session.step(.key(.digit(1), at: t0), now: t0)
        let (writeID, _) = try #require(session.step(tap(.unknown, card: "uid:B", at: t0), now: t0).requests.first)
        // A scan while the token is written is not taken for the contact.
        #expect(session.step(.scanned(.enrollmentLink(source: "early", referralCode: "X"), at: t0), now: t0).isEmpty)
        _ = session.step(.completed(writeID, .cardPrepared(member: "m-new")), now: t0)
        let scanned = session.step(.scanned(.enrollmentLink(source: "instagram-1405", referralCode: "ALI-7"), at: t0 + 1), now: t0 + 1)
        let (_, enroll) = try #require(scanned.requests.first)
        #expect(enroll == .enroll(Enrollment(member: "m-new", card: "uid:B", phone: nil, source: "instagram-1405",
                                             referralCode: "ALI-7", staff: "op-enr", at: t0 + 1)))
    }

    @Test func aCardThatIdentifiesItselfIsEnrolledAsItIs() throws {
        // A MIFARE Classic card where bare UIDs are trusted: nothing to write, the card is bound by its UID.
        var session = try loggedIn(enroller)
        _ = session.step(.key(.digit(1), at: t0), now: t0)
        let tapped = session.step(tap(.unknown, card: "uid:0A0B0C0D", reader: "R2", newCard: .selfIdentifying, at: t0 + 1), now: t0 + 1)
        #expect(tapped.feedback == [.accepted])
        let (prepareID, prepare) = try #require(tapped.requests.first)
        #expect(prepare == .prepareNewCard(reader: "R2", card: "uid:0A0B0C0D", .selfIdentifying))
        #expect(session.step(.completed(prepareID, .cardPrepared(member: "m-new")), now: t0 + 2).screens
            == [.staffStep(enroller, .enrollContact(typed: ""))])
        for digit in "09121234567" { _ = session.step(.key(.digit(UInt8(String(digit))!), at: t0 + 3), now: t0 + 3) }
        let (_, enroll) = try #require(session.step(.key(.enter, at: t0 + 4), now: t0 + 4).requests.first)
        #expect(enroll == .enroll(Enrollment(member: "m-new", card: "uid:0A0B0C0D", phone: "09121234567", source: nil,
                                             referralCode: nil, staff: "op-enr", at: t0 + 4)))
    }

    @Test func aCardThatCanBecomeNoOnesIsRefusedAtEnrollment() throws {
        // Another system's card, or a MIFARE Classic where bare UIDs are not trusted.
        for card: CardID? in ["uid:0A0B0C0D", nil] {
            var session = try loggedIn(enroller)
            _ = session.step(.key(.digit(1), at: t0), now: t0)
            let tapped = session.step(tap(.unknown, card: card, newCard: nil, at: t0 + 1), now: t0 + 1)
            #expect(tapped.feedback == [.refused])
            #expect(tapped.requests.isEmpty, "nothing is written or bound")
            #expect(tapped.screens == [.staffStep(enroller, .refused(.cardNotEnrollable))])
        }
    }

    @Test func aMembersCardCannotBeEnrolledAgain() throws {
        var session = try loggedIn(enroller)
        _ = session.step(.key(.digit(1), at: t0), now: t0)
        let tapped = session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1)
        #expect(tapped.feedback == [.refused])
        #expect(tapped.requests.isEmpty)
        #expect(tapped.screens == [.staffStep(enroller, .refused(.cardAlreadyEnrolled))])
    }

    @Test func aCashierRecordsAPurchaseTypedInToman() throws {
        var session = try loggedIn(cashier)
        #expect(session.step(.key(.digit(1), at: t0), now: t0).screens == [.staffStep(cashier, .identifyMember(.recordPurchase))])
        #expect(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).screens == [.staffStep(cashier, .purchaseAmount(ali, typed: ""))])
        #expect(session.step(.key(.digit(0), at: t0 + 1), now: t0 + 1).isEmpty, "no leading zero")
        for digit: UInt8 in [1, 2, 5, 0, 0, 0] { _ = session.step(.key(.digit(digit), at: t0 + 2), now: t0 + 2) }
        let entered = session.step(.key(.enter, at: t0 + 3), now: t0 + 3)
        let (request, purchase) = try #require(entered.requests.first)
        #expect(purchase == .recordPurchase(member: "m-ali", amount: Rial(1_250_000), staff: "op-cash", at: t0 + 3))
        let recorded = session.step(.completed(request, .purchaseRecorded(points: 12)), now: t0 + 4)
        #expect(recorded.audits == ["staff.record_purchase"])
        #expect(recorded.screens == [.staffStep(cashier, .purchaseRecorded(ali, points: 12))])
    }

    @Test func theStaffCardAgainEndsTheSessionAndReleasesTheKeypad() throws {
        var session = try loggedIn(cashier)
        let ended = session.step(tap(.staff(cashier), card: "uid:STAFF", at: t0 + 5), now: t0 + 5)
        #expect(ended.audits == ["staff.logout"])
        #expect(ended.screens == [.idle(offline: false)])
        #expect(ended.contains(.keypad(enabled: false)))
    }

    @Test func anIdleStaffSessionTimesOut() throws {
        var session = try loggedIn(cashier)
        #expect(session.step(.tick, now: t0 + 89).screens.isEmpty)
        let timedOut = session.step(.tick, now: t0 + 90)
        #expect(timedOut.audits == ["staff.timeout"])
        #expect(timedOut.screens == [.idle(offline: false)])
    }

    @Test func aCustomerCardDuringTheMenuIsRefusedAndTheMenuStays() throws {
        var session = try loggedIn(cashier)
        let tapped = session.step(tap(.member(sara), reader: "R2", at: t0 + 1), now: t0 + 1)
        #expect(tapped.feedback == [.refused])
        #expect(session.screen == .staffMenu(cashier, actions: cashier.actions))
    }

    @Test func aMenuKeyBeyondTheRolesActionsDoesNothing() throws {
        var session = try loggedIn(enroller)
        #expect(session.step(.key(.digit(3), at: t0), now: t0).isEmpty)
        #expect(session.step(.key(.digit(0), at: t0), now: t0).isEmpty)
    }
}
