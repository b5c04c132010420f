import KioskCards
import KioskPCSC

/// A card presented on a reader, to be read.
public struct Presentation: Sendable, Equatable {
    public let reader: String
    public let atr: [UInt8]
    /// When pcscd reported it (the tap's `elapsed` counts from here).
    public let since: ContinuousClock.Instant
    /// 1 for the first try; more when the reader was held by another process.
    public var attempt: Int

    public init(reader: String, atr: [UInt8], since: ContinuousClock.Instant = .now, attempt: Int = 1) {
        self.reader = reader
        self.atr = atr
        self.since = since
        self.attempt = attempt
    }
}

/// How one read of a presented card ended.
public enum CardReadResult: Sendable, Equatable {
    /// The tap, whatever its outcome.
    case tap(Tap)
    /// Another process holds the reader: nothing was read, retry while the card stays.
    case busy
    /// The watchdog had given up on the read by the time it connected: the card it reached (maybe
    /// the next one presented on a once-stuck reader) was sent nothing. Never delivered.
    case abandoned
}

/// Reads one presented card on a worker's context (established by the read when nil); no
/// feedback once `isWanted` says the watchdog gave up. `CardReading.read` is the real one.
public typealias CardRead = @Sendable (Presentation, inout PCSCContext?, _ isWanted: () -> Bool) -> CardReadResult

/// Decides what the reader tells the customer about a tap: the kiosk's verdict (the store says
/// whether the identified card or its member is blocked, unknown, …), not the readers'
/// identification alone. Called once for every tap that is still wanted, on the reader's worker
/// after the identification and before the feedback, whether or not the reader gives feedback
/// (`kiosk run` hands the tap to its session here). Nil: no feedback for this tap (a tap the
/// kiosk ignores, such as one during the wheel's animation).
public typealias TapJudge = @Sendable (Tap) -> ReaderFeedback.Signal?

/// One read of a presented card on a connection of the caller's context: connect, identify,
/// decide, give feedback, disconnect. It blocks as long as the reader's driver does; run it on a
/// `CardWorker`.
public struct CardReading: Sendable {
    public let policy: IdentificationPolicy
    /// The feedback model for a reader, or nil for no feedback.
    public let feedback: @Sendable (String) -> ReaderFeedback.Model?
    /// The signal the verdict on a tap gives (by default the readers' own conclusion).
    public let judge: TapJudge

    public init(policy: IdentificationPolicy, feedback: @escaping @Sendable (String) -> ReaderFeedback.Model? = { _ in nil },
                judge: @escaping TapJudge = { ReaderFeedback.signal(for: $0.outcome) }) {
        self.policy = policy
        self.feedback = feedback
        self.judge = judge
    }

    /// Reads the card of `presentation`. `context` is the worker's own, established here when nil
    /// and dropped when pcscd no longer knows it. No feedback is given once `isWanted` is false
    /// (the watchdog gave up on this read: the reader may still be stuck).
    public func read(_ presentation: Presentation, context: inout PCSCContext?, isWanted: () -> Bool) -> CardReadResult {
        let reader = presentation.reader
        let card: PCSCCard
        do {
            card = try connect(reader, context: &context)
        } catch where error == .sharingViolation {
            return .busy
        } catch {
            var tap = Tap(reader: reader, atr: presentation.atr, kind: ATR(presentation.atr).kind,
                          outcome: .failed(CardIdentifier.failure(error)), apdus: 0)
            tap.elapsed = .now - presentation.since
            return .tap(tap)
        }
        defer { try? card.disconnect(.leave) }
        // A connect that returns after the watchdog gave up (it waited on a stuck reader) may have
        // reached the next card presented there: leave that card to the read that is wanted.
        guard isWanted() else { return .abandoned }
        var tap = CardIdentifier(policy: policy).identify(reader: reader, atr: presentation.atr, channel: PCSCChannel(card))
        tap.elapsed = .now - presentation.since
        if isWanted(), let signal = judge(tap), let model = feedback(reader) {
            tap.feedback = ReaderFeedback.give(signal, model: model, card: card)
        }
        return .tap(tap)
    }

    /// Connects on the worker's context, establishing it when there is none, and once more on a
    /// fresh context when a reused one fails (pcscd may have restarted since the last tap).
    private func connect(_ reader: String, context: inout PCSCContext?) throws(PCSCError) -> PCSCCard {
        if let reused = context {
            do { return try reused.connect(reader) } catch {
                guard error.meansServiceLost else { throw error }
                context = nil
            }
        }
        let fresh = try PCSCContext()
        context = fresh
        return try fresh.connect(reader)
    }
}
