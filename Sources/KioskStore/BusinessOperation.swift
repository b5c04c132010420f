import Foundation
import KioskCore

/// One change of a member's balance: a row of the append-only ledger.
public struct LedgerPosting: Sendable, Hashable, Codable {
    public var memberID: MemberID
    public var account: Account
    /// Signed amount: Rial for credit and gift credit, a count for points and coins. Never zero.
    public var amount: Int64
    /// The lot this posting creates (an award) or draws from (a spend, an expiry).
    public var lotID: LotID?
    /// When the lot expires; only on the posting that creates it.
    public var expiresAt: Date?
    /// The lot's restrictions (product groups, branches, customer groups) as the engine wrote
    /// them; opaque to the store.
    public var restrictions: String?

    public init(memberID: MemberID, account: Account, amount: Int64, lotID: LotID? = nil,
                expiresAt: Date? = nil, restrictions: String? = nil) {
        self.memberID = memberID
        self.account = account
        self.amount = amount
        self.lotID = lotID
        self.expiresAt = expiresAt
        self.restrictions = restrictions
    }
}

/// A staff action to record in the audit log.
public struct AuditEntry: Sendable, Hashable {
    public var operatorID: OperatorID?
    public var role: Role?
    public var action: String
    /// What the action was about (a member id, a card id…), never personal data.
    public var subject: String?
    /// A JSON object with the action's details, never personal data or secrets.
    public var details: String

    public init(operatorID: OperatorID?, role: Role?, action: String, subject: String? = nil, details: String = "{}") {
        self.operatorID = operatorID
        self.role = role
        self.action = action
        self.subject = subject
        self.details = details
    }
}

/// An event for the central API, written to the outbox with the operation that caused it.
///
/// Most events say what the operation returned: `OutboxEvent.result(type:)` stores no body of its
/// own and is read back (`KioskStore.outboxEvents`) with the operation's stored result as its
/// payload, so those bytes are on disk once. An event with a body of its own keeps it inline.
public struct OutboxEvent: Sendable, Hashable {
    /// Where an event's body comes from.
    public enum Payload: Sendable, Hashable {
        /// These bytes.
        case inline(Data)
        /// The operation's result (`BusinessOperation.result`), stored once with its transaction.
        case transactionResult
    }

    /// The event type, e.g. `purchase.recorded`.
    public var type: String
    /// The event's JSON body, or the operation's result.
    public var payload: Payload

    /// An event with a body of its own.
    public init(type: String, payload: Data) {
        self.type = type
        self.payload = .inline(payload)
    }

    /// An event whose body is the operation's result.
    public static func result(type: String) -> OutboxEvent {
        var event = OutboxEvent(type: type, payload: Data())
        event.payload = .transactionResult
        return event
    }
}

/// A business operation (purchase, return, enrollment, redemption, spin, adjustment…) as the
/// store commits it: in one SQLite transaction, or not at all.
public struct BusinessOperation: Sendable {
    public var idempotencyKey: IdempotencyKey
    /// What kind of operation this is, e.g. `purchase`.
    public var kind: String
    public var memberID: MemberID?
    public var branchID: BranchID
    public var operatorID: OperatorID?
    /// The loyalty program version the operation was computed under.
    public var programVersion: String?
    public var occurredAt: Date
    /// The request as received (canonical JSON). A retry with the same key must carry the same
    /// request; a different one is refused as an idempotency conflict.
    public var request: Data
    /// The operation's outcome as returned to the caller (JSON); a retry returns it unchanged.
    public var result: Data
    public var postings: [LedgerPosting]
    public var audit: AuditEntry?
    public var event: OutboxEvent

    public init(idempotencyKey: IdempotencyKey, kind: String, memberID: MemberID?, branchID: BranchID,
                operatorID: OperatorID? = nil, programVersion: String? = nil, occurredAt: Date,
                request: Data, result: Data, postings: [LedgerPosting], audit: AuditEntry? = nil,
                event: OutboxEvent) {
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.memberID = memberID
        self.branchID = branchID
        self.operatorID = operatorID
        self.programVersion = programVersion
        self.occurredAt = occurredAt
        self.request = request
        self.result = result
        self.postings = postings
        self.audit = audit
        self.event = event
    }
}

/// What `commit` did.
public struct CommitReceipt: Sendable, Hashable {
    public var transactionID: TransactionID
    /// The outcome stored with the operation when it was first committed.
    public var result: Data
    /// True when the idempotency key had already been committed: nothing was written now.
    public var replayed: Bool
    /// The outbox sequence number of the operation's event.
    public var eventSequence: Int64
}
