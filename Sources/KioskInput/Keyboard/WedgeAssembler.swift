/// Turns a keyboard wedge's key events into scans: key-down only (autorepeat ignored, so a
/// doubled character is two key-downs and kept), Shift and Caps Lock, Ctrl+letter and Ctrl+]
/// control characters, Alt+keypad decimal codes (`Alt+0029` is GS, 0x1D), prefix, suffix and
/// terminator or inter-key timeout. Pure: time comes with each event and with `tick(at:)`.
public struct WedgeAssembler: Sendable {
    public enum Output: Sendable, Hashable {
        /// A complete scan: its bytes (without prefix, suffix, terminator), the time of its
        /// first key and of the key (or timeout) that ended it.
        case scan([UInt8], first: Duration, end: Duration)
        /// Keys that did not make a scan, and why. Never carries the keys themselves (it may be a
        /// person typing).
        case discarded(Discard, count: Int)
    }

    public enum Discard: String, Sendable, Hashable {
        /// A pause in the middle of a scan, or the device went away mid-scan.
        case incomplete
        /// Typing on a shared keyboard (too slow or too short for a scan).
        case typing
        case missingPrefix
        case missingSuffix
        case tooLong
    }

    public let configuration: WedgeConfiguration
    private var shift = 0
    private var ctrl = 0
    private var alt = 0
    private var capsLock = false
    private var altCode: Int?
    private var buffer: [UInt8] = []
    private var first: Duration?
    private var last: Duration?
    /// On a shared keyboard: the current burst had a gap too long for a scan.
    private var slow = false
    private var overflow = false

    public init(_ configuration: WedgeConfiguration) {
        self.configuration = configuration
    }

    /// When `tick(at:)` must be called if no key comes first (nil: nothing pending).
    public var deadline: Duration? {
        guard let last, !buffer.isEmpty || overflow else { return nil }
        return last + configuration.interKeyTimeout
    }

    /// Whether a scan is under way (keys received, not ended).
    public var isPending: Bool { !buffer.isEmpty || overflow }

    public mutating func key(_ e: KeyEvent) -> [Output] {
        var out = expire(at: e.time)
        let down = e.value == 1
        if e.value == 2 { return out }
        if KeyCode.isShift(e.code) { shift = max(0, shift + (down ? 1 : -1)); return out }
        if KeyCode.isCtrl(e.code) { ctrl = max(0, ctrl + (down ? 1 : -1)); return out }
        if KeyCode.isAlt(e.code) {
            alt = max(0, alt + (down ? 1 : -1))
            if down, altCode == nil { altCode = 0 }
            if !down, alt == 0, let code = altCode {
                altCode = nil
                if code > 0, code <= 255 { out += append([UInt8(code)], at: e.time) }
            }
            return out
        }
        guard down else { return out }
        if e.code == KeyCode.capsLock { capsLock.toggle(); return out }
        if alt > 0 {
            if let d = KeyCode.keypadDigits[e.code], let code = altCode {
                altCode = min(code * 10 + Int(d), 100_000)
            }
            return out
        }
        switch (e.code, configuration.terminator) {
        case (KeyCode.enter, .enter), (KeyCode.kpEnter, .enter), (KeyCode.tab, .tab):
            return out + finish(at: e.time)
        default: break
        }
        if ctrl > 0 {
            if let control = controlByte(e.code) { out += append([control], at: e.time) }
            return out
        }
        let bytes: [UInt8]
        switch e.code {
        case KeyCode.enter, KeyCode.kpEnter: bytes = [0x0D]
        case KeyCode.tab: bytes = [0x09]
        default:
            guard let ch = configuration.layout.character(for: e.code, shift: shift > 0, capsLock: capsLock) else { return out }
            bytes = Array(String(ch).utf8)
        }
        return out + append(bytes, at: e.time)
    }

    /// Ends what a timeout ends at `now`: a scan without terminator is complete, a scan with one
    /// is broken.
    public mutating func tick(at now: Duration) -> [Output] { expire(at: now) }

    /// The device went away: a scan under way is discarded.
    public mutating func reset() -> [Output] {
        defer { clear() }
        return isPending ? [.discarded(.incomplete, count: buffer.count)] : []
    }

    private mutating func expire(at now: Duration) -> [Output] {
        guard let deadline, now > deadline else { return [] }
        if configuration.terminator == .none { return finish(at: deadline) }
        if configuration.role == .shared {
            // A person stopped typing: not a scan.
            defer { clear() }
            return [.discarded(.typing, count: buffer.count)]
        }
        defer { clear() }
        return [.discarded(.incomplete, count: buffer.count)]
    }

    private mutating func append(_ bytes: [UInt8], at time: Duration) -> [Output] {
        if let last, time - last > configuration.scanMaxGap { slow = true }
        if first == nil { first = time }
        last = time
        guard !overflow else { return [] }
        if buffer.count + bytes.count > configuration.maxLength {
            overflow = true
            buffer.removeAll()
            return []
        }
        buffer += bytes
        return []
    }

    private mutating func finish(at time: Duration) -> [Output] {
        defer { clear() }
        if overflow { return [.discarded(.tooLong, count: configuration.maxLength)] }
        guard !buffer.isEmpty, let first else { return [] }
        if configuration.role == .shared, slow || buffer.count < configuration.scanMinLength {
            return [.discarded(.typing, count: buffer.count)]
        }
        var data = buffer[...]
        if !configuration.prefix.isEmpty {
            guard data.starts(with: configuration.prefix) else { return [.discarded(.missingPrefix, count: buffer.count)] }
            data = data.dropFirst(configuration.prefix.count)
        }
        if !configuration.suffix.isEmpty {
            guard data.count >= configuration.suffix.count, data.suffix(configuration.suffix.count).elementsEqual(configuration.suffix) else {
                return [.discarded(.missingSuffix, count: buffer.count)]
            }
            data = data.dropLast(configuration.suffix.count)
        }
        return [.scan(Array(data), first: first, end: time)]
    }

    private mutating func clear() {
        buffer.removeAll(keepingCapacity: true)
        first = nil
        last = nil
        slow = false
        overflow = false
    }

    /// Ctrl+A … Ctrl+Z are 0x01 … 0x1A; Ctrl+[ Ctrl+\ Ctrl+] are ESC, FS, GS.
    private func controlByte(_ code: UInt16) -> UInt8? {
        switch code {
        case 26: return 0x1B
        case 43: return 0x1C
        case 27: return 0x1D
        default:
            guard let ch = KeyMap.us.character(for: code, shift: false, capsLock: false), let a = ch.asciiValue,
                  a >= 0x61, a <= 0x7A else { return nil }
            return a - 0x60
        }
    }
}
