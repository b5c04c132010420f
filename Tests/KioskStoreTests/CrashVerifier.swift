import Foundation
import GRDB
import KioskCore
import KioskStore
import StoreCrashStream

/// Checks a database the crash writer was writing when it was killed or lost its power, against
/// what CrashStream says each operation wrote. Returns what is wrong rather than recording it, so
/// that a test can also show that it sees a writer that loses commits.
struct CrashVerifier {
    let members: Int

    struct Outcome {
        /// How many of the stream's operations are committed (they are always a prefix).
        var committed = 0
        var problems: [String] = []
    }

    /// `reportedUpTo`: the last operation the writer reported as committed (-1 for none);
    /// `previous`: how many were committed at the previous check.
    func check(path: String, reportedUpTo lastOK: Int, previous: Int) throws -> Outcome {
        var outcome = Outcome()
        func problem(_ text: String) { outcome.problems.append(text) }

        let store = try KioskStore(path: path)
        let report = try store.check()
        if report.integrity != ["ok"] { problem("integrity_check: \(report.integrity.prefix(3))") }
        if !report.isHealthy { problem("check after the crash: \(report)") }
        let queue = try DatabaseQueue(path: path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? queue.close() }
        try queue.read { db in
            let keys = try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions WHERE kind = 'purchase'")
            let indices = Set(keys.compactMap { Int($0.dropFirst("crash-op-".count)) })
            if indices.count != keys.count { problem("\(keys.count) purchase keys but \(indices.count) distinct operations") }
            // Operations commit in order, so the committed ones are exactly 0..<n, n ≥ what the
            // writer reported and ≥ what was committed before.
            let committed = indices.count
            outcome.committed = committed
            if indices != Set(0..<committed) { problem("the committed operations are not a prefix of the stream") }
            if committed < lastOK + 1 {
                problem("an operation reported as committed is missing: \(committed) committed, the writer reported up to \(lastOK)")
            }
            if committed < previous { problem("\(committed) committed, fewer than the \(previous) committed before") }

            for table in ["ledger", "business_transactions"] {
                let duplicates = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (SELECT idempotency_key FROM \(table) GROUP BY idempotency_key HAVING COUNT(*) > 1)")
                if duplicates != 0 { problem("an idempotency key appears twice in \(table)") }
            }
            // Each committed operation wrote exactly its postings, one event, and its audit row.
            var expected: [String: Int64] = [:]
            let ledgerRows = try Row.fetchAll(db, sql: """
                SELECT t.idempotency_key, l.member_id, l.account, l.amount, l.lot_id
                FROM ledger l JOIN business_transactions t ON t.id = l.transaction_id
                WHERE t.kind = 'purchase' ORDER BY l.seq
                """)
            var rowsByOperation: [Int: [Row]] = [:]
            for row in ledgerRows { rowsByOperation[Int((row[0] as String).dropFirst("crash-op-".count)) ?? -1, default: []].append(row) }
            for i in 0..<committed {
                let postings = CrashStream.postings(i, members: members)
                let rows = rowsByOperation[i] ?? []
                if rows.count != postings.count { problem("operation \(i) has \(rows.count) ledger rows, expected \(postings.count)") }
                for (row, posting) in zip(rows, postings) {
                    if row[1] as String != posting.memberID.rawValue || row[2] as String != posting.account.rawValue
                        || row[3] as Int64 != posting.amount || row[4] as String? != posting.lotID?.rawValue {
                        problem("operation \(i) has a ledger row that differs from its posting: \(row)")
                    }
                }
                for posting in postings { expected["\(posting.memberID)/\(posting.account.rawValue)", default: 0] += posting.amount }
            }
            if !rowsByOperation.keys.allSatisfy({ $0 >= 0 && $0 < committed }) { problem("ledger rows of operations not committed") }
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox o JOIN business_transactions t ON t.id = o.transaction_id WHERE t.kind = 'purchase'")
            if events != committed { problem("\(events ?? -1) outbox events for \(committed) operations") }
            // Each event reads back with its operation's result as its payload, stored once.
            for i in 0..<committed {
                let event = try store.outboxEvent(for: CrashStream.key(i))
                if event?.payload != CrashStream.result(i) || event?.payloadIsTransactionResult != true {
                    problem("operation \(i)'s event does not read back as its result")
                }
            }
            let ownBytes = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(length(payload)), 0) FROM outbox WHERE payload_source = 'result'")
            if ownBytes != 0 { problem("an event carrying its transaction's result stores bytes of its own") }
            let audits = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log a JOIN business_transactions t ON t.id = a.transaction_id WHERE t.kind = 'purchase'")
            if audits != (0..<committed).filter({ $0 % 3 == 0 }).count { problem("\(audits ?? -1) audit rows for \(committed) operations") }
            // Every balance equals the sum of the operations committed, computed independently.
            let balances = try Row.fetchAll(db, sql: "SELECT member_id, account, amount FROM balances")
            var actual: [String: Int64] = [:]
            for row in balances { actual["\(row[0] as String)/\(row[1] as String)"] = row[2] }
            if actual.filter({ $0.value != 0 }) != expected.filter({ $0.value != 0 }) { problem("the balances differ from the committed operations' sums") }
        }
        return outcome
    }
}
