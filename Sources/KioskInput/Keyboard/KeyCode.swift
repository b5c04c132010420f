/// Linux input key codes (`linux/input-event-codes.h`) the key maps use.
public enum KeyCode {
    public static let esc: UInt16 = 1
    public static let backspace: UInt16 = 14
    public static let tab: UInt16 = 15
    public static let enter: UInt16 = 28
    public static let leftCtrl: UInt16 = 29
    public static let leftShift: UInt16 = 42
    public static let rightShift: UInt16 = 54
    public static let leftAlt: UInt16 = 56
    public static let space: UInt16 = 57
    public static let capsLock: UInt16 = 58
    public static let numLock: UInt16 = 69
    public static let kpEnter: UInt16 = 96
    public static let rightCtrl: UInt16 = 97
    public static let rightAlt: UInt16 = 100

    /// Keypad digit keys: KEY_KP0 … KEY_KP9.
    public static let keypadDigits: [UInt16: UInt8] = [82: 0, 79: 1, 80: 2, 81: 3, 75: 4, 76: 5, 77: 6, 71: 7, 72: 8, 73: 9]
    /// Number-row digit keys: KEY_1 … KEY_0.
    public static let rowDigits: [UInt16: UInt8] = [2: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6, 8: 7, 9: 8, 10: 9, 11: 0]

    public static func isShift(_ c: UInt16) -> Bool { c == leftShift || c == rightShift }
    public static func isCtrl(_ c: UInt16) -> Bool { c == leftCtrl || c == rightCtrl }
    public static func isAlt(_ c: UInt16) -> Bool { c == leftAlt || c == rightAlt }
}
