import Foundation
import GRDB
import KioskCore

/// The result of `KioskStore.check()`: what `kiosk db check` prints. No personal data.
public struct HealthReport: Sendable, Codable, Hashable {
    public struct BalanceMismatch: Sendable, Codable, Hashable {
        public var memberID: MemberID
        public var account: String
        /// What the cache says.
        public var cached: Int64
        /// What the ledger sums to.
        public var ledger: Int64

        public init(memberID: MemberID, account: String, cached: Int64, ledger: Int64) {
            self.memberID = memberID
            self.account = account
            self.cached = cached
            self.ledger = ledger
        }
    }

    /// `PRAGMA integrity_check`'s lines; `["ok"]` when the file is sound.
    public var integrity: [String]
    public var foreignKeyViolations: Int
    public var appliedMigrations: [String]
    public var pendingMigrations: [String]
    public var unknownMigrations: [String]
    /// Cached balances that differ from the ledger (rebuilt and compared).
    public var balanceMismatches: [BalanceMismatch]
    /// Rows of the per-member summary (open lots, unlotted sums and debts, visits, tier days:
    /// `0011-member-summary`) that differ from the rows they sum, or are missing from either side.
    public var summaryMismatches: Int
    /// Business transactions without exactly one outbox event, those whose delivered event was
    /// pruned (as `outbox_pruned` accounts for them) aside.
    public var transactionsWithoutOneEvent: Int
    /// Outbox events whose payload is their transaction's result but whose transaction is
    /// missing or has no result: events that could not be forwarded.
    public var eventsWithoutTheirResult: Int
    /// Enrollment and import requests that still hold personal data (name, phone, birthday…)
    /// instead of its digest: only before migration `0012-personal-data-out-of-requests`.
    public var requestsWithPersonalData: Int = 0
    public var members: Int
    public var cards: Int
    public var ledgerRows: Int
    public var transactions: Int
    public var outboxPending: Int
    /// Delivered outbox events pruned after their retention (`pruneDeliveredOutbox`).
    public var outboxPruned: Int = 0
    public var fileBytes: Int64

    public var isHealthy: Bool {
        integrity == ["ok"] && foreignKeyViolations == 0 && pendingMigrations.isEmpty && unknownMigrations.isEmpty
            && balanceMismatches.isEmpty && summaryMismatches == 0 && transactionsWithoutOneEvent == 0 && eventsWithoutTheirResult == 0
            && requestsWithPersonalData == 0
    }

    /// What is wrong, in a few words (empty when healthy); no personal data.
    public var problemSummary: String {
        var problems: [String] = []
        if integrity != ["ok"] { problems.append("integrity: \(integrity.prefix(3).joined(separator: "; "))") }
        if foreignKeyViolations > 0 { problems.append("\(foreignKeyViolations) foreign key violations") }
        if !pendingMigrations.isEmpty { problems.append("pending migrations \(pendingMigrations.joined(separator: ", "))") }
        if !unknownMigrations.isEmpty { problems.append("unknown migrations \(unknownMigrations.joined(separator: ", "))") }
        if !balanceMismatches.isEmpty { problems.append("\(balanceMismatches.count) balances differ from their ledger") }
        if summaryMismatches > 0 { problems.append("\(summaryMismatches) member summary rows differ from their ledger and records") }
        if transactionsWithoutOneEvent > 0 { problems.append("\(transactionsWithoutOneEvent) transactions without exactly one outbox event") }
        if eventsWithoutTheirResult > 0 { problems.append("\(eventsWithoutTheirResult) outbox events without their result") }
        if requestsWithPersonalData > 0 { problems.append("\(requestsWithPersonalData) stored requests hold personal data (run kiosk db migrate)") }
        return problems.joined(separator: "; ")
    }
}

extension KioskStore {
    /// Checks the database: SQLite's integrity and foreign keys, the migrations, the balance cache
    /// rebuilt from the ledger and compared, one outbox event per business transaction, and a
    /// result behind every event whose payload is its transaction's result.
    public func check() throws(StoreError) -> HealthReport {
        try read("checking the store") { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            let foreignKeyViolations = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count
            let applied = try Schema.migrator.appliedIdentifiers(db)
            let known = Schema.migrator.migrations
            let hasSchema = try db.tableExists("ledger")
            var mismatches: [HealthReport.BalanceMismatch] = []
            var withoutEvent = 0
            var withoutResult = 0
            var summaryMismatches = 0
            var counts = [String: Int]()
            if hasSchema {
                let rows = try Row.fetchAll(db, sql: """
                    WITH sums AS (SELECT member_id, account, SUM(amount) AS total FROM ledger GROUP BY member_id, account)
                    SELECT COALESCE(s.member_id, b.member_id), COALESCE(s.account, b.account),
                           COALESCE(b.amount, 0), COALESCE(s.total, 0)
                    FROM sums s FULL OUTER JOIN balances b ON b.member_id = s.member_id AND b.account = s.account
                    WHERE COALESCE(b.amount, 0) <> COALESCE(s.total, 0)
                    ORDER BY 1, 2
                    """)
                mismatches = rows.map {
                    HealthReport.BalanceMismatch(memberID: MemberID(rawValue: $0[0]), account: $0[1], cached: $0[2], ledger: $0[3])
                }
                // A transaction without its event is accounted for only by pruning: exactly as
                // many as `outbox_pruned` counts (the kiosk's clock may have moved, so times prove
                // nothing here; counts do).
                let pruned = try OutboxPruned.read(db)
                let events = try Row.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(o.events > 1), 0), COALESCE(SUM(o.events IS NULL), 0)
                    FROM business_transactions t
                    LEFT JOIN (SELECT transaction_id, COUNT(*) AS events FROM outbox GROUP BY transaction_id) o
                        ON o.transaction_id = t.id
                    """)
                let (several, none): (Int, Int) = events.map { ($0[0], $0[1]) } ?? (0, 0)
                withoutEvent = several + abs(none - pruned.transactionEvents)
                counts["pruned"] = pruned.events
                if try db.tableExists("loyalty_lot_balances") {
                    summaryMismatches = try Int.fetchOne(db, sql: MemberSummarySchema.mismatchesSQL) ?? 0
                }
                if try OutboxPayloadSchema.isApplied(db) {
                    withoutResult = try Int.fetchOne(db, sql: """
                        SELECT COUNT(*) FROM outbox o LEFT JOIN business_transactions t ON t.id = o.transaction_id
                        WHERE o.payload_source = 'result' AND (t.result IS NULL OR length(t.result) = 0)
                        """) ?? 0
                }
                for table in ["members", "cards", "ledger", "business_transactions"] {
                    counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
                }
                counts["pending"] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
                let kinds = PersonalRequest.kinds
                let personal = try Row.fetchCursor(
                    db, sql: "SELECT kind, request FROM business_transactions WHERE kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))",
                    arguments: StatementArguments(kinds))
                var withPersonal = 0
                while let row = try personal.next() {
                    if PersonalRequest.carriesPersonalData(row[1], kind: row[0]) { withPersonal += 1 }
                }
                counts["personal"] = withPersonal
            }
            let pageCount = try Int64.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            let pageSize = try Int64.fetchOne(db, sql: "PRAGMA page_size") ?? 0
            return HealthReport(
                integrity: integrity,
                foreignKeyViolations: foreignKeyViolations,
                appliedMigrations: known.filter { applied.contains($0) },
                pendingMigrations: known.filter { !applied.contains($0) },
                unknownMigrations: applied.subtracting(known).sorted(),
                balanceMismatches: mismatches,
                summaryMismatches: summaryMismatches,
                transactionsWithoutOneEvent: withoutEvent,
                eventsWithoutTheirResult: withoutResult,
                requestsWithPersonalData: counts["personal"] ?? 0,
                members: counts["members"] ?? 0,
                cards: counts["cards"] ?? 0,
                ledgerRows: counts["ledger"] ?? 0,
                transactions: counts["business_transactions"] ?? 0,
                outboxPending: counts["pending"] ?? 0,
                outboxPruned: counts["pruned"] ?? 0,
                fileBytes: pageCount * pageSize)
        }
    }

    /// Rewrites the balance cache from the ledger and the per-member summary from the rows it sums
    /// (after `check` found mismatches). The ledger and the records are never touched. Returns how
    /// many cached balances and summary rows changed.
    @discardableResult
    public func rebuildBalances() throws(StoreError) -> Int {
        try write("rebuilding the balance cache") { db in
            let before = try Row.fetchAll(db, sql: "SELECT member_id, account, amount FROM balances ORDER BY 1, 2")
            try db.execute(sql: "DELETE FROM balances")
            try db.execute(sql: """
                INSERT INTO balances (member_id, account, amount)
                SELECT member_id, account, SUM(amount) FROM ledger GROUP BY member_id, account
                """)
            let after = try Row.fetchAll(db, sql: "SELECT member_id, account, amount FROM balances ORDER BY 1, 2")
            var summary = 0
            if try db.tableExists("loyalty_lot_balances") {
                summary = try Int.fetchOne(db, sql: MemberSummarySchema.mismatchesSQL) ?? 0
                try db.execute(sql: MemberSummarySchema.rebuild)
            }
            let old = Dictionary(before.map { ("\($0[0] as String)/\($0[1] as String)", $0[2] as Int64) }, uniquingKeysWith: { a, _ in a })
            let new = Dictionary(after.map { ("\($0[0] as String)/\($0[1] as String)", $0[2] as Int64) }, uniquingKeysWith: { a, _ in a })
            return Set(old.keys).union(new.keys).filter { old[$0] != new[$0] }.count + summary
        }
    }
}

extension KioskStore {
    /// Events waiting to be forwarded to the central API: a cheap query for status lines.
    public func outboxPending() throws(StoreError) -> Int {
        try read("counting pending events") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0
        }
    }
}

/// What `KioskStore.quickCheck()` finds: cheap enough for every start of the kiosk.
public struct QuickHealthReport: Sendable, Codable, Hashable {
    /// `PRAGMA quick_check`'s lines; `["ok"]` when the file's structure is sound.
    public var integrity: [String]
    public var pendingMigrations: [String]
    public var unknownMigrations: [String]
    public var outboxPending: Int

    public var isHealthy: Bool { integrity == ["ok"] && pendingMigrations.isEmpty && unknownMigrations.isEmpty }
}

extension KioskStore {
    /// A quick check for start-up: SQLite's `quick_check` (the file's structure, without
    /// matching every index to its table), the migrations and the outbox depth. It skips what
    /// `check()` recomputes from the whole ledger, which takes seconds on a large database.
    public func quickCheck() throws(StoreError) -> QuickHealthReport {
        try read("checking the store quickly") { db in
            let applied = try Schema.migrator.appliedIdentifiers(db)
            let known = Schema.migrator.migrations
            let pending = try db.tableExists("outbox")
                ? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE state = 'pending'") ?? 0 : 0
            return QuickHealthReport(
                integrity: try String.fetchAll(db, sql: "PRAGMA quick_check"),
                pendingMigrations: known.filter { !applied.contains($0) },
                unknownMigrations: applied.subtracting(known).sorted(),
                outboxPending: pending)
        }
    }
}
