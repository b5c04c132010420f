import Foundation
import KioskCards
import KioskPCSC
import Synchronization

/// The reader service: watches the readers the configuration allows, reads each presented card
/// once (one tap per presentation), identifies it, gives reader feedback, and survives pcscd
/// restarts (the context is released and established again with backoff), readers coming and
/// going, cards pulled mid-read, garbage answers and readers held by other processes.
///
/// The status loop runs on one dedicated thread (PC/SC calls block) and reports through
/// `events`. Each presented card is read on a worker thread of its reader, with a PC/SC context
/// of its own, under a deadline (`Configuration.cardTimeout`): a card that never answers gives
/// one `.failed(.noAnswer)` tap and blocks neither the status loop nor the other readers.
public final class ReaderService: Sendable {
    public struct Configuration: Sendable {
        public var readers: ReaderNameFilter
        public var policy: IdentificationPolicy
        /// Give LED/buzzer feedback where the reader supports it.
        public var feedback: Bool
        /// Feedback model per reader-name glob, before detection by name (for readers whose
        /// name does not tell).
        public var feedbackOverrides: [(pattern: String, model: ReaderFeedback.Model)]
        public var backoff: Backoff
        /// How many times a reader held by another process is retried for one presentation.
        public var busyRetries: Int
        /// How long one read of a presented card (connect, identify, feedback, disconnect) may
        /// take before the watchdog gives up on it (`readers.card_timeout_ms`).
        public var cardTimeout: Duration
        /// The verdict that drives a tap's LED/buzzer feedback (by default the readers' own
        /// conclusion; `kiosk run` asks the store, so a blocked member never hears "accepted").
        public var judge: TapJudge

        public init(readers: ReaderNameFilter = ReaderNameFilter(), policy: IdentificationPolicy = IdentificationPolicy(counters: nil),
                    feedback: Bool = true, feedbackOverrides: [(pattern: String, model: ReaderFeedback.Model)] = [],
                    backoff: Backoff = Backoff(), busyRetries: Int = 20, cardTimeout: Duration = .seconds(2),
                    judge: @escaping TapJudge = { ReaderFeedback.signal(for: $0.outcome) }) {
            self.readers = readers
            self.policy = policy
            self.feedback = feedback
            self.feedbackOverrides = feedbackOverrides
            self.backoff = backoff
            self.busyRetries = busyRetries
            self.cardTimeout = cardTimeout
            self.judge = judge
        }
    }

    public let configuration: Configuration
    private let shared = Mutex(Shared())
    /// Readers that refused their feedback commands (until they are added again).
    private let feedbackRefused = FeedbackRefusals()

    private struct Shared {
        var stopped = false
        var context: PCSCContext?
    }

    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Starts the service thread and returns its events. The stream ends after `stop()`, or
    /// when the consumer stops listening.
    public func events() -> AsyncStream<ReaderServiceEvent> {
        let (stream, continuation) = AsyncStream<ReaderServiceEvent>.makeStream(bufferingPolicy: .unbounded)
        continuation.onTermination = { [self] _ in stop() }
        let thread = Thread { [self] in
            run { continuation.yield($0) }
            continuation.finish()
        }
        thread.name = "kiosk-readers"
        thread.start()
        return stream
    }

    /// Runs the service until the calling task is cancelled, handing each event to `handle`
    /// in order (for a `ServiceGroup`: wrap this in a `Service`'s `run()`).
    public func run(_ handle: @Sendable (ReaderServiceEvent) async -> Void) async {
        let stream = events()
        await withTaskCancellationHandler {
            for await event in stream { await handle(event) }
        } onCancel: {
            stop()
        }
    }

    /// Stops the service: the current wait is cancelled and the thread ends.
    public func stop() {
        let context = shared.withLock { s in
            s.stopped = true
            return s.context
        }
        context?.cancel()
    }

    private var stopped: Bool { shared.withLock { $0.stopped } }

    /// The service loop: establish, watch, read; on losing pcscd, start over after a backoff.
    func run(_ emit: @escaping @Sendable (ReaderServiceEvent) -> Void) {
        var backoff = configuration.backoff
        var lastDown: String?
        while !stopped {
            let context: PCSCContext
            do {
                context = try PCSCContext()
                // A context can be established against a dying daemon: check it is usable.
                _ = try context.readers()
            } catch {
                if lastDown != error.name {
                    lastDown = error.name
                    emit(.disconnected(error.description))
                }
                Thread.sleep(forTimeInterval: backoff.delay())
                continue
            }
            shared.withLock { $0.context = context }
            if stopped { break }
            backoff.reset()
            lastDown = nil
            emit(.connected)
            let reason = watch(context, emit)
            shared.withLock { $0.context = nil }
            if stopped { break }
            emit(.disconnected(reason.description))
            lastDown = reason.name
            Thread.sleep(forTimeInterval: backoff.delay())
        }
    }

    /// Watches until pcscd goes away (returns why) or the service stops. Each presented card is
    /// read on its reader's worker, off this thread, under the watchdog (`ReadWatchdog`).
    private func watch(_ context: PCSCContext, _ emit: @escaping @Sendable (ReaderServiceEvent) -> Void) -> PCSCError {
        let filter = configuration.readers
        var loop = ReaderStatusLoop(context: context, include: { filter.includes($0) })
        var known: Set<String> = []
        let noFeedback = feedbackRefused
        // A reader that refuses its feedback commands is reported once and gets no more.
        let emitTaps: @Sendable (ReaderServiceEvent) -> Void = { event in
            emit(event)
            if case .tap(let tap) = event, case .unsupported(let why)? = tap.feedback,
               noFeedback.refuse(tap.reader) {
                emit(.feedbackUnavailable(tap.reader, reason: why))
            }
        }
        let reads = ReadWatchdog(timeout: configuration.cardTimeout, busyRetries: configuration.busyRetries,
                                 read: { [reading = reading()] in reading.read($0, context: &$1, isWanted: $2) }, emit: emitTaps)
        // Stopping, the process may exit next: wait for the workers (a read finishes within the
        // card timeout) so that no PC/SC call outlives it. pcscd gone, go on at once.
        defer { reads.close(joiningWithin: stopped ? configuration.cardTimeout + .milliseconds(500) : .zero) }
        while !stopped {
            let events: [ReaderEvent]
            let seen: ContinuousClock.Instant
            do {
                events = try loop.step(timeoutMilliseconds: reads.isIdle ? 1000 : 200)
                seen = .now
            } catch {
                for reader in known { reads.cardLeft(reader, .readerRemoved(reader)) }
                return error
            }
            for event in events {
                switch event {
                case .readerAdded(let name):
                    known.insert(name)
                    feedbackRefused.forget(name)  // plugged again: try anew
                    reads.emit(.readerAdded(name), about: name)
                case .readerRemoved(let name):
                    known.remove(name)
                    reads.cardLeft(name, .readerRemoved(name))
                case .cardRemoved(let name):
                    reads.cardLeft(name, .cardRemoved(name))
                case .cardMute(let name):
                    reads.emit(.cardMute(name), about: name)
                case .cardPresented(let name, let atr):
                    reads.present(Presentation(reader: name, atr: atr, since: seen))
                }
            }
            reads.retryWaiting()
        }
        return .cancelled
    }

    /// One read of a presented card as this configuration wants it.
    func reading() -> CardReading {
        let configuration = configuration
        let refused = feedbackRefused
        return CardReading(policy: configuration.policy, feedback: { reader in
            guard configuration.feedback, !refused.isRefused(reader) else { return nil }
            return Self.feedbackModel(for: reader, overrides: configuration.feedbackOverrides)
        }, judge: configuration.judge)
    }

    /// The feedback model of a reader: the first override whose pattern matches, else its name's.
    public static func feedbackModel(for reader: String, overrides: [(pattern: String, model: ReaderFeedback.Model)]) -> ReaderFeedback.Model {
        if let match = overrides.first(where: { ReaderNameFilter.matches($0.pattern, reader) }) {
            return match.model
        }
        return ReaderFeedback.model(forReader: reader)
    }
}

/// Readers that refused their feedback commands, shared by the status loop and the workers.
final class FeedbackRefusals: Sendable {
    private let refused = Mutex<Set<String>>([])

    /// Records a refusal; true the first time for this reader.
    func refuse(_ reader: String) -> Bool { refused.withLock { $0.insert(reader).inserted } }
    func isRefused(_ reader: String) -> Bool { refused.withLock { $0.contains(reader) } }
    /// The reader was plugged again: its feedback is tried anew.
    func forget(_ reader: String) { _ = refused.withLock { $0.remove(reader) } }
}
