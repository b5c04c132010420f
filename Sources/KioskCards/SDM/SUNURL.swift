/// The SUN URL the kiosk's NTAG 424 DNA cards are personalised with:
///
///     https://HOST/PATH?picc_data=<32 hex>&cmac=<16 hex>
///
/// The SDMMAC covers the bytes the card batch's personalisation says (`SDMMACInput`): none (the
/// application note's example) or the text `<32 hex>&cmac=`.
public struct SUNURL: Sendable, Equatable {
    public let piccData: [UInt8]
    public let sdmmac: [UInt8]
    /// The text from the start of the `picc_data` value to the start of the `cmac` value.
    public let piccDataThroughCMAC: [UInt8]

    public init(_ url: String) throws(SDMError) {
        let bytes = Array(url.utf8)
        guard bytes.count <= 512 else { throw .malformed("URL too long") }
        guard let piccStart = Self.valueStart(of: "picc_data=", in: bytes),
              let macStart = Self.valueStart(of: "cmac=", in: bytes) else {
            throw .malformed("no picc_data and cmac in the URL")
        }
        guard piccStart + 32 <= bytes.count, macStart + 16 <= bytes.count, piccStart < macStart,
              let picc = Hex.bytes(String(decoding: bytes[piccStart..<(piccStart + 32)], as: UTF8.self)),
              let mac = Hex.bytes(String(decoding: bytes[macStart..<(macStart + 16)], as: UTF8.self)),
              picc.count == 16, mac.count == 8
        else { throw .malformed("picc_data or cmac is not hex of the right length") }
        piccData = picc
        sdmmac = mac
        piccDataThroughCMAC = Array(bytes[piccStart..<macStart])
    }

    /// The bytes of the URL the SDMMAC covers in `layout`.
    public func macInput(_ layout: SDMMACInput) -> [UInt8] {
        switch layout {
        case .empty: []
        case .piccData: piccDataThroughCMAC
        }
    }

    /// Builds the URL a card shows, for the rig and for personalisation.
    public static func make(base: String, piccData: [UInt8], layout: SDMMACInput,
                            sdmmacFor: ([UInt8]) throws(SDMError) -> [UInt8]) throws(SDMError) -> String {
        let piccHex = Hex.string(piccData)
        let macInput: [UInt8] = switch layout {
        case .empty: []
        case .piccData: Array((piccHex + "&cmac=").utf8)
        }
        return base + "?picc_data=" + piccHex + "&cmac=" + Hex.string(try sdmmacFor(macInput))
    }

    /// Index just after `key` where it starts a query item (after `?` or `&`).
    private static func valueStart(of key: String, in bytes: [UInt8]) -> Int? {
        let k = Array(key.utf8)
        guard bytes.count >= k.count + 1 else { return nil }
        for i in 1...(bytes.count - k.count) where bytes[i - 1] == UInt8(ascii: "?") || bytes[i - 1] == UInt8(ascii: "&") {
            if Array(bytes[i..<(i + k.count)]) == k { return i + k.count }
        }
        return nil
    }
}
