import Foundation
import KioskStore

/// What the forwarder shows (`kiosk sync status`): the connection, the queue and the alarm.
/// Written by the running forwarder to a small file next to the database after every attempt.
public struct ForwarderState: Sendable, Hashable, Codable {
    public enum Connection: String, Sendable, Hashable, Codable {
        /// No attempt yet.
        case unknown
        /// The last batch was answered.
        case connected
        /// The last attempt failed; the next is at `nextAttemptAt`.
        case backingOff = "backing-off"
        /// The central refused the device token.
        case unauthorized
    }

    public var connection: Connection = .unknown
    public var consecutiveFailures: Int = 0
    public var lastError: String?
    public var lastSuccessAt: Date?
    public var nextAttemptAt: Date?
    public var pending: Int = 0
    public var parked: Int = 0
    public var pendingBytes: Int64 = 0
    /// Seconds since the oldest pending event was written.
    public var oldestPendingAgeSeconds: Double?
    /// The queue is past the alarm fraction of its budget (events or bytes).
    public var alarm: Bool = false
    public var delivered: Int = 0

    public init() {}

    public mutating func update(queue: OutboxQueueStatus, now: Date, settings: ForwarderSettings) {
        pending = queue.pending
        parked = queue.parked
        delivered = queue.delivered
        pendingBytes = queue.pendingBytes
        oldestPendingAgeSeconds = queue.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) }
        alarm = Double(queue.pending) >= Double(settings.queueBudgetEvents) * settings.alarmFraction
            || Double(queue.pendingBytes) >= Double(settings.queueBudgetBytes) * settings.alarmFraction
    }

    /// The state file of a database: `<database>.sync-state.json`.
    public static func path(forDatabase database: String) -> String { database + ".sync-state.json" }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(self).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func read(from path: String) throws -> ForwarderState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(ForwarderState.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
