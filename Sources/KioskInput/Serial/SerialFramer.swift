/// Frames the bytes of a serial scanner into scans: a terminator (CR, LF or CR LF all end a scan
/// under `.line`) or, under `.none`, a pause longer than `interByteTimeout`. Pure.
public struct SerialFramer: Sendable {
    public struct Configuration: Sendable, Hashable {
        public enum Terminator: String, Sendable, Hashable, Codable { case line, none }
        public var terminator: Terminator
        public var interByteTimeout: Duration
        public var maxLength: Int
        /// The line speed to set (CDC-ACM devices ignore it; real UARTs do not).
        public var baudRate: Int

        public init(terminator: Terminator = .line, interByteTimeout: Duration = .milliseconds(100), maxLength: Int = 4_096,
                    baudRate: Int = 9_600) {
            self.terminator = terminator
            self.interByteTimeout = interByteTimeout
            self.maxLength = maxLength
            self.baudRate = baudRate
        }
    }

    public enum Output: Sendable, Hashable {
        case scan([UInt8])
        case discarded(String, count: Int)
    }

    public let configuration: Configuration
    private var buffer: [UInt8] = []
    private var last: Duration?
    private var overflow = false

    public init(_ configuration: Configuration) { self.configuration = configuration }

    public var deadline: Duration? {
        guard let last, !buffer.isEmpty || overflow else { return nil }
        return last + configuration.interByteTimeout
    }

    public mutating func feed<C: Collection>(_ bytes: C, at time: Duration) -> [Output] where C.Element == UInt8 {
        var out = tick(at: time)
        for b in bytes {
            if configuration.terminator == .line, b == 0x0D || b == 0x0A {
                out += finish()
                continue
            }
            last = time
            if overflow { continue }
            if buffer.count >= configuration.maxLength {
                overflow = true
                buffer.removeAll()
                continue
            }
            buffer.append(b)
        }
        return out
    }

    public mutating func tick(at now: Duration) -> [Output] {
        guard let deadline, now > deadline else { return [] }
        if configuration.terminator == .none { return finish() }
        defer { clear() }
        return [.discarded("incomplete", count: buffer.count)]
    }

    /// The port went away: what was under way is discarded.
    public mutating func reset() -> [Output] {
        defer { clear() }
        return buffer.isEmpty && !overflow ? [] : [.discarded("incomplete", count: buffer.count)]
    }

    private mutating func finish() -> [Output] {
        defer { clear() }
        if overflow { return [.discarded("tooLong", count: configuration.maxLength)] }
        return buffer.isEmpty ? [] : [.scan(buffer)]
    }

    private mutating func clear() {
        buffer.removeAll(keepingCapacity: true)
        last = nil
        overflow = false
    }
}
