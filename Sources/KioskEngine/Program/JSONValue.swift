import Foundation

/// A program file read as plain JSON, before its shape is checked.
enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// How a problem names what was found: "a string", "null", …
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "true or false"
        case .integer: return "an integer"
        case .number: return "a number with a fraction"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "an object"
        }
    }
}
