import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Everything the engine needs about a member, in one read transaction; nil for an unknown
    /// member. `tierWindowStart` is the start of the rolling tier window; `lots` says which lots to
    /// bring (all by default). Everything is read from the per-member summary
    /// (`0011-member-summary`), never from the member's whole history, so the read costs the same
    /// however many operations the member has behind them.
    public func loyaltyMember(_ memberID: MemberID, tierWindowStart: Date, lots: LotSelection = .all) throws(StoreError) -> LoyaltyMemberRecord? {
        try read("reading a member's loyalty state") { db in
            try Self.loyaltyMember(memberID, tierWindowStart: tierWindowStart, lots: lots, in: db)
        }
    }

    static func loyaltyMember(_ memberID: MemberID, tierWindowStart: Date, lots selection: LotSelection = .all,
                              in db: Database) throws -> LoyaltyMemberRecord? {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT m.status, m.tier, m.enrolled_at, m.enrolled_by, m.referred_by, m.customer_groups,
                       p.birthday, p.anniversary, l.has_purchased, l.birthday_bonus_year, COALESCE(l.visits, 0)
                FROM members m
                LEFT JOIN member_personal p ON p.member_id = m.id
                LEFT JOIN loyalty_members l ON l.member_id = m.id
                WHERE m.id = ?
                """),
            arguments: [memberID.rawValue])
        else { return nil }
        let id = memberID.rawValue
        let groups = (try? JSONDecoder().decode([String].self, from: Data((row[5] as String).utf8))) ?? []
        let cardGroups = try String.fetchAll(
            try db.cachedStatement(sql: "SELECT DISTINCT card_group FROM cards WHERE member_id = ? AND card_group IS NOT NULL AND blocked_at IS NULL"),
            arguments: [id])
        var unlotted: [Account: Int64] = [:]
        var debts: [Account: Int64] = [:]
        for r in try Row.fetchAll(try db.cachedStatement(sql: "SELECT account, unlotted, debt FROM loyalty_account_summary WHERE member_id = ?"), arguments: [id]) {
            guard let account = Account(rawValue: r[0]) else { continue }
            if (r[1] as Int64) != 0 { unlotted[account] = r[1] }
            if (r[2] as Int64) != 0 { debts[account] = r[2] }
        }
        let lots = try memberLots(id, selection, unlotted: unlotted, in: db)
        let visits: Int64 = row[10]
        return LoyaltyMemberRecord(
            memberID: memberID, status: row[0], tier: row[1], enrolledAt: row[2], enrolledBy: (row[3] as String?).map(OperatorID.init),
            referredBy: (row[4] as String?).map(MemberID.init), customerGroups: groups, birthday: row[6], anniversary: row[7],
            cardGroups: cardGroups, lots: lots, unlotted: unlotted, visits: visits,
            tierWindowTotal: try tierWindowTotal(id, after: tierWindowStart, in: db),
            hasPurchased: (row[8] as Bool?) ?? false, birthdayBonusYear: row[9], debts: debts)
    }

    /// The member's open lots as `selection` asks, from `loyalty_lot_balances`.
    static func memberLots(_ member: String, _ selection: LotSelection, unlotted: [Account: Int64], in db: Database) throws -> [StoredLot] {
        func lot(_ r: Row) -> StoredLot? {
            guard let account = Account(rawValue: r[1]) else { return nil }
            return StoredLot(lotID: LotID(rawValue: r[0]), account: account, remaining: r[2], createdAt: r[3], expiresAt: r[4], restrictions: r[5])
        }
        var lots: [StoredLot] = []
        for account in Account.allCases {
            if selection.whole.contains(account) {
                let rows = try Row.fetchCursor(
                    try db.cachedStatement(sql: """
                        SELECT lot_id, account, remaining, created_at, expires_at, restrictions FROM loyalty_lot_balances
                        WHERE member_id = ? AND account = ? AND remaining <> 0
                        """),
                    arguments: [member, account.rawValue])
                while let r = try rows.next() { if let l = lot(r) { lots.append(l) } }
            } else if let amount = selection.covering[account], amount > 0 {
                // Spending takes what is owed outside lots first: cover that too.
                var left = amount + max(0, -(unlotted[account] ?? 0))
                let rows = try Row.fetchCursor(
                    try db.cachedStatement(sql: """
                        SELECT lot_id, account, remaining, created_at, expires_at, restrictions FROM loyalty_lot_balances
                        WHERE member_id = ? AND account = ? AND remaining <> 0 AND remaining > 0 AND (expires_at IS NULL OR expires_at > ?)
                            AND created_at <= ?
                        ORDER BY expires_at IS NULL, expires_at, created_at, lot_id
                        """),
                    arguments: [member, account.rawValue, selection.at, selection.at])
                while left > 0, let r = try rows.next() {
                    guard let l = lot(r) else { continue }
                    lots.append(l)
                    left -= l.remaining
                }
            }
        }
        var have = Set(lots.map { $0.lotID })
        for id in selection.named.sorted() where !have.contains(id) {
            let rows = try Row.fetchAll(
                try db.cachedStatement(sql: """
                    SELECT lot_id, account, remaining, created_at, expires_at, restrictions FROM loyalty_lot_balances
                    WHERE member_id = ? AND lot_id = ? AND remaining <> 0
                    """),
                arguments: [member, id.rawValue])
            for r in rows {
                guard let l = lot(r), !selection.whole.contains(l.account) else { continue }
                lots.append(l)
            }
            have.insert(id)
        }
        return lots
    }

    /// The member's tier activity after `start`: whole UTC days from `loyalty_tier_days`, and the
    /// raw rows of the day `start` falls in.
    static func tierWindowTotal(_ member: String, after start: Date, in db: Database) throws -> Int64 {
        let days = try Int64.fetchOne(
            try db.cachedStatement(sql: "SELECT COALESCE(SUM(amount), 0) FROM loyalty_tier_days WHERE member_id = ? AND day > substr(?, 1, 10)"),
            arguments: [member, start]) ?? 0
        let firstDay = try Int64.fetchOne(
            try db.cachedStatement(sql: """
                SELECT COALESCE(SUM(amount), 0) FROM loyalty_tier_activity
                WHERE member_id = ? AND at > ? AND at < date(substr(?, 1, 10), '+1 day')
                """),
            arguments: [member, start, start]) ?? 0
        return days + firstDay
    }

    /// Every member id, in order.
    public func memberIDs() throws(StoreError) -> [MemberID] {
        try read("listing members") { db in try String.fetchAll(try db.cachedStatement(sql: "SELECT id FROM members ORDER BY id")).map(MemberID.init) }
    }

    /// The member whose referral code this is.
    public func member(byReferralCode code: String) throws(StoreError) -> MemberID? {
        try read("looking up a referral code") { db in
            try String.fetchOne(try db.cachedStatement(sql: "SELECT id FROM members WHERE referral_code = ?"), arguments: [code]).map(MemberID.init)
        }
    }

    /// The versions of the programs this kiosk has served, in the order it first served them.
    public func programVersions() throws(StoreError) -> [String] {
        try read("listing the programs served") { db in
            try String.fetchAll(db, sql: "SELECT version FROM loyalty_programs ORDER BY loaded_at, version")
        }
    }

    /// A voucher by code (case-insensitive), and how often this member has used it.
    public func voucher(_ code: String, member: MemberID) throws(StoreError) -> (voucher: StoredVoucher, usesByMember: Int)? {
        try read("looking up a voucher") { db in
            guard let row = try Row.fetchOne(
                try db.cachedStatement(sql: "SELECT code, template, definition, issued_to, valid_from, valid_until, uses, max_uses FROM vouchers WHERE code = ?"),
                arguments: [code]) else { return nil }
            let voucher = StoredVoucher(code: row[0], template: row[1], definition: row[2], issuedTo: (row[3] as String?).map(MemberID.init),
                                        validFrom: row[4], validUntil: row[5], uses: row[6], maxUses: row[7])
            let mine = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM voucher_redemptions WHERE code = ? AND member_id = ?"), arguments: [code, member.rawValue]) ?? 0
            return (voucher, mine)
        }
    }

    /// How often a code not yet in the table (a shared code of the program) was used: zero.
    /// Shared codes enter the table at their first redemption.
    public func voucherUses(_ code: String) throws(StoreError) -> Int {
        try read("counting voucher uses") { db in
            try Int.fetchOne(try db.cachedStatement(sql: "SELECT uses FROM vouchers WHERE code = ?"), arguments: [code]) ?? 0
        }
    }

    /// A purchase's stored outcome and member.
    public func loyaltyPurchase(_ key: String) throws(StoreError) -> (memberID: MemberID, outcome: Data)? {
        try read("reading a purchase") { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT p.member_id, t.result FROM loyalty_purchases p JOIN business_transactions t ON t.id = p.transaction_id WHERE p.idempotency_key = ?"), arguments: [key])
                .map { (MemberID(rawValue: $0[0]), $0[1]) }
        }
    }

    /// The latest return history of a purchase (JSON), if it was returned before.
    public func returnHistory(ofPurchase key: String) throws(StoreError) -> Data? {
        try read("reading a purchase's returns") { db in
            try Data.fetchOne(try db.cachedStatement(sql: "SELECT history FROM loyalty_returns WHERE purchase_key = ? ORDER BY seq DESC LIMIT 1"), arguments: [key])
        }
    }

    /// A member's spins from the start of the day and of the week up to `until` (the spin being
    /// decided: spins dated after it, from a clock stepped back, do not count), every segment's
    /// wins and what each has given in Rial.
    public func wheelState(member: MemberID, dayStart: Date, weekStart: Date, until: Date) throws(StoreError)
        -> (today: Int, week: Int, won: [String: Int], spent: [String: Int64]) {
        try read("reading the wheel's state") { db in
            let today = try KioskStore.spinCount(member, from: dayStart, until: until, in: db)
            let week = try KioskStore.spinCount(member, from: weekStart, until: until, in: db)
            var won: [String: Int] = [:], spent: [String: Int64] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT segment, won, spent FROM wheel_segment_totals")) {
                won[row[0]] = row[1]
                spent[row[0]] = row[2]
            }
            return (today, week, won, spent)
        }
    }

    /// The stock left of catalogue items (nil: unlimited); items never seeded are absent.
    public func catalogueStock() throws(StoreError) -> [String: Int?] {
        try read("reading the catalogue stock") { db in
            var stock: [String: Int?] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT item, stock FROM catalogue_stock")) { stock[row[0]] = .some(row[1]) }
            return stock
        }
    }

    /// A catalogue request: its member, status and stored outcome.
    public func catalogueRequest(_ key: String) throws(StoreError) -> (memberID: MemberID, status: String, outcome: Data)? {
        try read("reading a catalogue request") { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT member_id, status, outcome FROM catalogue_requests WHERE idempotency_key = ?"), arguments: [key])
                .map { (MemberID(rawValue: $0[0]), $0[1], $0[2]) }
        }
    }

    /// Entries per member in a raffle (entries taken back by returns subtracted).
    public func raffleEntries(_ raffle: String) throws(StoreError) -> [MemberID: Int64] {
        try read("reading raffle entries") { db in
            var out: [MemberID: Int64] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT member_id, SUM(entries) FROM raffle_entries WHERE raffle_id = ? GROUP BY member_id HAVING SUM(entries) > 0 ORDER BY member_id"), arguments: [raffle]) {
                out[MemberID(rawValue: row[0])] = row[1]
            }
            return out
        }
    }

    /// A spin's stored audit record and its SHA-256.
    public func spinAudit(_ key: String) throws(StoreError) -> (audit: Data, sha256: String)? {
        try read("reading a spin") { db in
            try Row.fetchOne(try db.cachedStatement(sql: "SELECT audit, audit_sha256 FROM wheel_spins WHERE idempotency_key = ?"), arguments: [key]).map { ($0[0], $0[1]) }
        }
    }

    /// Commission per operator.
    public func staffCommissions() throws(StoreError) -> [OperatorID: Int64] {
        try read("reading commissions") { db in
            var out: [OperatorID: Int64] = [:]
            for row in try Row.fetchAll(try db.cachedStatement(sql: "SELECT operator_id, SUM(amount) FROM staff_commissions GROUP BY operator_id")) {
                out[OperatorID(rawValue: row[0])] = row[1]
            }
            return out
        }
    }
}

extension KioskStore {
    /// The member's spins dated from `from` up to and including `until`.
    static func spinCount(_ member: MemberID, from: Date, until: Date, in db: Database) throws -> Int {
        try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM wheel_spins WHERE member_id = ? AND at >= ? AND at <= ?"),
                         arguments: [member.rawValue, from, until]) ?? 0
    }
}
