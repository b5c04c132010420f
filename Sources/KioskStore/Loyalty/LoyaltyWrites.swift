import Foundation
import GRDB
import KioskCore

/// Writes of the loyalty tables, each inside the transaction of the business operation that
/// causes it: call them from `commit(_:also:)`'s closure.
extension KioskStore {
    /// The id of the transaction being committed under `key` (its row is written before `also`).
    public static func transactionID(forKey key: IdempotencyKey, in db: Database) throws -> String {
        guard let id = try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM business_transactions WHERE idempotency_key = ?"), arguments: [key.rawValue]) else {
            throw StoreError(.notFound, "no transaction \(key) in this commit")
        }
        return id
    }

    /// Records a program version (once).
    public func recordProgram(version: String, body: Data, at date: Date) throws(StoreError) {
        try write("recording program \(version)") { db in
            try db.cachedStatement(sql: "INSERT OR IGNORE INTO loyalty_programs (version, body, loaded_at) VALUES (?, ?, ?)").execute(arguments: [version, body, date])
        }
    }

    /// Seeds the catalogue stock from a program: items not seen before get their stock; items
    /// already known keep what is left.
    public func seedCatalogue(_ items: [(id: String, stock: Int?)]) throws(StoreError) {
        try write("seeding the catalogue") { db in
            for item in items {
                try db.cachedStatement(sql: "INSERT OR IGNORE INTO catalogue_stock (item, stock) VALUES (?, ?)").execute(arguments: [item.id, item.stock])
            }
        }
    }

    public static func ensureLoyaltyMember(_ member: MemberID, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO loyalty_members (member_id) VALUES (?)").execute(arguments: [member.rawValue])
    }

    public static func markPurchased(_ member: MemberID, birthdayBonusYear: Int?, in db: Database) throws {
        try ensureLoyaltyMember(member, in: db)
        try db.cachedStatement(sql: "UPDATE loyalty_members SET has_purchased = 1, birthday_bonus_year = COALESCE(?, birthday_bonus_year) WHERE member_id = ?").execute(arguments: [birthdayBonusYear, member.rawValue])
    }

    public static func recordVisit(_ member: MemberID, delta: Int64, transaction: String, at: Date, in db: Database) throws {
        guard delta != 0 else { return }
        try db.cachedStatement(sql: "INSERT INTO loyalty_visits (member_id, transaction_id, delta, at) VALUES (?, ?, ?, ?)").execute(arguments: [member.rawValue, transaction, delta, at])
    }

    /// Refuses the commit (`staleState`) when the member's visit count is no longer `expected`,
    /// the count the engine read and decided on (another operation counted or took back a visit
    /// after this one read the member's state); the caller reads the state again and retries.
    public static func guardVisits(_ member: MemberID, expected: Int64, in db: Database) throws {
        let current = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT visits FROM loyalty_members WHERE member_id = ?"),
                                          arguments: [member.rawValue]) ?? 0
        if current != expected {
            throw StoreError(.staleState, "member \(member) has \(current) visits, not the \(expected) this operation read; read it again")
        }
    }

    public static func recordTierActivity(_ member: MemberID, amount: Int64, transaction: String, at: Date, in db: Database) throws {
        guard amount != 0 else { return }
        try db.cachedStatement(sql: "INSERT INTO loyalty_tier_activity (member_id, transaction_id, amount, at) VALUES (?, ?, ?, ?)").execute(arguments: [member.rawValue, transaction, amount, at])
    }

    /// Sets a member's tier and records the change (nothing when it does not change).
    public static func setTier(_ member: MemberID, from: String?, to: String?, transaction: String?, at: Date, in db: Database) throws {
        guard from != to else { return }
        try db.cachedStatement(sql: "UPDATE members SET tier = ? WHERE id = ?").execute(arguments: [to, member.rawValue])
        try db.cachedStatement(sql: "INSERT INTO loyalty_tier_changes (member_id, transaction_id, from_tier, to_tier, at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [member.rawValue, transaction, from, to, at])
    }

    /// Records a purchase; its outcome is the transaction's result.
    public static func recordPurchase(key: String, member: MemberID, transaction: String, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO loyalty_purchases (idempotency_key, transaction_id, member_id, at) VALUES (?, ?, ?, ?)").execute(arguments: [key, transaction, member.rawValue, at])
    }

    /// Records a return; refuses one computed from a history that another return has since
    /// replaced (two concurrent returns of the same purchase).
    public static func recordReturn(key: String, purchaseKey: String, previousHistory: Data?, history: Data, fullyReturned: Bool,
                                    transaction: String, at: Date, in db: Database) throws {
        let latest = try Data.fetchOne(try db.cachedStatement(sql: "SELECT history FROM loyalty_returns WHERE purchase_key = ? ORDER BY seq DESC LIMIT 1"), arguments: [purchaseKey])
        guard latest == previousHistory else {
            throw StoreError(.staleState, "the purchase \(purchaseKey) was returned by another operation meanwhile")
        }
        try db.cachedStatement(sql: """
            INSERT INTO loyalty_returns (idempotency_key, purchase_key, transaction_id, history, fully_returned, at)
            VALUES (?, ?, ?, ?, ?, ?)
            """).execute(arguments: [key, purchaseKey, transaction, history, fullyReturned, at])
    }

    public static func addDebt(_ member: MemberID, account: Account, amount: Int64, transaction: String, at: Date, in db: Database) throws {
        guard amount != 0 else { return }
        try db.cachedStatement(sql: "INSERT INTO loyalty_debts (member_id, account, amount, transaction_id, at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [member.rawValue, account.rawValue, amount, transaction, at])
    }

    /// What is left of one lot of a member: its row in the per-member summary
    /// (`loyalty_lot_balances`, kept by a trigger from the ledger), not a sum of the member's ledger
    /// rows, which grow with the member's history. A lot belongs to one member.
    static let lotBalanceSQL = "SELECT COALESCE(SUM(remaining), 0) FROM loyalty_lot_balances WHERE member_id = ? AND lot_id = ?"

    /// Refuses the commit if any of these members' lots would be overdrawn (another operation
    /// spent from it after this one read the member's state).
    public static func guardLots(_ lots: [(member: MemberID, lot: LotID)], in db: Database) throws {
        var seen = Set<[String]>()
        for (member, lot) in lots where seen.insert([member.rawValue, lot.rawValue]).inserted {
            let sum = try Int64.fetchOne(try db.cachedStatement(sql: lotBalanceSQL), arguments: [member.rawValue, lot.rawValue]) ?? 0
            if sum < 0 { throw StoreError(.staleState, "lot \(lot) would be overdrawn: the member's state changed; read it again") }
        }
    }

    /// Creates a generated voucher (a prize, or issued by staff).
    public static func insertVoucher(_ voucher: StoredVoucher, transaction: String?, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO vouchers (code, template, definition, issued_to, valid_from, valid_until, uses, max_uses, created_at, transaction_id)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)
            """).execute(arguments: [voucher.code, voucher.template, voucher.definition, voucher.issuedTo?.rawValue, voucher.validFrom,
                             voucher.validUntil, voucher.maxUses, at, transaction])
    }

    /// Redeems a voucher inside the purchase's transaction: takes one use if one is left and the
    /// member's own limit allows it, or fails with `.limitReached`. A shared code of the program
    /// enters the table at its first use (with `definition` and `maxUses`). SQLite runs one
    /// writer at a time, so of two concurrent redemptions of a single-use code exactly one wins.
    public static func redeemVoucher(code: String, definition: Data, maxUses: Int?, perMemberLimit: Int?, member: MemberID,
                                     transaction: String, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT OR IGNORE INTO vouchers (code, template, definition, uses, max_uses, created_at) VALUES (?, NULL, ?, 0, ?, ?)
            """).execute(arguments: [code, definition, maxUses, at])
        try db.cachedStatement(sql: "UPDATE vouchers SET uses = uses + 1 WHERE code = ? AND (max_uses IS NULL OR uses < max_uses)").execute(arguments: [code])
        guard db.changesCount == 1 else { throw StoreError(.limitReached, "voucher \(code) has been used up", refusalCode: "voucher.exhausted") }
        if let limit = perMemberLimit {
            let mine = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM voucher_redemptions WHERE code = ? AND member_id = ?"), arguments: [code, member.rawValue]) ?? 0
            guard mine < limit else { throw StoreError(.limitReached, "voucher \(code) was already used by this member", refusalCode: "voucher.member-limit") }
        }
        try db.cachedStatement(sql: "INSERT INTO voucher_redemptions (code, member_id, transaction_id, at) VALUES (?, ?, ?, ?)").execute(arguments: [code, member.rawValue, transaction, at])
    }

    /// Gives a voucher use back (the purchase that used it was fully returned).
    public static func releaseVoucher(code: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE vouchers SET uses = uses - 1 WHERE code = ? AND uses > 0").execute(arguments: [code])
    }

    /// Takes one of a catalogue item from the stock, or fails with `.limitReached`.
    public static func takeStock(_ item: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO catalogue_stock (item, stock) VALUES (?, NULL)").execute(arguments: [item])
        try db.cachedStatement(sql: "UPDATE catalogue_stock SET stock = stock - 1 WHERE item = ? AND stock IS NOT NULL AND stock > 0").execute(arguments: [item])
        if db.changesCount == 0 {
            let unlimited = try Bool.fetchOne(try db.cachedStatement(sql: "SELECT stock IS NULL FROM catalogue_stock WHERE item = ?"), arguments: [item]) ?? false
            if !unlimited { throw StoreError(.limitReached, "\(item) is out of stock", refusalCode: "catalogue.out-of-stock") }
        }
    }

    public static func putBackStock(_ item: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE catalogue_stock SET stock = stock + 1 WHERE item = ? AND stock IS NOT NULL").execute(arguments: [item])
    }

    public static func recordCatalogueRequest(key: String, member: MemberID, item: String, outcome: Data, transaction: String,
                                              at: Date, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO catalogue_requests (idempotency_key, member_id, item, transaction_id, status, outcome, requested_at)
            VALUES (?, ?, ?, ?, 'pending', ?, ?)
            """).execute(arguments: [key, member.rawValue, item, transaction, outcome, at])
    }

    /// Marks a pending request cancelled, or fails with `.limitReached` if it is not pending.
    public static func cancelCatalogueRequest(key: String, transaction: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE catalogue_requests SET status = 'cancelled', cancelled_by = ? WHERE idempotency_key = ? AND status = 'pending'").execute(arguments: [transaction, key])
        guard db.changesCount == 1 else { throw StoreError(.limitReached, "request \(key) is not pending", refusalCode: "catalogue.not-pending") }
    }

    /// Records a spin and checks, inside the transaction, that it keeps within the caps (counting
    /// the spins of its day and week up to its own time, itself included), the segment's stock
    /// and its budget; fails with `.limitReached` otherwise.
    public static func recordSpin(_ spin: SpinRecord, limits: SpinLimits, transaction: String, in db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO wheel_spins (idempotency_key, member_id, transaction_id, at, day_start, week_start, segment, prize_rial, audit, audit_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """).execute(arguments: [spin.key, spin.memberID.rawValue, transaction, spin.at, spin.dayStart, spin.weekStart, spin.segment,
                             spin.prizeRial, spin.audit, spin.auditSHA256])
        if let cap = limits.capPerDay {
            let n = try spinCount(spin.memberID, from: spin.dayStart, until: spin.at, in: db)
            if n > cap { throw StoreError(.limitReached, "the daily spin limit is reached", refusalCode: "wheel.daily-cap") }
        }
        if let cap = limits.capPerWeek {
            let n = try spinCount(spin.memberID, from: spin.weekStart, until: spin.at, in: db)
            if n > cap { throw StoreError(.limitReached, "the weekly spin limit is reached", refusalCode: "wheel.weekly-cap") }
        }
        try db.cachedStatement(sql: """
            INSERT INTO wheel_segment_totals (segment, won, spent) VALUES (?, 1, ?)
            ON CONFLICT(segment) DO UPDATE SET won = won + 1, spent = spent + excluded.spent
            """).execute(arguments: [spin.segment, spin.prizeRial])
        let totals = try Row.fetchOne(try db.cachedStatement(sql: "SELECT won, spent FROM wheel_segment_totals WHERE segment = ?"),
                                      arguments: [spin.segment])
        if let stock = limits.segmentStock, let won: Int = totals?[0], won > stock {
            throw StoreError(.limitReached, "\(spin.segment) is out of stock", refusalCode: "wheel.out-of-stock")
        }
        if let budget = limits.segmentBudget, let spent: Int64 = totals?[1], spent > budget {
            throw StoreError(.limitReached, "\(spin.segment)'s budget is spent", refusalCode: "wheel.budget")
        }
    }

    /// Records the grant of a yearly occasion's gift credit to a member for `year` (the
    /// occasion's year in the program's time zone), or fails with `.limitReached`
    /// (`gift.already-granted`) when that member had it for that year already, by any path.
    public static func recordOccasionGrant(_ occasion: String, member: MemberID, year: Int, transaction: String, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO loyalty_occasion_grants (member_id, occasion, year, transaction_id) VALUES (?, ?, ?, ?)")
            .execute(arguments: [member.rawValue, occasion, year, transaction])
        guard db.changesCount == 1 else {
            throw StoreError(.limitReached, "member \(member) had the \(occasion) gift credit of \(year) already", refusalCode: "gift.already-granted")
        }
    }

    public static func addRaffleEntries(_ raffle: String, member: MemberID, entries: Int64, transaction: String, at: Date, in db: Database) throws {
        guard entries != 0 else { return }
        try db.cachedStatement(sql: "INSERT INTO raffle_entries (raffle_id, member_id, entries, transaction_id, at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [raffle, member.rawValue, entries, transaction, at])
    }

    public static func recordCommission(operatorID: OperatorID, member: MemberID, amount: Int64, transaction: String, at: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO staff_commissions (operator_id, member_id, amount, transaction_id, at) VALUES (?, ?, ?, ?, ?)").execute(arguments: [operatorID.rawValue, member.rawValue, amount, transaction, at])
    }
}

extension KioskStore {
    /// Undoes "has purchased" when a member's first purchase is fully returned, so that the
    /// first-purchase rewards (referral, commission) are paid again at the next real purchase.
    public static func resetFirstPurchase(_ member: MemberID, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE loyalty_members SET has_purchased = 0 WHERE member_id = ?").execute(arguments: [member.rawValue])
    }
}
