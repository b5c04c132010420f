import Foundation
@testable import KioskAppliance
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskRender
import KioskSession
import KioskStore
import Logging
import Testing

/// What the composition does with the counter flows' requests, on a real SQLite file: the
/// manager's role checked before an adjustment, gifts listed with their catalogue titles and
/// handed out once, a member found by a phone only they have, refusals as the screen says them.
@Suite struct StaffCounterOperationsTests {
    struct Kiosk {
        let directory: URL
        let store: KioskStore
        let loyalty: LoyaltyService
        let operations: Operations

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-counter-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try KioskStore(path: directory.appendingPathComponent("kiosk.sqlite").path)
            try store.ensureBranch("br-tehran-1", at: Date())
            try store.upsertOperator("op-man", displayName: "Maryam", role: .manager, pinHash: nil, branchID: "br-tehran-1")
            try store.upsertOperator("op-cash", displayName: "Reza", role: .cashier, pinHash: nil, branchID: "br-tehran-1")
            let example = try Data(contentsOf: ProgramReloadTests.repository.appendingPathComponent("kiosk/programs/example.json"))
            loyalty = try LoyaltyService(store: store, program: try ProgramLoader.load(example), programJSON: example, at: Date())
            try loyalty.enroll(KioskLoyalty.Enrollment(key: "enroll-m-1", member: "m-1", branch: "br-tehran-1", at: Date(), name: "Sara",
                                                       phone: "09121234567", card: "uid:OLD"))
            let active = ActiveProgram(loyalty: loyalty, mapper: ScreenMapper(locale: .en, wheel: loyalty.program.wheel,
                                                                              timeZone: TimeZone(identifier: "Asia/Tehran")!))
            operations = Operations(active: active, gate: StoreGate(), receipts: nil, branch: "br-tehran-1", logger: Logger(label: "test"))
        }

        func cleanUp() { try? FileManager.default.removeItem(at: directory) }
    }

    @Test func onlyAManagerAdjustsAndADeductionBeyondTheBalanceIsRefused() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        let coins = try k.store.balances(of: "m-1").coins
        let at = Date()
        #expect(await k.operations.perform(.adjustBalance(member: "m-1", account: .coins, amount: 25, reason: "goodwill", staff: "op-cash",
                                                          at: at)) == .refused(.notAllowed))
        #expect(try k.store.balances(of: "m-1").coins == coins)
        #expect(await k.operations.perform(.adjustBalance(member: "m-1", account: .coins, amount: 25, reason: "goodwill", staff: "op-man",
                                                          at: at)) == .balanceAdjusted)
        // The same request again (a retry after a timeout) is the same key: applied once.
        #expect(await k.operations.perform(.adjustBalance(member: "m-1", account: .coins, amount: 25, reason: "goodwill", staff: "op-man",
                                                          at: at)) == .balanceAdjusted)
        #expect(try k.store.balances(of: "m-1").coins == coins + 25)
        #expect(await k.operations.perform(.adjustBalance(member: "m-1", account: .coins, amount: -(coins + 26), reason: "correction",
                                                          staff: "op-man", at: at + 1)) == .refused(.insufficientBalance))
        #expect(try k.store.balances(of: "m-1").coins == coins + 25)
    }

    @Test func pendingGiftsAreListedByTitleAndHandedOutOnce() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        try k.loyalty.adjustBalance(80, of: .coins, reason: "correction", key: "seed", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-man", at: Date())
        try k.loyalty.requestGift("mug", key: "g-1", member: "m-1", branch: "br-tehran-1", at: Date())
        let title = try #require(k.loyalty.program.catalogue?.first { $0.id == "mug" }?.title)
        guard case .pendingGifts(let gifts) = await k.operations.perform(.pendingGifts(member: "m-1")) else {
            Issue.record("no list")
            return
        }
        #expect(gifts.map(\.request) == ["g-1"] && gifts.map(\.title) == [title])
        let at = Date()
        #expect(await k.operations.perform(.fulfilGift(member: "m-1", request: "g-1", staff: "op-cash", at: at)) == .giftFulfilled)
        #expect(await k.operations.perform(.fulfilGift(member: "m-1", request: "g-1", staff: "op-cash", at: at + 1)) == .refused(.giftNotPending))
        #expect(await k.operations.perform(.pendingGifts(member: "m-1")) == .pendingGifts([]))
    }

    @Test func aMemberIsFoundByPhoneWithTheirViewAndAnUnknownPhoneIsSaid() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        guard case .memberFound(let view) = await k.operations.perform(.findMember(phone: "09121234567")) else {
            Issue.record("not found")
            return
        }
        #expect(view.id == "m-1" && view.displayName == "Sara")
        #expect(await k.operations.perform(.findMember(phone: "09120000000")) == .refused(.memberNotFound))
    }

    @Test func aReplacementWithoutATokenKeyWritesNothingAndBindsNothing() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        let result = await k.operations.perform(.replaceCard(member: "m-1", reader: "R1", card: "uid:04NEW", .blank, staff: "op-man", at: Date()))
        guard case .refused(.tokenNotWritten) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(try k.store.member(byCard: "uid:04NEW") == nil)
        #expect(try k.store.activeCards(of: "m-1") == ["uid:OLD"])
    }

    @Test func aSelfIdentifyingCardIsTakenAsItIsWithoutATokenKeyAndAKnownOneIsRefused() async throws {
        // This kiosk has no token key: a MIFARE Classic card (its bare UID trusted here) needs none.
        let k = try Kiosk()
        defer { k.cleanUp() }
        let replaced = await k.operations.perform(.replaceCard(member: "m-1", reader: "R1", card: "uid:0A0B0C0D", .selfIdentifying,
                                                               staff: "op-man", at: Date()))
        #expect(replaced == .cardReplaced)
        #expect(try k.store.activeCards(of: "m-1") == ["uid:0A0B0C0D"], "the new card bound, the old one blocked")
        // Enrollment: a new member id for a card no one holds; a card someone holds is refused.
        guard case .cardPrepared(let member) = await k.operations.perform(.prepareNewCard(reader: "R1", card: "uid:0E0F1011", .selfIdentifying)) else {
            Issue.record("not prepared")
            return
        }
        #expect(member.rawValue.hasPrefix("m-"))
        #expect(await k.operations.perform(.prepareNewCard(reader: "R1", card: "uid:0A0B0C0D", .selfIdentifying)) == .refused(.cardAlreadyEnrolled))
        try k.store.bindStaffCard("uid:0C0FFEE0", to: "op-cash")
        #expect(await k.operations.perform(.prepareNewCard(reader: "R1", card: "uid:0C0FFEE0", .selfIdentifying)) == .refused(.cardAlreadyEnrolled),
                "a staff card is no member's new card")
    }

    @Test func aVoucherIsAppliedToThePurchaseOnceAndItsRefusalsAreSaid() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tehran")!
        let june = calendar.date(from: DateComponents(year: 2026, month: 6, day: 1, hour: 12))!
        for id in ["m-2", "m-3"] {
            try k.loyalty.enroll(KioskLoyalty.Enrollment(key: "enroll-\(id)", member: MemberID(rawValue: id), branch: "br-tehran-1", at: june))
        }
        // WELCOME10: 10 % off, at most 100,000 Toman, from a purchase of 200,000 Toman, once per member.
        let applied = await k.operations.perform(.redeemVoucher(member: "m-2", code: "WELCOME10", amount: Rial(5_000_000), staff: "op-cash",
                                                                at: june + 3_600))
        guard case .voucherRedeemed(let discount, let points) = applied else {
            Issue.record("not redeemed: \(applied)")
            return
        }
        #expect(discount == Rial(500_000))
        #expect(points > 0)
        #expect(await k.operations.perform(.redeemVoucher(member: "m-2", code: "WELCOME10", amount: Rial(5_000_000), staff: "op-cash",
                                                          at: june + 7_200)) == .refused(.voucherNotUsable(.usedUp)))
        #expect(await k.operations.perform(.redeemVoucher(member: "m-3", code: "WELCOME10", amount: Rial(1_000_000), staff: "op-cash",
                                                          at: june + 7_300)) == .refused(.voucherNotUsable(.belowMinimumSpend)))
        #expect(await k.operations.perform(.redeemVoucher(member: "m-3", code: "NOSUCH", amount: Rial(1_000_000), staff: "op-cash",
                                                          at: june + 7_400)) == .refused(.voucherUnknown))
        #expect(try k.store.voucherUses("WELCOME10") == 1)
        // Each request's key is its staff member and the millisecond of the key that sent it.
        #expect(Operations.staffKey("kiosk-voucher", "op-cash", june) == "kiosk-voucher:op-cash:\(Int64(june.timeIntervalSince1970) * 1000)")
    }

    @Test func aPurchaseRecordedAtTheKioskIsListedAndReturned() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        let at = Date()
        guard case .purchaseRecorded(let earned) = await k.operations.perform(.recordPurchase(member: "m-1", amount: Rial(2_000_000),
                                                                                              staff: "op-cash", at: at)) else {
            Issue.record("no purchase")
            return
        }
        guard case .returnablePurchases(let list) = await k.operations.perform(.returnablePurchases(member: "m-1")) else {
            Issue.record("no list")
            return
        }
        let purchase = try #require(list.first)
        #expect(list.count == 1 && purchase.subtotal == Rial(2_000_000) && purchase.left == Rial(2_000_000))
        let points = try k.store.balances(of: "m-1").points
        let returned = await k.operations.perform(.recordReturn(member: "m-1", purchase: purchase.key, amount: nil, staff: "op-cash", at: at + 60))
        // What goes back is what was paid (after the program's offers), and every point earned.
        let stored = try #require(try k.store.loyaltyPurchase(purchase.key))
        let paid = try JSONDecoder().decode(PurchaseOutcome.self, from: stored.outcome).due
        #expect(paid < Rial(2_000_000), "the example program's offer applied")
        #expect(returned == .returnRecorded(refund: paid, points: earned), "\(returned)")
        #expect(try k.store.balances(of: "m-1").points == points - earned)
        #expect(await k.operations.perform(.returnablePurchases(member: "m-1")) == .returnablePurchases([]))
        guard case .refused(.returnRefused) = await k.operations.perform(.recordReturn(member: "m-1", purchase: purchase.key, amount: nil,
                                                                                       staff: "op-cash", at: at + 120)) else {
            Issue.record("a second return of the whole purchase is refused")
            return
        }
    }

    @Test func aCustomerIsOfferedAGiftAndAsksForItWithTheirCard() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        let at = Date()
        let title = try #require(k.loyalty.program.catalogue?.first { $0.id == "mug" }?.title)
        #expect(await k.operations.perform(.lookUpGift(item: "mug", at: at)) == .giftOffer(GiftOfferView(item: "mug", title: title, account: .coins, cost: 40)))
        #expect(await k.operations.perform(.lookUpGift(item: "yacht", at: at)) == .refused(.giftUnknown))
        let coins = try k.store.balances(of: "m-1").coins
        #expect(coins < 40, "a new member cannot afford the mug yet")
        #expect(await k.operations.perform(.requestGift(member: "m-1", item: "mug", card: "uid:OLD", at: at)) == .refused(.giftTooDear))
        try k.loyalty.adjustBalance(40 - coins, of: .coins, reason: "correction", key: "top-up", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-man", at: at)
        #expect(await k.operations.perform(.requestGift(member: "m-1", item: "mug", card: "uid:OLD", at: at + 1)) == .giftRequested)
        #expect(try k.store.balances(of: "m-1").coins == 0)
        #expect(try k.store.pendingGifts(of: "m-1").map(\.item) == ["mug"])
    }

    @Test func aGiftPaidInCreditIsRefusedBeyondTheOfflineLimitUntilTheCentralHasHeard() async throws {
        let k = try Kiosk()
        defer { k.cleanUp() }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Tehran")!
        let at = calendar.date(from: DateComponents(year: 2026, month: 6, day: 1, hour: 12))!  // within the cinema ticket's window
        // A cinema ticket costs 1,500,000 Rial of credit; the member may spend 2,000,000 before the central confirms.
        let operations = Operations(active: k.operations.active, gate: StoreGate(), receipts: nil, branch: "br-tehran-1",
                                    offlineCredit: OfflineCreditLimit(perMember: Rial(2_000_000)), logger: Logger(label: "test"))
        try k.loyalty.adjustBalance(5_000_000, of: .credit, reason: "goodwill", key: "top-up", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-man", at: at)
        let first = RequestGift(member: "m-1", card: "uid:OLD", at: at)
        #expect(await operations.perform(first.request) == .giftRequested)
        #expect(await operations.perform(RequestGift(member: "m-1", card: "uid:OLD", at: at + 1).request)
            == .refused(.offlineCreditLimit(remaining: Rial(500_000))))
        #expect(try k.store.balances(of: "m-1").credit == Rial(3_500_000), "the refused request took nothing")
        #expect(try k.store.catalogueStock()["cinema"] == 9, "nor any stock")
        #expect(try k.store.pendingGifts(of: "m-1").count == 1)
        // The first request retried (its answer lost): its own answer, not a refusal by the limit.
        #expect(await operations.perform(first.request) == .giftRequested)
        #expect(try k.store.balances(of: "m-1").credit == Rial(3_500_000))
        // Once the central has acknowledged the spend, the member may spend up to the limit again.
        let pending = try k.store.pendingOutbox(limit: 100, maxBytes: 10_000_000).map(\.sequence)
        try k.store.markOutboxDelivered(pending, at: at + 2)
        #expect(await operations.perform(RequestGift(member: "m-1", card: "uid:OLD", at: at + 3).request) == .giftRequested)
        #expect(try k.store.balances(of: "m-1").credit == Rial(2_000_000))
        // Without a limit (the composition's default in tests), nothing is refused on this ground.
        #expect(await k.operations.perform(RequestGift(member: "m-1", card: "uid:OLD", at: at + 4).request) == .giftRequested)
    }

    struct RequestGift {
        let member: MemberID, card: CardID, at: Date
        var request: SessionRequest { .requestGift(member: member, item: "cinema", card: card, at: at) }
    }

    @Test func theCounterScreensSayEachStepInBothLocales() {
        let sara = MemberView(id: "m-1", displayName: "Sara", balances: Balances(points: 1200, credit: Rial(150_000), coins: 30))
        let fa = ScreenMapper(locale: .faIR, wheel: nil, timeZone: TimeZone(identifier: "Asia/Tehran")!)
        let en = ScreenMapper(locale: .en, wheel: nil, timeZone: TimeZone(identifier: "Asia/Tehran")!)
        let staff = StaffView(id: "op-man", displayName: "Maryam", role: .manager)
        let menu = SessionScreen.staffStep(staff, .adjustAccount(sara, accounts: [.points, .credit, .coins]))
        #expect(en.screen(menu).0 == .staff(StaffData(
            heading: "Adjust a balance", title: "Which balance?", detail: "Sara",
            options: ["Points — 1,200 points", "Wallet credit — 15,000 Toman", "Coins — 30 coins"],
            hint: "Press the option's number · Cancel: back")))
        #expect(fa.screen(menu).0 == .staff(StaffData(
            heading: "اصلاح موجودی", title: "کدام موجودی؟", detail: "Sara",
            options: ["امتیاز — ۱٬۲۰۰ امتیاز", "اعتبار کیف پول — ۱۵٬۰۰۰ تومان", "سکه — ۳۰ سکه"],
            hint: "عدد گزینه را بزنید · لغو: بازگشت")))
        #expect(en.screen(.staffStep(staff, .balanceAdjusted(sara, .credit, amount: -15_000))).0 == .staff(StaffData(
            heading: "Adjust a balance", title: "Sara's balance adjusted: \u{2212}1,500 Toman", tone: .success,
            hint: "Any key: back to the menu")))
        #expect(fa.screen(.staffStep(staff, .adjustAmount(sara, .credit, deduct: true, typed: "150"))).0 == .staff(StaffData(
            heading: "اصلاح موجودی", title: "کسر اعتبار (تومان)", detail: "Sara — ۱۵٬۰۰۰ تومان", entry: "۱۵۰",
            hint: "تأیید: ادامه · لغو: بازگشت")))
        guard case .staff(let none) = en.screen(.staffStep(staff, .giftList(sara, []))).0 else {
            Issue.record("not the staff screen")
            return
        }
        #expect(none.title == "No gift is waiting for Sara" && none.tone == .refused && none.options.isEmpty)
        guard case .staff(let refused) = fa.screen(.staffStep(staff, .refused(.memberNotFound))).0 else {
            Issue.record("not the staff screen")
            return
        }
        #expect(refused.title == "عضوی با این شماره پیدا نشد" && refused.tone == .refused)
        // The staff menu: the role, the name, the actions numbered, and how to log out.
        guard case .staff(let actions) = en.screen(.staffMenu(staff, actions: staff.actions)).0 else {
            Issue.record("not the staff screen")
            return
        }
        #expect(actions.heading == "Manager" && actions.detail == "Maryam" && actions.options.count == 7)
        #expect(actions.options.last == "Adjust a balance")
    }
}
