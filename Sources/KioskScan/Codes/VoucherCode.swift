/// A voucher code as the engine makes them (`LoyaltyEngine.newVoucherCode`): 10 characters of
/// `ABCDEFGHJKLMNPQRSTUVWXYZ23456789` (no 0/O or 1/I to misread). Codes are case-insensitive, so a
/// scan in lower case (Caps Lock, a scanner's case setting) reads the same code.
public struct VoucherCode: Sendable, Hashable, CustomStringConvertible {
    public static let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789".utf8)
    public static let length = 10

    /// The code in upper case.
    public let code: String

    public init(_ text: String) throws(ScanError) {
        let bytes = Array(text.utf8)
        guard bytes.count == Self.length else { throw ScanError(.voucher, "a voucher code has \(Self.length) characters") }
        var upper = [UInt8]()
        upper.reserveCapacity(bytes.count)
        for b in bytes {
            let u = (b >= 0x61 && b <= 0x7A) ? b - 0x20 : b
            guard Self.isAlphabet(u) else { throw ScanError(.voucher, "a voucher code has no 0, 1, I, O or other characters") }
            upper.append(u)
        }
        code = String(decoding: upper, as: UTF8.self)
    }

    static func isAlphabet(_ u: UInt8) -> Bool {
        (u >= 0x41 && u <= 0x5A && u != 0x49 && u != 0x4F) || (u >= 0x32 && u <= 0x39)
    }

    public var description: String { code }
}
