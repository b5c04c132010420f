import Foundation
import GRDB
import KioskCore

/// A gift a member requested and has not been handed yet.
public struct PendingGift: Sendable, Hashable {
    /// The request's idempotency key: how staff name it to hand it out.
    public var key: String
    public var item: String
    public var requestedAt: Date

    public init(key: String, item: String, requestedAt: Date) {
        self.key = key
        self.item = item
        self.requestedAt = requestedAt
    }
}

extension KioskStore {
    /// A member's pending gift requests, oldest first.
    public func pendingGifts(of member: MemberID) throws(StoreError) -> [PendingGift] {
        try read("reading a member's gift requests") { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT idempotency_key, item, requested_at FROM catalogue_requests
                WHERE member_id = ? AND status = 'pending' ORDER BY seq
                """), arguments: [member.rawValue])
                .map { PendingGift(key: $0[0], item: $0[1], requestedAt: $0[2]) }
        }
    }

    /// A member's latest purchases, newest first: each one's key, time, stored outcome and the
    /// history of its latest return (nil when never returned).
    public func recentPurchases(of member: MemberID, limit: Int) throws(StoreError) -> [(key: String, at: Date, outcome: Data, history: Data?)] {
        try read("reading a member's purchases") { db in
            try Row.fetchAll(try db.cachedStatement(sql: """
                SELECT p.idempotency_key, p.at, t.result,
                       (SELECT r.history FROM loyalty_returns r WHERE r.purchase_key = p.idempotency_key ORDER BY r.seq DESC LIMIT 1)
                FROM loyalty_purchases p JOIN business_transactions t ON t.id = p.transaction_id
                WHERE p.member_id = ? ORDER BY p.seq DESC LIMIT ?
                """), arguments: [member.rawValue, limit])
                .map { (key: $0[0], at: $0[1], outcome: $0[2], history: $0[3]) }
        }
    }

    /// A member's cards that are not blocked.
    public func activeCards(of member: MemberID) throws(StoreError) -> [CardID] {
        try read("reading a member's cards") { db in
            try String.fetchAll(try db.cachedStatement(sql: "SELECT id FROM cards WHERE member_id = ? AND blocked_at IS NULL ORDER BY bound_at, id"),
                                arguments: [member.rawValue]).map(CardID.init(rawValue:))
        }
    }

    /// The member whose phone is `phone`, if exactly one member has it (a phone shared by two
    /// members identifies neither).
    public func member(byPhone phone: String) throws(StoreError) -> MemberID? {
        try read("looking up a phone number") { db in
            let ids = try String.fetchAll(try db.cachedStatement(sql: "SELECT member_id FROM member_personal WHERE phone = ? LIMIT 2"),
                                          arguments: [phone])
            return ids.count == 1 ? MemberID(rawValue: ids[0]) : nil
        }
    }

    /// Marks a pending request fulfilled, or fails with `.limitReached` if it is not pending.
    public static func fulfilCatalogueRequest(key: String, transaction: String, in db: Database) throws {
        try db.cachedStatement(sql: "UPDATE catalogue_requests SET status = 'fulfilled', fulfilled_by = ? WHERE idempotency_key = ? AND status = 'pending'")
            .execute(arguments: [transaction, key])
        guard db.changesCount == 1 else { throw StoreError(.limitReached, "request \(key) is not pending", refusalCode: "catalogue.not-pending") }
    }
}

extension KioskStore {
    /// An active operator's role (nil for an operator unknown or deactivated).
    public func role(of operatorID: OperatorID) throws(StoreError) -> Role? {
        try read("reading an operator's role") { db in
            try String.fetchOne(db, sql: "SELECT role FROM operators WHERE id = ? AND active = 1", arguments: [operatorID.rawValue])
                .flatMap(Role.init(rawValue:))
        }
    }
}
