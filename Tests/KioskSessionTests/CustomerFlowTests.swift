import Foundation
import KioskCore
import Testing
@testable import KioskSession

@Suite struct CustomerFlowTests {
    @Test func aMemberTapIsAcceptedAndGreetedWithASpinOffer() {
        var session = Session()
        let effects = session.step(tap(.member(ali), at: t0), now: t0)
        #expect(effects.feedback == [.accepted])
        #expect(effects.screens == [.welcome(ali, spinUntil: t0 + 8, receiptHint: true)])
        #expect(effects.requests.isEmpty)
    }

    @Test func aSecondTapWithinTheWindowSpinsAndTheWheelLandsOnTheDrawnPrize() throws {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        _ = session.step(.lifted(reader: "R1", at: t0 + 1), now: t0 + 1)
        let confirm = session.step(tap(.member(ali), at: t0 + 3), now: t0 + 3)
        let (request, spin) = try #require(confirm.requests.first)
        #expect(spin == .spin(member: "m-ali", card: "uid:04A1", at: t0 + 3))
        #expect(confirm.screens == [.spinning(ali)])
        // Nothing animates before the outcome is committed.
        #expect(session.step(.tick, now: t0 + 3.5).screens.isEmpty)
        let drawn = session.step(.completed(request, .spun(outcome)), now: t0 + 4)
        #expect(drawn.screens == [.wheel(outcome, elapsed: 0, duration: 6)])
        #expect(session.step(.tick, now: t0 + 7).screens == [.wheel(outcome, elapsed: 3, duration: 6)])
        #expect(session.step(.tick, now: t0 + 10).screens == [.prize(outcome)])
        #expect(session.step(.tick, now: t0 + 19).screens.isEmpty)
        #expect(session.step(.tick, now: t0 + 20).screens == [.idle(offline: false)])
    }

    @Test func aSecondTapAfterTheWindowGreetsAgainAndNeverSpins() {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        let again = session.step(tap(.member(ali), at: t0 + 9), now: t0 + 9)
        #expect(again.requests.isEmpty)
        #expect(again.screens == [.welcome(ali, spinUntil: t0 + 17, receiptHint: true)])
    }

    @Test func aMemberWhoCannotAffordASpinIsNeverOfferedOne() {
        var session = Session()
        let first = session.step(tap(.member(sara), at: t0), now: t0)
        #expect(first.screens == [.welcome(sara, spinUntil: nil, receiptHint: true)])
        let second = session.step(tap(.member(sara), at: t0 + 2), now: t0 + 2)
        #expect(second.requests.isEmpty)
    }

    @Test func anotherCardOfTheSameMemberDoesNotConfirmASpin() {
        var session = Session()
        _ = session.step(tap(.member(ali), card: "uid:04A1", at: t0), now: t0)
        let other = session.step(tap(.member(ali), card: "uid:04B2", at: t0 + 2), now: t0 + 2)
        #expect(other.requests.isEmpty)
    }

    @Test(arguments: [
        (Identity.blocked, Refusal.blockedCard), (.unknown, .unknownCard),
        (.cloned, .clonedCard), (.unreadable, .unreadableCard),
    ])
    func refusedCardsHearRefusedNeverAccepted(identity: Identity, refusal: Refusal) {
        var session = Session()
        let effects = session.step(tap(identity, at: t0), now: t0)
        #expect(effects.feedback == [.refused])
        #expect(effects.screens == [.refusal(refusal)])
        #expect(session.step(.tick, now: t0 + 10).screens == [.idle(offline: false)])
    }

    @Test func tapsAndScansDuringTheSpinAreIgnored() throws {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        let confirm = session.step(tap(.member(ali), at: t0 + 2), now: t0 + 2)
        let (request, _) = try #require(confirm.requests.first)
        #expect(session.step(tap(.member(sara), reader: "R2", at: t0 + 2.5), now: t0 + 2.5).isEmpty)
        _ = session.step(.completed(request, .spun(outcome)), now: t0 + 3)
        #expect(session.step(tap(.member(ali), at: t0 + 4), now: t0 + 4).isEmpty)
        #expect(session.step(.scanned(.voucher(code: "SPRING"), at: t0 + 4), now: t0 + 4).isEmpty)
        #expect(session.step(.tick, now: t0 + 9).screens == [.prize(outcome)])
    }

    @Test func aStaleTapIsDroppedNotActedOnLate() {
        var session = Session()
        #expect(session.step(tap(.member(ali), at: t0), now: t0 + 3.5).isEmpty)
        #expect(session.screen == .idle(offline: false))
        #expect(!session.step(tap(.member(ali), at: t0), now: t0 + 3).isEmpty)
    }

    @Test func liftingTheCardEndsTheWelcomeOnceReadAndTheSpinWindowHasPassed() {
        var session = Session()
        _ = session.step(tap(.member(sara), at: t0), now: t0)
        _ = session.step(.lifted(reader: "R1", at: t0 + 1), now: t0 + 1)
        #expect(session.step(.tick, now: t0 + 3.9).screens.isEmpty, "read for at least 4 s")
        #expect(session.step(.tick, now: t0 + 4).screens == [.idle(offline: false)])

        _ = session.step(tap(.member(ali), at: t0 + 10), now: t0 + 10)
        _ = session.step(.lifted(reader: "R1", at: t0 + 11), now: t0 + 11)
        #expect(session.step(.tick, now: t0 + 17).screens.isEmpty, "the spin offer stays until its window ends")
        #expect(session.step(.tick, now: t0 + 18).screens == [.idle(offline: false)])
    }

    @Test func aCardLeftOnTheReaderTimesOut() {
        var session = Session()
        _ = session.step(tap(.member(sara), at: t0), now: t0)
        #expect(session.step(.tick, now: t0 + 19).screens.isEmpty)
        #expect(session.step(.tick, now: t0 + 20).screens == [.idle(offline: false)])
    }

    @Test func aReceiptScannedFirstWaitsForTheCardThenIsClaimed() throws {
        var session = Session()
        let receipt = ReceiptRef(id: "r-77", amount: Rial(1_250_000), payload: "KR2…")
        #expect(session.step(.scanned(.receipt(receipt), at: t0), now: t0).screens == [.receiptWaitingForCard(receipt)])
        let tapped = session.step(tap(.member(ali), at: t0 + 5), now: t0 + 5)
        #expect(tapped.feedback == [.accepted])
        let (request, claim) = try #require(tapped.requests.first)
        #expect(claim == .claimReceipt(member: "m-ali", receipt: receipt, at: t0 + 5))
        #expect(session.step(.completed(request, .receiptClaimed(points: 125)), now: t0 + 5.2).screens
                == [.receiptClaimed(ali, points: 125)])
    }

    @Test func aReceiptScannedDuringTheWelcomeIsClaimedForThatMember() throws {
        var session = Session()
        let receipt = ReceiptRef(id: "r-78", amount: Rial(50_000), payload: "KR2…")
        _ = session.step(tap(.member(sara), at: t0), now: t0)
        let scanned = session.step(.scanned(.receipt(receipt), at: t0 + 1), now: t0 + 1)
        let (request, claim) = try #require(scanned.requests.first)
        #expect(claim == .claimReceipt(member: "m-sara", receipt: receipt, at: t0 + 1))
        #expect(session.step(.completed(request, .refused(.receiptAlreadyClaimed)), now: t0 + 1.1).screens
                == [.refusal(.receiptAlreadyClaimed)])
    }

    @Test func aReceiptWaitingForACardGivesUp() {
        var session = Session()
        _ = session.step(.scanned(.receipt(ReceiptRef(id: "r", amount: Rial(1), payload: "p")), at: t0), now: t0)
        #expect(session.step(.tick, now: t0 + 20).screens == [.idle(offline: false)])
    }

    @Test func aForgedReceiptIsRefused() {
        var session = Session()
        #expect(session.step(.scanned(.forgedReceipt, at: t0), now: t0).screens == [.refusal(.receiptForged)])
    }

    @Test func aVoucherScanShowsWhatItIsWorth() throws {
        var session = Session()
        let asked = session.step(.scanned(.voucher(code: "YALDA-20"), at: t0), now: t0)
        let (request, lookup) = try #require(asked.requests.first)
        #expect(lookup == .lookUpVoucher(code: "YALDA-20", at: t0), "asked as of the scan, not the kiosk's wall clock")
        let voucher = VoucherView(code: "YALDA-20", summary: "20 %", lastValidDay: t0 + 86_400)
        #expect(session.step(.completed(request, .voucher(voucher)), now: t0 + 0.1).screens == [.voucher(voucher)])
    }

    @Test func aSpinTheStoreRefusesSaysWhy() throws {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        let (request, _) = try #require(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).requests.first)
        #expect(session.step(.completed(request, .refused(.noSpinAvailable)), now: t0 + 1.1).screens
                == [.refusal(.noSpinAvailable)])
    }

    @Test func aSpinThatAnswersAfterItsTimeoutIsStillShown() throws {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        let (request, _) = try #require(session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1).requests.first)
        #expect(session.step(.tick, now: t0 + 21).screens == [.refusal(.failed("the spin did not answer in time"))])
        #expect(session.step(.completed(request, .spun(outcome)), now: t0 + 22).screens == [.prize(outcome)])
    }

    @Test func aResultForAnotherRequestIsIgnored() throws {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        _ = session.step(tap(.member(ali), at: t0 + 1), now: t0 + 1)
        #expect(session.step(.completed(RequestID(999), .receiptClaimed(points: 5)), now: t0 + 1.1).isEmpty)
        #expect(session.screen == .spinning(ali))
    }

    @Test func aSpinCommittedBeforeARestartShowsItsPrize() {
        var session = Session()
        #expect(session.step(.restoredSpin(ali, outcome), now: t0).screens == [.prize(outcome)])
    }

    @Test func anotherMembersTapGreetsTheNextCustomer() {
        var session = Session()
        _ = session.step(tap(.member(ali), at: t0), now: t0)
        let next = session.step(tap(.member(sara), card: "uid:0599", reader: "R2", at: t0 + 2), now: t0 + 2)
        #expect(next.screens == [.welcome(sara, spinUntil: nil, receiptHint: true)])
        #expect(next.requests.isEmpty)
    }

    @Test func aConfigurationChangeWaitsForIdle() {
        var session = Session()
        _ = session.step(tap(.member(sara), at: t0), now: t0)
        #expect(!session.step(.configurationChanged, now: t0 + 1).contains(.applyConfiguration))
        #expect(session.step(.tick, now: t0 + 20).contains(.applyConfiguration))
        #expect(session.step(.configurationChanged, now: t0 + 21) == [.applyConfiguration])
    }

    @Test func theIdleScreenSaysWhenTheCentralIsAway() {
        var session = Session()
        #expect(session.step(.central(online: false), now: t0).screens == [.idle(offline: true)])
        _ = session.step(tap(.member(sara), at: t0 + 1), now: t0 + 1)
        #expect(session.step(.central(online: true), now: t0 + 2).screens.isEmpty, "a member being served is not interrupted")
        #expect(session.step(.tick, now: t0 + 21).screens == [.idle(offline: false)])
    }

    // MARK: - Catalogue gifts

    static let mug = GiftOfferView(item: "mug", title: "Mug", account: .coins, cost: 40)

    @Test func aGiftsLinkShowsWhatItCostsAndTheMembersCardAsksForIt() throws {
        var session = Session()
        let scanned = session.step(.scanned(.gift(item: "mug"), at: t0), now: t0)
        let (lookID, look) = try #require(scanned.requests.first)
        #expect(look == .lookUpGift(item: "mug", at: t0))
        #expect(session.step(.completed(lookID, .giftOffer(Self.mug)), now: t0 + 1).screens == [.giftOffered(Self.mug)])
        let tapped = session.step(tap(.member(ali), card: "uid:ALI", at: t0 + 2), now: t0 + 2)
        #expect(tapped.feedback == [.accepted])
        let (askID, ask) = try #require(tapped.requests.first)
        #expect(ask == .requestGift(member: "m-ali", item: "mug", card: "uid:ALI", at: t0 + 2))
        #expect(session.step(.completed(askID, .giftRequested), now: t0 + 3).screens == [.giftRequested(ali, Self.mug)])
        #expect(session.step(.tick, now: t0 + 3 + 10).screens == [.idle(offline: false)])
    }

    @Test func aGiftOfferLapsesWithoutACardAndARefusalIsSaid() throws {
        var session = Session()
        let (lookID, _) = try #require(session.step(.scanned(.gift(item: "mug"), at: t0), now: t0).requests.first)
        _ = session.step(.completed(lookID, .giftOffer(Self.mug)), now: t0)
        #expect(session.step(.tick, now: t0 + 19).screens.isEmpty)
        #expect(session.step(.tick, now: t0 + 20).screens == [.idle(offline: false)])
        // A card after the offer lapsed is only greeted: nothing is asked for.
        #expect(session.step(tap(.member(ali), at: t0 + 21), now: t0 + 21).requests.isEmpty)
        var again = Session()
        let (id, _) = try #require(again.step(.scanned(.gift(item: "mug"), at: t0), now: t0).requests.first)
        _ = again.step(.completed(id, .giftOffer(Self.mug)), now: t0)
        let (askID, _) = try #require(again.step(tap(.member(sara), at: t0 + 1), now: t0 + 1).requests.first)
        #expect(again.step(.completed(askID, .refused(.giftTooDear)), now: t0 + 2).screens == [.refusal(.giftTooDear)])
    }
}
