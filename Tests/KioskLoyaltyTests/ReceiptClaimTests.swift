import Foundation
import GRDB
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskReceipts
import KioskStore
import Testing

@Suite("Receipt claims through the store: genuine receipts only, claimed once, by one member")
struct ReceiptClaimTests {
    static let till = try! ReceiptSigningKey(id: "t1", seed: Array(0..<32))
    static let verifier = try! ReceiptVerifier(publicKeys: [till.publicKey])
    static let issuedDate = TestStore.at(2026, 11, 24, 10)
    static let issued = Int64(issuedDate.timeIntervalSince1970)
    static let now = TestStore.at(2026, 11, 24, 11)

    static func receipt(id: String = "R000123", total: Int64 = 8_000_000, issuedAt: Int64 = issued) -> Receipt {
        Receipt(pos: "pos-7", receiptID: id, branch: "br-tehran-1", issuedAt: issuedAt, total: total,
                lines: [ReceiptLine(productGroup: "dairy", amount: 2_000_000), ReceiptLine(productGroup: "bakery", amount: 6_000_000)])
    }

    /// Rows in the tables every commit writes to.
    func rows(_ t: TestStore) throws -> [Int] {
        try DatabaseQueue(path: t.path).read { db in
            try ["business_transactions", "ledger", "outbox", "loyalty_visits"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
    }

    func refusalCode(_ body: () throws(LoyaltyError) -> Void) -> String? {
        do { try body(); return nil } catch { return error.code }
    }

    @Test func aGenuineReceiptAwardsExactlyWhatTheSamePurchaseRecordedByStaffAwards() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1", groups: ["silver"])
        try t.enroll("m-2", groups: ["silver"])
        let claimed = try t.service.claimReceipt(try Self.till.payload(Self.receipt()), member: "m-1", verifier: Self.verifier, now: Self.now)
        #expect(!claimed.replayed)
        let staff = try t.service.purchase(t.purchase("p-1", "m-2", at: Self.issuedDate, lines: [("dairy", 2_000_000), ("bakery", 6_000_000)]))
        let (c, s) = (claimed.outcome, staff.outcome)
        #expect(c.subtotal == Rial(8_000_000))
        #expect(c.at == Self.issuedDate)
        #expect(c.branch == "br-tehran-1")
        #expect(c.points == s.points)
        #expect(c.coins == s.coins)
        #expect(c.cashback == s.cashback)
        #expect(c.offerCredit == s.offerCredit)
        #expect(c.decision == s.decision)
        #expect(c.appliedOffers == s.appliedOffers)
        #expect(c.visitsAfter == s.visitsAfter)
        #expect(c.tierAfter == s.tierAfter)
        #expect(c.raffleEntries == s.raffleEntries)
        let balances = try t.store.balances(of: "m-1")
        #expect(balances == (try t.store.balances(of: "m-2")))
        #expect(balances.points > 50) // more than the welcome points: the purchase earned
        #expect(balances == (try t.store.ledgerBalances(of: "m-1")))
        #expect(try t.store.check().isHealthy)
        let kind = try DatabaseQueue(path: t.path).read { db in
            try String.fetchOne(db, sql: "SELECT kind FROM business_transactions WHERE idempotency_key = 'receipt:br-tehran-1:pos-7:R000123'")
        }
        #expect(kind == "purchase")
    }

    @Test func refusedReceiptsGiveTheirReasonAndWriteNothing() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let before = try rows(t)
        let balances = try t.store.balances(of: "m-1")
        let genuine = try Self.till.payload(Self.receipt())
        let parts = genuine.split(separator: ".").map(String.init)
        let otherKey = try ReceiptSigningKey(id: "t1", seed: Array(repeating: 7, count: 32))
        // The total raised in the body, the till's signature kept.
        let tamperedBody = "pos-7|R000123|br-tehran-1|\(Self.issued)|80000000|dairy:2000000,bakery:78000000"
        let tampered = "KR2.t1.\(Data(tamperedBody.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")).\(parts[3])"
        let cases: [(String, Date, String)] = [
            (try otherKey.payload(Self.receipt()), Self.now, "receipt.badSignature"),
            (try ReceiptSigningKey(id: "t9", seed: Array(0..<32)).payload(Self.receipt()), Self.now, "receipt.unknownKey"),
            (ReceiptSigner(key: try ReceiptKey(Array(0..<32))).payload(Self.receipt()), Self.now, "receipt.retiredFormat"),
            (tampered, Self.now, "receipt.badSignature"),
            (try Self.till.payload(Self.receipt(total: 8_000_001)), Self.now, "receipt.totalMismatch"),
            (genuine, Self.issuedDate.addingTimeInterval(8 * 86_400), "receipt.expired"),
            (genuine, Self.issuedDate.addingTimeInterval(-3_600), "receipt.future"),
            (String(genuine.prefix(genuine.count - 5)), Self.now, "receipt.malformed"),
            ("not a receipt at all", Self.now, "receipt.malformed"),
            ("KR9.\(parts[1]).\(parts[2]).\(parts[3])", Self.now, "receipt.unsupportedVersion"),
            (String(repeating: "x", count: 5_000), Self.now, "receipt.tooLarge"),
        ]
        for (payload, now, expected) in cases {
            let code = refusalCode { () throws(LoyaltyError) in
                try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: now)
            }
            #expect(code == expected, "\(payload.prefix(40)) at \(now)")
        }
        #expect(try rows(t) == before)
        #expect(try t.store.balances(of: "m-1") == balances)
    }

    @Test func theSameMemberScanningTwiceGetsTheFirstOutcomeAndNothingIsWrittenTwice() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        let payload = try Self.till.payload(Self.receipt())
        let first = try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now)
        let afterFirst = try rows(t)
        let balances = try t.store.balances(of: "m-1")
        // Scanned again later (still within the window), and through another connection pool.
        let again = try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now.addingTimeInterval(86_400))
        let third = try t.reopen().claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now)
        #expect(!first.replayed)
        #expect(again.replayed && third.replayed)
        #expect(again.outcome == first.outcome)
        #expect(third.outcome == first.outcome)
        #expect(try rows(t) == afterFirst)
        #expect(try t.store.balances(of: "m-1") == balances)
    }

    @Test func anotherMemberScanningAClaimedReceiptIsRefused() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        let payload = try Self.till.payload(Self.receipt())
        try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now)
        let afterFirst = try rows(t)
        let m2 = try t.store.balances(of: "m-2")
        let code = refusalCode { () throws(LoyaltyError) in
            try t.service.claimReceipt(payload, member: "m-2", verifier: Self.verifier, now: Self.now)
        }
        #expect(code == "receipt.alreadyClaimed")
        #expect(try rows(t) == afterFirst)
        #expect(try t.store.balances(of: "m-2") == m2)
        // Another receipt of the same till is a different claim; the same id on another till too.
        try t.service.claimReceipt(try Self.till.payload(Self.receipt(id: "R000124")), member: "m-2", verifier: Self.verifier, now: Self.now)
        var otherTill = Self.receipt()
        otherTill.pos = "pos-8"
        try t.service.claimReceipt(try Self.till.payload(otherTill), member: "m-2", verifier: Self.verifier, now: Self.now)
        #expect(try rows(t)[0] == afterFirst[0] + 2)
    }

    @Test func aStaffOperationUnderTheClaimKeyIsNotReplayedAsAClaim() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        // A staff purchase that (by mistake) used the claim key with different lines.
        try t.service.purchase(t.purchase("receipt:pos-7:R000123", "m-1", at: Self.issuedDate, lines: [("dairy", 1_000_000)]))
        let payload = try Self.till.payload(Self.receipt())
        let code = refusalCode { () throws(LoyaltyError) in
            try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now)
        }
        #expect(code == "receipt.alreadyClaimed")
    }

    @Test func theSameTillAndReceiptIdAtTwoBranchesAreTwoClaims() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        let first = try t.service.claimReceipt(try Self.till.payload(Self.receipt()), member: "m-1", verifier: Self.verifier, now: Self.now)
        var elsewhere = Self.receipt()
        elsewhere.branch = "br-tehran-2"
        // Before the branch was in the key: refused as receipt.alreadyClaimed.
        let second = try t.service.claimReceipt(try Self.till.payload(elsewhere), member: "m-2", verifier: Self.verifier, now: Self.now)
        #expect(!second.replayed)
        #expect(second.receipt.transactionID != first.receipt.transactionID)
        #expect(second.outcome.branch == "br-tehran-2")
        #expect(try t.store.balances(of: "m-2").points > 50)
        #expect(try t.store.check().isHealthy)
    }

    @Test func aClaimCommittedUnderTheKeyWithoutTheBranchIsNeverClaimedAgain() throws {
        let t = try TestStore()
        defer { t.cleanUp() }
        try t.enroll("m-1")
        try t.enroll("m-2")
        // A claim as a kiosk before 2026-12-02 committed it: the same purchase under receipt:<pos>:<id>.
        let receipt = Self.receipt()
        var old = LoyaltyService.purchaseRequest(for: receipt, member: "m-1")
        old.key = receipt.legacyClaimKey
        let committed = try t.service.purchase(old)
        let before = try rows(t)
        let payload = try Self.till.payload(receipt)
        let again = try t.service.claimReceipt(payload, member: "m-1", verifier: Self.verifier, now: Self.now)
        #expect(again.replayed)
        #expect(again.receipt.transactionID == committed.receipt.transactionID)
        let code = refusalCode { () throws(LoyaltyError) in
            try t.service.claimReceipt(payload, member: "m-2", verifier: Self.verifier, now: Self.now)
        }
        #expect(code == "receipt.alreadyClaimed")
        #expect(try rows(t) == before)
        // The same till and receipt id at another branch is another receipt.
        var elsewhere = receipt
        elsewhere.branch = "br-tehran-2"
        #expect(!(try t.service.claimReceipt(try Self.till.payload(elsewhere), member: "m-2", verifier: Self.verifier, now: Self.now)).replayed)
    }
}
