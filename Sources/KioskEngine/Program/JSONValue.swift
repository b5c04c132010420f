import Foundation

/// A program file read as plain JSON (by `ProgramJSONReader`), before its shape is checked.
enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

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
