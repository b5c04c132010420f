/// The key that makes a retried request a no-op: every business operation carries one, and the
/// store refuses to apply the same key twice.
///
/// A key is 1 to 256 printable ASCII characters (no spaces), so that it can travel in an HTTP
/// header and in a log line unchanged. (256, not 128: a receipt claim's key is `receipt:` and a
/// till id and a receipt id of up to 64 characters each, 137 in all, and the store derives
/// `KEY#n` keys from it for its ledger rows.)
public struct IdempotencyKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) throws(IdempotencyKeyError) {
        guard !rawValue.isEmpty, rawValue.utf8.count <= Self.maxLength else { throw .badLength(rawValue.utf8.count) }
        guard rawValue.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .badCharacter }
        self.rawValue = rawValue
    }

    /// The longest key, in bytes.
    public static let maxLength = 256

    public var description: String { rawValue }

    /// A key derived from this one for the n-th part of the same operation (for example the n-th
    /// ledger row of a purchase).
    public func part(_ index: Int) -> String { "\(rawValue)#\(index)" }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(raw) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

public enum IdempotencyKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    case badLength(Int)
    case badCharacter

    public var description: String {
        switch self {
        case .badLength(let n): "an idempotency key must be 1 to \(IdempotencyKey.maxLength) bytes long, not \(n)"
        case .badCharacter: "an idempotency key must be printable ASCII without spaces"
        }
    }
}
