import Foundation
import GRDB
import KioskCore

/// A member's personal data, kept in its own table so that nothing but the member's own screen
/// and staff enrollment ever reads it. Technicians' views never join it.
public struct MemberPersonal: Sendable, Hashable, Codable {
    public var name: String?
    public var phone: String?
    /// ISO date (Gregorian) `YYYY-MM-DD`.
    public var birthday: String?
    public var anniversary: String?
    public var gender: String?
    public var interests: [String]

    public init(name: String? = nil, phone: String? = nil, birthday: String? = nil, anniversary: String? = nil,
                gender: String? = nil, interests: [String] = []) {
        self.name = name
        self.phone = phone
        self.birthday = birthday
        self.anniversary = anniversary
        self.gender = gender
        self.interests = interests
    }
}

/// A new member to enroll.
public struct NewMember: Sendable, Hashable {
    public var id: MemberID
    public var personal: MemberPersonal
    public var branchID: BranchID
    public var enrolledBy: OperatorID?
    /// The campaign or link that brought the member.
    public var source: String?
    public var referralCode: String?
    public var referredBy: MemberID?
    public var customerGroups: [String]

    public init(id: MemberID, personal: MemberPersonal = MemberPersonal(), branchID: BranchID,
                enrolledBy: OperatorID? = nil, source: String? = nil, referralCode: String? = nil,
                referredBy: MemberID? = nil, customerGroups: [String] = []) {
        self.id = id
        self.personal = personal
        self.branchID = branchID
        self.enrolledBy = enrolledBy
        self.source = source
        self.referralCode = referralCode
        self.referredBy = referredBy
        self.customerGroups = customerGroups
    }
}

/// A card to bind to a member.
public struct CardBinding: Sendable, Hashable {
    public var cardID: CardID
    public var memberID: MemberID
    /// The card's kind as the reader classified it (`ntag215`, `ntag424`, `iso7816`, `qr`…).
    public var kind: String
    public var cardGroup: String?

    public init(cardID: CardID, memberID: MemberID, kind: String, cardGroup: String? = nil) {
        self.cardID = cardID
        self.memberID = memberID
        self.kind = kind
        self.cardGroup = cardGroup
    }
}

/// What a tap resolves to: the member behind a card, without any personal data.
public struct CardLookup: Sendable, Hashable, Codable {
    public var cardID: CardID
    public var memberID: MemberID
    public var cardKind: String
    public var cardGroup: String?
    public var cardBlocked: Bool
    public var memberStatus: String
    public var tier: String?
}

extension KioskStore {
    /// Writes the rows of a new member (and their personal data) inside an operation's
    /// transaction; use as `commit(op, also: { try KioskStore.insert(member, at: now, in: $0) })`.
    public static func insert(_ member: NewMember, at date: Date, in db: Database) throws {
        let groups = String(decoding: try JSONEncoder().encode(member.customerGroups), as: UTF8.self)
        // Cached statements: an import writes thousands of members in a batch, and preparing the
        // same SQL for each was a quarter of its time.
        try db.cachedStatement(sql: """
                INSERT INTO members (id, enrolled_at, enrolled_branch, enrolled_by, source, referral_code,
                                     referred_by, customer_groups)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [member.id.rawValue, date, member.branchID.rawValue, member.enrolledBy?.rawValue,
                        member.source, member.referralCode, member.referredBy?.rawValue, groups])
        let interests = String(decoding: try JSONEncoder().encode(member.personal.interests), as: UTF8.self)
        try db.cachedStatement(sql: """
                INSERT INTO member_personal (member_id, name, phone, birthday, anniversary, gender, interests)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """).execute(arguments: [member.id.rawValue, member.personal.name, member.personal.phone, member.personal.birthday,
                        member.personal.anniversary, member.personal.gender, interests])
    }

    /// Binds a card inside an operation's transaction. A card already bound (to anyone) fails.
    public static func insert(_ binding: CardBinding, at date: Date, in db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO cards (id, member_id, kind, card_group, bound_at) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [binding.cardID.rawValue, binding.memberID.rawValue, binding.kind, binding.cardGroup, date])
    }

    /// Blocks a card inside an operation's transaction (a lost or replaced card).
    public static func blockCard(_ cardID: CardID, reason: String, at date: Date, in db: Database) throws {
        try db.execute(
            sql: "UPDATE cards SET blocked_at = ?, blocked_reason = ? WHERE id = ? AND blocked_at IS NULL",
            arguments: [date, reason, cardID.rawValue])
        if db.changesCount == 0 {
            throw StoreError(.notFound, "no unblocked card \(cardID)")
        }
    }

    /// The member behind a card, or nil for an unknown card. Blocked cards are returned with
    /// `cardBlocked` set so that the caller can refuse them with a reason.
    public func member(byCard cardID: CardID) throws(StoreError) -> CardLookup? {
        try read("looking up a card") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT c.id, c.member_id, c.kind, c.card_group, c.blocked_at IS NOT NULL, m.status, m.tier
                    FROM cards c JOIN members m ON m.id = c.member_id WHERE c.id = ?
                    """),
                arguments: [cardID.rawValue]
            ).map { row in
                CardLookup(cardID: CardID(rawValue: row[0]), memberID: MemberID(rawValue: row[1]),
                           cardKind: row[2], cardGroup: row[3], cardBlocked: row[4], memberStatus: row[5], tier: row[6])
            }
        }
    }

    /// A member's status (`active`, `blocked`), or nil for a member this store does not know.
    public func memberStatus(_ memberID: MemberID) throws(StoreError) -> String? {
        try read("looking up a member") { db in
            try String.fetchOne(db, sql: "SELECT status FROM members WHERE id = ?", arguments: [memberID.rawValue])
        }
    }

    /// A member's personal data. Only for the member's own screen and for staff; never for
    /// technicians or logs.
    public func personal(of memberID: MemberID) throws(StoreError) -> MemberPersonal? {
        try read("reading a member's profile") { db in
            try Row.fetchOne(
                db,
                sql: "SELECT name, phone, birthday, anniversary, gender, interests FROM member_personal WHERE member_id = ?",
                arguments: [memberID.rawValue]
            ).map { row in
                let interests = (try? JSONDecoder().decode([String].self, from: Data((row[5] as String).utf8))) ?? []
                return MemberPersonal(name: row[0], phone: row[1], birthday: row[2], anniversary: row[3],
                                      gender: row[4], interests: interests)
            }
        }
    }

    /// A member's balances from the cache the ledger trigger keeps (`db check` verifies it).
    public func balances(of memberID: MemberID) throws(StoreError) -> Balances {
        try read("reading balances") { db in
            var balances = Balances()
            for row in try Row.fetchAll(db, sql: "SELECT account, amount FROM balances WHERE member_id = ?",
                                        arguments: [memberID.rawValue]) {
                if let account = Account(rawValue: row[0]) { balances[account] = row[1] }
            }
            return balances
        }
    }

    /// A member's balances summed from the ledger itself.
    public func ledgerBalances(of memberID: MemberID) throws(StoreError) -> Balances {
        try read("summing the ledger") { db in
            var balances = Balances()
            for row in try Row.fetchAll(db, sql: "SELECT account, SUM(amount) FROM ledger WHERE member_id = ? GROUP BY account",
                                        arguments: [memberID.rawValue]) {
                if let account = Account(rawValue: row[0]) { balances[account] = row[1] }
            }
            return balances
        }
    }
}
