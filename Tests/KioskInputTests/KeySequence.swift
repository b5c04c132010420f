@testable import KioskInput

/// Key events that type text on a US keyboard, with a fixed gap between keys (tests and evemu
/// event files).
struct KeySequence {
    var events: [KeyEvent] = []
    var time: Duration
    let gap: Duration

    init(start: Duration = .seconds(1), gap: Duration = .milliseconds(4)) {
        time = start
        self.gap = gap
    }

    /// The US key (and whether Shift is needed) for each character it can type.
    static let usKeys: [Character: (UInt16, Bool)] = {
        var keys: [Character: (UInt16, Bool)] = [:]
        for code in UInt16(1)..<84 {
            for shift in [true, false] {
                if let c = KeyMap.us.character(for: code, shift: shift, capsLock: false), KeyCode.keypadDigits[code] == nil, code != 55, code != 74, code != 78, code != 83 {
                    keys[c] = (code, shift)
                }
            }
        }
        return keys
    }()

    mutating func tap(_ code: UInt16) {
        events.append(.down(code, at: time))
        events.append(.up(code, at: time + .microseconds(500)))
        time += gap
    }

    mutating func type(_ text: String) {
        for c in text {
            let (code, shift) = Self.usKeys[c]!
            if shift { events.append(.down(KeyCode.leftShift, at: time)) }
            tap(code)
            if shift { events.append(.up(KeyCode.leftShift, at: time)) }
        }
    }

    mutating func enter() { tap(KeyCode.enter) }

    /// Alt held, the decimal code typed on the keypad, Alt released.
    mutating func altNumpad(_ digits: String) {
        events.append(.down(KeyCode.leftAlt, at: time))
        let keypad = Dictionary(uniqueKeysWithValues: KeyCode.keypadDigits.map { ($0.value, $0.key) })
        for d in digits { tap(keypad[UInt8(String(d))!]!) }
        events.append(.up(KeyCode.leftAlt, at: time))
        time += gap
    }

    mutating func pause(_ d: Duration) { time += d }

    /// An evemu events file: key events, each followed by SYN_REPORT.
    var evemu: String {
        var lines = ["# EVEMU 1.3"]
        for e in events {
            let (s, atto) = e.time.components
            let micros = atto / 1_000_000_000_000
            // Microseconds without leading zeros: umockdev 0.17 reads the field after the dot with
            // C's base detection, so "5.030000" would be 5 s + 0o30000 µs (12,288 µs). evemu reads
            // "5.30000" as 30,000 µs too.
            let stamp = "\(s).\(micros)"
            lines.append("E: \(stamp) 0001 \(hex4(e.code)) \(hex4(UInt16(e.value)))")
            lines.append("E: \(stamp) 0000 0000 0000")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func hex4(_ v: UInt16) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 4 - s.count) + s
    }
}
