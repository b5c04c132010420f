/// One NDEF record (NFC Forum NDEF 1.0): type name format, type, id and payload, with chunks
/// already joined.
public struct NDEFRecord: Sendable, Equatable {
    /// The type name format (3 bits of the record header).
    public enum TypeNameFormat: UInt8, Sendable {
        case empty = 0, wellKnown = 1, mime = 2, absoluteURI = 3, external = 4, unknown = 5
        case unchanged = 6
    }

    public var tnf: TypeNameFormat
    public var type: [UInt8]
    public var id: [UInt8]
    public var payload: [UInt8]

    public init(tnf: TypeNameFormat, type: [UInt8], id: [UInt8] = [], payload: [UInt8]) {
        self.tnf = tnf
        self.type = type
        self.id = id
        self.payload = payload
    }

    /// A URI record (well-known type "U"), with the longest matching prefix code.
    public static func uri(_ uri: String) -> NDEFRecord {
        let (code, rest) = URIPrefix.abbreviate(uri)
        return NDEFRecord(tnf: .wellKnown, type: Array("U".utf8), payload: [code] + Array(rest.utf8))
    }

    /// A text record (well-known type "T"), UTF-8.
    public static func text(_ text: String, language: String = "en") -> NDEFRecord {
        let lang = Array(language.utf8.prefix(63))
        return NDEFRecord(tnf: .wellKnown, type: Array("T".utf8), payload: [UInt8(lang.count)] + lang + Array(text.utf8))
    }

    /// A MIME-typed record.
    public static func mime(_ type: String, _ payload: [UInt8]) -> NDEFRecord {
        NDEFRecord(tnf: .mime, type: Array(type.utf8), payload: payload)
    }

    /// An NFC Forum external-type record, `domain:type`.
    public static func external(_ type: String, _ payload: [UInt8]) -> NDEFRecord {
        NDEFRecord(tnf: .external, type: Array(type.utf8), payload: payload)
    }

    /// What the record says, decoded where the kiosk knows the type.
    public enum Content: Sendable, Equatable {
        case uri(String)
        case text(language: String, text: String)
        case mime(type: String, payload: [UInt8])
        case external(type: String, payload: [UInt8])
        case empty
        case other(tnf: UInt8, type: [UInt8], payload: [UInt8])
    }

    /// Decodes URI, text, MIME and external records; a malformed payload is a typed error.
    public func content() throws(NDEFError) -> Content {
        switch tnf {
        case .empty: return .empty
        case .wellKnown where type == Array("U".utf8):
            guard let code = payload.first else { throw .badPayload("empty URI record") }
            guard let prefix = URIPrefix.prefix(for: code) else { throw .badPayload("reserved URI prefix code \(code)") }
            guard let rest = String(validating: payload.dropFirst(), as: UTF8.self) else {
                throw .badPayload("URI is not UTF-8")
            }
            return .uri(prefix + rest)
        case .wellKnown where type == Array("T".utf8):
            guard let status = payload.first else { throw .badPayload("empty text record") }
            let langLength = Int(status & 0x3F)
            guard payload.count >= 1 + langLength else { throw .badPayload("text language runs past the payload") }
            guard status & 0x80 == 0 else { throw .badPayload("UTF-16 text records are not supported") }
            guard let lang = String(validating: payload[1..<(1 + langLength)], as: UTF8.self),
                  let text = String(validating: payload[(1 + langLength)...], as: UTF8.self)
            else { throw .badPayload("text is not UTF-8") }
            return .text(language: lang, text: text)
        case .mime:
            guard let name = String(validating: type, as: UTF8.self) else { throw .badPayload("MIME type is not text") }
            return .mime(type: name, payload: payload)
        case .external:
            guard let name = String(validating: type, as: UTF8.self) else { throw .badPayload("external type is not text") }
            return .external(type: name, payload: payload)
        default:
            return .other(tnf: tnf.rawValue, type: type, payload: payload)
        }
    }
}
