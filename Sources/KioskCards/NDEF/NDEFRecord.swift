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

    /// UTF-16 text as the Text RTD allows it: big-endian unless a byte order mark says otherwise
    /// (the mark is not part of the text). Nil for an odd length or unpaired surrogates.
    static func utf16(_ bytes: ArraySlice<UInt8>) -> String? {
        var body = Array(bytes)
        guard body.count % 2 == 0 else { return nil }
        var bigEndian = true
        if body.count >= 2 {
            if body[0] == 0xFE, body[1] == 0xFF { body.removeFirst(2) } else if body[0] == 0xFF, body[1] == 0xFE {
                bigEndian = false
                body.removeFirst(2)
            }
        }
        var units: [UInt16] = []
        units.reserveCapacity(body.count / 2)
        for i in stride(from: 0, to: body.count, by: 2) {
            let high: UInt16 = UInt16(bigEndian ? body[i] : body[i + 1])
            let low: UInt16 = UInt16(bigEndian ? body[i + 1] : body[i])
            units.append(high << 8 | low)
        }
        var scalars = String.UnicodeScalarView()
        var decoder = UTF16()
        var iterator = units.makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: return String(scalars)
            case .error: return nil
            }
        }
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
            // RFC 3987: no control characters in an IRI (a NUL would cut it short in C, a line
            // break would split a log line).
            guard !payload.dropFirst().contains(where: { $0 < 0x20 || $0 == 0x7F }),
                  !rest.unicodeScalars.contains(where: { (0x80...0x9F).contains($0.value) }) else {
                throw .badPayload("URI contains a control character")
            }
            return .uri(prefix + rest)
        case .wellKnown where type == Array("T".utf8):
            guard let status = payload.first else { throw .badPayload("empty text record") }
            guard status & 0x40 == 0 else { throw .badPayload("text status byte has the reserved bit set") }
            let langLength = Int(status & 0x3F)
            guard langLength > 0 else { throw .badPayload("text record without a language code") }
            guard payload.count >= 1 + langLength else { throw .badPayload("text language runs past the payload") }
            // An IANA language code (RFC 5646): ASCII letters, digits and hyphens.
            let langBytes = payload[1..<(1 + langLength)]
            guard langBytes.allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }) else {
                throw .badPayload("text language code is not ASCII letters, digits and hyphens")
            }
            let lang = String(decoding: langBytes, as: UTF8.self)
            let body = payload[(1 + langLength)...]
            if status & 0x80 != 0 {
                guard let text = Self.utf16(body) else { throw .badPayload("text is not UTF-16") }
                return .text(language: lang, text: text)
            }
            guard let text = String(validating: body, as: UTF8.self) else { throw .badPayload("text is not UTF-8") }
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
