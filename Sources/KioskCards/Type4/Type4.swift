/// NFC Forum Type 4 tag constants and parsers: the NDEF application, the capability container
/// file and the NDEF file with its two-byte length.
public enum Type4 {
    /// The NDEF Tag Application (version 2).
    public static let ndefApplication: [UInt8] = [0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01]
    /// The capability container file.
    public static let capabilityContainerFile: UInt16 = 0xE103
    /// The usual NDEF file id (NTAG 424 DNA's, and most others').
    public static let defaultNDEFFile: UInt16 = 0xE104

    /// The part of the CC file the kiosk uses.
    public struct CapabilityContainer: Sendable, Equatable {
        public let maxReadLength: Int
        public let maxWriteLength: Int
        public let ndefFile: UInt16
        public let ndefFileSize: Int
        public let writable: Bool

        /// Parses a CC file (at least 15 bytes with the NDEF File Control TLV `04 06`).
        public init(_ bytes: [UInt8]) throws(NDEFError) {
            guard bytes.count >= 15 else { throw .badPayload("Type 4 CC of \(bytes.count) bytes") }
            guard bytes[7] == 0x04, bytes[8] >= 0x06 else { throw .badPayload("Type 4 CC without NDEF file control TLV") }
            maxReadLength = Int(bytes[3]) << 8 | Int(bytes[4])
            maxWriteLength = Int(bytes[5]) << 8 | Int(bytes[6])
            ndefFile = UInt16(bytes[9]) << 8 | UInt16(bytes[10])
            ndefFileSize = Int(bytes[11]) << 8 | Int(bytes[12])
            writable = bytes[14] == 0x00
            guard maxReadLength >= 0x0F, ndefFileSize >= 2 else { throw .badPayload("Type 4 CC with impossible sizes") }
        }
    }

    /// The NLEN field (first two bytes of the NDEF file).
    public static func ndefLength(_ firstBytes: [UInt8]) throws(NDEFError) -> Int {
        guard firstBytes.count >= 2 else { throw .truncated(offset: 0, needed: 2, available: firstBytes.count) }
        return Int(firstBytes[0]) << 8 | Int(firstBytes[1])
    }

    /// The NDEF file content for a message: NLEN and the message.
    public static func ndefFile(_ message: NDEFMessage) -> [UInt8] {
        let bytes = message.bytes
        return [UInt8(bytes.count >> 8 & 0xFF), UInt8(bytes.count & 0xFF)] + bytes
    }
}
