import KioskStore

/// An operation's outcome as committed: on a retry with the same idempotency key, the first
/// outcome, unchanged, with `replayed` set.
public struct Committed<Outcome: Sendable & Codable>: Sendable {
    public var outcome: Outcome
    public var receipt: CommitReceipt
    public var replayed: Bool { receipt.replayed }
}
