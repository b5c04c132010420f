/// The two AES-128 keys an NTAG 424 DNA uses for Secure Dynamic Messaging (SUN): the SDM meta
/// read key (encrypts PICCData) and the SDM file read key (from which the session MAC key is
/// derived).
public struct SDMKeys: Sendable {
    public let metaRead: [UInt8]
    public let fileRead: [UInt8]

    public init(metaRead: [UInt8], fileRead: [UInt8]) throws(CardCryptoError) {
        guard metaRead.count == 16 else { throw .badKeyLength(metaRead.count) }
        guard fileRead.count == 16 else { throw .badKeyLength(fileRead.count) }
        self.metaRead = metaRead
        self.fileRead = fileRead
    }

    /// All-zero keys, as NTAG 424 DNA ship (and as AN12196's examples use). Never in production.
    public static let factory = try! SDMKeys(metaRead: [UInt8](repeating: 0, count: 16), fileRead: [UInt8](repeating: 0, count: 16))
}
