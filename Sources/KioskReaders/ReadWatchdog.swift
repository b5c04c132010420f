import Dispatch
import KioskCards
import KioskPCSC
import Synchronization

/// The reads of presented cards, each on its reader's `CardWorker`, and the watchdog over them:
/// the reader service's status loop hands presentations here and never waits for a card.
///
/// - A read that has not finished within `timeout` gives one tap `.failed(.noAnswer)`; its worker
///   is abandoned (it ends when the stuck call returns, and its late result is dropped).
/// - While a reader's abandoned worker is still blocked, no second worker starts on that reader:
///   a card presented there is reported (`readerStuck`) and waits until the worker has ended.
/// - Events about a reader whose read is in flight (its card removed, the reader gone) are held
///   and emitted after that read's tap, so that each reader's events keep their order.
///
/// Events are emitted under one lock, from the status thread, the workers and the timers.
/// `ReaderService` drives it; it is public for the benchmark, which measures what it adds.
public final class ReadWatchdog: Sendable {
    private struct InFlight {
        let id: UInt64
        let presentation: Presentation
        let worker: CardWorker
        let timer: DispatchWorkItem
        var held: [ReaderServiceEvent] = []
    }

    private struct State {
        var nextID: UInt64 = 0
        var inFlight: [String: InFlight] = [:]
        /// Workers between reads, one per reader, reused.
        var idle: [String: CardWorker] = [:]
        /// Abandoned workers whose call has not returned yet.
        var stuck: [String: CardWorker] = [:]
        /// Presentations waiting for their reader: held by another process, or stuck.
        var waiting: [String: Presentation] = [:]
        var closed = false
    }

    public let timeout: Duration
    public let busyRetries: Int
    private let read: CardRead
    private let emitter: @Sendable (ReaderServiceEvent) -> Void
    private let state = Mutex(State())

    public init(timeout: Duration, busyRetries: Int, read: @escaping CardRead,
         emit: @escaping @Sendable (ReaderServiceEvent) -> Void) {
        self.timeout = timeout
        self.busyRetries = busyRetries
        self.read = read
        emitter = emit
    }

    /// True when no read is in flight or waiting (the status loop may wait longer).
    public var isIdle: Bool { state.withLock { $0.inFlight.isEmpty && $0.waiting.isEmpty } }

    /// True while an abandoned worker of `reader` is still blocked.
    public func isStuck(_ reader: String) -> Bool { state.withLock { $0.stuck[reader] != nil } }

    /// Emits an event about `reader`, after the tap of the read in flight there if there is one.
    public func emit(_ event: ReaderServiceEvent, about reader: String) {
        state.withLock { s in
            if s.inFlight[reader] != nil {
                s.inFlight[reader]!.held.append(event)
            } else {
                emitter(event)
            }
        }
    }

    /// The card left `reader` (or the reader left): a presentation waiting there is dropped, and
    /// `event` is emitted in order.
    public func cardLeft(_ reader: String, _ event: ReaderServiceEvent) {
        state.withLock { s in
            s.waiting[reader] = nil
            if case .readerRemoved = event { s.idle.removeValue(forKey: reader)?.stop() }
            if s.inFlight[reader] != nil {
                s.inFlight[reader]!.held.append(event)
            } else {
                emitter(event)
            }
        }
    }

    /// A card was presented: start reading it, or keep it waiting for its reader.
    public func present(_ presentation: Presentation) {
        state.withLock { s in
            let reader = presentation.reader
            if s.stuck[reader] != nil {
                if s.waiting[reader] == nil { emitter(.readerStuck(reader)) }
                s.waiting[reader] = presentation
            } else if s.inFlight[reader] != nil {
                s.waiting[reader] = presentation
            } else {
                start(presentation, &s)
            }
        }
    }

    /// Starts the waiting presentations whose reader is free (called by the status loop after
    /// each look at the readers, which paces the retries of busy readers).
    public func retryWaiting() {
        state.withLock { s in
            for (reader, presentation) in s.waiting where s.inFlight[reader] == nil && s.stuck[reader] == nil {
                s.waiting[reader] = nil
                start(presentation, &s)
            }
        }
    }

    /// The session ends (pcscd went away, or the service stops): idle workers end; reads in
    /// flight are abandoned without a tap (their events are emitted now), their workers end
    /// when their calls return.
    ///
    /// With `joiningWithin`, waits that long at most for every worker to have ended (the service
    /// stopping: the process may exit next, and no PC/SC call may outlive it). True when none is
    /// left running.
    @discardableResult
    public func close(joiningWithin limit: Duration = .zero) -> Bool {
        let (idle, all) = state.withLock { s -> ([CardWorker], [CardWorker]) in
            s.closed = true
            s.waiting = [:]
            for (reader, flight) in s.inFlight {
                flight.timer.cancel()
                s.stuck[reader] = flight.worker
                flight.held.forEach(emitter)
            }
            s.inFlight = [:]
            defer { s.idle = [:] }
            return (Array(s.idle.values), Array(s.idle.values) + Array(s.stuck.values))
        }
        idle.forEach { $0.stop() }
        let deadline = DispatchTime.now() + .nanoseconds(Int(Self.nanoseconds(limit)))
        return all.allSatisfy { $0.waitUntilEnded(before: deadline) }
    }

    private func start(_ presentation: Presentation, _ s: inout State) {
        guard !s.closed else { return }
        let reader = presentation.reader
        s.nextID += 1
        let id = s.nextID
        let worker = s.idle.removeValue(forKey: reader)
            ?? CardWorker(reader: reader, read: read, exited: { [weak self] in self?.exited($0) })
        let timer = DispatchWorkItem { [weak self] in self?.expire(reader, id) }
        s.inFlight[reader] = InFlight(id: id, presentation: presentation, worker: worker, timer: timer)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(Self.nanoseconds(timeout))), execute: timer)
        worker.start(CardWorker.Job(
            presentation: presentation,
            isWanted: { [weak self] in self?.state.withLock { $0.inFlight[reader]?.id == id } ?? false },
            deliver: { [weak self] result in self?.finish(reader, id, result) ?? false }))
    }

    /// A worker's read ended: deliver its result unless the watchdog gave up on it.
    private func finish(_ reader: String, _ id: UInt64, _ result: CardReadResult) -> Bool {
        state.withLock { s in
            guard let flight = s.inFlight[reader], flight.id == id else { return false }
            flight.timer.cancel()
            s.inFlight[reader] = nil
            switch result {
            case .tap(let tap):
                emitter(.tap(tap))
            case .busy:
                var next = flight.presentation
                if next.attempt == 1 { emitter(.readerBusy(reader)) }
                next.attempt += 1
                if next.attempt <= busyRetries { s.waiting[reader] = next }
            case .abandoned:
                break  // not reached: a read is abandoned only once the watchdog has let it go
            }
            flight.held.forEach(emitter)
            if s.closed { return false }
            s.idle[reader] = flight.worker
            return true
        }
    }

    /// The deadline of read `id` passed: one tap `.failed(.noAnswer)`, unless it finished.
    private func expire(_ reader: String, _ id: UInt64) {
        state.withLock { s in
            guard let flight = s.inFlight[reader], flight.id == id else { return }
            s.inFlight[reader] = nil
            s.stuck[reader] = flight.worker
            let p = flight.presentation
            var tap = Tap(reader: reader, atr: p.atr, kind: ATR(p.atr).kind, outcome: .failed(.noAnswer(within: timeout)), apdus: 0)
            tap.elapsed = .now - p.since
            emitter(.tap(tap))
            flight.held.forEach(emitter)
        }
    }

    /// An abandoned worker's call returned and it ended: its reader is free again.
    private func exited(_ worker: CardWorker) {
        state.withLock { s in
            if s.stuck[worker.reader] === worker { s.stuck[worker.reader] = nil }
        }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
