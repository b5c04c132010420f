import Foundation

/// The session's timings and limits. Every duration is in seconds of the clock the inputs carry.
public struct SessionSettings: Sendable, Equatable {
    /// How long the welcome screen stays without activity.
    public var welcomeTimeout: TimeInterval = 20
    /// The least time a welcome screen stays after the card is lifted, so it can be read.
    public var minimumReadTime: TimeInterval = 4
    /// How long a second tap of the same card after the welcome appeared counts as "spin".
    public var spinConfirmWindow: TimeInterval = 8
    /// How long the wheel animates before the prize screen.
    public var wheelAnimation: TimeInterval = 6
    /// How long a result (prize, receipt, voucher, refusal) stays on screen.
    public var resultTimeout: TimeInterval = 10
    /// How long a receipt scanned before any card waits for the member's card.
    public var receiptWaitsForCard: TimeInterval = 20
    /// A tap, scan or key older than this when it reaches the session is dropped, never acted on.
    public var staleAfter: TimeInterval = 3
    /// How long the session waits for the store or a device before it gives up on an operation.
    public var operationTimeout: TimeInterval = 20
    /// PIN length bounds.
    public var pinLength: ClosedRange<Int> = 4...8
    /// Wrong PINs in a row before a staff card is locked.
    public var pinAttempts: Int = 3
    /// How long a staff card stays locked after too many wrong PINs.
    public var pinLockout: TimeInterval = 300
    /// A staff or technician session ends after this long without a key, tap or scan.
    public var staffIdleTimeout: TimeInterval = 90
    /// How often the technician's screen is read again while shown.
    public var diagnosticsRefresh: TimeInterval = 2
    /// The reasons a manager picks from when adjusting a balance (keypad 1, 2, …); each is
    /// recorded with the adjustment.
    public var adjustmentReasons: [String] = ["correction", "goodwill", "complaint"]

    public init() {}
}
