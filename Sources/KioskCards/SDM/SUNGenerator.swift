import Crypto

/// What an NTAG 424 DNA computes when its NDEF file is read: encrypted PICCData and the SDMMAC,
/// from its keys, UID and read counter. Used to personalise and to play virtual cards.
public enum SUNGenerator {
    /// The encrypted PICCData for `uid` and `counter`; `padding` is the card's 5 random bytes.
    public static func piccData(uid: [UInt8], counter: UInt32, padding: [UInt8], keys: SDMKeys) throws(SDMError) -> [UInt8] {
        guard uid.count == 7, padding.count == 5 else { throw .malformed("UID must be 7 bytes, padding 5") }
        let plain: [UInt8] = [0xC7] + uid + [UInt8(counter & 0xFF), UInt8(counter >> 8 & 0xFF), UInt8(counter >> 16 & 0xFF)] + padding
        do { return try AESCMAC.encryptBlock(plain, key: SymmetricKey(data: keys.metaRead)) } catch { throw .crypto }
    }

    /// The full SUN URL for `base`, as a card personalised with `layout` returns it.
    public static func url(base: String, uid: [UInt8], counter: UInt32, padding: [UInt8], keys: SDMKeys,
                           layout: SDMMACInput = .default) throws(SDMError) -> String {
        let picc = try piccData(uid: uid, counter: counter, padding: padding, keys: keys)
        return try SUNURL.make(base: base, piccData: picc, layout: layout) { (input) throws(SDMError) in
            try SDMVerifier.sdmmac(uid: uid, counter: counter, macInput: input, keys: keys)
        }
    }
}
