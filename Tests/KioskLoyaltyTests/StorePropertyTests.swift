import Foundation
import GRDB
import KioskCore
@testable import KioskEngine
import KioskLoyalty
import KioskStore
import PropertyBased
import Testing

@Suite("Properties of random event streams through the store")
struct StorePropertyTests {
    static let groups = ["dairy", "bakery", "produce", "beverages", "household"]

    /// A random step: (kind, member, group, amount, minutes to wait).
    typealias Step = (kind: Int, member: Int, group: Int, amount: Int64, wait: Int)

    /// Runs an operation the program may refuse: a refusal is part of the stream; anything else
    /// (a store error) fails the property. Returns whether it was accepted.
    @discardableResult
    private func allowingRefusal(_ body: () throws -> Void) throws -> Bool {
        do {
            try body()
            return true
        } catch let error as LoyaltyError {
            if case .refused = error { return false }
            throw error
        }
    }

    /// Applies one random step. Purchases without credit and sweeps must succeed; a purchase
    /// paying with credit, a return, a spin and a gift may be refused by the program's rules.
    private func apply(_ step: Step, index: Int, t: TestStore, clock: inout Date, random: inout SeededRandom) throws {
        clock = clock.addingTimeInterval(TimeInterval(step.wait * 60))
        let member = "m-\(step.member)"
        let service = t.service
        switch step.kind {
        case 0, 1:
            _ = try service.purchase(t.purchase("p-\(index)", member, at: clock, lines: [(Self.groups[step.group], step.amount)]))
        case 2:
            try allowingRefusal {
                _ = try service.purchase(t.purchase("p-\(index)", member, at: clock, lines: [(Self.groups[step.group], step.amount)],
                                                    credit: step.amount / 3))
            }
        case 3:
            // Return part of the member's latest purchase.
            var latest: String?
            for candidate in (0..<index).reversed().map({ "p-\($0)" }) where try t.store.loyaltyPurchase(candidate)?.memberID.rawValue == member {
                latest = candidate
                break
            }
            if let key = latest {
                try allowingRefusal {
                    _ = try service.returnPurchase(ReturnRequest(key: "r-\(index)", member: MemberID(rawValue: member), branch: "br-tehran-1",
                                                                 at: clock, purchaseKey: key, lines: [ReturnLine(line: 0, amount: Rial(step.amount / 2 + 1))]))
                }
            }
        case 4:
            try allowingRefusal { _ = try service.spin(key: "s-\(index)", member: MemberID(rawValue: member), branch: "br-tehran-1", at: clock, random: &random) }
        case 5:
            try allowingRefusal { _ = try service.requestGift("mug", key: "g-\(index)", member: MemberID(rawValue: member), branch: "br-tehran-1", at: clock) }
        default:
            clock = clock.addingTimeInterval(TimeInterval(step.amount % 400) * 86_400)
            _ = try service.sweep(at: clock, keyPrefix: "sweep-\(index)", branch: "br-tehran-1")
        }
    }

    @Test func balancesAlwaysEqualLedgerSumsAndNoLotIsOverdrawn() async throws {
        await propertyCheck(count: 12, input: zip(Gen.int(in: 0...6), Gen.int(in: 0...2), Gen.int(in: 0...4),
                                                   Gen.int64(in: 1...80_000_000), Gen.int(in: 0...3000)).array(of: 5...25),
                            Gen.uint64()) { steps, seed in
            let t = try TestStore()
            defer { t.cleanUp() }
            for m in 0...2 { _ = try t.enroll("m-\(m)", birthday: m == 0 ? "1990-11-24" : nil, groups: m == 1 ? ["silver"] : []) }
            var clock = TestStore.at(2026, 1, 2)
            var random = SeededRandom(seed: seed)
            for (i, step) in steps.enumerated() {
                try apply((step.0, step.1, step.2, step.3, step.4), index: i, t: t, clock: &clock, random: &random)
                for m in 0...2 {
                    let id = MemberID(rawValue: "m-\(m)")
                    #expect(try t.store.balances(of: id) == t.store.ledgerBalances(of: id))
                }
            }
            // Every purchase without credit committed (a lower bound: the stream did something).
            let plain = steps.filter { $0.0 <= 1 }.count
            #expect(try t.store.check().transactions >= 3 + plain)
            #expect(try t.store.check().isHealthy)
            let overdrawn = try DatabaseQueue(path: t.path).read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT lot_id FROM ledger WHERE lot_id IS NOT NULL GROUP BY lot_id HAVING SUM(amount) < 0)")
            }
            #expect(overdrawn == 0)
        }
    }

    @Test func aPurchaseFollowedByItsFullReturnLeavesEveryBalanceAndTheTierAsBefore() async throws {
        await propertyCheck(count: 15, input: zip(Gen.int(in: 0...4), Gen.int64(in: 1...80_000_000)).array(of: 1...4),
                            Gen.int64(in: 0...60_000_000), Gen.int64(in: 0...2_000_000)) { raw, history, credit in
            let t = try TestStore()
            defer { t.cleanUp() }
            _ = try t.enroll("m-1", birthday: "1990-11-24", groups: ["silver"])
            let at = TestStore.at(2026, 11, 24, 17)
            if history > 0 { _ = try t.service.purchase(t.purchase("p-h", "m-1", at: at.addingTimeInterval(-86_400), lines: [("household", history)])) }
            let before = try t.store.balances(of: "m-1")
            let tierBefore = try #require(try t.store.member(byCard: "card-m-1")).tier
            let lines = raw.map { (Self.groups[$0.0], $0.1) }
            // At most half the subtotal: no offer takes more than 10 %, so the credit never exceeds what is due.
            let pay = min(credit, before.credit.amount, lines.reduce(0) { $0 + $1.1 } / 2)
            let bought: Committed<PurchaseOutcome>
            do {
                bought = try t.service.purchase(t.purchase("p-1", "m-1", at: at, lines: lines, credit: pay > 0 ? pay : nil))
            } catch {
                Issue.record("a valid purchase was refused: \(error)")
                return
            }
            _ = bought
            let back = try t.service.returnPurchase(ReturnRequest(key: "r-1", member: "m-1", branch: "br-tehran-1", at: at.addingTimeInterval(600),
                                                                  purchaseKey: "p-1", lines: lines.indices.map { ReturnLine(line: $0, amount: Rial(lines[$0].1)) }))
            #expect(back.outcome.fullyReturned)
            #expect(try t.store.balances(of: "m-1") == before)
            #expect(try #require(try t.store.member(byCard: "card-m-1")).tier == tierBefore)
        }
    }

    @Test func aVoucherIsNeverUsedBeyondItsLimit() async throws {
        await propertyCheck(count: 12, input: Gen.int(in: 1...4), Gen.int(in: 0...3).array(of: 1...12)) { limit, buyers in
            var program = try! TestStore.exampleProgram()
            program.vouchers?.codes?.append(VoucherDefinition(code: "LIMITED", kind: .shared, benefit: .amount, amount: Rial(10_000),
                                                              perMemberLimit: 2, totalLimit: limit))
            let t = try TestStore(program: program)
            defer { t.cleanUp() }
            for m in 0...3 { _ = try t.enroll("m-\(m)") }
            var accepted = 0
            var perMember: [Int: Int] = [:]
            for (i, m) in buyers.enumerated() {
                let purchase = try t.purchase("p-\(i)", "m-\(m)", lines: [("bakery", 100_000)], voucher: "LIMITED")
                if try allowingRefusal({ _ = try t.service.purchase(purchase) }) {
                    accepted += 1
                    perMember[m, default: 0] += 1
                }
            }
            #expect(accepted <= limit)
            #expect(perMember.values.allSatisfy { $0 <= 2 })
            // Every use the limits allowed was accepted.
            var expected = 0
            var counts: [Int: Int] = [:]
            for m in buyers where expected < limit && counts[m, default: 0] < 2 {
                expected += 1
                counts[m, default: 0] += 1
            }
            #expect(accepted == expected)
        }
    }

    @Test func theWheelNeverAwardsOutOfStockNorExceedsItsCaps() async throws {
        var program = try TestStore.exampleProgram()
        program.wheel?.capPerDay = 2
        program.wheel?.capPerWeek = 5
        program.wheel?.segments = [
            WheelRules.Segment(id: "mug", label: nil, weight: 5, prize: .init(kind: .catalogueGift, item: "mug"), stock: 2),
            WheelRules.Segment(id: "credit", label: nil, weight: 5, prize: .init(kind: .credit, amount: 100_000), budget: Rial(300_000)),
            WheelRules.Segment(id: "nothing", label: nil, weight: 1, prize: .init(kind: .nothing)),
        ]
        let wheelProgram = program
        await propertyCheck(count: 10, input: Gen.int(in: 0...1).array(of: 5...30), Gen.int(in: 0...600).array(of: 30), Gen.uint64()) { who, waits, seed in
            let t = try TestStore(program: wheelProgram)
            defer { t.cleanUp() }
            for m in 0...1 {
                _ = try t.enroll("m-\(m)")
                _ = try t.service.purchase(t.purchase("p-\(m)", "m-\(m)", at: TestStore.at(2026, 11, 20), lines: [("bakery", 500_000_000)]))
            }
            var random = SeededRandom(seed: seed)
            var clock = TestStore.at(2026, 11, 21, 9)
            var accepted = 0
            var spinsByMemberAndDay: [String: Int] = [:]
            for (i, m) in who.enumerated() {
                clock = clock.addingTimeInterval(TimeInterval(waits[i % waits.count] * 60))
                let day = "\(m)/\(Int(clock.timeIntervalSince1970 / 86_400))"
                let spun = try allowingRefusal {
                    _ = try t.service.spin(key: "s-\(i)", member: MemberID(rawValue: "m-\(m)"), branch: "br-tehran-1", at: clock, random: &random)
                }
                // Lower bound: a member's first spin of the stream is within every cap, so it is accepted.
                if spinsByMemberAndDay.isEmpty || !spinsByMemberAndDay.keys.contains(where: { $0.hasPrefix("\(m)/") }) {
                    #expect(spun, "the first spin of m-\(m) was refused")
                }
                if spun {
                    accepted += 1
                    spinsByMemberAndDay[day, default: 0] += 1
                }
            }
            let queue = try DatabaseQueue(path: t.path)
            let recorded = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wheel_spins") }
            #expect(recorded == accepted, "every accepted spin is recorded once")
            #expect(accepted >= 1)
            let mugs = try! queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM wheel_spins WHERE segment = 'mug'") }
            let credit = try! queue.read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(prize_rial), 0) FROM wheel_spins WHERE segment = 'credit'") }
            let perDay = try! queue.read { db in try Int.fetchOne(db, sql: "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM wheel_spins GROUP BY member_id, day_start)") }
            let perWeek = try! queue.read { db in try Int.fetchOne(db, sql: "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM wheel_spins GROUP BY member_id, week_start)") }
            #expect((mugs ?? 0) <= 2)
            #expect((credit ?? 0) <= 300_000)
            #expect((perDay ?? 0) <= 2)
            #expect((perWeek ?? 0) <= 5)
            #expect(try t.store.catalogueStock()["mug"] == .some(25 - (mugs ?? 0)))
        }
    }
}
