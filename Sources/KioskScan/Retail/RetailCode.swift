/// A retail product code read from an EAN/UPC symbol: EAN-13, EAN-8, UPC-A or UPC-E, with its
/// check digit verified. `gtin` is the code as a 14-digit GTIN (UPC-E expanded to UPC-A first).
public struct RetailCode: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, Codable { case ean13 = "EAN-13", ean8 = "EAN-8", upcA = "UPC-A", upcE = "UPC-E" }

    public let kind: Kind
    /// The digits as scanned (with their check digit).
    public let digits: String
    /// The GTIN-14 the code stands for.
    public let gtin: String

    /// Parses the digits of an EAN/UPC symbol. `kindHint` tells an 8-digit UPC-E from an EAN-8 and
    /// a 12-digit UPC-A; without it, 8 digits are EAN-8, 12 UPC-A, 13 EAN-13.
    public init(_ text: String, kindHint: Kind? = nil) throws(ScanError) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw ScanError(.retailNotDigits, "an EAN/UPC code has digits only")
        }
        let kind: Kind
        switch (bytes.count, kindHint) {
        case (13, nil), (13, .ean13?): kind = .ean13
        case (12, nil), (12, .upcA?): kind = .upcA
        case (8, .upcE?): kind = .upcE
        case (8, nil), (8, .ean8?): kind = .ean8
        default: throw ScanError(.retailLength, "\(bytes.count) digits is no EAN-13, EAN-8, UPC-A or UPC-E")
        }
        let full: [UInt8]
        if kind == .upcE {
            guard let expanded = Self.expandUPCE(bytes) else { throw ScanError(.retailLength, "UPC-E with number system \(bytes[0] - 0x30)") }
            full = expanded
        } else {
            full = bytes
        }
        guard GS1CheckDigit.isValid(full) else { throw ScanError(.checkDigit, "\(kind.rawValue) check digit does not match") }
        self.kind = kind
        self.digits = text
        self.gtin = String(repeating: "0", count: 14 - full.count) + String(decoding: full, as: UTF8.self)
    }

    /// UPC-E (number system, six digits, check digit) to the UPC-A it abbreviates.
    static func expandUPCE(_ e: [UInt8]) -> [UInt8]? {
        guard e.count == 8, e[0] == 0x30 || e[0] == 0x31 else { return nil }
        let d = Array(e[1...6]), z = UInt8(ascii: "0")
        let body: [UInt8]
        switch d[5] {
        case 0x30, 0x31, 0x32: body = [d[0], d[1], d[5], z, z, z, z, d[2], d[3], d[4]]
        case 0x33: body = [d[0], d[1], d[2], z, z, z, z, z, d[3], d[4]]
        case 0x34: body = [d[0], d[1], d[2], d[3], z, z, z, z, z, d[4]]
        default: body = [d[0], d[1], d[2], d[3], d[4], z, z, z, z, d[5]]
        }
        return [e[0]] + body + [e[7]]
    }
}
