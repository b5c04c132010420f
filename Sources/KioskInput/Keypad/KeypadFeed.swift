import Foundation

/// The staff keypad as a stream of keys, for a caller that collects digits itself (the kiosk's
/// session: a PIN, an amount, a phone number). The device is opened and grabbed only while it is
/// taken (`setTaken(true)`), so its keystrokes reach nothing else then, and closed (the grab
/// released) as soon as it is given back; keys typed while it is not taken are not read. Digits
/// from the number row and the keypad, Backspace, Enter (either) and Esc; every other key, key
/// releases and autorepeat are dropped. A device that cannot be opened, or goes away, is reported
/// once (`problem`) and tried again every `retry` while taken. Nothing here logs or keeps a key.
public final class KeypadFeed: Sendable {
    public enum Key: Sendable, Equatable {
        case digit(UInt8)
        case enter
        case backspace
        case cancel
    }

    /// The device node, or a pattern in its last component (as `scanners.keypad`).
    public let node: String
    private let state = StateBox()

    /// `key` and `problem` are called on the feed's own thread.
    public init(node: String, retry: Duration = .seconds(1), key: @escaping @Sendable (Key) -> Void,
                problem: @escaping @Sendable (String) -> Void = { _ in }) {
        self.node = node
        let state = self.state
        let thread = Thread { Self.serve(node: node, state: state, retry: retry, key: key, problem: problem) }
        thread.name = "kiosk-keypad"
        thread.start()
    }

    /// Takes the keypad (grabbed from the next moment) or gives it back (released within 0.2 s).
    public func setTaken(_ taken: Bool) { state.update { $0.taken = taken } }

    /// Ends the feed: the device is closed and the thread ends within 0.2 s.
    public func stop() { state.update { $0.stopped = true } }

    /// Whether the device is open and grabbed now (diagnostics and tests).
    public var isGrabbed: Bool { state.read { $0.grabbed } }

    /// The keypad's meaning of a key event: key-down only.
    public static func key(_ event: KeyEvent) -> Key? {
        guard event.value == 1 else { return nil }
        if let digit = KeyCode.rowDigits[event.code] ?? KeyCode.keypadDigits[event.code] { return .digit(digit) }
        switch event.code {
        case KeyCode.enter, KeyCode.kpEnter: return .enter
        case KeyCode.backspace: return .backspace
        case KeyCode.esc: return .cancel
        default: return nil
        }
    }

    private static func serve(node: String, state: StateBox, retry: Duration, key: @Sendable (Key) -> Void,
                              problem: @Sendable (String) -> Void) {
        var reported: String?
        func report(_ why: String) {
            guard why != reported else { return }
            reported = why
            problem(why)
        }
        while true {
            guard let taken = state.waitUntilTakenOrStopped(timeout: .milliseconds(200)) else { return }
            guard taken else { continue }
            let device: EvdevDevice
            do {
                // `node` may name its device by a pattern (`/dev/input/by-id/*-event-kbd`).
                device = try EvdevDevice(path: DeviceMatch.expand(node).sorted().first ?? node)
                try device.grab()
            } catch {
                report(error.description)
                if state.waitUntilStopped(timeout: retry) { return }
                continue
            }
            reported = nil
            state.update { $0.grabbed = true }
            reading: while state.read({ $0.taken && !$0.stopped }) {
                do {
                    guard case .events(let events) = try device.read(timeout: .milliseconds(200)) else { continue }
                    for event in events {
                        // Given back mid-batch: the rest is not the session's.
                        guard state.read({ $0.taken }) else { break reading }
                        if let k = Self.key(event) { key(k) }
                    }
                } catch {
                    report(error.isDeviceGone ? "\(node): unplugged" : error.description)
                    break reading
                }
            }
            device.close()
            state.update { $0.grabbed = false }
        }
    }

    private struct State {
        var taken = false
        var stopped = false
        var grabbed = false
    }

    /// The feed's state under a condition, so the thread sleeps while the keypad is not taken.
    private final class StateBox: @unchecked Sendable {
        private let condition = NSCondition()
        private var value = State()

        func update(_ change: (inout State) -> Void) {
            condition.lock()
            change(&value)
            condition.broadcast()
            condition.unlock()
        }

        func read<T>(_ get: (State) -> T) -> T {
            condition.lock()
            defer { condition.unlock() }
            return get(value)
        }

        /// True once taken, false after `timeout` without, nil when stopped.
        func waitUntilTakenOrStopped(timeout: Duration) -> Bool? {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(timeout.seconds)
            while !value.taken && !value.stopped && condition.wait(until: deadline) {}
            return value.stopped ? nil : value.taken
        }

        /// Sleeps up to `timeout`; true when stopped.
        func waitUntilStopped(timeout: Duration) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            let deadline = Date().addingTimeInterval(timeout.seconds)
            while !value.stopped && (value.taken) && condition.wait(until: deadline) {}
            return value.stopped
        }
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
