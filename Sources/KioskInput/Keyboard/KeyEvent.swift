/// One key event from an evdev device: `value` 1 is key-down, 0 key-up, 2 autorepeat. `time` is
/// the event's timestamp, on whatever clock the source uses, as long as it is one clock.
public struct KeyEvent: Sendable, Hashable {
    public var code: UInt16
    public var value: Int32
    public var time: Duration

    public init(code: UInt16, value: Int32, time: Duration) {
        self.code = code
        self.value = value
        self.time = time
    }

    public static func down(_ code: UInt16, at time: Duration) -> KeyEvent { KeyEvent(code: code, value: 1, time: time) }
    public static func up(_ code: UInt16, at time: Duration) -> KeyEvent { KeyEvent(code: code, value: 0, time: time) }
}
