import Foundation
import KioskCore
import KioskStore
import Logging

/// Sends the outbox to the central: in order, in batches bounded by count and bytes; retries with
/// exponential backoff and jitter, never sooner than `Retry-After`; parks an event the central
/// rejects permanently and goes on with the rest. An event is marked delivered only once the
/// central has answered for it, so a kiosk killed mid-send sends it again and the central answers
/// `duplicate`: at least once on the wire, exactly once in effect.
public actor Forwarder {
    public typealias Sleep = @Sendable (TimeInterval) async throws -> Void

    private let store: KioskStore
    private let uploader: any EventUploader
    private let settings: ForwarderSettings
    private let clock: any WallClock
    private let unit: @Sendable () -> Double
    private let sleep: Sleep
    private let logger: Logger
    private let statePath: String?
    public private(set) var state = ForwarderState()
    /// The batch size now: the setting, or less while a malformed batch is being split.
    private var batchLimit: Int

    public init(store: KioskStore, uploader: any EventUploader, settings: ForwarderSettings = ForwarderSettings(),
                clock: any WallClock = SystemClock(), statePath: String? = nil, logger: Logger = Logger(label: "kiosk.sync"),
                unit: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                sleep: @escaping Sleep = { try await Task.sleep(nanoseconds: UInt64(max(0, $0) * 1_000_000_000)) }) {
        self.store = store
        self.uploader = uploader
        self.settings = settings
        self.clock = clock
        self.unit = unit
        self.sleep = sleep
        self.logger = logger
        self.statePath = statePath
        self.batchLimit = settings.batchEvents
    }

    /// What one attempt did.
    public struct Attempt: Sendable, Hashable {
        public var sent: Int
        public var delivered: Int
        public var parked: Int
        /// Set when the batch failed: the delay before the next attempt.
        public var retryIn: TimeInterval?
        public var failure: String?
    }

    /// Sends one batch of the oldest pending events, if any.
    public func attempt() async throws(StoreError) -> Attempt {
        let batch = try store.pendingOutbox(limit: batchLimit, maxBytes: settings.batchBytes)
        guard !batch.isEmpty else {
            try refreshQueue()
            return Attempt(sent: 0, delivered: 0, parked: 0)
        }
        let outcome = await uploader.upload(batch)
        let plan = DeliveryPlan(batch: batch.map { ($0.sequence, $0.eventID) }, outcome: outcome)
        let now = clock.now()
        try store.markOutboxDelivered(plan.delivered, at: now)
        for parked in plan.parked {
            try store.parkOutboxEvent(parked.sequence, reason: parked.reason)
            logger.warning("central rejected an event; parked", metadata: ["seq": "\(parked.sequence)", "reason": "\(parked.reason)"])
        }
        var attempt = Attempt(sent: batch.count, delivered: plan.delivered.count, parked: plan.parked.count)
        if plan.split {
            batchLimit = max(1, batch.count / 2)
            logger.notice("central refused a batch as malformed; splitting", metadata: ["batch": "\(batchLimit)"])
        } else if let failure = plan.failure {
            try store.recordOutboxAttempt(plan.stillPending, error: failure)
            state.consecutiveFailures += 1
            state.lastError = failure
            if case .unauthorized = outcome { state.connection = .unauthorized } else { state.connection = .backingOff }
            let delay = settings.backoff.delay(afterFailures: state.consecutiveFailures, unit: unit(), retryAfter: plan.retryAfter)
            state.nextAttemptAt = now.addingTimeInterval(delay)
            attempt.retryIn = delay
            attempt.failure = failure
            logger.notice("delivery to central failed; backing off",
                          metadata: ["failures": "\(state.consecutiveFailures)", "retry_in_s": "\(delay)", "error": "\(failure)"])
        } else {
            batchLimit = settings.batchEvents
            state.connection = .connected
            state.consecutiveFailures = 0
            state.lastError = nil
            state.lastSuccessAt = now
            state.nextAttemptAt = nil
        }
        try refreshQueue(force: attempt.retryIn != nil)
        return attempt
    }

    /// Sends until the queue is empty, or until an attempt fails `maxFailures` times in a row
    /// (each after its backoff). Returns the attempts' totals.
    public func flush(maxFailures: Int = 1) async throws -> FlushReport {
        var report = FlushReport()
        var failures = 0
        while true {
            let attempt = try await attempt()
            report.delivered += attempt.delivered
            report.parked += attempt.parked
            if let retryIn = attempt.retryIn {
                failures += 1
                report.lastFailure = attempt.failure
                if failures >= maxFailures { break }
                try await sleep(retryIn)
                continue
            }
            failures = 0
            if attempt.sent == 0 { break }
        }
        try refreshQueue()
        report.remaining = state.pending
        return report
    }

    public struct FlushReport: Sendable, Hashable {
        public var delivered = 0
        public var parked = 0
        public var remaining = 0
        public var lastFailure: String?
    }

    /// Runs until cancelled: sends while there is something to send, waits `idleInterval` when
    /// the queue is empty, and the backoff after a failure.
    public func run() async throws {
        while !Task.isCancelled {
            let attempt: Attempt
            do {
                attempt = try await self.attempt()
            } catch {
                logger.error("the outbox cannot be read: \(error)")
                try await sleep(settings.idleInterval)
                continue
            }
            if let retryIn = attempt.retryIn {
                try await sleep(retryIn)
            } else if attempt.sent == 0 {
                do { try pruneIfDue() } catch { logger.error("delivered events cannot be pruned: \(error)") }
                try await sleep(settings.idleInterval)
            }
        }
    }

    private var lastPrune: Date?

    /// Prunes the events delivered more than `settings.retention` ago, at most once per
    /// `settings.pruneInterval` (`KioskStore.pruneDeliveredOutbox`); nil when not due.
    @discardableResult
    public func pruneIfDue() throws(StoreError) -> OutboxPruneReport? {
        guard let retention = settings.retention else { return nil }
        let now = clock.now()
        if let lastPrune, now.timeIntervalSince(lastPrune) < settings.pruneInterval { return nil }
        lastPrune = now
        let report = try store.pruneDeliveredOutbox(deliveredBefore: now.addingTimeInterval(-retention), now: now)
        if report.pruned > 0 {
            logger.info("pruned delivered events", metadata: ["pruned": "\(report.pruned)", "through_seq": "\(report.throughSequence)"])
        }
        return report
    }

    private var lastRefresh: Date?

    /// Counts the queue (a scan of the outbox) at most once a second while draining.
    private func refreshQueue(force: Bool = true) throws(StoreError) {
        let now = clock.now()
        if !force, let lastRefresh, now.timeIntervalSince(lastRefresh) < 1 { return }
        lastRefresh = now
        state.update(queue: try store.outboxQueueStatus(), now: clock.now(), settings: settings)
        if let statePath {
            do { try state.write(to: statePath) } catch { logger.warning("cannot write the sync state file: \(error)") }
        }
    }
}
