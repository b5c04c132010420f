import Foundation
import KioskCore

/// One kiosk's session: a pure state machine. An input and the time go in; the effects to carry
/// out come back (screens, reader feedback, operations, the keypad, audit entries). No I/O, no
/// clock of its own: `now` is the time the composition read when the input reached it.
///
/// One customer or one staff member is served at a time. What happens when things overlap:
/// - a tap or scan during a spin (waiting for the draw, or the wheel turning) is ignored, and its
///   reader gets no feedback: the wheel always finishes and shows the prize;
/// - a member's card while another member is greeted greets the new member (a second reader
///   serves the next customer);
/// - during a staff session, only the taps and scans the current step asks for are used; other
///   cards get "refused" and the step goes on; the staff card tapped again ends the session;
/// - an input older than `settings.staleAfter` when it arrives is dropped, never acted on late;
/// - a configuration change is applied only when the kiosk is idle;
/// - a result that arrives after its operation timed out is ignored, except a spin's, which is
///   the member's prize and is shown.
public struct Session: Sendable {
    public let settings: SessionSettings
    /// The screen last shown.
    public private(set) var screen: SessionScreen = .idle(offline: false)
    var phase: Phase = .idle
    var offline = false
    var configurationPending = false
    var keypadEnabled = false
    var lastRequest: UInt64 = 0
    var pinFailures: [OperatorID: PinFailures] = [:]

    public init(settings: SessionSettings = SessionSettings()) {
        self.settings = settings
    }

    /// Takes one input at time `now` and returns what to do, in order.
    public mutating func step(_ input: SessionInput, now: Date) -> [SessionEffect] {
        if let time = input.deviceTime, now.timeIntervalSince(time) > settings.staleAfter { return [] }
        var effects: [SessionEffect] = []
        switch input {
        case .presented(let presentation): presented(presentation, now: now, into: &effects)
        case .lifted(let reader, let at): lifted(reader: reader, at: at)
        case .scanned(let scan, _): scanned(scan, now: now, into: &effects)
        case .key(let key, _): keyed(key, now: now, into: &effects)
        case .tick: ticked(now: now, into: &effects)
        case .completed(let request, let result): completed(request, result, now: now, into: &effects)
        case .central(let online):
            offline = !online
            if case .idle = phase { show(.idle(offline: offline), into: &effects) }
        case .configurationChanged:
            configurationPending = true
        case .restoredSpin(let member, let outcome):
            phase = .showing(until: now + settings.resultTimeout, member: member)
            show(.prize(outcome), into: &effects)
        }
        if case .idle = phase, configurationPending {
            configurationPending = false
            effects.append(.applyConfiguration)
        }
        let wantsKeypad = phase.wantsKeypad
        if wantsKeypad != keypadEnabled {
            keypadEnabled = wantsKeypad
            effects.append(.keypad(enabled: wantsKeypad))
        }
        return effects
    }

    // MARK: - Shared

    mutating func show(_ next: SessionScreen, into effects: inout [SessionEffect]) {
        screen = next
        effects.append(.show(next))
    }

    mutating func goIdle(into effects: inout [SessionEffect]) {
        phase = .idle
        show(.idle(offline: offline), into: &effects)
    }

    mutating func newRequest() -> RequestID {
        lastRequest += 1
        return RequestID(lastRequest)
    }

    mutating func refuse(_ refusal: Refusal, reader: String?, now: Date, into effects: inout [SessionEffect]) {
        if let reader { effects.append(.feedback(reader: reader, .refused)) }
        phase = .showing(until: now + settings.resultTimeout, member: nil)
        show(.refusal(refusal), into: &effects)
    }

    func accept(_ presentation: Presentation, into effects: inout [SessionEffect]) {
        if let reader = presentation.reader { effects.append(.feedback(reader: reader, .accepted)) }
    }
}

/// Wrong PINs in a row for one staff card, and until when it is locked.
struct PinFailures: Sendable, Equatable {
    var count: Int
    var lockedUntil: Date?
}
