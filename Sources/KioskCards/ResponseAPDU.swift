/// A response APDU: data and the two status bytes.
public struct ResponseAPDU: Sendable, Equatable, CustomStringConvertible {
    public let data: [UInt8]
    public let status: StatusWord

    /// Splits a raw answer. An answer shorter than the two status bytes is malformed.
    public init(_ raw: [UInt8]) throws(APDUError) {
        guard raw.count >= 2 else { throw .tooShort(raw.count) }
        data = Array(raw[..<(raw.count - 2)])
        status = StatusWord(sw1: raw[raw.count - 2], sw2: raw[raw.count - 1])
    }

    /// The data if the status is success (`90 00`), else a typed error carrying the status.
    public func successData() throws(APDUError) -> [UInt8] {
        guard status.isSuccess else { throw .status(status) }
        return data
    }

    public var description: String { Hex.string(data) + " " + status.description }
}

/// The status word SW1 SW2 that ends every response APDU.
public struct StatusWord: Sendable, Hashable, CustomStringConvertible {
    public let sw1: UInt8
    public let sw2: UInt8

    public init(sw1: UInt8, sw2: UInt8) {
        self.sw1 = sw1
        self.sw2 = sw2
    }

    public init(_ value: UInt16) { self.init(sw1: UInt8(value >> 8), sw2: UInt8(value & 0xFF)) }

    public var value: UInt16 { UInt16(sw1) << 8 | UInt16(sw2) }
    public var isSuccess: Bool { value == 0x9000 }
    public var description: String { Hex.string([sw1, sw2]) }

    public static let success = StatusWord(0x9000)
    public static let fileNotFound = StatusWord(0x6A82)
    public static let wrongParameters = StatusWord(0x6B00)
    public static let noPreciseDiagnosis = StatusWord(0x6F00)
    public static let insNotSupported = StatusWord(0x6D00)
    public static let claNotSupported = StatusWord(0x6E00)
    public static let commandNotAllowed = StatusWord(0x6986)
    /// PC/SC part 3 readers answer `63 00` when the contactless operation failed.
    public static let operationFailed = StatusWord(0x6300)
}

/// Why an APDU exchange did not give what was asked.
public enum APDUError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The answer had fewer than the two status bytes.
    case tooShort(Int)
    /// The card answered with a status other than success.
    case status(StatusWord)
    /// The answer's data had a length the command cannot produce.
    case unexpectedLength(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .tooShort(let count): "answer of \(count) bytes, shorter than a status word"
        case .status(let sw): "card answered status \(sw)"
        case .unexpectedLength(let expected, let got): "expected \(expected) bytes of data, got \(got)"
        }
    }
}
