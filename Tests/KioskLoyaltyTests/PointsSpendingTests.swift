import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// Points can be spent on catalogue gifts priced in points and converted into credit or coins
/// (issue #10, item 4), soonest-expiring first; and a refused operation of the loyalty service is
/// recorded under its key, so a retry gets the same refusal.
@Suite("Spending and converting points")
struct PointsSpendingTests {
    static let branch: BranchID = "br-tehran-1"

    /// The example program, changed as JSON and loaded through the loader (shape check and
    /// validator included).
    static func program(_ change: (inout [String: Any]) -> Void) throws -> Program {
        let data = try Data(contentsOf: TestStore.repositoryRoot.appendingPathComponent("kiosk/programs/example.json"))
        var object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        change(&object)
        return try ProgramLoader.load(try JSONSerialization.data(withJSONObject: object))
    }

    static func issues(_ change: (inout [String: Any]) -> Void) throws -> [String] {
        do {
            _ = try program(change)
            return []
        } catch let error as ProgramError {
            return error.issues.map { "\($0.path): \($0.problem)" }
        }
    }

    static let withTote: @Sendable (inout [String: Any]) -> Void = { program in
        var catalogue = program["catalogue"] as! [[String: Any]]
        catalogue.append(["id": "tote", "title": "Tote bag", "costPoints": 300, "stock": 3])
        program["catalogue"] = catalogue
    }

    static let withConversion: @Sendable (inout [String: Any]) -> Void = { program in
        var points = program["points"] as! [String: Any]
        points["conversion"] = ["credit": ["points": 100, "rial": 50_000], "coins": ["points": 50, "coins": 1], "minimumPoints": 100]
        program["points"] = points
    }

    /// The welcome points and two purchases a month apart: three points lots with different
    /// expiries.
    static func memberWithPointsLots(_ t: TestStore) throws {
        _ = try t.enroll("m-1")
        _ = try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2026, 3, 1), lines: [("dairy", 25_000_000)]))
        _ = try t.service.purchase(t.purchase("p-2", "m-1", at: TestStore.at(2026, 4, 1), lines: [("dairy", 40_000_000)]))
    }

    /// What spending `amount` soonest-expiring first takes from the member's points lots, worked
    /// out here from the lots themselves: "lot amount" per lot, in order.
    static func soonestFirst(_ amount: Int64, _ t: TestStore, at: Date) throws -> [String] {
        let lots = try t.service.state(of: "m-1", at: at).lots
            .filter { $0.account == .points && $0.remaining > 0 }
            .sorted { ($0.expiresAt ?? .distantFuture, $0.createdAt) < ($1.expiresAt ?? .distantFuture, $1.createdAt) }
        #expect(Set(lots.compactMap(\.expiresAt)).count == lots.count, "the lots expire on different days")
        var left = amount, out: [String] = []
        for lot in lots where left > 0 {
            let take = min(left, lot.remaining)
            out.append("\(lot.id.rawValue) \(-take)")
            left -= take
        }
        return out
    }

    @Test func aGiftPricedInPointsSpendsTheSoonestExpiringPointsAndItsCancellationGivesThemBack() throws {
        let t = try TestStore(program: try Self.program(Self.withTote))
        defer { t.cleanUp() }
        try Self.memberWithPointsLots(t)
        let before = try t.store.balances(of: "m-1")
        let at = TestStore.at(2026, 4, 2)
        let expected = try Self.soonestFirst(300, t, at: at)
        #expect(expected.count >= 2, "the gift takes more than one lot: \(expected)")
        let lotsBefore = try t.service.state(of: "m-1", at: at).lots
        let gift = try t.service.requestGift("tote", key: "g-1", member: "m-1", branch: Self.branch, at: at)
        #expect(gift.outcome.costPoints == 300)
        #expect(gift.outcome.postings.map { "\($0.lot?.rawValue ?? "-") \($0.amount)" } == expected)
        #expect(try t.store.balances(of: "m-1").points == before.points - 300)
        #expect(try t.store.check().isHealthy)
        // Not enough left for a second one: refused, nothing spent.
        if before.points - 300 < 300 {
            #expect(throws: LoyaltyError.self) { try t.service.requestGift("tote", key: "g-2", member: "m-1", branch: Self.branch, at: at) }
            #expect(try t.store.balances(of: "m-1").points == before.points - 300)
        }
        _ = try t.service.cancelGift(request: "g-1", key: "c-1", branch: Self.branch, operatorID: "op-1", at: at)
        #expect(try t.store.balances(of: "m-1").points == before.points)
        #expect(Set(try t.service.state(of: "m-1", at: at).lots) == Set(lotsBefore), "each lot has its points back")
    }

    @Test func aCatalogueItemHasExactlyOnePrice() throws {
        let both = try Self.issues { program in
            var catalogue = program["catalogue"] as! [[String: Any]]
            catalogue.append(["id": "tote", "title": "Tote bag", "costPoints": 300, "costCoins": 3])
            catalogue.append(["id": "cap", "title": "Cap", "costPoints": 0])
            program["catalogue"] = catalogue
        }
        #expect(both.contains { $0.hasPrefix("catalogue[2]") && $0.contains("exactly one of costCoins, costCredit and costPoints") }, "\(both)")
        #expect(both.contains { $0.hasPrefix("catalogue[3].costPoints") }, "\(both)")
        #expect(try Self.issues(Self.withTote).isEmpty)
    }

    @Test func pointsConvertIntoCreditAndCoinsAtTheProgramsRateSoonestExpiringFirst() throws {
        let t = try TestStore(program: try Self.program(Self.withConversion))
        defer { t.cleanUp() }
        try Self.memberWithPointsLots(t)
        let at = TestStore.at(2026, 4, 2)
        let before = try t.store.balances(of: "m-1")
        try #require(before.points >= 400)
        let soonest = try Self.soonestFirst(200, t, at: at)
        let credit = try t.service.convertPoints(200, to: .credit, key: "x-1", member: "m-1", branch: Self.branch, operatorID: nil, at: at)
        #expect(credit.outcome.amount == 100_000)
        #expect(credit.outcome.postings.dropLast().map { "\($0.lot?.rawValue ?? "-") \($0.amount)" } == soonest, "soonest-expiring first")
        let award = try #require(credit.outcome.postings.last)
        #expect(award.lot?.rawValue == "x-1/credit" && award.amount == 100_000 && award.reason == "award.conversion")
        let coins = try t.service.convertPoints(100, to: .coins, key: "x-2", member: "m-1", branch: Self.branch, operatorID: nil, at: at)
        #expect(coins.outcome.amount == 2)
        let after = try t.store.balances(of: "m-1")
        #expect(after.points == before.points - 300)
        #expect(after.credit.amount == before.credit.amount + 100_000)
        #expect(after.coins == before.coins + 2)
        #expect(try t.store.check().isHealthy)

        func refusal(_ points: Int64, _ account: Account, _ key: String) -> String? {
            do {
                _ = try t.service.convertPoints(points, to: account, key: key, member: "m-1", branch: Self.branch, operatorID: nil, at: at)
                return nil
            } catch {
                return error.code
            }
        }
        #expect(refusal(150, .credit, "x-3") == "points.bad-amount")
        #expect(refusal(50, .coins, "x-4") == "points.below-minimum")
        #expect(refusal(100_000_000, .credit, "x-5") == "points.insufficient")
        #expect(refusal(100, .giftCredit, "x-6") == "points.no-conversion")
        #expect(try t.store.balances(of: "m-1") == after, "refusals spend nothing")

        let plain = try TestStore()
        defer { plain.cleanUp() }
        try Self.memberWithPointsLots(plain)
        #expect(throws: LoyaltyError.self) {
            try plain.service.convertPoints(100, to: .credit, key: "x-1", member: "m-1", branch: Self.branch, operatorID: nil, at: at)
        }
    }

    @Test func aConversionWithoutARateOrWithAZeroRateIsRefusedByTheLoader() throws {
        let found = try Self.issues { program in
            var points = program["points"] as! [String: Any]
            points["conversion"] = ["credit": ["points": 0, "rial": 50_000], "minimumPoints": 0]
            program["points"] = points
        }
        #expect(found.contains { $0.hasPrefix("points.conversion.credit") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("points.conversion.minimumPoints") }, "\(found)")
        let empty = try Self.issues { program in
            var points = program["points"] as! [String: Any]
            points["conversion"] = [String: Any]()
            program["points"] = points
        }
        #expect(empty.contains { $0.hasPrefix("points.conversion") }, "\(empty)")
    }

    /// A refused request retried under its key gets the same refusal, even once the member could
    /// afford it; another request under the key is a conflict. Before, the retry was decided
    /// again and committed.
    @Test func aRefusedPurchaseRetriedUnderItsKeyGetsItsRecordedRefusal() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        _ = try t.enroll("m-1")
        let at = TestStore.at(2026, 3, 1)
        let paying = t.purchase("p-1", "m-1", at: at, lines: [("bakery", 2_000_000)], credit: 10_000)
        func code(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as LoyaltyError { return error.code } catch { return "\(error)" }
        }
        #expect(code { _ = try t.service.purchase(paying) } == "payment.credit-insufficient")
        // Now the member has credit enough, earned before the refused purchase's time.
        _ = try t.service.purchase(t.purchase("p-2", "m-1", at: at.addingTimeInterval(-3_600), lines: [("bakery", 90_000_000)]))
        #expect(try t.store.balances(of: "m-1").credit.amount >= 10_000)
        #expect(code { _ = try t.service.purchase(paying) } == "payment.credit-insufficient", "the retry gets the recorded refusal")
        var other = paying
        other.lines = [PurchaseLine(productGroup: "dairy", amount: Rial(3_000_000))]
        #expect(code { _ = try t.service.purchase(other) } == "request.idempotency-conflict")
        #expect(try t.store.loyaltyPurchase("p-1") == nil, "nothing was committed under the refused key")
        // A refused spin, the same way.
        var random = SeededRandom(seed: 1)
        let fresh = try TestStore()
        defer { fresh.cleanUp() }
        _ = try fresh.enroll("m-2")
        #expect(code { _ = try fresh.service.spin(key: "s-1", member: "m-2", branch: Self.branch, at: at, random: &random) } == "wheel.insufficient-coins")
        _ = try fresh.service.purchase(fresh.purchase("p-3", "m-2", at: at, lines: [("bakery", 500_000_000)]))
        #expect(code { _ = try fresh.service.spin(key: "s-1", member: "m-2", branch: Self.branch, at: at, random: &random) } == "wheel.insufficient-coins")
        #expect(code { _ = try fresh.service.spin(key: "s-2", member: "m-2", branch: Self.branch, at: at.addingTimeInterval(60), random: &random) } == nil,
                "a new key is decided afresh")
    }
}
