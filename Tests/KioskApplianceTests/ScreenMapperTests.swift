import Foundation
import KioskCore
@testable import KioskAppliance
import KioskEngine
import KioskRender
import KioskSession
import Testing

@Suite struct ScreenMapperTests {
    static let wheel: WheelRules = {
        let json = #"""
            {"costCoins": 5, "segments": [
              {"id": "nothing", "label": "Try again", "weight": 50, "prize": {"kind": "nothing"}},
              {"id": "points-20", "label": "20 points", "weight": 25, "prize": {"kind": "points", "amount": 20}},
              {"id": "credit-100k", "label": "10,000 Toman credit", "weight": 8, "prize": {"kind": "credit", "amount": 100000}},
              {"id": "mug", "label": "A mug", "weight": 1, "prize": {"kind": "catalogueGift", "item": "mug"}}]}
            """#
        return try! JSONDecoder().decode(WheelRules.self, from: Data(json.utf8))
    }()

    let persian = ScreenMapper(locale: .faIR, wheel: wheel, timeZone: TimeZone(identifier: "Asia/Tehran")!)
    let english = ScreenMapper(locale: .en, wheel: wheel, timeZone: TimeZone(identifier: "Asia/Tehran")!)

    @Test func aVoucherShowsItsLastValidDayAndWhyItCannotBeUsed() throws {
        var tehran = Calendar(identifier: .gregorian)
        tehran.timeZone = TimeZone(identifier: "Asia/Tehran")!
        // 2026-12-31 in Tehran starts at 20:30 UTC the day before: the day shown is the 31st.
        let lastDay = try #require(tehran.date(from: DateComponents(year: 2026, month: 12, day: 31)))
        let (screen, _) = english.screen(.voucher(VoucherView(code: "WELCOME10", summary: "10% off", lastValidDay: lastDay)))
        guard case .voucher(let data) = screen else { Issue.record("a voucher: \(screen)"); return }
        #expect(data.validUntil == CalendarDate(year: 2026, month: 12, day: 31))
        #expect(data.value == "", "a usable voucher has no warning")

        let (forever, _) = english.screen(.voucher(VoucherView(code: "FREESHIP", summary: "Free delivery", lastValidDay: nil)))
        guard case .voucher(let open) = forever else { Issue.record("a voucher: \(forever)"); return }
        #expect(open.validUntil == nil, "a voucher that does not expire has no 'valid until' line")

        let reasons: [(VoucherUnusable, String, String)] = [
            (.expired, "This voucher has expired", "این کوپن منقضی شده است"),
            (.notYetValid, "This voucher is not valid yet", "این کوپن هنوز فعال نشده است"),
            (.usedUp, "This voucher has been used up", "این کوپن قبلاً استفاده شده است"),
        ]
        for (reason, en, fa) in reasons {
            let view = VoucherView(code: "X", summary: "x", lastValidDay: lastDay, unusable: reason)
            guard case .voucher(let e) = english.screen(.voucher(view)).0, case .voucher(let p) = persian.screen(.voucher(view)).0
            else { Issue.record("voucher screens"); continue }
            #expect(e.value == en)
            #expect(p.value == fa)
        }
    }

    @Test func wheelSegmentsAreLabelledInTheKiosksLocaleFromTheirPrizes() {
        let labels = Self.wheel.segments.map { persian.segment($0).label }
        #expect(labels == ["پوچ", "۲۰ امتیاز", "۱۰٬۰۰۰ تومان", "A mug"], "amounts in Persian digits, Rial shown as Toman")
        #expect(Self.wheel.segments.map { english.segment($0).label } == ["No prize", "20 points", "10,000 Toman", "A mug"])
        #expect(persian.segment(Self.wheel.segments[0]).isNothing)
    }

    @Test func theWheelLandsOnTheDrawnSegmentWithASeedFromItsAuditRecord() throws {
        let outcome = SpinOutcome(segment: 2, segmentCount: 4, prize: "۱۰٬۰۰۰ تومان", won: true, auditRecord: #"{"roll":17}"#)
        let (screen, time) = persian.screen(.wheel(outcome, elapsed: 1.5, duration: 6))
        guard case .wheel(let data) = screen else { Issue.record("a wheel: \(screen)"); return }
        #expect(data.drawn == 2 && data.segments.count == 4 && time == 1.5)
        #expect(data.seed == ScreenMapper.seed(#"{"roll":17}"#) && data.seed != ScreenMapper.seed(#"{"roll":18}"#))
    }

    @Test func aWheelThatChangedSinceTheSpinStillLandsOnThePrizeDrawn() throws {
        let outcome = SpinOutcome(segment: 5, segmentCount: 6, prize: "Old prize", won: true, auditRecord: "a")
        guard case .wheel(let data) = persian.screen(.wheel(outcome, elapsed: 0, duration: 6)).0 else { Issue.record("a wheel"); return }
        #expect(data.segments.count == 6 && data.drawn == 5 && data.segments[5].label == "Old prize")
    }

    @Test func theWelcomeCarriesTheMembersBalancesAndTier() throws {
        var member = MemberView(id: "m-1", displayName: "سارا", balances: Balances(points: 1_200, credit: Rial(50_000), giftCredit: .zero, coins: 7),
                                tier: "نقره‌ای", tierProgressPerMille: 400)
        member.nextTier = "طلایی"
        guard case .welcome(let data) = persian.screen(.welcome(member, spinUntil: nil, receiptHint: true)).0 else {
            Issue.record("a welcome"); return
        }
        #expect(data.name == "سارا" && data.points == 1_200 && data.credit == Rial(50_000) && data.coins == 7)
        #expect(data.tier.name == "نقره‌ای" && data.tier.progress == 400 && data.tier.target == 1000 && data.tier.next == "طلایی")
    }

    @Test func refusalsHaveTheirOwnScreensAndTheRestSayWhyInTheLocale() {
        #expect(persian.screen(.refusal(.clonedCard)).0 == .refusal(RefusalData(kind: .cloned)))
        #expect(persian.screen(.refusal(.unknownCard)).0 == .refusal(RefusalData(kind: .unknown)))
        #expect(persian.screen(.refusal(.receiptAlreadyClaimed)).0 == .receipt(ReceiptData(outcome: .alreadyClaimed)))
        #expect(persian.screen(.refusal(.receiptForged)).0 == .receipt(ReceiptData(outcome: .invalid)))
        #expect(english.screen(.refusal(.noSpinAvailable)).0 == .refusal(RefusalData(kind: .notice, message: "Not enough coins to spin")))
        #expect(persian.screen(.refusal(.failed("disk full"))).0 == .refusal(RefusalData(kind: .notice, message: "مشکلی پیش آمد؛ لطفاً به کارکنان بگویید")),
                "the store's error text never reaches the customer")
    }

    @Test func aPrizeOfNothingSaysSoKindly() {
        let nothing = SpinOutcome(segment: 0, segmentCount: 4, prize: "پوچ", won: false, auditRecord: "x")
        #expect(english.screen(.prize(nothing)).0 == .prize(PrizeData(prize: "No prize this time", detail: "Better luck next time", audit: "x")))
        let won = SpinOutcome(segment: 1, segmentCount: 4, prize: "20 points", won: true, auditRecord: "x")
        #expect(english.screen(.prize(won)).0 == .prize(PrizeData(prize: "20 points", audit: "x")), "the audit record goes to the QR code")
        let unrecorded = SpinOutcome(segment: 1, segmentCount: 4, prize: "20 points", won: true, auditRecord: "")
        #expect(english.screen(.prize(unrecorded)).0 == .prize(PrizeData(prize: "20 points")), "no record, no code")
    }

    @Test func thePINScreenShowsOnlyHowManyDigitsWereTyped() {
        #expect(persian.screen(.pinEntry(staffName: "Sara", digitsTyped: 3, message: nil)).0 == .pin(PinData(entered: 3, length: 6)))
        #expect(persian.screen(.pinEntry(staffName: "Sara", digitsTyped: 0, message: .wrongPIN(triesLeft: 2))).0
                == .pin(PinData(entered: 0, length: 6, wrongAttempt: true)))
    }
}

@Suite struct OperationKeyTests {
    @Test func theSpinKeyIsTheCardAndTheMillisecondOfTheTap() {
        let at = Date(timeIntervalSince1970: 1_796_170_221.761_4)
        #expect(Operations.spinKey(member: "m-ali", card: "uid:04A1B2C3D4E5F6", at: at) == "spin:uid:04A1B2C3D4E5F6:1796170221761")
        #expect(Operations.spinKey(member: "m-ali", card: nil, at: at) == "spin:m-ali:1796170221761", "a scanned member code: the member")
    }

    @Test func engineRefusalsBecomeWhatTheCustomerIsTold() {
        #expect(Operations.refusal(.refused(KioskEngine.Refusal("wheel.insufficient-coins", "x"))) == .noSpinAvailable)
        #expect(Operations.refusal(.refused(KioskEngine.Refusal("receipt.alreadyClaimed", "x"))) == .receiptAlreadyClaimed)
        #expect(Operations.refusal(.refused(KioskEngine.Refusal("receipt.badSignature", "x"))) == .receiptForged)
        #expect(Operations.refusal(.refused(KioskEngine.Refusal("receipt.expired", "too old"))) == .receiptNotClaimable("too old"))
    }
}
