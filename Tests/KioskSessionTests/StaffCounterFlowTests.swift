import Foundation
import KioskCore
import Testing
@testable import KioskSession

let manager = StaffView(id: "op-man", displayName: "Maryam", role: .manager)

/// The counter flows, key by key: what each step shows, what is asked of the store only at the
/// last key, the audit, and Cancel from every step.
@Suite struct StaffCounterFlowTests {
    func key(_ session: inout Session, _ key: KeypadKey, at time: Date = t0 + 1) -> [SessionEffect] {
        session.step(.key(key, at: time), now: time)
    }

    func type(_ session: inout Session, _ digits: String, at time: Date = t0 + 1) {
        for digit in digits { _ = session.step(.key(.digit(UInt8(String(digit))!), at: time), now: time) }
    }

    func scanned(_ member: MemberView, at time: Date) -> SessionInput {
        .presented(Presentation(source: .scanner("S1"), card: nil, identity: .member(member), at: time))
    }

    // MARK: - Balance adjustment

    @Test func aManagerDeductsCreditTypedInTomanForAReasonPicked() throws {
        var session = try loggedIn(manager)
        let adjust = try #require(manager.actions.firstIndex(of: .adjustBalance)) + 1
        #expect(key(&session, .digit(UInt8(adjust))).screens == [.staffStep(manager, .identifyMember(.adjustBalance))])
        #expect(session.step(tap(.member(ali), at: t0 + 2), now: t0 + 2).screens
            == [.staffStep(manager, .adjustAccount(ali, accounts: [.points, .credit, .coins]))])
        #expect(key(&session, .digit(4)).isEmpty, "three accounts")
        #expect(key(&session, .digit(2)).screens == [.staffStep(manager, .adjustDirection(ali, .credit))])
        #expect(key(&session, .digit(2)).screens == [.staffStep(manager, .adjustAmount(ali, .credit, deduct: true, typed: ""))])
        #expect(key(&session, .enter).isEmpty, "no amount yet")
        type(&session, "1500")
        #expect(key(&session, .enter).screens == [.staffStep(manager, .adjustReason(ali, reasons: ["correction", "goodwill", "complaint"]))])
        let picked = key(&session, .digit(3), at: t0 + 5)
        let (request, asked) = try #require(picked.requests.first)
        #expect(asked == .adjustBalance(member: "m-ali", account: .credit, amount: -15_000, reason: "complaint", staff: "op-man", at: t0 + 5))
        #expect(picked.screens == [.working])
        let done = session.step(.completed(request, .balanceAdjusted), now: t0 + 6)
        #expect(done.audits == ["staff.adjust_balance"])
        #expect(done.screens == [.staffStep(manager, .balanceAdjusted(ali, .credit, amount: -15_000))])
        #expect(key(&session, .enter, at: t0 + 7).screens == [.staffMenu(manager, actions: manager.actions)])
    }

    @Test func pointsAreAddedAsTypedAndTheMemberCanBeScanned() throws {
        var session = try loggedIn(manager)
        _ = key(&session, .digit(UInt8(manager.actions.firstIndex(of: .adjustBalance)! + 1)))
        _ = session.step(scanned(sara, at: t0 + 1), now: t0 + 1)
        _ = key(&session, .digit(1))
        _ = key(&session, .digit(1))
        type(&session, "250")
        _ = key(&session, .enter)
        let (_, asked) = try #require(key(&session, .digit(1), at: t0 + 3).requests.first)
        #expect(asked == .adjustBalance(member: "m-sara", account: .points, amount: 250, reason: "correction", staff: "op-man", at: t0 + 3))
    }

    @Test func onlyAManagerMayAdjustAndARefusalIsShown() throws {
        // A cashier's menu has no adjustment; were it asked, the session refuses it.
        #expect(!cashier.actions.contains(.adjustBalance))
        var session = try loggedIn(cashier)
        guard case .staff(var staff) = session.phase else { Issue.record("not in a staff session"); return }
        var effects: [SessionEffect] = []
        session.begin(.adjustBalance, session: &staff, now: t0 + 1, into: &effects)
        #expect(effects.screens == [.staffStep(cashier, .refused(.notAllowed))])
        #expect(effects.requests.isEmpty)
        // A manager's deduction beyond the balance comes back refused, said on screen.
        var managing = try loggedIn(manager)
        _ = key(&managing, .digit(UInt8(manager.actions.firstIndex(of: .adjustBalance)! + 1)))
        _ = managing.step(tap(.member(ali), at: t0 + 1), now: t0 + 1)
        _ = key(&managing, .digit(3))
        _ = key(&managing, .digit(2))
        type(&managing, "99")
        _ = key(&managing, .enter)
        let (request, _) = try #require(key(&managing, .digit(1)).requests.first)
        let refused = managing.step(.completed(request, .refused(.insufficientBalance)), now: t0 + 2)
        #expect(refused.audits.isEmpty)
        #expect(refused.screens == [.staffStep(manager, .refused(.insufficientBalance))])
    }

    @Test func cancelFromAnyAdjustmentStepCommitsNothing() throws {
        let steps: [[KeypadKey]] = [[], [.digit(1)], [.digit(1), .digit(2)], [.digit(1), .digit(2), .digit(5)],
                                    [.digit(1), .digit(2), .digit(5), .enter]]
        for keys in steps {
            var session = try loggedIn(manager)
            _ = key(&session, .digit(UInt8(manager.actions.firstIndex(of: .adjustBalance)! + 1)))
            if !keys.isEmpty { _ = session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1) }
            var asked: [(RequestID, SessionRequest)] = []
            for k in keys { asked += key(&session, k).requests }
            let cancelled = key(&session, .cancel)
            #expect(asked.isEmpty && cancelled.requests.isEmpty)
            #expect(cancelled.screens == [.staffMenu(manager, actions: manager.actions)], "after \(keys)")
        }
    }

    // MARK: - Gifts

    @Test func aCashierHandsOutTheGiftPickedFromTheMembersPendingList() throws {
        var session = try loggedIn(cashier)
        #expect(key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .redeemGift)! + 1))).screens
            == [.staffStep(cashier, .identifyMember(.redeemGift))])
        let tapped = session.step(tap(.member(ali), at: t0 + 2), now: t0 + 2)
        let (listID, list) = try #require(tapped.requests.first)
        #expect(list == .pendingGifts(member: "m-ali"))
        let mug = GiftView(request: "g-1", title: "Mug", requestedAt: t0 - 86_400)
        let cinema = GiftView(request: "g-2", title: "Cinema ticket", requestedAt: t0 - 3_600)
        #expect(session.step(.completed(listID, .pendingGifts([mug, cinema])), now: t0 + 3).screens
            == [.staffStep(cashier, .giftList(ali, [mug, cinema]))])
        #expect(key(&session, .digit(3)).isEmpty, "two gifts")
        let picked = key(&session, .digit(2), at: t0 + 4)
        let (handID, hand) = try #require(picked.requests.first)
        #expect(hand == .fulfilGift(member: "m-ali", request: "g-2", staff: "op-cash", at: t0 + 4))
        let done = session.step(.completed(handID, .giftFulfilled), now: t0 + 5)
        #expect(done.audits == ["staff.redeem_gift"])
        #expect(done.screens == [.staffStep(cashier, .giftHandedOut(ali, "Cinema ticket"))])
    }

    @Test func noGiftWaitingSaysSoAndEnterGoesBack() throws {
        var session = try loggedIn(cashier)
        _ = key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .redeemGift)! + 1)))
        let (listID, _) = try #require(session.step(tap(.member(sara), at: t0 + 2), now: t0 + 2).requests.first)
        #expect(session.step(.completed(listID, .pendingGifts([])), now: t0 + 3).screens == [.staffStep(cashier, .giftList(sara, []))])
        #expect(key(&session, .digit(1)).requests.isEmpty)
        #expect(key(&session, .enter).screens == [.staffMenu(cashier, actions: cashier.actions)])
    }

    // MARK: - Vouchers

    @Test func aCashierRedeemsAScannedVoucherOnAPurchaseTypedInToman() throws {
        var session = try loggedIn(cashier)
        #expect(key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .redeemVoucher)! + 1))).screens
            == [.staffStep(cashier, .identifyMember(.redeemVoucher))])
        #expect(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).screens == [.staffStep(cashier, .voucherScan(ali))])
        #expect(key(&session, .digit(5)).isEmpty, "nothing is typed before the voucher")
        let scanned = session.step(.scanned(.voucher(code: "WELCOME10"), at: t0 + 2), now: t0 + 2)
        let (lookID, look) = try #require(scanned.requests.first)
        #expect(look == .lookUpVoucher(code: "WELCOME10", at: t0 + 2))
        let voucher = VoucherView(code: "WELCOME10", summary: "10% off", lastValidDay: nil)
        #expect(session.step(.completed(lookID, .voucher(voucher)), now: t0 + 3).screens
            == [.staffStep(cashier, .voucherAmount(ali, voucher, typed: ""))])
        type(&session, "500000")
        let (buyID, buy) = try #require(key(&session, .enter, at: t0 + 4).requests.first)
        #expect(buy == .redeemVoucher(member: "m-ali", code: "WELCOME10", amount: Rial(5_000_000), staff: "op-cash", at: t0 + 4))
        let done = session.step(.completed(buyID, .voucherRedeemed(discount: Rial(500_000), points: 45)), now: t0 + 5)
        #expect(done.audits == ["staff.redeem_voucher"])
        #expect(done.screens == [.staffStep(cashier, .voucherRedeemed(ali, discount: Rial(500_000), points: 45))])
    }

    @Test func aVoucherThatCannotBeUsedNowGoesNoFurther() throws {
        var session = try loggedIn(cashier)
        _ = key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .redeemVoucher)! + 1)))
        _ = session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1)
        let (lookID, _) = try #require(session.step(.scanned(.voucher(code: "OLD"), at: t0 + 2), now: t0 + 2).requests.first)
        let expired = VoucherView(code: "OLD", summary: "10% off", lastValidDay: t0 - 86_400, unusable: .expired)
        #expect(session.step(.completed(lookID, .voucher(expired)), now: t0 + 3).screens
            == [.staffStep(cashier, .refused(.voucherNotUsable(.expired)))])
        #expect(key(&session, .enter).screens == [.staffMenu(cashier, actions: cashier.actions)])
        #expect(key(&session, .enter).requests.isEmpty)
    }

    // MARK: - Returns

    @Test func aCashierReturnsPartOfAPurchasePickedFromTheMembersList() throws {
        var session = try loggedIn(cashier)
        #expect(key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .recordReturn)! + 1))).screens
            == [.staffStep(cashier, .identifyMember(.recordReturn))])
        let (listID, list) = try #require(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).requests.first)
        #expect(list == .returnablePurchases(member: "m-ali"))
        let recent = PurchaseView(key: "p-2", at: t0 - 3_600, subtotal: Rial(300_000), left: Rial(300_000))
        let older = PurchaseView(key: "p-1", at: t0 - 86_400, subtotal: Rial(1_500_000), left: Rial(1_000_000))
        #expect(session.step(.completed(listID, .returnablePurchases([recent, older])), now: t0 + 2).screens
            == [.staffStep(cashier, .returnList(ali, [recent, older]))])
        #expect(key(&session, .digit(2)).screens == [.staffStep(cashier, .returnAmount(ali, older, typed: ""))])
        type(&session, "100001")
        #expect(key(&session, .enter).requests.isEmpty, "more than is left (1,000,010 Rial > 1,000,000)")
        _ = key(&session, .backspace)
        _ = key(&session, .backspace)
        type(&session, "00")
        let (returnID, asked) = try #require(key(&session, .enter, at: t0 + 3).requests.first)
        #expect(asked == .recordReturn(member: "m-ali", purchase: "p-1", amount: Rial(1_000_000), staff: "op-cash", at: t0 + 3))
        let done = session.step(.completed(returnID, .returnRecorded(refund: Rial(1_000_000), points: 10)), now: t0 + 4)
        #expect(done.audits == ["staff.record_return"])
        #expect(done.screens == [.staffStep(cashier, .returnRecorded(ali, refund: Rial(1_000_000), points: 10))])
    }

    @Test func enterAloneReturnsAllThatIsLeft() throws {
        var session = try loggedIn(cashier)
        _ = key(&session, .digit(UInt8(cashier.actions.firstIndex(of: .recordReturn)! + 1)))
        let (listID, _) = try #require(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).requests.first)
        let purchase = PurchaseView(key: "p-9", at: t0 - 60, subtotal: Rial(50_000), left: Rial(50_000))
        _ = session.step(.completed(listID, .returnablePurchases([purchase])), now: t0 + 2)
        _ = key(&session, .digit(1))
        let (_, asked) = try #require(key(&session, .enter, at: t0 + 3).requests.first)
        #expect(asked == .recordReturn(member: "m-ali", purchase: "p-9", amount: nil, staff: "op-cash", at: t0 + 3))
    }

    // MARK: - Card replacement

    @Test func aLostCardIsReplacedForAMemberFoundByPhone() throws {
        var session = try loggedIn(enroller)
        #expect(key(&session, .digit(UInt8(enroller.actions.firstIndex(of: .replaceCard)! + 1))).screens
            == [.staffStep(enroller, .replaceIdentify(typed: ""))])
        type(&session, "0912")
        #expect(session.screen == .staffStep(enroller, .replaceIdentify(typed: "0912")))
        #expect(key(&session, .enter).requests.isEmpty, "not a whole phone number")
        type(&session, "1234567")
        let (findID, find) = try #require(key(&session, .enter).requests.first)
        #expect(find == .findMember(phone: "09121234567"))
        #expect(session.step(.completed(findID, .memberFound(ali)), now: t0 + 2).screens == [.staffStep(enroller, .replaceTapNewCard(ali))])
        // The member's own (old) card is no blank card.
        var again = session
        let old = again.step(tap(.member(ali), card: "uid:OLD", at: t0 + 3), now: t0 + 3)
        #expect(old.feedback == [.refused] && old.requests.isEmpty)
        #expect(old.screens == [.staffStep(enroller, .refused(.cardAlreadyEnrolled))])
        let blank = session.step(tap(.unknown, card: "uid:04NEW", reader: "R2", at: t0 + 3), now: t0 + 3)
        #expect(blank.feedback == [.accepted])
        let (replaceID, replace) = try #require(blank.requests.first)
        #expect(replace == .replaceCard(member: "m-ali", reader: "R2", card: "uid:04NEW", .blank, staff: "op-enr", at: t0 + 3))
        #expect(blank.screens == [.staffStep(enroller, .replaceWritingToken(ali))])
        let done = session.step(.completed(replaceID, .cardReplaced), now: t0 + 4)
        #expect(done.audits == ["staff.replace_card"])
        #expect(done.screens == [.staffStep(enroller, .cardReplaced(ali))])
    }

    @Test func aReplacementCardThatIdentifiesItselfIsTakenAsItIsAndOneThatCannotIsRefused() throws {
        var session = try loggedIn(enroller)
        _ = key(&session, .digit(UInt8(enroller.actions.firstIndex(of: .replaceCard)! + 1)))
        _ = session.step(tap(.member(ali), card: "uid:OLD", at: t0 + 1), now: t0 + 1)
        var refusing = session
        let notEnrollable = refusing.step(tap(.unknown, card: "uid:0A0B0C0D", newCard: nil, at: t0 + 2), now: t0 + 2)
        #expect(notEnrollable.feedback == [.refused] && notEnrollable.requests.isEmpty)
        #expect(notEnrollable.screens == [.staffStep(enroller, .refused(.cardNotEnrollable))])
        let tapped = session.step(tap(.unknown, card: "uid:0A0B0C0D", reader: "R2", newCard: .selfIdentifying, at: t0 + 2), now: t0 + 2)
        let (_, replace) = try #require(tapped.requests.first)
        #expect(replace == .replaceCard(member: "m-ali", reader: "R2", card: "uid:0A0B0C0D", .selfIdentifying, staff: "op-enr", at: t0 + 2))
    }

    @Test func anUnknownPhoneIsRefusedAndATappedCardIdentifiesTheMember() throws {
        var session = try loggedIn(enroller)
        _ = key(&session, .digit(UInt8(enroller.actions.firstIndex(of: .replaceCard)! + 1)))
        type(&session, "09120000000")
        let (findID, _) = try #require(key(&session, .enter).requests.first)
        #expect(session.step(.completed(findID, .refused(.memberNotFound)), now: t0 + 2).screens
            == [.staffStep(enroller, .refused(.memberNotFound))])
        var tapping = try loggedIn(enroller)
        _ = key(&tapping, .digit(UInt8(enroller.actions.firstIndex(of: .replaceCard)! + 1)))
        #expect(tapping.step(tap(.member(sara), at: t0 + 2), now: t0 + 2).screens == [.staffStep(enroller, .replaceTapNewCard(sara))])
        #expect(key(&tapping, .cancel).screens == [.staffMenu(enroller, actions: enroller.actions)])
    }

    @Test func aStaleAnswerDoesNotCompleteALaterStep() throws {
        // The replacement's answer arriving after the wait timed out is not taken for another step.
        var session = try loggedIn(enroller)
        _ = key(&session, .digit(UInt8(enroller.actions.firstIndex(of: .replaceCard)! + 1)))
        _ = session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1)
        let (replaceID, _) = try #require(session.step(tap(.unknown, card: "uid:N", at: t0 + 2), now: t0 + 2).requests.first)
        let timedOut = session.step(.tick, now: t0 + 2 + 20)
        #expect(timedOut.screens == [.staffStep(enroller, .refused(.failed("no answer in time")))])
        #expect(session.step(.completed(replaceID, .cardReplaced), now: t0 + 23).audits.isEmpty)
    }
}
