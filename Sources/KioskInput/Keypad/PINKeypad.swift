/// The staff PIN keypad: a numeric keypad or keyboard that is not a scanner. It is opened and
/// grabbed only while a PIN is asked for (`readPIN`), so that the digits reach nothing else,
/// and released right after. Nothing here logs or reports a digit.
public struct PINKeypad: Sendable {
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case cancelled
        case timedOut
        case device(String)

        public var description: String {
            switch self {
            case .cancelled: "PIN entry cancelled"
            case .timedOut: "no PIN within the time allowed"
            case .device(let why): "PIN keypad: \(why)"
            }
        }
    }

    public let node: String

    public init(node: String) { self.node = node }

    /// Grabs the keypad, collects one PIN, releases the keypad. `progress` gets the number of
    /// digits typed so far (for the screen); `timeout` runs from the call.
    public func readPIN(maxDigits: Int = 12, timeout: Duration, shouldStop: () -> Bool = { false },
                        progress: (Int) -> Void = { _ in }) throws(Failure) -> PIN {
        let device: EvdevDevice
        do {
            device = try EvdevDevice(path: node)
            try device.grab()
        } catch {
            throw .device(error.description)
        }
        defer { device.close() }
        let clock = ContinuousClock()
        let end = clock.now + timeout
        var collector = PINCollector(maxDigits: maxDigits)
        while !shouldStop() {
            let left = end - clock.now
            guard left > .zero else { throw .timedOut }
            let result: EvdevDevice.ReadResult
            do { result = try device.read(timeout: min(left, .milliseconds(250))) } catch { throw .device(error.isDeviceGone ? "unplugged" : error.description) }
            guard case .events(let keys) = result else { continue }
            for key in keys {
                switch collector.key(key) {
                case .progress(let n)?: progress(n)
                case .done(let pin)?: return pin
                case .cancelled?: throw .cancelled
                case nil: continue
                }
            }
        }
        throw .cancelled
    }
}
