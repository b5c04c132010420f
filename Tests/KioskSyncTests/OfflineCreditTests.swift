import Foundation
import KioskCore
import KioskLoyalty
import KioskStore
import KioskSync
import KioskTestSupport
import Testing

/// The offline credit limit: what a kiosk lets a member spend while the central has not heard.
struct OfflineCreditTests {
    let m0 = MemberID(rawValue: "m0")

    @Test func spendsUpToTheLimitAreAllowedAndOneRialMoreIsRefused() {
        let limit = OfflineCreditLimit(perMember: Rial(500_000), overrides: [MemberID(rawValue: "vip"): Rial(2_000_000)])
        #expect(limit.decide(member: m0, wanted: Rial(200_000), awaitingCentral: Rial(300_000)) == .success(Rial(0)))
        #expect(limit.decide(member: m0, wanted: Rial(100_000), awaitingCentral: .zero) == .success(Rial(400_000)))
        let refused = limit.decide(member: m0, wanted: Rial(200_001), awaitingCentral: Rial(300_000))
        #expect(refused == .failure(OfflineCreditRefusal(member: m0, limit: Rial(500_000), awaitingCentral: Rial(300_000), wanted: Rial(200_001))))
        if case .failure(let refusal) = refused {
            #expect(refusal.remaining == Rial(200_000))
            #expect(refusal.description.contains("200000 left"))
        }
        #expect(limit.decide(member: MemberID(rawValue: "vip"), wanted: Rial(1_500_000), awaitingCentral: Rial(400_000)) == .success(Rial(100_000)))
        // No overflow past Int64: a huge spend is refused, not wrapped around to a small one.
        #expect((try? limit.decide(member: m0, wanted: Rial(.max), awaitingCentral: Rial(1)).get()) == nil)
        // A zero limit allows nothing but nothing.
        let none = OfflineCreditLimit(perMember: .zero)
        #expect(none.decide(member: m0, wanted: .zero, awaitingCentral: .zero) == .success(.zero))
        #expect(none.decide(member: m0, wanted: Rial(1), awaitingCentral: .zero) == .failure(
            OfflineCreditRefusal(member: m0, limit: .zero, awaitingCentral: .zero, wanted: Rial(1))))
    }

    @Test func moneySpentCountsUntilTheCentralAcknowledgesIt() async throws {
        let kiosk = try KioskUnderTest()
        try kiosk.post("topup", member: "m0", [(.credit, 1_000_000), (.giftCredit, 300_000)])
        try kiosk.post("other-member", member: "m1", [(.credit, 50_000)])
        #expect(try kiosk.store.moneySpentAwaitingCentral(by: m0) == .zero)
        try kiosk.post("spend-1", member: "m0", [(.credit, -250_000), (.points, 25)])
        try kiosk.post("spend-2", member: "m0", [(.credit, -100_000), (.giftCredit, -150_000)])
        try kiosk.post("m1-spend", member: "m1", [(.credit, -50_000)])
        #expect(try kiosk.store.moneySpentAwaitingCentral(by: m0) == Rial(500_000))
        #expect(try kiosk.store.moneySpentAwaitingCentral(by: MemberID(rawValue: "m1")) == Rial(50_000))

        let limit = OfflineCreditLimit(perMember: Rial(600_000))
        #expect(try limit.check(member: m0, wanted: Rial(100_000), in: kiosk.store) == .success(.zero))
        guard case .failure = try limit.check(member: m0, wanted: Rial(100_001), in: kiosk.store) else {
            Issue.record("a spend past the offline limit was allowed")
            return
        }

        // The central takes every event: nothing is spent on the kiosk's word any more.
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(.sqlite, directory: directory.path)
        try await central.start()
        let client = try central.client()
        let report = try await Forwarder(store: kiosk.store, uploader: client, sleep: { _ in }).flush()
        try await client.shutdown()
        await central.stop()
        #expect(report.remaining == 0)
        #expect(try kiosk.store.moneySpentAwaitingCentral(by: m0) == .zero)
        #expect(try limit.check(member: m0, wanted: Rial(600_000), in: kiosk.store) == .success(.zero))

        // A spend the central has not acknowledged counts again, parked events too.
        try kiosk.post("spend-3", member: "m0", [(.credit, -70_000)])
        let sequence = try #require(try kiosk.store.outboxEvents(limit: 10, pendingOnly: true).first?.sequence)
        try kiosk.store.parkOutboxEvent(sequence, reason: "test")
        #expect(try kiosk.store.moneySpentAwaitingCentral(by: m0) == Rial(70_000))
    }
}

extension KioskUnderTest {
    /// Commits an operation for `member` with the given postings (no engine: the amounts are the test's).
    func post(_ key: String, member: String, _ postings: [(Account, Int64)]) throws {
        let memberID = MemberID(rawValue: member)
        let body = Data("{\"key\":\"\(key)\"}".utf8)
        try store.commit(BusinessOperation(
            idempotencyKey: try IdempotencyKey(key), kind: "adjustment", memberID: memberID, branchID: Self.branch,
            occurredAt: Date(timeIntervalSince1970: 1_790_000_200), request: body, result: body,
            postings: postings.map { LedgerPosting(memberID: memberID, account: $0.0, amount: $0.1) },
            event: .result(type: "adjustment.recorded")))
    }
}
