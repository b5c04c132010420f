import Foundation
import GRDB
import KioskCore

extension KioskStore {
    /// The money (credit and gift credit, in Rial) a member spent in operations the central has
    /// not acknowledged yet: the spends of every transaction whose outbox event is pending or
    /// parked. What a kiosk has let a member spend on its own word, for the offline credit limit
    /// (KioskSync's `OfflineCreditLimit`). Zero once the central has every event.
    public func moneySpentAwaitingCentral(by member: MemberID) throws(StoreError) -> Rial {
        try read("reading the credit a member spent while the central has not heard of it") { db in
            let spent = try Int64.fetchOne(db.cachedStatement(sql: """
                SELECT COALESCE(-SUM(l.amount), 0) FROM ledger l JOIN outbox o ON o.transaction_id = l.transaction_id
                WHERE l.member_id = ? AND l.account IN ('credit', 'gift_credit') AND l.amount < 0 AND o.state <> 'delivered'
                """), arguments: [member.rawValue]) ?? 0
            return Rial(spent)
        }
    }
}
