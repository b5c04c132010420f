/// A value written in a program file as a string in one fixed format (`2026-03-21`, `17:30`):
/// decoded through `parse`, encoded as its `description`, with an error that names the format.
public protocol TextCodable: Codable, CustomStringConvertible {
    static func parse(_ text: String) -> Self?
    /// The format, for error messages: `a date YYYY-MM-DD`.
    static var textFormat: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self.parse(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not \(Self.textFormat)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
