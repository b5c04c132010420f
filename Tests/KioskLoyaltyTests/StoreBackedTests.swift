import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskStore
import Testing

@Suite("The engine through the store: one transaction per operation, idempotent")
struct StoreBackedTests {
    @Test func aPurchaseIsCommittedAsLedgerEntriesAndBalancesEqualTheLedger() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", birthday: "1990-11-24", groups: ["silver"])
        let committed = try t.service.purchase(t.purchase("p-1", "m-1", lines: [("dairy", 2_000_000), ("bakery", 6_000_000)]))
        #expect(committed.outcome.decision.winner == "birthday")
        let balances = try t.store.balances(of: "m-1")
        #expect(balances == (try t.store.ledgerBalances(of: "m-1")))
        // 50 welcome points + 80 + the 100-point birthday bonus; 1,600,000 offer credit + 80,000 cashback.
        #expect(balances.points == 230)
        #expect(balances.credit == Rial(1_680_000))
        #expect(balances.coins == 8)
        #expect(try t.store.check().isHealthy)
        // Every ledger entry records the program version.
        let versions = try DatabaseQueue(path: t.path).read { db in try String.fetchAll(db, sql: "SELECT DISTINCT program_version FROM ledger") }
        #expect(versions == ["2026-11-a"])
    }

    @Test func aRetriedPurchaseReturnsTheFirstOutcomeAndWritesNothing() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let request = t.purchase("p-1", "m-1", lines: [("bakery", 1_000_000)])
        let first = try t.service.purchase(request)
        let again = try t.service.purchase(request)
        #expect(again.replayed)
        #expect(again.outcome == first.outcome)
        #expect(try t.store.balances(of: "m-1").points == 50 + 10)
        var different = request
        different.lines[0].amount = Rial(2_000_000)
        do {
            _ = try t.service.purchase(different)
            Issue.record("a different request with the same key was accepted")
        } catch {
            #expect(error.code == "store:idempotency-conflict")
        }
        #expect(try t.store.balances(of: "m-1").points == 50 + 10)
    }

    @Test func aFullReturnThroughTheStoreLeavesBalancesAndTierAsBefore() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-0", "m-1", lines: [("bakery", 45_000_000)]))
        let before = try t.store.balances(of: "m-1")
        let tierBefore = try t.store.member(byCard: "card-m-1")?.tier
        #expect(tierBefore == "bronze")
        let bought = try t.service.purchase(t.purchase("p-1", "m-1", lines: [("household", 20_000_000)], credit: 100_000))
        #expect(bought.outcome.tierAfter == "silver")
        #expect(try t.store.member(byCard: "card-m-1")?.tier == "silver")
        let returned = try t.service.returnPurchase(ReturnRequest(key: "r-1", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 25),
                                                                  purchaseKey: "p-1", lines: [ReturnLine(line: 0, amount: Rial(20_000_000))]))
        #expect(returned.outcome.fullyReturned)
        #expect(returned.outcome.refundToCredit == Rial(100_000))
        #expect(try t.store.balances(of: "m-1") == before)
        #expect(try t.store.member(byCard: "card-m-1")?.tier == "bronze")
        #expect(try t.store.check().isHealthy)
        // Nothing more to return.
        #expect(throws: LoyaltyError.self) {
            try t.service.returnPurchase(ReturnRequest(key: "r-2", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 25),
                                                       purchaseKey: "p-1", lines: [ReturnLine(line: 0, amount: Rial(1))]))
        }
    }

    @Test func twoConcurrentRedemptionsOfASingleUseCodeExactlyOneWins() async throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        var random = SeededRandom(seed: 9)
        let issued = try t.service.issueVoucher(template: "prize-50k", key: "v-1", member: "m-1", branch: "br-tehran-1",
                                                operatorID: "op-1", at: TestStore.at(2026, 11, 20), random: &random)
        let code = issued.outcome.code
        for round in 0..<5 {
            // Two kiosks (two connection pools on the same file) redeem the same code at once.
            let other = try t.reopen()
            let code = round == 0 ? code : try t.service.issueVoucher(template: "prize-50k", key: "v-r\(round)", member: "m-1",
                                                                         branch: "br-tehran-1", operatorID: "op-1",
                                                                         at: TestStore.at(2026, 11, 20), random: &random).outcome.code
            let services = [t.service, other]
            let results = await withTaskGroup(of: Result<PurchaseOutcome, LoyaltyError>.self) { group in
                for (i, service) in services.enumerated() {
                    let request = t.purchase("p-\(round)-\(i)", "m-1", lines: [("bakery", 1_000_000)], voucher: code)
                    group.addTask {
                        do { return .success(try service.purchase(request).outcome) } catch let error as LoyaltyError {
                            return .failure(error)
                        } catch {
                            return .failure(.refused(Refusal("unexpected", "\(error)")))
                        }
                    }
                }
                var all: [Result<PurchaseOutcome, LoyaltyError>] = []
                for await r in group { all.append(r) }
                return all
            }
            let wins = results.compactMap { try? $0.get() }
            let losses = results.compactMap { r -> String? in if case .failure(let e) = r { e.code } else { nil } }
            #expect(wins.count == 1)
            #expect(wins.first?.voucher?.discount == Rial(500_000))
            #expect(losses == ["voucher.exhausted"])
        }
        let queue = try DatabaseQueue(path: t.path)
        let uses = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM voucher_redemptions") }
        #expect(uses == 5)
    }

    @Test func aSharedCodeRespectsItsPerMemberLimit() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        _ = try t.service.purchase(t.purchase("p-1", "m-1", lines: [("bakery", 3_000_000)], voucher: "welcome10"))
        _ = try t.service.purchase(t.purchase("p-2", "m-2", lines: [("bakery", 3_000_000)], voucher: "WELCOME10"))
        do {
            _ = try t.service.purchase(t.purchase("p-3", "m-1", lines: [("bakery", 3_000_000)], voucher: "WELCOME10"))
            Issue.record("a second use by the same member was accepted")
        } catch {
            #expect(error.code == "voucher.member-limit")
        }
    }

    @Test func aSpinIsCommittedBeforeItIsShownAndARetryNeverRerolls() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-1", "m-1", lines: [("bakery", 50_000_000)]))
        var random = SeededRandom(seed: 5)
        let at = TestStore.at(2026, 11, 24, 13)
        let first = try t.service.spin(key: "spin-1", member: "m-1", branch: "br-tehran-1", at: at, random: &random)
        // The kiosk crashed during the animation; the retry with another random source gets the same outcome.
        var other = SeededRandom(seed: 999)
        let retry = try t.service.spin(key: "spin-1", member: "m-1", branch: "br-tehran-1", at: at, random: &other)
        #expect(retry.replayed)
        #expect(retry.outcome == first.outcome)
        let stored = try #require(try t.store.spinAudit("spin-1"))
        let audit = try JSONDecoder().decode(SpinAudit.self, from: stored.audit)
        #expect(audit == first.outcome.audit)
        #expect(LoyaltyEngine.verify(audit) == nil)
        #expect(stored.sha256.count == 64)
    }

    @Test func theDailySpinCapIsCountedInTehransDay() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-1", "m-1", lines: [("bakery", 100_000_000)]))
        var random = SeededRandom(seed: 11)
        for i in 0..<3 {
            _ = try t.service.spin(key: "s-\(i)", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 24, 20, i), random: &random)
        }
        do {
            _ = try t.service.spin(key: "s-3", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 24, 23, 59), random: &random)
            Issue.record("a fourth spin on the same day was accepted")
        } catch {
            #expect(error.code == "wheel.daily-cap")
        }
        // 00:01 in Tehran is 20:31 UTC of the day before: a new day in the program's time zone.
        _ = try t.service.spin(key: "s-4", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 25, 0, 1), random: &random)
    }

    @Test func aGiftRequestAndItsCancellationMoveCoinsAndStock() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-1", "m-1", lines: [("bakery", 50_000_000)]))
        let coins = try t.store.balances(of: "m-1").coins
        #expect(coins == 45)
        let request = try t.service.requestGift("mug", key: "g-1", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 24, 14))
        #expect(request.outcome.status == "pending")
        #expect(try t.store.balances(of: "m-1").coins == 5)
        #expect(try t.store.catalogueStock()["mug"] == .some(24))
        _ = try t.service.cancelGift(request: "g-1", key: "g-1-cancel", branch: "br-tehran-1", operatorID: "op-1", at: TestStore.at(2026, 11, 24, 15))
        #expect(try t.store.balances(of: "m-1").coins == 45)
        #expect(try t.store.catalogueStock()["mug"] == .some(25))
        #expect(throws: LoyaltyError.self) {
            try t.service.cancelGift(request: "g-1", key: "g-1-cancel-2", branch: "br-tehran-1", operatorID: "op-1", at: TestStore.at(2026, 11, 24, 16))
        }
    }

    @Test func theSweepExpiresLotsAndRemindersListWhatExpiresSoon() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", at: TestStore.at(2025, 11, 1))
        try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2025, 11, 2), lines: [("bakery", 1_000_000)]))
        let soon = try t.service.expiringSoon(within: 30, at: TestStore.at(2026, 10, 20))
        #expect(Set(soon.map(\.account)) == [.points])
        #expect(soon.reduce(0) { $0 + $1.remaining } == 60)
        let results = try t.service.sweep(at: TestStore.at(2026, 11, 24), branch: "br-tehran-1")
        #expect(results.first?.expired["points"] == 60)
        #expect(try t.store.balances(of: "m-1").points == 0)
        // The 1 % cashback (180 days) expired too.
        #expect(try t.store.balances(of: "m-1").credit == .zero)
        #expect(try t.service.sweep(at: TestStore.at(2026, 11, 24), branch: "br-tehran-1").isEmpty)
    }

    @Test func aReferredMembersFirstPurchaseRewardsTheReferrer() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", ownCode: "ALI-1")
        let referee = try t.enroll("m-2", referralCode: "ALI-1")
        #expect(referee.outcome.welcomePoints == 70)
        #expect(try t.store.balances(of: "m-1").points == 50)
        try t.service.purchase(t.purchase("p-1", "m-2", lines: [("bakery", 1_000_000)]))
        #expect(try t.store.balances(of: "m-1").points == 150)
        #expect(try t.store.balances(of: "m-1").coins == 5)
        #expect(try t.store.staffCommissions()["op-1"] == 100_000)
        // The referee returns that first purchase in full: the reward goes back, and is paid at
        // their next purchase instead.
        try t.service.returnPurchase(ReturnRequest(key: "r-1", member: "m-2", branch: "br-tehran-1", at: TestStore.at(2026, 11, 25),
                                                   purchaseKey: "p-1", lines: [ReturnLine(line: 0, amount: Rial(1_000_000))]))
        #expect(try t.store.balances(of: "m-1").points == 50)
        try t.service.purchase(t.purchase("p-2", "m-2", at: TestStore.at(2026, 11, 26), lines: [("bakery", 1_000_000)]))
        #expect(try t.store.balances(of: "m-1").points == 150)
        // The referrer spends the reward's coins before the referee returns again: the coins are
        // taken from what is left and the rest is recorded as a debt (the example's clamp policy).
        try t.service.purchase(t.purchase("p-3", "m-1", at: TestStore.at(2026, 11, 26), lines: [("bakery", 40_000_000)]))
        var random = SeededRandom(seed: 1)
        for i in 0..<3 { _ = try? t.service.spin(key: "spin-\(i)", member: "m-1", branch: "br-tehran-1", at: TestStore.at(2026, 11, 26, 13, i), random: &random) }
        try t.service.returnPurchase(ReturnRequest(key: "r-2", member: "m-2", branch: "br-tehran-1", at: TestStore.at(2026, 11, 27),
                                                   purchaseKey: "p-2", lines: [ReturnLine(line: 0, amount: Rial(1_000_000))]))
        #expect(try t.store.balances(of: "m-1") == (try t.store.ledgerBalances(of: "m-1")))
        #expect(try t.store.balances(of: "m-1").coins >= 0)
    }

    @Test func theDailySweepGrantsTheDaysOccasionsAndRemindsOfExpiringLotsOnce() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", birthday: "1990-11-24", at: TestStore.at(2025, 11, 1))
        try t.enroll("m-2", birthday: "1990-05-05", at: TestStore.at(2025, 11, 1))
        try t.service.purchase(t.purchase("p-1", "m-1", at: TestStore.at(2025, 11, 20), lines: [("bakery", 1_000_000)]))
        let results = try t.service.sweep(at: TestStore.at(2026, 11, 24, 1), branch: "br-tehran-1")
        let m1 = try #require(results.first { $0.member == "m-1" })
        #expect(m1.occasions == ["birthday"])
        #expect(try t.store.balances(of: "m-1").giftCredit == Rial(500_000))
        // The welcome points (365 days from 1 November 2025) have expired; the purchase's points
        // (until 20 November 2026) too; nothing else expires within 14 days but the new grant's.
        #expect(results.first { $0.member == "m-2" }?.occasions ?? [] == [])
        let again = try t.service.sweep(at: TestStore.at(2026, 11, 24, 2), branch: "br-tehran-1")
        #expect(again.allSatisfy { $0.occasions.isEmpty && $0.reminders.isEmpty })
        #expect(try t.store.balances(of: "m-1").giftCredit == Rial(500_000))
        // Two weeks before the grant expires (30 days), a reminder is sent, once.
        let later = try t.service.sweep(at: TestStore.at(2026, 12, 12), branch: "br-tehran-1")
        #expect(later.flatMap(\.reminders).map(\.account) == [.giftCredit])
        #expect(try t.service.sweep(at: TestStore.at(2026, 12, 13), branch: "br-tehran-1").flatMap(\.reminders).isEmpty)
    }

    @Test func twoConcurrentPurchasesCannotSpendTheSameCreditTwice() async throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.service.purchase(t.purchase("p-0", "m-1", at: TestStore.at(2026, 11, 1), lines: [("produce", 4_000_000)]))
        let credit = try t.store.balances(of: "m-1").credit.amount
        #expect(credit == 40_000)
        let other = try t.reopen()
        let services = [t.service, other]
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for (i, service) in services.enumerated() {
                let request = t.purchase("p-\(i + 1)", "m-1", at: TestStore.at(2026, 11, 2), lines: [("produce", 100_000)], credit: credit)
                group.addTask { (try? service.purchase(request)) != nil }
            }
            var all: [Bool] = []
            for await ok in group { all.append(ok) }
            return all
        }
        #expect(outcomes.filter { $0 }.count == 1)
        #expect(try t.store.balances(of: "m-1") == (try t.store.ledgerBalances(of: "m-1")))
        #expect(try t.store.balances(of: "m-1").credit.amount >= 0)
    }

    @Test func twoConcurrentPurchasesCountTwoVisitsAndTheVisitOfferFollowsTheOrder() async throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        let other = try t.reopen()
        for round in 0..<6 {
            // A member with 9 visits: the purchase that is the 10th visit gets no "more than 10
            // visits" offer, the one that is the 11th does, whichever kiosk commits first.
            let member = MemberID(rawValue: "m-\(round)")
            try t.enroll(member.rawValue)
            for visit in 0..<9 {
                try t.service.behaviour("visit", key: "visit-\(round)-\(visit)", member: member, branch: "br-tehran-1",
                                        at: TestStore.at(2026, 11, 1))
            }
            let services = [t.service, other]
            let outcomes = await withTaskGroup(of: PurchaseOutcome?.self) { group in
                for (i, service) in services.enumerated() {
                    let request = t.purchase("p-\(round)-\(i)", member.rawValue, at: TestStore.at(2026, 11, 2), lines: [("bakery", 1_000_000)])
                    group.addTask { try? service.purchase(request).outcome }
                }
                var all: [PurchaseOutcome?] = []
                for await outcome in group { all.append(outcome) }
                return all
            }.compactMap { $0 }
            #expect(outcomes.count == 2)
            #expect(outcomes.map(\.visitsAfter).sorted() == [10, 11])
            for outcome in outcomes {
                #expect(outcome.decision.winner == (outcome.visitsAfter == 11 ? "loyal-visits" : nil))
            }
            let state = try t.store.loyaltyMember(member, tierWindowStart: TestStore.at(2026, 1, 1))
            #expect(state?.visits == 11)
        }
    }
}
