import Foundation
import GRDB
import KioskCore

/// What erasing a member's personal data did.
public struct ErasureOutcome: Sendable, Hashable, Codable {
    public var member: MemberID
    /// False when there was nothing left to erase (erased before, or never given).
    public var erased: Bool
    /// The `member.erase` operation that recorded it.
    public var transactionID: TransactionID
    /// True when this idempotency key had erased before: nothing was done now.
    public var replayed: Bool
}

extension KioskStore {
    /// Erases a member's personal data (name, phone, birthday, anniversary, gender, interests and
    /// the key of the digest their requests hold) while everything that moves value stays: the
    /// member row, their cards, the ledger, the transactions and the outbox are untouched, so
    /// `check()` still passes and the balances are still those of the ledger.
    ///
    /// One `member.erase` operation records it: an audit row (operator, `member.erase`, the
    /// member id, never the data), and a `member.erased` event so that the central erases its copy.
    /// The deletion runs with SQLite's `secure_delete` on (the freed bytes are overwritten) and the
    /// WAL is checkpointed and truncated afterwards, so the data is gone from the database and
    /// its WAL; backups made before still hold it.
    @discardableResult
    public func erasePersonalData(of member: MemberID, key: IdempotencyKey, branch: BranchID, operatorID: OperatorID?,
                                  at date: Date = Date()) throws(StoreError) -> ErasureOutcome {
        guard try memberStatus(member) != nil else { throw StoreError(.notFound, "no member \(member) in this store") }
        let hadData = try read("looking for personal data") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM member_personal WHERE member_id = ?)", arguments: [member.rawValue]) ?? false
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        struct Body: Encodable { var member: MemberID; var erased: Bool }
        let request: Data
        let result: Data
        do {
            request = try encoder.encode(["member": member.rawValue])
            result = try encoder.encode(Body(member: member, erased: hadData))
        } catch {
            throw StoreError(.other, "encoding the erasure of \(member): \(error)")
        }
        let operation = BusinessOperation(
            idempotencyKey: key, kind: "member.erase", memberID: member, branchID: branch, operatorID: operatorID,
            occurredAt: date, request: request, result: result, postings: [],
            audit: AuditEntry(operatorID: operatorID, role: nil, action: "member.erase", subject: member.rawValue),
            event: .result(type: "member.erased"))
        let secureDelete: Int
        do {
            secureDelete = try writer.writeWithoutTransaction { db in
                let before = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
                try db.execute(sql: "PRAGMA secure_delete = ON")
                return before
            }
        } catch {
            throw StoreError.from(error, while: "preparing to erase")
        }
        let receipt: CommitReceipt
        do {
            receipt = try commit(operation) { db in
                try db.execute(sql: "DELETE FROM member_personal WHERE member_id = ?", arguments: [member.rawValue])
            }
        } catch {
            _ = try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA secure_delete = \(secureDelete)") }
            throw error
        }
        do {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = \(secureDelete)")
                _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
        } catch {
            throw StoreError.from(error, while: "checkpointing after the erasure (the erasure itself is committed)")
        }
        let erased = receipt.replayed ? ((try? JSONDecoder().decode(Stored.self, from: receipt.result))?.erased ?? false) : hadData
        return ErasureOutcome(member: member, erased: erased, transactionID: receipt.transactionID, replayed: receipt.replayed)
    }

    private struct Stored: Decodable { var erased: Bool }
}
