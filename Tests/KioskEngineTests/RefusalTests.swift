import Foundation
import KioskCore
import Testing
@testable import KioskEngine

/// Every refusal the engine gives, each with its stable code.
@Suite("Refusals, one by one")
struct RefusalTests {
    static let engine = LoyaltyEngine(program: try! Fixtures.example())
    static let now = Fixtures.tehranTime(2026, 11, 24, 10)

    static func code(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let refusal as Refusal {
            return refusal.code
        } catch {
            return "unexpected: \(error)"
        }
    }

    static let cases: [(String, @Sendable () throws -> Void)] = [
        ("purchase.empty", { _ = try engine.purchase(Fixtures.purchase(lines: []), member: Fixtures.member()) }),
        ("purchase.bad-amount", { _ = try engine.purchase(Fixtures.purchase(lines: [("dairy", 0)]), member: Fixtures.member()) }),
        ("purchase.bad-amount", { _ = try engine.purchase(Fixtures.purchase(lines: [("dairy", Int64.max)]), member: Fixtures.member()) }),
        ("purchase.wrong-member", { _ = try engine.purchase(Fixtures.purchase(member: "m-2", lines: [("dairy", 10)]), member: Fixtures.member()) }),
        ("payment.more-than-due", {
            let lots = [Lot(id: "c", account: .credit, remaining: 5_000_000, createdAt: now)]
            _ = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)], credit: 1_000_001), member: Fixtures.member(lots: lots))
        }),
        ("voucher.not-yours", {
            let template = engine.program.vouchers!.templates![0]
            let voucher = VoucherContext(code: "ABC", definition: template, usesTotal: 0, usesByMember: 0, issuedTo: "m-9")
            _ = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)], voucher: "ABC"), member: Fixtures.member(), voucher: voucher)
        }),
        ("voucher.not-yet-valid", {
            let definition = engine.program.vouchers!.codes![0]
            let voucher = VoucherContext(code: "WELCOME10", definition: definition, usesTotal: 0, usesByMember: 0)
            _ = try engine.purchase(Fixtures.purchase(at: Fixtures.tehranTime(2025, 12, 31), lines: [("produce", 3_000_000)], voucher: "WELCOME10"),
                                    member: Fixtures.member(), voucher: voucher)
        }),
        ("voucher.exhausted", {
            let template = engine.program.vouchers!.templates![0]
            let voucher = VoucherContext(code: "ABC", definition: template, usesTotal: 1, usesByMember: 1, issuedTo: "m-1")
            _ = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)], voucher: "ABC"), member: Fixtures.member(), voucher: voucher)
        }),
        ("return.unknown-line", {
            let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
            _ = try engine.processReturn(ReturnRequest(key: "r", member: "m-1", branch: "br-tehran-1", at: now, purchaseKey: "p-1",
                                                       lines: [ReturnLine(line: 3, amount: Rial(1))]),
                                         purchase: purchase, purchaseLots: [:], history: ReturnHistory(lines: 1), member: Fixtures.member())
        }),
        ("return.wrong-member", {
            let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
            _ = try engine.processReturn(ReturnRequest(key: "r", member: "m-2", branch: "br-tehran-1", at: now, purchaseKey: "p-1",
                                                       lines: [ReturnLine(line: 0, amount: Rial(1))]),
                                         purchase: purchase, purchaseLots: [:], history: ReturnHistory(lines: 1), member: Fixtures.member("m-2"))
        }),
        ("return.empty", {
            let purchase = try engine.purchase(Fixtures.purchase(lines: [("produce", 1_000_000)]), member: Fixtures.member())
            _ = try engine.processReturn(ReturnRequest(key: "r", member: "m-1", branch: "br-tehran-1", at: now, purchaseKey: "p-1", lines: []),
                                         purchase: purchase, purchaseLots: [:], history: ReturnHistory(lines: 1), member: Fixtures.member())
        }),
        ("gift.unknown-occasion", { _ = try engine.grantGiftCredit(occasion: "nope", key: "g", member: Fixtures.member(), at: now) }),
        ("gift.not-the-day", { _ = try engine.grantGiftCredit(occasion: "yalda", key: "g", member: Fixtures.member(), at: now) }),
        ("catalogue.unknown-item", { _ = try engine.requestGift("yacht", key: "c", member: Fixtures.member(), at: now, stockLeft: nil) }),
        ("catalogue.not-shown", {
            let rich = Fixtures.member(lots: [Lot(id: "c", account: .credit, remaining: 9_000_000, createdAt: now)])
            _ = try engine.requestGift("cinema", key: "c", member: rich, at: Fixtures.tehranTime(2027, 1, 2), stockLeft: 3)
        }),
        ("catalogue.not-pending", {
            _ = try engine.cancelGift(CatalogueOutcome(item: "mug", costCoins: 40, costCredit: .zero, status: "cancelled", postings: []))
        }),
        ("wheel.nothing-left", {
            var random = SeededRandom(seed: 1)
            let rich = Fixtures.member(lots: [Lot(id: "c", account: .coins, remaining: 100, createdAt: now)])
            var program = engine.program
            program.wheel?.segments = [WheelRules.Segment(id: "mug", label: nil, weight: 1, prize: .init(kind: .catalogueGift, item: "mug"), stock: 1)]
            _ = try LoyaltyEngine(program: program).spin(key: "s", member: rich, at: now, state: WheelState(won: ["mug": 1]), random: &random)
        }),
        ("wheel.weekly-cap", {
            var random = SeededRandom(seed: 1)
            let rich = Fixtures.member(lots: [Lot(id: "c", account: .coins, remaining: 100, createdAt: now)])
            _ = try engine.spin(key: "s", member: rich, at: now, state: WheelState(spinsToday: 0, spinsThisWeek: 10), random: &random)
        }),
        ("enroll.self-referral", { _ = try engine.enroll(EnrollmentRequest(key: "e", member: "m-1", branch: "br-tehran-1", at: now, referredBy: "m-1")) }),
        ("enroll.unknown-customer-group", {
            _ = try engine.enroll(EnrollmentRequest(key: "e", member: "m-1", branch: "br-tehran-1", at: now, customerGroups: ["vip"]))
        }),
        ("behaviour.unknown", { _ = try engine.behaviour("dance", key: "b", member: "m-1", at: now) }),
    ]

    @Test(arguments: 0..<cases.count)
    func eachRefusalHasItsCode(_ index: Int) {
        let (expected, body) = Self.cases[index]
        #expect(Self.code(body) == expected)
    }
}
