import Foundation
import KioskSession
import Logging
import Synchronization

/// The one session of a kiosk, fed from every device's thread. `submit` steps the pure session
/// under a lock with the time read now, shows its screens on the display at once (the display
/// only takes the newest screen), hands its operations, audit entries and keypad changes, in
/// order, to `work`, and gives the caller the reader feedback the session decided for the input.
public final class SessionDriver: Sendable {
    public enum Work: Sendable, Equatable {
        case perform(RequestID, SessionRequest)
        case audit(SessionAudit)
        case keypad(enabled: Bool)
        case applyConfiguration
    }

    private let session: Mutex<Session>
    private let display: DisplayLoop?
    private let clock: @Sendable () -> Date
    private let continuation: AsyncStream<Work>.Continuation
    /// What the session asks to be done, in order; consumed by `SessionService`.
    public let work: AsyncStream<Work>

    public init(session: Session, display: DisplayLoop?, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.session = Mutex(session)
        self.display = display
        self.clock = clock
        (work, continuation) = AsyncStream.makeStream(of: Work.self)
    }

    public var settings: SessionSettings { session.withLock { $0.settings } }

    /// The screen the session shows now.
    public var screen: SessionScreen { session.withLock { $0.screen } }

    /// Shows the session's current screen (at start).
    public func showCurrent() {
        session.withLock { display?.show($0.screen) }
    }

    /// Steps the session with `input` now; returns the feedback it decided for each reader.
    @discardableResult
    public func submit(_ input: SessionInput) -> [String: Feedback] {
        let now = clock()
        var feedback: [String: Feedback] = [:]
        session.withLock { session in
            for effect in session.step(input, now: now) {
                switch effect {
                case .show(let screen): display?.show(screen)
                case .feedback(let reader, let signal): feedback[reader] = signal
                case .perform(let id, let request): continuation.yield(.perform(id, request))
                case .audit(let entry): continuation.yield(.audit(entry))
                case .keypad(let enabled): continuation.yield(.keypad(enabled: enabled))
                case .applyConfiguration: continuation.yield(.applyConfiguration)
                }
            }
        }
        return feedback
    }

    public func finish() { continuation.finish() }
}
