import Foundation
import KioskCards
import KioskPCSC
import Synchronization

/// The reader service: watches the readers the configuration allows, reads each presented card
/// once (one tap per presentation), identifies it, gives reader feedback, and survives pcscd
/// restarts (the context is released and established again with backoff), readers coming and
/// going, cards pulled mid-read, garbage answers and readers held by other processes.
///
/// It runs on one dedicated thread (PC/SC calls block) and reports through `events`.
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

        public init(readers: ReaderNameFilter = ReaderNameFilter(), policy: IdentificationPolicy = IdentificationPolicy(),
                    feedback: Bool = true, feedbackOverrides: [(pattern: String, model: ReaderFeedback.Model)] = [],
                    backoff: Backoff = Backoff(), busyRetries: Int = 20) {
            self.readers = readers
            self.policy = policy
            self.feedback = feedback
            self.feedbackOverrides = feedbackOverrides
            self.backoff = backoff
            self.busyRetries = busyRetries
        }
    }

    public let configuration: Configuration
    private let shared = Mutex(Shared())

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
    func run(_ emit: (ReaderServiceEvent) -> Void) {
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

    /// Watches until pcscd goes away (returns why) or the service stops.
    private func watch(_ context: PCSCContext, _ emit: (ReaderServiceEvent) -> Void) -> PCSCError {
        let filter = configuration.readers
        var loop = ReaderStatusLoop(context: context, include: { filter.includes($0) })
        var known: Set<String> = []
        /// Presentations waiting for a reader held by another process: reader → (ATR, tries).
        var busy: [String: ([UInt8], Int)] = [:]
        var seen = ContinuousClock.now
        while !stopped {
            let events: [ReaderEvent]
            do {
                events = try loop.step(timeoutMilliseconds: busy.isEmpty ? 1000 : 200)
                seen = ContinuousClock.now
            } catch {
                for reader in known { emit(.readerRemoved(reader)) }
                return error
            }
            for event in events {
                switch event {
                case .readerAdded(let name):
                    known.insert(name)
                    emit(.readerAdded(name))
                case .readerRemoved(let name):
                    known.remove(name)
                    busy[name] = nil
                    emit(.readerRemoved(name))
                case .cardRemoved(let name):
                    busy[name] = nil
                    emit(.cardRemoved(name))
                case .cardMute(let name):
                    emit(.cardMute(name))
                case .cardPresented(let name, let atr):
                    busy[name] = nil
                    if !read(name, atr: atr, context: context, since: seen, emit) {
                        busy[name] = (atr, 1)
                        emit(.readerBusy(name))
                    }
                }
            }
            for (name, (atr, tries)) in busy {
                if read(name, atr: atr, context: context, since: ContinuousClock.now, emit) {
                    busy[name] = nil
                } else {
                    busy[name] = tries + 1 < configuration.busyRetries ? (atr, tries + 1) : nil
                }
            }
        }
        return .cancelled
    }

    /// Reads one presented card and emits the tap. Returns false when the reader is held by
    /// another process (nothing emitted; retry later).
    private func read(_ reader: String, atr: [UInt8], context: PCSCContext, since: ContinuousClock.Instant,
                      _ emit: (ReaderServiceEvent) -> Void) -> Bool {
        let card: PCSCCard
        do {
            card = try context.connect(reader)
        } catch where error == .sharingViolation {
            return false
        } catch {
            let kind = ATR(atr).kind
            emit(.tap(Tap(reader: reader, atr: atr, kind: kind, outcome: .failed(CardIdentifier.failure(error)), apdus: 0)))
            return true
        }
        defer { try? card.disconnect(.leave) }
        let identifier = CardIdentifier(policy: configuration.policy)
        var tap = identifier.identify(reader: reader, atr: atr, channel: PCSCChannel(card))
        tap.elapsed = ContinuousClock.now - since
        if configuration.feedback {
            let signal: ReaderFeedback.Signal
            switch tap.outcome {
            case .identified: signal = .accepted
            case .refused: signal = .refused
            case .failed: signal = .error
            }
            ReaderFeedback.give(signal, model: feedbackModel(for: reader), card: card)
        }
        emit(.tap(tap))
        return true
    }

    private func feedbackModel(for reader: String) -> ReaderFeedback.Model {
        if let match = configuration.feedbackOverrides.first(where: { ReaderNameFilter.matches($0.pattern, reader) }) {
            return match.model
        }
        return ReaderFeedback.model(forReader: reader)
    }
}
