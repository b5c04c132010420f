import Foundation
import GRDB

/// `0012-personal-data-out-of-requests`: personal data leaves the append-only requests.
///
/// Before it, an enrollment's and an import's `business_transactions.request` held the member's
/// name, phone and birthday as the caller sent them, in a row that triggers forbid changing or
/// deleting. The migration gives every member with a personal-data row a random digest key
/// (`member_personal.digest_key`), then rewrites each such request once, in place, to what
/// `PersonalRequest.stripped` makes of it (the personal fields replaced by their keyed digest,
/// every other byte kept), so that a retry of an old enrollment still replays. Old rows of a
/// member without a personal-data row are rewritten under a key that is thrown away. It lifts the
/// append-only trigger for the rewrite and puts the very same trigger back; SQLite's
/// `secure_delete` is on meanwhile, so the old bytes are overwritten in the file, not only
/// unlinked. Nothing else changes: transaction ids, keys, results, ledger and outbox are as before.
enum PersonalDataSchema {
    static let migration = "0012-personal-data-out-of-requests"

    static let noUpdateTrigger = """
        CREATE TRIGGER business_transactions_no_update BEFORE UPDATE ON business_transactions BEGIN
            SELECT RAISE(ABORT, 'business transactions are append-only');
        END;
        """

    static func migrate(_ db: Database) throws {
        let secureDelete = try Int.fetchOne(db, sql: "PRAGMA secure_delete") ?? 0
        try db.execute(sql: "PRAGMA secure_delete = ON")
        try db.execute(sql: "ALTER TABLE member_personal ADD COLUMN digest_key BLOB")
        for member in try String.fetchAll(db, sql: "SELECT member_id FROM member_personal") {
            try db.execute(sql: "UPDATE member_personal SET digest_key = ? WHERE member_id = ?",
                           arguments: [PersonalRequest.newKey(), member])
        }
        try db.execute(sql: "DROP TRIGGER business_transactions_no_update")
        let kinds = PersonalRequest.kinds
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, kind, member_id, request FROM business_transactions WHERE kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))",
            arguments: StatementArguments(kinds))
        for row in rows {
            let request: Data = row[3]
            let kind: String = row[1]
            guard PersonalRequest.carriesPersonalData(request, kind: kind) else { continue }
            let member: String? = row[2]
            let key = try member.flatMap { try PersonalRequest.key(of: $0, in: db) } ?? PersonalRequest.newKey()
            try db.execute(sql: "UPDATE business_transactions SET request = ? WHERE id = ?",
                           arguments: [PersonalRequest.stripped(request, kind: kind, key: key), row[0] as String])
        }
        try db.execute(sql: noUpdateTrigger)
        try db.execute(sql: "PRAGMA secure_delete = \(secureDelete)")
    }
}
