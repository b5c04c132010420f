// Written by hand (not generated): the contract's `EventPayload`, through the generator's
// `typeOverrides` (openapi/openapi-generator-config.yaml).
//
// The generator's own type for a free-form object, `OpenAPIObjectContainer`, holds
// `[String: (any Sendable)?]` and finds each value's type again by dynamic casts on every encode:
// that took more than a third of the CPU of a batch upload (perf, BENCHMARKS.md 2026-12-02). An
// event body is plain JSON, so it is held as a plain tree of JSON values.

/// A JSON object: an event's body as the kiosk stores it and the central compares it.
public struct JSONObject: Codable, Hashable, Sendable {
    public var members: [String: JSONValue]

    public init(_ members: [String: JSONValue] = [:]) { self.members = members }

    public subscript(key: String) -> JSONValue? { members[key] }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONKey.self)
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(container.allKeys.count)
        for key in container.allKeys {
            members[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        self.members = members
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONKey.self)
        for (key, value) in members {
            try container.encode(value, forKey: JSONKey(key))
        }
    }
}

/// One JSON value. Integers that fit 64 bits stay integers (money is integer Rial), every other
/// number is a double, as JSONDecoder reads them.
public enum JSONValue: Codable, Hashable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
            return
        }
        // A Decoder cannot say which kind of value is next; each kind is tried, the most common
        // in event bodies first (strings, integers, objects, arrays; each mismatch costs an
        // error), and a mismatch only moves on to the next kind. A value that is none of them
        // fails below with the decoder's own error.
        if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let integer = try? container.decode(Int64.self) {
            self = .integer(integer)
        } else if let object = try? container.decode(JSONObject.self) {
            self = .object(object)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .bool(try container.decode(Bool.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// Any key of a JSON object.
struct JSONKey: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { return nil }
}
