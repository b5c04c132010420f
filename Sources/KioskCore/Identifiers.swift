/// Identifiers of the things the kiosk keeps. They are opaque strings so that ids minted on a
/// kiosk while offline and ids minted by the central API live side by side without collision.
public protocol KioskIdentifier: RawRepresentable, Hashable, Comparable, Sendable, Codable,
    CustomStringConvertible, ExpressibleByStringLiteral where RawValue == String
{
    init(rawValue: String)
}

extension KioskIdentifier {
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public var description: String { rawValue }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A loyalty-club member.
public struct MemberID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A card, by the identifier the readers derive for it (for example `uid:04DE5F1EACC040`, or the
/// id inside a signed member token). Card identifiers are not secrets.
public struct CardID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A branch of the chain; every transaction belongs to exactly one.
public struct BranchID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A staff member (operator) who acts at the kiosk.
public struct OperatorID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A business transaction (purchase, return, redemption, spin, …).
public struct TransactionID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A lot of points, credit, gift credit or coins with its own expiry.
public struct LotID: KioskIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
