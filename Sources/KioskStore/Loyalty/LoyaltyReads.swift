import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// Everything the engine needs about a member, in one read transaction; nil for an unknown
    /// member. `tierWindowStart` is the start of the rolling tier window.
    public func loyaltyMember(_ memberID: MemberID, tierWindowStart: Date) throws(StoreError) -> LoyaltyMemberRecord? {
        try read("reading a member's loyalty state") { db in
            try Self.loyaltyMember(memberID, tierWindowStart: tierWindowStart, in: db)
        }
    }

    static func loyaltyMember(_ memberID: MemberID, tierWindowStart: Date, in db: Database) throws -> LoyaltyMemberRecord? {
        guard let row = try Row.fetchOne(
            try db.cachedStatement(sql: """
                SELECT m.status, m.tier, m.enrolled_at, m.enrolled_by, m.referred_by, m.customer_groups,
                       p.birthday, p.anniversary, l.has_purchased, l.birthday_bonus_year
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
        var lots: [StoredLot] = []
        for lot in try Row.fetchAll(
            try db.cachedStatement(sql: """
                SELECT lot_id, account, SUM(amount), MIN(occurred_at), MAX(expires_at), MAX(restrictions)
                FROM ledger WHERE member_id = ? AND lot_id IS NOT NULL
                GROUP BY lot_id, account HAVING SUM(amount) <> 0
                """),
            arguments: [id]) {
            guard let account = Account(rawValue: lot[1]) else { continue }
            lots.append(StoredLot(lotID: LotID(rawValue: lot[0]), account: account, remaining: lot[2], createdAt: lot[3],
                                  expiresAt: lot[4], restrictions: lot[5]))
        }
        var unlotted: [Account: Int64] = [:]
        for r in try Row.fetchAll(try db.cachedStatement(sql: "SELECT account, SUM(amount) FROM ledger WHERE member_id = ? AND lot_id IS NULL GROUP BY account"), arguments: [id]) {
            if let account = Account(rawValue: r[0]) { unlotted[account] = r[1] }
        }
        var debts: [Account: Int64] = [:]
        for r in try Row.fetchAll(try db.cachedStatement(sql: "SELECT account, SUM(amount) FROM loyalty_debts WHERE member_id = ? GROUP BY account"), arguments: [id]) {
            if let account = Account(rawValue: r[0]), (r[1] as Int64) != 0 { debts[account] = r[1] }
        }
        let visits = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(SUM(delta), 0) FROM loyalty_visits WHERE member_id = ?"), arguments: [id]) ?? 0
        let window = try Int64.fetchOne(try db.cachedStatement(sql: "SELECT COALESCE(SUM(amount), 0) FROM loyalty_tier_activity WHERE member_id = ? AND at > ?"), arguments: [id, tierWindowStart]) ?? 0
        return LoyaltyMemberRecord(
            memberID: memberID, status: row[0], tier: row[1], enrolledAt: row[2], enrolledBy: (row[3] as String?).map(OperatorID.init),
            referredBy: (row[4] as String?).map(MemberID.init), customerGroups: groups, birthday: row[6], anniversary: row[7],
            cardGroups: cardGroups, lots: lots, unlotted: unlotted, visits: visits, tierWindowTotal: window,
            hasPurchased: (row[8] as Bool?) ?? false, birthdayBonusYear: row[9], debts: debts)
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

    /// A member's spins since the start of the day and of the week, every segment's wins and
    /// what each has given in Rial.
    public func wheelState(member: MemberID, dayStart: Date, weekStart: Date) throws(StoreError)
        -> (today: Int, week: Int, won: [String: Int], spent: [String: Int64]) {
        try read("reading the wheel's state") { db in
            let today = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM wheel_spins WHERE member_id = ? AND at >= ?"), arguments: [member.rawValue, dayStart]) ?? 0
            let week = try Int.fetchOne(try db.cachedStatement(sql: "SELECT COUNT(*) FROM wheel_spins WHERE member_id = ? AND at >= ?"), arguments: [member.rawValue, weekStart]) ?? 0
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
