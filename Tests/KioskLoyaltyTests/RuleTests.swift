import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

@Suite("Rules that hold on every path, through the store")
struct RuleTests {
    private func giftCredit(_ t: TestStore, _ member: MemberID) throws -> Int64 {
        try t.store.balances(of: member).giftCredit.amount
    }

    @Test func aBirthdayIsGrantedOncePerMemberAndYearWhoeverGrantsIt() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", birthday: "1990-11-24")
        // The sweep at 00:30 on the birthday grants it…
        let swept = try t.service.sweep(at: TestStore.at(2026, 11, 24, 0, 30), branch: "br-tehran-1")
        #expect(swept.flatMap(\.occasions) == ["birthday"])
        #expect(try giftCredit(t, "m-1") == 500_000)
        // …so staff later the same day, twice, are refused, and so is a second sweep.
        for key in ["staff-1", "staff-2"] {
            do {
                _ = try t.service.grantGiftCredit(occasion: "birthday", key: key, member: "m-1", branch: "br-tehran-1",
                                                  operatorID: "op-1", at: TestStore.at(2026, 11, 24, 14))
                Issue.record("a second birthday grant in 2026 was accepted (\(key))")
            } catch {
                #expect(error.code == "gift.already-granted")
            }
        }
        let again = try t.service.sweep(at: TestStore.at(2026, 11, 24, 23, 0), branch: "br-tehran-1")
        #expect(again.flatMap(\.occasions) == [])
        #expect(try giftCredit(t, "m-1") == 500_000)
        // The next year's birthday is granted again, by staff first this time; then the sweep refrains.
        _ = try t.service.grantGiftCredit(occasion: "birthday", key: "staff-2027", member: "m-1", branch: "br-tehran-1",
                                          operatorID: "op-1", at: TestStore.at(2027, 11, 24, 9))
        let sweep2027 = try t.service.sweep(at: TestStore.at(2027, 11, 24, 10), branch: "br-tehran-1")
        #expect(sweep2027.flatMap(\.occasions) == [])
        // 2026's gift credit expired (30 days) and the 2027 sweep took it out; 2027's is there.
        #expect(try giftCredit(t, "m-1") == 500_000)
        let years = try DatabaseQueue(path: t.path).read { db in
            try Int.fetchAll(db, sql: "SELECT year FROM loyalty_occasion_grants WHERE member_id = 'm-1' AND occasion = 'birthday' ORDER BY year")
        }
        #expect(years == [2026, 2027])
    }

    @Test func twoStaffGrantsOfTheSameBirthdayPayOnce() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", birthday: "1990-11-24")
        _ = try t.service.grantGiftCredit(occasion: "birthday", key: "staff-1", member: "m-1", branch: "br-tehran-1",
                                          operatorID: "op-1", at: TestStore.at(2026, 11, 24, 9))
        // A retry under the same key is the same grant, not a refusal.
        let retry = try t.service.grantGiftCredit(occasion: "birthday", key: "staff-1", member: "m-1", branch: "br-tehran-1",
                                                  operatorID: "op-1", at: TestStore.at(2026, 11, 24, 9))
        #expect(retry.replayed)
        #expect(throws: LoyaltyError.self) {
            try t.service.grantGiftCredit(occasion: "birthday", key: "staff-2", member: "m-1", branch: "br-tehran-1",
                                          operatorID: "op-1", at: TestStore.at(2026, 11, 24, 18))
        }
        #expect(try giftCredit(t, "m-1") == 500_000)
        let rows = try DatabaseQueue(path: t.path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM loyalty_occasion_grants WHERE member_id = 'm-1' AND occasion = 'birthday' AND year = 2026")
        }
        #expect(rows == 1)
    }

    @Test func anApologyMayBeGrantedMoreThanOnce() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        for key in ["sorry-1", "sorry-2"] {
            _ = try t.service.grantGiftCredit(occasion: "apology", key: key, member: "m-1", branch: "br-tehran-1",
                                              operatorID: "op-1", at: TestStore.at(2026, 11, 24, 9))
        }
        #expect(try giftCredit(t, "m-1") == 2_000_000)
    }

    @Test func spinsDatedAfterTheSpinBeingDecidedDoNotCountAgainstItsCaps() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2026, 11, 23, 10), lines: [("bakery", 100_000_000)]))
        var random = SeededRandom(seed: 11)
        // A kiosk clock ahead recorded three spins on the 25th (the daily cap is 3)…
        for i in 0..<3 {
            _ = try t.service.spin(key: "ahead-\(i)", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 25, 10, i), random: &random)
        }
        // …then, stepped back, spins on the 24th: that day has none up to their own time.
        for i in 0..<3 {
            _ = try t.service.spin(key: "today-\(i)", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 24, 20, i), random: &random)
        }
        // The fourth of the 24th is refused by the daily cap, counted in the 24th alone.
        do {
            _ = try t.service.spin(key: "today-3", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 24, 21), random: &random)
            Issue.record("a fourth spin on the 24th was accepted")
        } catch {
            #expect(error.code == "wheel.daily-cap")
        }
    }

    @Test func aLimitTheStoreEnforcesCarriesItsRefusalCodeAsAField() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let queue = try DatabaseQueue(path: t.path)
        let tx = try #require(try queue.read { db in try String.fetchOne(db, sql: "SELECT id FROM business_transactions LIMIT 1") })
        do {
            try queue.write { db in
                try KioskStore.recordOccasionGrant("birthday", member: "m-1", year: 2026, transaction: tx, in: db)
                try KioskStore.recordOccasionGrant("birthday", member: "m-1", year: 2026, transaction: tx, in: db)
            }
            Issue.record("the second grant was recorded")
        } catch let error as StoreError {
            #expect(error.code == .limitReached)
            #expect(error.refusalCode == "gift.already-granted")
            #expect(!error.message.hasPrefix("gift.already-granted"))
        }
    }
}

@Suite("Points spent through the store and the replay")
struct PointsThroughTheStoreTests {
    @Test func aReplayedPurchaseSpendsPointsAndAReturnGivesThemBack() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        var replayer = try Replayer(service: t.service, random: SeededRandom(seed: 1), seed: 1, start: Date(timeIntervalSince1970: 0))
        let lines = [
            #"{"type": "enroll", "key": "e-1", "member": "m-1", "at": "2026-11-01T10:00:00+03:30"}"#,
            #"{"type": "purchase", "key": "p-1", "member": "m-1", "at": "2026-11-02T10:00:00+03:30", "lines": [{"group": "household", "amount": 40000000}]}"#,
            #"{"type": "purchase", "key": "p-2", "member": "m-1", "at": "2026-11-03T10:00:00+03:30", "lines": [{"group": "bakery", "amount": 1000000}], "redeemPoints": 300}"#,
            #"{"type": "purchase", "key": "p-3", "member": "m-1", "at": "2026-11-03T11:00:00+03:30", "lines": [{"group": "bakery", "amount": 1000000}], "redeemPoints": 501}"#,
            #"{"type": "return", "key": "r-2", "member": "m-1", "purchase": "p-2", "at": "2026-11-04T10:00:00+03:30", "lines": [{"line": 0, "amount": 1000000}]}"#,
        ]
        for (i, line) in lines.enumerated() { try replayer.apply(line: line, number: i + 1) }
        let events = try #require(try replayer.report(seed: 1).events)
        #expect(events.map(\.ok) == [true, true, true, false, true])
        #expect(events[3].refusal?.code == "points.above-maximum-share")
        // 50 welcome + p-1's points, − 300 spent by p-2 + 300 given back by its full return
        // (which also takes back p-2's own points).
        let balance = try t.store.balances(of: "m-1").points
        let p1 = try JSONDecoder().decode(PurchaseOutcome.self, from: try #require(try t.store.receipt(for: IdempotencyKey("p-1"))).result)
        #expect(try t.store.ledgerBalances(of: "m-1") == t.store.balances(of: "m-1"))
        let p2 = try #require(try t.store.receipt(for: IdempotencyKey("p-2")))
        let outcome = try JSONDecoder().decode(PurchaseOutcome.self, from: p2.result)
        #expect(outcome.pointsRedeemed == 300)
        #expect(outcome.pointsDiscount == Rial(300_000))
        #expect(outcome.due == Rial(700_000))
        #expect(outcome.postings.filter { $0.reason == "spend.points" }.reduce(0) { $0 + $1.amount } == -300)
        #expect(outcome.points.total == 7) // earned on the 700,000 paid, not the 1,000,000
        #expect(balance == 50 + p1.points.total)
    }
}
