/// Why bytes are not a well-formed NDEF message or Type 2 TLV area. Parsing stops at the first
/// problem and never reads past the bytes it was given.
public enum NDEFError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The message has no records.
    case empty
    /// A record header or field runs past the end of the bytes: `needed` more than `available`.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The first record lacks MB, a later one has it, or the last record lacks ME.
    case badMessageBoundaries(offset: Int)
    /// TNF 0x07 (reserved), or a TNF and type length that cannot go together.
    case badTypeNameFormat(offset: Int, tnf: UInt8)
    /// A chunked record that is not continued by TNF "unchanged" chunks, or such a chunk alone.
    case badChunk(offset: Int)
    /// A URI, text or external-type record whose payload does not decode.
    case badPayload(String)
    /// A Type 2 TLV whose length runs past the memory area, or a reserved length form.
    case badTLV(offset: Int)
    /// No NDEF message TLV before the terminator or the end of the area.
    case noNDEFMessage
    /// The message is larger than the card can hold.
    case tooLarge(size: Int, capacity: Int)

    public var description: String {
        switch self {
        case .empty: "NDEF message with no records"
        case .truncated(let offset, let needed, let available):
            "NDEF record at \(offset) needs \(needed) bytes, \(available) available"
        case .badMessageBoundaries(let offset): "NDEF message-begin/end flags wrong at \(offset)"
        case .badTypeNameFormat(let offset, let tnf): "NDEF record at \(offset) has bad TNF \(tnf)"
        case .badChunk(let offset): "NDEF chunked record broken at \(offset)"
        case .badPayload(let why): "NDEF payload: \(why)"
        case .badTLV(let offset): "Type 2 TLV malformed at \(offset)"
        case .noNDEFMessage: "no NDEF message on the card"
        case .tooLarge(let size, let capacity): "NDEF of \(size) bytes exceeds capacity \(capacity)"
        }
    }
}
