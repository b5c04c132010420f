import Foundation
import GRDB
import KioskCore
import KioskStore
import KioskTestSupport
import Testing

/// Personal data lives only in `member_personal`: the append-only requests of enrollments and
/// imports hold a keyed digest of it, and `erasePersonalData` removes it from the file while the
/// ledger stays whole.
@Suite struct PersonalDataTests {
    static let request = #"{"birthday":"1990-03-21","branch":"tehran-1","member":"m-new","name":"Parisa Karimi","phone":"09121234567"}"#

    private func enroll(_ fixture: StoreFixture, member: MemberID = "m-new", request: String = Self.request,
                        key: String = "enroll-new") throws -> CommitReceipt {
        let operation = BusinessOperation(
            idempotencyKey: try IdempotencyKey(key), kind: "enroll", memberID: member, branchID: StoreFixture.branch,
            operatorID: StoreFixture.cashier, occurredAt: Date(timeIntervalSince1970: 1_790_000_000),
            request: Data(request.utf8), result: Data(#"{"welcome":10}"#.utf8),
            postings: [LedgerPosting(memberID: member, account: .points, amount: 10, lotID: "lot-welcome")],
            audit: nil, event: .result(type: "member.joined"))
        return try fixture.store.commit(operation) { db in
            try KioskStore.insert(NewMember(id: member, personal: MemberPersonal(name: "Parisa Karimi", phone: "09121234567",
                                                                                 birthday: "1990-03-21"),
                                            branchID: StoreFixture.branch), at: operation.occurredAt, in: db)
        }
    }

    private func storedRequest(_ path: String, key: String) throws -> String {
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let data = try queue.read { db in try Data.fetchOne(db, sql: "SELECT request FROM business_transactions WHERE idempotency_key = ?", arguments: [key]) }
        return String(decoding: try #require(data), as: UTF8.self)
    }

    /// The database file and its WAL, as bytes.
    private func fileBytes(_ path: String) throws -> Data {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        if FileManager.default.fileExists(atPath: path + "-wal") { bytes += try Data(contentsOf: URL(fileURLWithPath: path + "-wal")) }
        return bytes
    }

    @Test func anEnrollmentsRequestHoldsADigestNotThePersonalData() throws {
        let fixture = try StoreFixture(members: 1)
        let first = try enroll(fixture)
        #expect(!first.replayed)
        let stored = try storedRequest(fixture.path, key: "enroll-new")
        #expect(!stored.contains("Parisa"))
        #expect(!stored.contains("09121234567"))
        #expect(!stored.contains("1990-03-21"))
        #expect(stored.contains(#""personal_hmac_sha256":""#))
        #expect(stored.contains(#""member":"m-new""#))
        #expect(try fixture.store.check().requestsWithPersonalData == 0)

        // The same request again replays; other personal data under the key is a conflict.
        let again = try enroll(fixture)
        #expect(again.replayed)
        #expect(again.transactionID == first.transactionID)
        #expect(try fixture.store.receipt(for: IdempotencyKey("enroll-new"), request: Data(Self.request.utf8))?.transactionID == first.transactionID)
        let otherPhone = Self.request.replacingOccurrences(of: "09121234567", with: "09127654321")
        #expect(throws: StoreError.self) { try enroll(fixture, request: otherPhone) }
        let key = try IdempotencyKey("enroll-new")
        let conflict = #expect(throws: StoreError.self) { try fixture.store.receipt(for: key, request: Data(otherPhone.utf8)) }
        #expect(conflict?.code == .idempotencyConflict)
    }

    @Test func erasingRemovesThePersonalDataFromTheFileAndKeepsTheLedgerWhole() throws {
        let fixture = try StoreFixture(members: 1)
        try enroll(fixture)
        try fixture.store.commit(StoreFixture.purchase("p-1", member: "m-new"))
        let balances = try fixture.store.balances(of: "m-new")
        try fixture.store.writerCheckpoint()
        // The test can see the data before it is erased.
        #expect(try fileBytes(fixture.path).range(of: Data("Parisa Karimi".utf8)) != nil)
        #expect(try fileBytes(fixture.path).range(of: Data("09121234567".utf8)) != nil)

        let outcome = try fixture.store.erasePersonalData(of: "m-new", key: IdempotencyKey("erase-1"), branch: StoreFixture.branch,
                                                          operatorID: StoreFixture.cashier)
        #expect(outcome.erased)
        #expect(!outcome.replayed)
        #expect(try fixture.store.personal(of: "m-new") == nil)
        #expect(try fixture.store.personal(of: "m0") != nil)
        #expect(try fixture.store.memberStatus("m-new") == "active")
        #expect(try fixture.store.balances(of: "m-new") == balances)
        #expect(try fixture.store.ledgerBalances(of: "m-new") == balances)
        let report = try fixture.store.check()
        #expect(report.isHealthy, "\(report.problemSummary)")

        let bytes = try fileBytes(fixture.path)
        #expect(bytes.range(of: Data("Parisa Karimi".utf8)) == nil)
        #expect(bytes.range(of: Data("09121234567".utf8)) == nil)
        #expect(bytes.range(of: Data("1990-03-21".utf8)) == nil)

        let queue = try DatabaseQueue(path: fixture.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let audit = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT operator_id, action, subject FROM audit_log WHERE action = 'member.erase'")
        }
        #expect(audit.count == 1)
        #expect(audit.first?[0] == StoreFixture.cashier.rawValue)
        #expect(audit.first?[2] == "m-new")
        let events = try fixture.store.outboxEvents(after: 0, limit: 100, pendingOnly: false).filter { $0.type == "member.erased" }
        #expect(events.count == 1)

        // The same erasure again does nothing; a later one finds nothing left; a retried
        // enrollment of the erased member still replays.
        #expect(try fixture.store.erasePersonalData(of: "m-new", key: IdempotencyKey("erase-1"), branch: StoreFixture.branch,
                                                    operatorID: StoreFixture.cashier).replayed)
        let later = try fixture.store.erasePersonalData(of: "m-new", key: IdempotencyKey("erase-2"), branch: StoreFixture.branch,
                                                        operatorID: nil)
        #expect(!later.erased)
        #expect(try fixture.store.receipt(for: IdempotencyKey("enroll-new"), request: Data(Self.request.utf8))?.replayed == true)
        let eraseKey = try IdempotencyKey("erase-3")
        let unknown = #expect(throws: StoreError.self) {
            try fixture.store.erasePersonalData(of: "nobody", key: eraseKey, branch: StoreFixture.branch, operatorID: nil)
        }
        #expect(unknown?.code == .notFound)
    }

    /// A database from before `0012-personal-data-out-of-requests`: an enrollment request with the
    /// member's personal data in it (and an anniversary found nowhere else in the file).
    @Test func theMigrationRewritesOldRequestsAndKeepsEveryCheckPassing() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("kiosk.sqlite")
        let old = #"{"anniversary":"2001-09-09","birthday":"1990-03-21","branch":"tehran-1","member":"m-new","name":"Parisa Karimi","phone":"09121234567"}"#
        do {
            let fixture = try StoreFixture(members: 1, in: directory)
            let receipt = try enroll(fixture)
            #expect(!receipt.replayed)
        }
        // Back to the old schema and the old row, as a kiosk before the migration wrote it.
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "DROP TRIGGER business_transactions_no_update")
                try db.execute(sql: "UPDATE business_transactions SET request = ? WHERE idempotency_key = 'enroll-new'", arguments: [Data(old.utf8)])
                try db.execute(sql: """
                    CREATE TRIGGER business_transactions_no_update BEFORE UPDATE ON business_transactions BEGIN
                        SELECT RAISE(ABORT, 'business transactions are append-only');
                    END;
                    """)
                try db.execute(sql: "ALTER TABLE member_personal DROP COLUMN digest_key")
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '0012-personal-data-out-of-requests'")
            }
        }
        #expect(try storedRequest(path, key: "enroll-new") == old)
        do {
            let before = try KioskStore(path: path, mode: .readOnly).check()
            #expect(before.requestsWithPersonalData == 1)
            #expect(!before.isHealthy)
        }

        let store = try KioskStore(path: path)
        let report = try store.check()
        #expect(report.isHealthy, "\(report.problemSummary)")
        #expect(report.requestsWithPersonalData == 0)
        let stored = try storedRequest(path, key: "enroll-new")
        #expect(!stored.contains("Parisa"))
        #expect(!stored.contains("2001-09-09"))
        #expect(stored.contains(#""personal_hmac_sha256":""#))
        // A retry of the old enrollment replays; the same key with other data is a conflict.
        #expect(try store.receipt(for: IdempotencyKey("enroll-new"), request: Data(old.utf8))?.replayed == true)
        let key = try IdempotencyKey("enroll-new")
        let conflict = #expect(throws: StoreError.self) {
            try store.receipt(for: key, request: Data(old.replacingOccurrences(of: "Parisa", with: "Maryam").utf8))
        }
        #expect(conflict?.code == .idempotencyConflict)
        // The old bytes are overwritten, not only unlinked.
        try store.writerCheckpoint()
        #expect(try fileBytes(path).range(of: Data("2001-09-09".utf8)) == nil)
    }
}
