import Foundation

/// How the forwarder sends (docs/central.md, "The forwarder").
public struct ForwarderSettings: Sendable, Hashable {
    /// At most this many events in one batch.
    public var batchEvents: Int
    /// At most this many bytes of event bodies in one batch (a single larger event goes alone).
    public var batchBytes: Int
    public var backoff: Backoff
    /// How long to wait for new events when the queue is empty.
    public var idleInterval: TimeInterval
    /// The queue depth the kiosk must hold (days offline); the alarm sounds at `alarmFraction` of it.
    public var queueBudgetEvents: Int
    /// The bytes of pending bodies the queue may hold; the alarm sounds at `alarmFraction` of it.
    public var queueBudgetBytes: Int64
    public var alarmFraction: Double
    /// Delivered events are pruned from the outbox this long after their delivery (nil: kept).
    public var retention: TimeInterval?
    /// How often the running forwarder prunes, when its queue is empty.
    public var pruneInterval: TimeInterval

    public init(batchEvents: Int = 500, batchBytes: Int = 512 * 1024, backoff: Backoff = Backoff(),
                idleInterval: TimeInterval = 2, queueBudgetEvents: Int = 200_000,
                queueBudgetBytes: Int64 = 1 << 30, alarmFraction: Double = 0.8,
                retention: TimeInterval? = 30 * 86_400, pruneInterval: TimeInterval = 3_600) {
        precondition(batchEvents > 0 && batchBytes > 0, "a batch holds at least one event")
        self.batchEvents = batchEvents
        self.batchBytes = batchBytes
        self.backoff = backoff
        self.idleInterval = idleInterval
        self.queueBudgetEvents = queueBudgetEvents
        self.queueBudgetBytes = queueBudgetBytes
        self.alarmFraction = alarmFraction
        self.retention = retention
        self.pruneInterval = pruneInterval
    }
}
