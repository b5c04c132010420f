/// A PIN typed on the keypad. Its digits are never printed: `description` and string
/// interpolation show only how many there are; `withDigits` hands them to the code that checks
/// them.
public struct PIN: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    private let digits: [UInt8]

    init(_ digits: [UInt8]) { self.digits = digits }

    public var count: Int { digits.count }

    /// The ASCII digits, for the check (compare in constant time there).
    public func withDigits<T>(_ body: ([UInt8]) throws -> T) rethrows -> T { try body(digits) }

    public var description: String { "PIN(\(digits.count) digits)" }
    public var debugDescription: String { description }
}

/// Collects a PIN from key events: number-row and keypad digits, Backspace, Enter (or keypad
/// Enter) to finish, Esc to cancel; every other key is ignored; autorepeat is ignored. Pure.
public struct PINCollector: Sendable {
    public enum Step: Sendable, Equatable {
        /// Digits so far (for the screen's dots).
        case progress(Int)
        case done(PIN)
        case cancelled
    }

    public let maxDigits: Int
    private var digits: [UInt8] = []

    public init(maxDigits: Int = 12) { self.maxDigits = maxDigits }

    public mutating func key(_ e: KeyEvent) -> Step? {
        guard e.value == 1 else { return nil }
        if let d = KeyCode.rowDigits[e.code] ?? KeyCode.keypadDigits[e.code] {
            guard digits.count < maxDigits else { return nil }
            digits.append(0x30 + d)
            return .progress(digits.count)
        }
        switch e.code {
        case KeyCode.backspace:
            guard !digits.isEmpty else { return nil }
            digits.removeLast()
            return .progress(digits.count)
        case KeyCode.enter, KeyCode.kpEnter:
            guard !digits.isEmpty else { return nil }
            defer { digits.removeAll() }
            return .done(PIN(digits))
        case KeyCode.esc:
            digits.removeAll()
            return .cancelled
        default:
            return nil
        }
    }
}
