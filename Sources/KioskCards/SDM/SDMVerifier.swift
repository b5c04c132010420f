import Crypto

/// Verification of NTAG 424 DNA Secure Unique NFC messages, per NXP AN12196: decrypt PICCData
/// with the meta read key, derive the session MAC key from SV2, compare the truncated SDMMAC in
/// constant time. The replay check (counter strictly greater than the last one seen for the UID)
/// needs the store and is done by the caller with the returned counter.
public enum SDMVerifier {
    /// What a genuine SUN message says.
    public struct Verified: Sendable, Equatable {
        public let uid: [UInt8]
        public let counter: UInt32

        public init(uid: [UInt8], counter: UInt32) {
            self.uid = uid
            self.counter = counter
        }
    }

    /// Decrypts PICCData (16 bytes, AES-CBC with zero IV, i.e. one block) and returns the UID
    /// and the SDM read counter it mirrors.
    public static func decryptPICCData(_ encrypted: [UInt8], keys: SDMKeys) throws(SDMError) -> (uid: [UInt8], counter: UInt32) {
        guard encrypted.count == 16 else { throw .malformed("PICCData of \(encrypted.count) bytes") }
        let plain: [UInt8]
        do { plain = try AESCMAC.decryptBlock(encrypted, key: SymmetricKey(data: keys.metaRead)) } catch { throw .crypto }
        let tag = plain[0]
        // Bit 7: UID mirrored; bit 6: counter mirrored; low nibble: UID length (7 for NTAG 424).
        guard tag & 0x80 != 0, tag & 0x40 != 0, tag & 0x0F == 7 else { throw .badPICCDataTag(tag) }
        let uid = Array(plain[1..<8])
        let counter = UInt32(plain[8]) | UInt32(plain[9]) << 8 | UInt32(plain[10]) << 16
        return (uid, counter)
    }

    /// The session MAC key: CMAC(file read key, SV2), SV2 = `3CC3 0001 0080 ‖ UID ‖ counter`.
    public static func sessionMACKey(uid: [UInt8], counter: UInt32, keys: SDMKeys) throws(SDMError) -> [UInt8] {
        guard uid.count == 7 else { throw .malformed("UID of \(uid.count) bytes") }
        let sv2: [UInt8] = [0x3C, 0xC3, 0x00, 0x01, 0x00, 0x80] + uid
            + [UInt8(counter & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter >> 16 & 0xFF)]
        do { return try AESCMAC(key: keys.fileRead).mac(sv2) } catch { throw .crypto }
    }

    /// The 8-byte SDMMAC: the odd-indexed bytes of CMAC(session key, MAC input).
    public static func sdmmac(uid: [UInt8], counter: UInt32, macInput: [UInt8], keys: SDMKeys) throws(SDMError) -> [UInt8] {
        let session = try sessionMACKey(uid: uid, counter: counter, keys: keys)
        let full: [UInt8]
        do { full = try AESCMAC(key: session).mac(macInput) } catch { throw .crypto }
        return stride(from: 1, to: 16, by: 2).map { full[$0] }
    }

    /// Verifies one SUN message: PICCData, the bytes the MAC covers, and the SDMMAC the card sent.
    public static func verify(piccData: [UInt8], macInput: [UInt8], sdmmac: [UInt8], keys: SDMKeys) throws(SDMError) -> Verified {
        guard sdmmac.count == 8 else { throw .malformed("SDMMAC of \(sdmmac.count) bytes") }
        let (uid, counter) = try decryptPICCData(piccData, keys: keys)
        let expected = try self.sdmmac(uid: uid, counter: counter, macInput: macInput, keys: keys)
        guard ConstantTime.equal(expected, sdmmac) else { throw .badMAC }
        return Verified(uid: uid, counter: counter)
    }

    /// Verifies the SUN URL an NTAG 424 DNA returns in its NDEF file (see `SUNURL`), for a card
    /// batch personalised with `layout`.
    public static func verify(url: String, keys: SDMKeys, layout: SDMMACInput) throws(SDMError) -> Verified {
        let parsed = try SUNURL(url)
        return try verify(piccData: parsed.piccData, macInput: parsed.macInput(layout), sdmmac: parsed.sdmmac, keys: keys)
    }
}

/// Why a SUN message was refused.
public enum SDMError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    /// PICCData decrypted to a tag that does not mirror a 7-byte UID and the counter: wrong key
    /// or forged data.
    case badPICCDataTag(UInt8)
    /// The SDMMAC does not match: forged, altered, or a different key.
    case badMAC
    /// The counter is not greater than the last one seen for this UID: a copied URL.
    case replayed(counter: UInt32, last: UInt32)
    /// A SUN message read from a card that cannot have produced it (an NTAG21x, a MIFARE): a URL
    /// read off a member's card and written onto a cheap tag.
    case notFromNTAG424(CardKind)
    /// The card's UID (GET UID) is not the UID inside PICCData: a SUN message copied onto, or
    /// played by, another ISO 14443-4 device (a phone, another tag).
    case uidMismatch(card: [UInt8], piccData: [UInt8])
    case crypto

    public var description: String {
        switch self {
        case .malformed(let why): "malformed SUN message: \(why)"
        case .badPICCDataTag(let tag): "PICCData tag \(Hex.string([tag])) (wrong key or forged)"
        case .badMAC: "SDMMAC does not verify"
        case .replayed(let counter, let last): "SDM counter \(counter) not above last seen \(last): replayed"
        case .notFromNTAG424(let kind): "SUN message on a \(kind.rawValue) card, which cannot produce one: copied"
        case .uidMismatch(let card, let picc): "card UID \(Hex.string(card)) is not the SUN message's UID \(Hex.string(picc)): copied"
        case .crypto: "cipher failure"
        }
    }
}
