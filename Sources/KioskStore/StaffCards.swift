import Foundation
import GRDB
import KioskCore

/// Staff cards: a card bound to an operator opens a staff session (after the PIN) instead of
/// greeting a member. A card is a member's or an operator's, never both.
enum StaffCardSchema {
    static let migration = "0009-staff-cards"

    static let sql = """
        CREATE TABLE staff_cards (
            card_id TEXT PRIMARY KEY NOT NULL,
            operator_id TEXT NOT NULL REFERENCES operators(id),
            bound_at TEXT NOT NULL,
            blocked_at TEXT
        ) WITHOUT ROWID;
        CREATE INDEX staff_cards_operator ON staff_cards(operator_id);
        """
}

/// The operator behind a staff card. The PIN hash is for checking a PIN typed, never shown.
public struct StaffLookup: Sendable, Hashable {
    public var cardID: CardID
    public var operatorID: OperatorID
    public var displayName: String
    public var role: Role
    public var pinHash: String?
    /// The card is blocked, or the operator is no longer active.
    public var refused: Bool
}

extension KioskStore {
    /// Binds a staff card to an operator (or binds it again after a block). A card bound to a
    /// member is refused.
    public func bindStaffCard(_ cardID: CardID, to operatorID: OperatorID, at date: Date = Date()) throws(StoreError) {
        try write("binding staff card \(cardID)") { db in
            if try String.fetchOne(db, sql: "SELECT member_id FROM cards WHERE id = ?", arguments: [cardID.rawValue]) != nil {
                throw StoreError(.alreadyExists, "card \(cardID) belongs to a member")
            }
            try db.execute(
                sql: """
                    INSERT INTO staff_cards (card_id, operator_id, bound_at) VALUES (?, ?, ?)
                    ON CONFLICT(card_id) DO UPDATE SET operator_id = excluded.operator_id, bound_at = excluded.bound_at, blocked_at = NULL
                    """,
                arguments: [cardID.rawValue, operatorID.rawValue, date])
        }
    }

    /// The operator a card opens a staff session for, or nil when it is no staff card.
    public func staff(byCard cardID: CardID) throws(StoreError) -> StaffLookup? {
        try read("looking up a staff card") { db in
            try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT s.card_id, o.id, o.display_name, o.role, o.pin_hash, s.blocked_at IS NOT NULL OR o.active = 0
                    FROM staff_cards s JOIN operators o ON o.id = s.operator_id WHERE s.card_id = ?
                    """),
                arguments: [cardID.rawValue]
            ).flatMap { row in
                guard let role = Role(rawValue: row[3]) else { return nil }
                return StaffLookup(cardID: CardID(rawValue: row[0]), operatorID: OperatorID(rawValue: row[1]), displayName: row[2],
                                   role: role, pinHash: row[4], refused: row[5])
            }
        }
    }

    /// An operator's PIN hash (to check a PIN typed at the kiosk).
    public func pinHash(of operatorID: OperatorID) throws(StoreError) -> String? {
        try read("reading an operator's PIN hash") { db in
            try String.fetchOne(db, sql: "SELECT pin_hash FROM operators WHERE id = ? AND active = 1", arguments: [operatorID.rawValue])
        }
    }
}
