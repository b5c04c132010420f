import Foundation
import KioskGzip
import KioskSync
import Testing

@Suite struct BackoffTests {
    @Test func theCeilingDoublesUpToTheCap() {
        let backoff = Backoff(base: 0.5, cap: 10)
        #expect((1...7).map { backoff.ceiling(afterFailures: $0) } == [0.5, 1, 2, 4, 8, 10, 10])
        #expect(backoff.ceiling(afterFailures: 10_000) == 10)
    }

    @Test func jitterStaysBetweenHalfAndAllOfTheCeiling() {
        let backoff = Backoff(base: 1, cap: 60)
        #expect(backoff.delay(afterFailures: 3, unit: 0) == 2)
        #expect(backoff.delay(afterFailures: 3, unit: 0.5) == 3)
        #expect(backoff.delay(afterFailures: 3, unit: 0.999_999) < 4)
    }

    @Test func retryAfterIsAFloorNotACeiling() {
        let backoff = Backoff(base: 1, cap: 60)
        #expect(backoff.delay(afterFailures: 1, unit: 0, retryAfter: 30) == 30)
        #expect(backoff.delay(afterFailures: 7, unit: 1, retryAfter: 2) == 60)
        #expect(backoff.delay(afterFailures: 1, unit: 0, retryAfter: 10_000_000) == 86_400)
    }
}

@Suite struct DeliveryPlanTests {
    let batch: [(sequence: Int64, eventID: String)] = [(1, "a"), (2, "b"), (3, "c")]

    @Test func acknowledgedEventsAreDeliveredAndRejectedOnesParked() {
        let plan = DeliveryPlan(batch: batch, outcome: .answered([
            .init(eventID: "a", status: .accepted), .init(eventID: "b", status: .rejected, reason: "id-reused"),
            .init(eventID: "c", status: .duplicate),
        ]))
        #expect(plan.delivered == [1, 3])
        #expect(plan.parked.map(\.sequence) == [2])
        #expect(plan.parked.map(\.reason) == ["id-reused"])
        #expect(plan.failure == nil)
    }

    @Test func anAnswerThatDoesNotNameEachEventOnceMarksNothing() {
        for answers: [DeliveryOutcome.EventAnswer] in [
            [.init(eventID: "a", status: .accepted), .init(eventID: "b", status: .accepted)],
            [.init(eventID: "a", status: .accepted), .init(eventID: "a", status: .accepted), .init(eventID: "b", status: .accepted)],
            [.init(eventID: "a", status: .accepted), .init(eventID: "b", status: .accepted), .init(eventID: "z", status: .accepted)],
        ] {
            let plan = DeliveryPlan(batch: batch, outcome: .answered(answers))
            #expect(plan.delivered.isEmpty)
            #expect(plan.parked.isEmpty)
            #expect(plan.stillPending == [1, 2, 3])
            #expect(plan.failure != nil)
        }
    }

    @Test func aConflictDeliversOnlyWhatTheCentralHolds() {
        let plan = DeliveryPlan(batch: batch, outcome: .conflict(duplicates: ["b", "x"], message: "repeated"))
        #expect(plan.delivered == [2])
        #expect(plan.stillPending == [1, 3])
    }

    @Test func aTransientFailureKeepsEverythingPendingWithRetryAfter() {
        let plan = DeliveryPlan(batch: batch, outcome: .transient(reason: "503", retryAfter: 9))
        #expect(plan.stillPending == [1, 2, 3])
        #expect(plan.retryAfter == 9)
        #expect(plan.delivered.isEmpty)
    }

    @Test func aMalformedBatchIsSplitAndAMalformedSingleEventParked() {
        #expect(DeliveryPlan(batch: batch, outcome: .malformed("bad")).split)
        let single = DeliveryPlan(batch: [(7, "g")], outcome: .malformed("type too long"))
        #expect(!single.split)
        #expect(single.parked.map(\.sequence) == [7])
    }
}

@Suite struct EventClaimsTests {
    let body = Data(#"{"member":"m0","postings":[{"member":"m0","account":"points","amount":120},{"member":"m0","account":"coins","amount":2}],"voucher":{"code":"V-1","discount":50000}}"#.utf8)

    @Test func aReceiptClaimUndoesEveryPostingOfItsPurchase() {
        let claims = EventClaims.claims(eventID: "receipt:pos1:r77", type: "purchase.recorded", payload: body)
        #expect(claims.first == .init(kind: .receipt, key: "receipt:pos1:r77",
                                      reversal: [.init(account: "points", amount: -120), .init(account: "coins", amount: -2)]))
    }

    @Test func aVoucherTakesItsDiscountBackFromCredit() {
        let claims = EventClaims.claims(eventID: "p-1", type: "purchase.recorded", payload: body)
        #expect(claims == [.init(kind: .voucher, key: "V-1", reversal: [.init(account: "credit", amount: -50000)])])
    }

    @Test func otherEventsClaimNothing() {
        #expect(EventClaims.claims(eventID: "receipt:pos1:r1", type: "member.joined", payload: body).isEmpty)
        #expect(EventClaims.claims(eventID: "p-2", type: "purchase.recorded", payload: Data(#"{"postings":[]}"#.utf8)).isEmpty)
    }
}

@Suite struct GzipTests {
    @Test func roundTrips() throws {
        let data = Data((0..<50_000).map { UInt8($0 % 7) })
        let compressed = try Gzip.compress(data)
        #expect(compressed.count < data.count / 10)
        #expect(compressed.prefix(2) == Data([0x1f, 0x8b]))
        #expect(try Gzip.decompress(compressed, limit: 1 << 20) == data)
    }

    @Test func refusesTruncatedDamagedAndOversizedStreams() throws {
        let data = Data(String(repeating: "loyalty ", count: 10_000).utf8)
        let compressed = try Gzip.compress(data)
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(compressed.prefix(compressed.count / 2), limit: 1 << 20) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(Data("not gzip at all".utf8), limit: 1 << 20) }
        #expect(throws: Gzip.Failure.self) { try Gzip.decompress(compressed, limit: 1000) }
    }
}
