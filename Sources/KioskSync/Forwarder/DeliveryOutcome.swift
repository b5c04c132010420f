import Foundation

/// What one upload of a batch came to, as the forwarder acts on it.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The central answered for each event.
    case answered([EventAnswer])
    /// The batch conflicts as a whole; the central already holds `duplicates`.
    case conflict(duplicates: [String], message: String)
    /// Nothing of the batch counts as delivered; try again later, not before `retryAfter`.
    case transient(reason: String, retryAfter: TimeInterval?)
    /// The central refused the batch as malformed (400, 413): split it until the one event at
    /// fault is alone, then park that one.
    case malformed(String)
    /// The device token is refused: retrying will not help until someone fixes the token.
    case unauthorized(String)

    public struct EventAnswer: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable { case accepted, duplicate, rejected }
        public var eventID: String
        public var status: Status
        public var reason: String?

        public init(eventID: String, status: Status, reason: String? = nil) {
            self.eventID = eventID
            self.status = status
            self.reason = reason
        }
    }
}

/// The store actions one outcome calls for. Pure: the batch and the outcome in, the sequences to
/// mark delivered, to park (with the reason) and to leave pending out.
public struct DeliveryPlan: Sendable, Hashable {
    public var delivered: [Int64] = []
    public var parked: [(sequence: Int64, reason: String)] = []
    public var stillPending: [Int64] = []
    /// Why the events still pending are, when they are.
    public var failure: String?
    public var retryAfter: TimeInterval?
    /// Send the pending events again at once, in smaller batches (a malformed batch is split).
    public var split = false

    public static func == (a: DeliveryPlan, b: DeliveryPlan) -> Bool {
        a.delivered == b.delivered && a.stillPending == b.stillPending && a.failure == b.failure
            && a.retryAfter == b.retryAfter && a.split == b.split && a.parked.map(\.sequence) == b.parked.map(\.sequence)
            && a.parked.map(\.reason) == b.parked.map(\.reason)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(delivered)
        hasher.combine(stillPending)
    }

    /// An answer must name each event of the batch exactly once: an answer for an event not in
    /// the batch, a missing answer or a repeated one makes the whole answer untrustworthy, and
    /// then nothing is marked (the batch is sent again; the central's idempotency makes that safe).
    public init(batch: [(sequence: Int64, eventID: String)], outcome: DeliveryOutcome) {
        let all = batch.map(\.sequence)
        switch outcome {
        case .transient(let reason, let retryAfter):
            stillPending = all
            failure = reason
            self.retryAfter = retryAfter
        case .malformed(let reason):
            if batch.count == 1 {
                parked = [(batch[0].sequence, "malformed: \(reason)")]
            } else {
                stillPending = all
                split = true
            }
        case .unauthorized(let reason):
            stillPending = all
            failure = "unauthorized: \(reason)"
        case .conflict(let duplicates, let message):
            let held = Set(duplicates)
            for event in batch {
                if held.contains(event.eventID) { delivered.append(event.sequence) } else { stillPending.append(event.sequence) }
            }
            if !stillPending.isEmpty { failure = "conflict: \(message)" }
        case .answered(let answers):
            var byID: [String: DeliveryOutcome.EventAnswer] = [:]
            var wellFormed = answers.count == batch.count
            for answer in answers where byID.updateValue(answer, forKey: answer.eventID) != nil { wellFormed = false }
            if wellFormed, Set(byID.keys) != Set(batch.map(\.eventID)) { wellFormed = false }
            guard wellFormed else {
                stillPending = all
                failure = "the central's answer does not name each event of the batch once"
                return
            }
            for event in batch {
                let answer = byID[event.eventID]!
                switch answer.status {
                case .accepted, .duplicate: delivered.append(event.sequence)
                case .rejected: parked.append((event.sequence, answer.reason ?? "rejected without a reason"))
                }
            }
        }
    }
}
