import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

/// The staff operations at the counter (balance adjustment, gift hand-out, card replacement) on
/// a real SQLite file: what they commit, what they refuse, and that a retry never applies twice.
@Suite struct StaffOperationsTests {
    static let at = TestStore.at(2026, 11, 24, 12)

    func audit(_ t: TestStore) throws -> [String] {
        try DatabaseQueue(path: t.path).read { db in
            try String.fetchAll(db, sql: "SELECT action || ':' || operator_id || ':' || COALESCE(subject, '') FROM audit_log ORDER BY rowid")
        }
    }

    func events(_ t: TestStore) throws -> [String] { try t.store.outboxEvents().map(\.type) }

    // MARK: - Balance adjustment

    @Test func anAdditionIsANewLotWithTheAccountsExpiryAndTheManagerInTheAuditLog() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let points = try t.store.balances(of: "m-1").points
        let added = try t.service.adjustBalance(120, of: .points, reason: "goodwill", key: "adj-1", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: Self.at)
        #expect(added.outcome.amount == 120)
        #expect(added.outcome.postings.count == 1)
        #expect(added.outcome.postings[0].lot == LotID(rawValue: "adj-1/adjust"))
        // The example program's points expire after 365 days.
        let expiry = try #require(added.outcome.postings[0].expiresAt)
        #expect(abs(expiry.timeIntervalSince(Self.at) - 365 * 86_400) < 2 * 86_400)
        #expect(try t.store.balances(of: "m-1").points == points + 120)
        #expect(try events(t).last == "balance.adjusted")
        #expect(try audit(t).last == "balance-adjustment:op-1:m-1")
        // Credit is Rial; coins never expire in the example program.
        try t.service.adjustBalance(50_000, of: .credit, reason: "complaint", key: "adj-2", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-1", at: Self.at)
        #expect(try t.store.balances(of: "m-1").credit == Rial(50_000))
        let coins = try t.service.adjustBalance(7, of: .coins, reason: "correction", key: "adj-3", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: Self.at)
        #expect(coins.outcome.postings[0].expiresAt == nil)
        #expect(try t.store.balances(of: "m-1").coins == 7)
    }

    @Test func aDeductionSpendsTheSoonestExpiringLotsAndNeverGoesBelowZero() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.adjustBalance(30, of: .coins, reason: "correction", key: "adj-a", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-1", at: Self.at)
        let deducted = try t.service.adjustBalance(-20, of: .coins, reason: "correction", key: "adj-b", member: "m-1",
                                                   branch: "br-tehran-1", operatorID: "op-1", at: Self.at.addingTimeInterval(60))
        #expect(deducted.outcome.postings.map(\.amount) == [-20])
        #expect(deducted.outcome.postings.map(\.lot) == [LotID(rawValue: "adj-a/adjust")])
        #expect(try t.store.balances(of: "m-1").coins == 10)
        #expect {
            try t.service.adjustBalance(-11, of: .coins, reason: "correction", key: "adj-c", member: "m-1", branch: "br-tehran-1",
                                        operatorID: "op-1", at: Self.at.addingTimeInterval(120))
        } throws: { ($0 as? LoyaltyError)?.code == "adjust.insufficient" }
        #expect(try t.store.balances(of: "m-1").coins == 10)
    }

    @Test func aRetryAppliesOnceAndBadAdjustmentsAreRefusedWithTheirReason() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let before = try t.store.balances(of: "m-1").points
        let first = try t.service.adjustBalance(40, of: .points, reason: "goodwill", key: "adj-1", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: Self.at)
        let again = try t.service.adjustBalance(40, of: .points, reason: "goodwill", key: "adj-1", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: Self.at)
        #expect(!first.replayed && again.replayed)
        #expect(try t.store.balances(of: "m-1").points == before + 40)
        let cases: [(Int64, Account, String, String)] = [
            (0, .points, "goodwill", "adjust.bad-amount"),
            (AmountLimits.maxPosting + 1, .points, "goodwill", "adjust.bad-amount"),
            (.min, .coins, "goodwill", "adjust.bad-amount"),
            (10, .giftCredit, "goodwill", "adjust.bad-account"),
            (10, .points, "  ", "adjust.no-reason"),
        ]
        for (n, (amount, account, reason, code)) in cases.enumerated() {
            #expect {
                try t.service.adjustBalance(amount, of: account, reason: reason, key: "bad-\(n)", member: "m-1", branch: "br-tehran-1",
                                            operatorID: "op-1", at: Self.at)
            } throws: { ($0 as? LoyaltyError)?.code == code }
        }
        #expect {
            try t.service.adjustBalance(5, of: .points, reason: "goodwill", key: "adj-x", member: "nobody", branch: "br-tehran-1",
                                        operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "member.unknown" }
        #expect(try t.store.balances(of: "m-1").points == before + 40)
    }

    // MARK: - Gifts

    @Test func aPendingGiftIsHandedOutOnceToItsOwnMember() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        try t.service.adjustBalance(100, of: .coins, reason: "correction", key: "coins", member: "m-1", branch: "br-tehran-1",
                                    operatorID: "op-1", at: Self.at)
        try t.service.requestGift("mug", key: "g-1", member: "m-1", branch: "br-tehran-1", at: Self.at.addingTimeInterval(60))
        try t.service.requestGift("mug", key: "g-2", member: "m-1", branch: "br-tehran-1", at: Self.at.addingTimeInterval(120))
        #expect(try t.store.pendingGifts(of: "m-1").map(\.key) == ["g-1", "g-2"])
        #expect(try t.store.pendingGifts(of: "m-2").isEmpty)
        let coins = try t.store.balances(of: "m-1").coins
        #expect {
            try t.service.fulfilGift(request: "g-1", member: "m-2", key: "f-0", branch: "br-tehran-1", operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "catalogue.not-this-member" }
        let handed = try t.service.fulfilGift(request: "g-1", member: "m-1", key: "f-1", branch: "br-tehran-1", operatorID: "op-1",
                                              at: Self.at.addingTimeInterval(180))
        #expect(handed.outcome.status == "fulfilled" && handed.outcome.item == "mug" && handed.outcome.postings.isEmpty)
        #expect(try t.service.fulfilGift(request: "g-1", member: "m-1", key: "f-1", branch: "br-tehran-1", operatorID: "op-1",
                                         at: Self.at.addingTimeInterval(180)).replayed)
        #expect(try t.store.pendingGifts(of: "m-1").map(\.key) == ["g-2"])
        #expect(try t.store.balances(of: "m-1").coins == coins)  // paid at the request, never again
        #expect(try events(t).last == "gift.fulfilled")
        #expect(try audit(t).last == "gift-fulfilment:op-1:m-1")
        let linked = try DatabaseQueue(path: t.path).read { db in
            try String.fetchOne(db, sql: """
                SELECT t.idempotency_key FROM catalogue_requests r JOIN business_transactions t ON t.id = r.fulfilled_by
                WHERE r.idempotency_key = 'g-1' AND r.status = 'fulfilled'
                """)
        }
        #expect(linked == "f-1")
        #expect {
            try t.service.fulfilGift(request: "g-1", member: "m-1", key: "f-2", branch: "br-tehran-1", operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "catalogue.not-pending" }
        #expect {
            try t.service.fulfilGift(request: "g-9", member: "m-1", key: "f-3", branch: "br-tehran-1", operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "catalogue.unknown-request" }
        // A handed-out gift cannot be cancelled for a refund.
        #expect {
            try t.service.cancelGift(request: "g-1", key: "c-1", branch: "br-tehran-1", operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "catalogue.not-pending" }
    }

    // MARK: - Returns

    @Test func aReturnIsTakenFromTheLinesInOrderAndOnlyWhatIsLeftCanBeReturned() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2026, 11, 20, 10), lines: [("bakery", 1_000_000), ("dairy", 500_000)]))
        try t.service.purchase(t.purchase("p-2", "m-1", at: TestStore.at(2026, 11, 21, 10), lines: [("bakery", 300_000)]))
        #expect(try t.service.returnablePurchases(of: "m-1").map(\.key) == ["p-2", "p-1"], "newest first")
        let points = try t.store.balances(of: "m-1").points
        // 1,200,000 of p-1: all of its first line, 200,000 of the second.
        let partial = try t.service.returnAmount(Rial(1_200_000), ofPurchase: "p-1", key: "r-1", member: "m-1", branch: "br-tehran-1",
                                                 operatorID: "op-1", at: TestStore.at(2026, 11, 22, 10))
        #expect(partial.outcome.history.returnedGross == [1_000_000, 200_000])
        #expect(partial.outcome.pointsReversed > 0)
        #expect(try t.store.balances(of: "m-1").points == points - partial.outcome.pointsReversed)
        let left = try #require(try t.service.returnablePurchases(of: "m-1").first { $0.key == "p-1" })
        #expect(left.subtotal == Rial(1_500_000) && left.left == Rial(300_000))
        #expect {
            try t.service.returnAmount(Rial(300_001), ofPurchase: "p-1", key: "r-2", member: "m-1", branch: "br-tehran-1",
                                       operatorID: "op-1", at: TestStore.at(2026, 11, 22, 11))
        } throws: { ($0 as? LoyaltyError)?.code == "return.more-than-bought" }
        // Nothing typed: all that is left; then the purchase is no longer listed.
        let rest = try t.service.returnAmount(nil, ofPurchase: "p-1", key: "r-3", member: "m-1", branch: "br-tehran-1",
                                              operatorID: "op-1", at: TestStore.at(2026, 11, 22, 12))
        #expect(rest.outcome.fullyReturned)
        #expect(try t.service.returnablePurchases(of: "m-1").map(\.key) == ["p-2"])
        #expect {
            try t.service.returnAmount(nil, ofPurchase: "p-1", key: "r-4", member: "m-1", branch: "br-tehran-1",
                                       operatorID: "op-1", at: TestStore.at(2026, 11, 22, 13))
        } throws: { ($0 as? LoyaltyError)?.code.hasPrefix("return.") == true }
    }

    // MARK: - Cards

    @Test func aReplacementBindsTheNewCardAndBlocksEveryOldOneInOneOperation() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        #expect(try t.store.activeCards(of: "m-1") == ["card-m-1"])
        let replaced = try t.service.replaceCard(member: "m-1", with: "card-new", key: "r-1", branch: "br-tehran-1", operatorID: "op-1",
                                                 at: Self.at)
        #expect(replaced.outcome.blocked == ["card-m-1"])
        #expect(try t.store.activeCards(of: "m-1") == ["card-new"])
        #expect(try t.store.member(byCard: "card-m-1")?.cardBlocked == true)
        #expect(try t.store.member(byCard: "card-new")?.memberID == "m-1")
        #expect(try t.service.replaceCard(member: "m-1", with: "card-new", key: "r-1", branch: "br-tehran-1", operatorID: "op-1",
                                          at: Self.at).replayed)
        #expect(try events(t).last == "card.replaced")
        #expect(try audit(t).last == "card-replacement:op-1:m-1")
        // A card someone holds (here m-2's) is never taken over.
        #expect {
            try t.service.replaceCard(member: "m-1", with: "card-m-2", key: "r-2", branch: "br-tehran-1", operatorID: "op-1", at: Self.at)
        } throws: { ($0 as? LoyaltyError)?.code == "card.already-bound" }
        #expect(try t.store.member(byCard: "card-m-2")?.memberID == "m-2")
        #expect(try t.store.activeCards(of: "m-1") == ["card-new"])
    }

    @Test func aMemberIsFoundByAPhoneOnlyOneMemberHas() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        for (id, phone) in [("m-1", "09121111111"), ("m-2", "09122222222"), ("m-3", "09122222222")] {
            try t.service.enroll(Enrollment(key: "enroll-\(id)", member: MemberID(rawValue: id), branch: "br-tehran-1", operatorID: "op-1",
                                            at: TestStore.at(2026, 1, 1), phone: phone))
        }
        #expect(try t.store.member(byPhone: "09121111111") == "m-1")
        #expect(try t.store.member(byPhone: "09122222222") == nil)
        #expect(try t.store.member(byPhone: "09123333333") == nil)
    }
}
