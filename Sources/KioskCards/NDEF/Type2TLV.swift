/// The TLV blocks of an NFC Forum Type 2 tag's data area (NTAG21x from page 4): where the NDEF
/// message is, and how to wrap one for writing.
public enum Type2TLV {
    public static let null: UInt8 = 0x00
    public static let lockControl: UInt8 = 0x01
    public static let memoryControl: UInt8 = 0x02
    public static let ndefMessage: UInt8 = 0x03
    public static let proprietary: UInt8 = 0xFD
    public static let terminator: UInt8 = 0xFE

    /// The result of scanning the first bytes of a data area.
    public enum Scan: Sendable, Equatable {
        /// The NDEF message TLV's value is at `offset ..< offset + length` of the area.
        case message(offset: Int, length: Int)
        /// The bytes end before the message is located or complete: read at least `total`
        /// bytes of the area and scan again.
        case needMore(total: Int)
        /// A terminator, or the end of a complete area, came before any NDEF message TLV.
        case noMessage
    }

    /// Scans `area` (the data area from its start). `capacity` is the data area's full size:
    /// a TLV that claims to run past it is malformed, whereas one that runs past the bytes read
    /// so far asks for more.
    public static func scan(_ area: [UInt8], capacity: Int) throws(NDEFError) -> Scan {
        var offset = 0
        while true {
            guard offset < capacity else { return .noMessage }
            guard offset < area.count else { return .needMore(total: offset + 1) }
            let tag = area[offset]
            if tag == null { offset += 1; continue }
            if tag == terminator { return .noMessage }
            guard offset + 1 < area.count else { return .needMore(total: offset + 2) }
            var length = Int(area[offset + 1])
            var valueStart = offset + 2
            if length == 0xFF {
                guard offset + 3 < area.count else { return .needMore(total: offset + 4) }
                length = Int(area[offset + 2]) << 8 | Int(area[offset + 3])
                guard length >= 0xFF else { throw .badTLV(offset: offset) }
                valueStart = offset + 4
            }
            guard valueStart + length <= capacity else { throw .badTLV(offset: offset) }
            if tag == ndefMessage {
                guard valueStart + length <= area.count else { return .needMore(total: valueStart + length) }
                return .message(offset: valueStart, length: length)
            }
            offset = valueStart + length
        }
    }

    /// The NDEF message in a complete data area.
    public static func message(in area: [UInt8]) throws(NDEFError) -> NDEFMessage {
        switch try scan(area, capacity: area.count) {
        case .message(let offset, let length):
            return try NDEFMessage(parsing: Array(area[offset..<(offset + length)]))
        case .needMore, .noMessage:
            throw .noNDEFMessage
        }
    }

    /// `03 L message FE`, with the three-byte length form for messages of 255 bytes or more.
    public static func wrap(_ message: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [ndefMessage]
        if message.count < 0xFF {
            out.append(UInt8(message.count))
        } else {
            out += [0xFF, UInt8(message.count >> 8 & 0xFF), UInt8(message.count & 0xFF)]
        }
        return out + message + [terminator]
    }
}
