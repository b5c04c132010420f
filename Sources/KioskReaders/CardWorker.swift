import Foundation
import KioskCards
import KioskPCSC
import Synchronization

/// A thread of its own, with a PC/SC context of its own, that reads the cards presented on one
/// reader, one at a time. pcsc-lite locks a context for the whole of a call, so a read stuck in
/// the driver (a card that never answers) blocks only this thread and this context: the status
/// loop and the other readers' workers go on.
///
/// A worker is reused from tap to tap while its reads are delivered. When the watchdog has given
/// up on its read, `deliver` says so: the worker then drops the result, releases its context
/// (after the card's disconnect) and ends, and reports that it ended through `exited`.
///
/// Whoever ends a worker waits for it (`waitUntilEnded`) before the process may exit: pcsc-lite's
/// client library frees its table of contexts in a destructor at exit, so a worker still
/// releasing its context then crashes the process (seen as a SIGSEGV of `diag readers --watch`
/// on Ctrl-C after a tap).
final class CardWorker: Sendable {
    /// One read handed to the worker.
    struct Job: Sendable {
        let presentation: Presentation
        /// False once the watchdog gave up on this read.
        let isWanted: @Sendable () -> Bool
        /// Hands the result over; false when the watchdog gave up on the read (the worker ends).
        let deliver: @Sendable (CardReadResult) -> Bool
    }

    private struct Inbox {
        var job: Job?
        var quit = false
    }

    let reader: String
    private let inbox = Mutex(Inbox())
    private let wake = DispatchSemaphore(value: 0)
    private let ended = Mutex(false)
    private let endedSignal = DispatchSemaphore(value: 0)

    /// Starts the worker's thread for `reader`. `exited` is called on that thread as it ends.
    init(reader: String, read: @escaping CardRead, exited: @escaping @Sendable (CardWorker) -> Void = { _ in }) {
        self.reader = reader
        let thread = Thread { [self] in
            serve(read)
            exited(self)
            ended.withLock { $0 = true }
            endedSignal.signal()
        }
        thread.name = "kiosk-card-reader"
        thread.start()
    }

    /// Hands over the next read. The worker must be idle (its last job delivered).
    func start(_ job: Job) {
        inbox.withLock { box in
            precondition(box.job == nil, "a card worker reads one card at a time")
            box.job = job
        }
        wake.signal()
    }

    /// Ends an idle worker (a read in progress finishes first; its result is still delivered).
    func stop() {
        inbox.withLock { $0.quit = true }
        wake.signal()
    }

    /// True once the worker's thread has ended (its context released).
    var hasEnded: Bool { ended.withLock { $0 } }

    /// Waits until the worker's thread has ended, at most until `deadline`; true if it has.
    func waitUntilEnded(before deadline: DispatchTime) -> Bool {
        if hasEnded { return true }
        guard endedSignal.wait(timeout: deadline) == .success else { return false }
        endedSignal.signal()  // for any later waiter
        return true
    }

    private func serve(_ read: CardRead) {
        var context: PCSCContext?
        while true {
            wake.wait()
            let next = inbox.withLock { box -> Job?? in
                if let job = box.job {
                    box.job = nil
                    return job
                }
                return box.quit ? .some(nil) : nil
            }
            guard let next else { continue }
            guard let job = next else { break }
            let result = read(job.presentation, &context, job.isWanted)
            if !job.deliver(result) { break }
        }
        // The card was disconnected inside `read`; the context goes with the worker.
        context = nil
    }
}

extension CardReading {
    /// Reads `presentation` once on a worker of its own (with its own PC/SC context) and waits at
    /// most `timeout`, for one-shot tools (`kiosk diag card`): a card that does not answer in
    /// time gives `.failed(.noAnswer)`, the worker ends when its call returns and its late result
    /// is dropped. A reader held by another process gives `.failed(.sharingViolation)`.
    public func readOnce(_ presentation: Presentation, timeout: Duration) -> Tap {
        let box = Mutex<(abandoned: Bool, result: CardReadResult?)>((false, nil))
        let done = DispatchSemaphore(value: 0)
        let reading = self
        let worker = CardWorker(reader: presentation.reader, read: { reading.read($0, context: &$1, isWanted: $2) })
        worker.start(CardWorker.Job(
            presentation: presentation,
            isWanted: { box.withLock { !$0.abandoned } },
            deliver: { result in
                let taken = box.withLock { b in
                    if !b.abandoned { b.result = result }
                    return !b.abandoned
                }
                if taken { done.signal() }
                return false   // one read: the worker ends either way
            }))
        let nanoseconds = Int(ReadWatchdog.nanoseconds(timeout))
        _ = done.wait(timeout: .now() + .nanoseconds(nanoseconds))
        let result = box.withLock { b -> CardReadResult? in
            if b.result == nil { b.abandoned = true }
            return b.result
        }
        // A delivered read ends its worker at once (the context released): wait for that, so the
        // caller may exit. An abandoned worker is still in its call and cannot be waited for.
        if result != nil { _ = worker.waitUntilEnded(before: .now() + .seconds(2)) }
        let atr = presentation.atr
        switch result {
        case .tap(let tap):
            return tap
        case .busy:
            return Tap(reader: presentation.reader, atr: atr, kind: ATR(atr).kind, outcome: .failed(.sharingViolation), apdus: 0)
        case .abandoned?, nil:
            var tap = Tap(reader: presentation.reader, atr: atr, kind: ATR(atr).kind, outcome: .failed(.noAnswer(within: timeout)), apdus: 0)
            tap.elapsed = .now - presentation.since
            return tap
        }
    }
}
