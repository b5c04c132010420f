/// The kind of card, as far as its ATR (and, for contactless cards, the reader's PC/SC part 3
/// ATR encoding) tells.
public enum CardKind: String, Sendable, Codable, CaseIterable {
    /// MIFARE Ultralight family, which includes NTAG213/215/216 (NFC Forum Type 2).
    case ultralightOrNTAG = "ntag21x"
    /// MIFARE Classic 1K/4K/Mini: UID only here (its crypto is broken; never trusted).
    case mifareClassic = "mifare-classic"
    /// Another PC/SC storage card the kiosk does not read beyond its UID.
    case otherStorageCard = "storage-card"
    /// ISO 14443-4 contactless: DESFire, NTAG 424 DNA, phones (NFC Forum Type 4).
    case iso14443_4 = "iso14443-4"
    /// An ISO 7816 contact card.
    case iso7816Contact = "iso7816"
    /// An ATR that does not parse.
    case unknown = "unknown"
}

/// An answer to reset, classified. Parsing never reads past the bytes it was given.
public struct ATR: Sendable, Equatable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let kind: CardKind
    /// For PC/SC storage cards, the standard byte and the two card-name bytes (PC/SC part 3).
    public let storageCardName: UInt16?
    /// The historical bytes, if the ATR parses.
    public let historicalBytes: [UInt8]

    /// RID of PC/SC part 3 storage-card ATRs.
    static let pcscRID: [UInt8] = [0xA0, 0x00, 0x00, 0x03, 0x06]

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        guard let parsed = Self.parse(bytes) else {
            kind = .unknown
            storageCardName = nil
            historicalBytes = []
            return
        }
        historicalBytes = parsed.historical
        // PC/SC part 3: contactless ATRs are 3B 8n 80 01 …: TD1 = 0x80 (T=0, TD2 follows) and
        // TD2 = 0x01 (T=1, nothing follows).
        let contactless = parsed.td == [0x80, 0x01]
        if contactless, parsed.historical.count >= 12, parsed.historical[0] == 0x80,
           parsed.historical[1] == 0x4F, Array(parsed.historical[3..<8]) == Self.pcscRID {
            let name = UInt16(parsed.historical[9]) << 8 | UInt16(parsed.historical[10])
            storageCardName = name
            switch name {
            case 0x0003, 0x003A, 0x003D: kind = .ultralightOrNTAG
            case 0x0001, 0x0002, 0x0026, 0x0036, 0x0037, 0x0038, 0x0039: kind = .mifareClassic
            default: kind = .otherStorageCard
            }
        } else if contactless {
            storageCardName = nil
            kind = .iso14443_4
        } else {
            storageCardName = nil
            kind = .iso7816Contact
        }
    }

    public var description: String { Hex.string(bytes) }

    /// ISO 7816-3 structure: TS T0 {TAi TBi TCi TDi} historical [TCK].
    private static func parse(_ bytes: [UInt8]) -> (td: [UInt8], historical: [UInt8])? {
        guard bytes.count >= 2, bytes[0] == 0x3B || bytes[0] == 0x3F else { return nil }
        let historicalCount = Int(bytes[1] & 0x0F)
        var y = bytes[1] >> 4
        var index = 2
        var tds: [UInt8] = []
        var needsTCK = false
        while true {
            for bit in [UInt8(0x1), 0x2, 0x4] where y & bit != 0 {
                index += 1
            }
            guard y & 0x8 != 0 else { break }
            guard index < bytes.count else { return nil }
            let td = bytes[index]
            index += 1
            tds.append(td)
            if td & 0x0F != 0 { needsTCK = true }
            y = td >> 4
            guard tds.count < 16 else { return nil }
        }
        guard index + historicalCount <= bytes.count else { return nil }
        let historical = Array(bytes[index..<(index + historicalCount)])
        let expected = index + historicalCount + (needsTCK ? 1 : 0)
        guard bytes.count == expected else { return nil }
        if needsTCK {
            var check: UInt8 = 0
            for byte in bytes[1...] { check ^= byte }
            guard check == 0 else { return nil }
        }
        return (tds, historical)
    }
}
