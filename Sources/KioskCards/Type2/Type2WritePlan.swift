/// The page writes that put an NDEF message on a Type 2 tag, in order, and the bytes to expect
/// when reading the data area back.
public struct Type2WritePlan: Sendable, Equatable {
    public struct PageWrite: Sendable, Equatable {
        public let page: UInt8
        public let bytes: [UInt8]
    }

    /// Writes of the NDEF TLV, page 5 onwards first and page 4 (which holds the TLV's length)
    /// last, so that a card pulled mid-write keeps its old length, never a half message.
    public let writes: [PageWrite]
    /// The bytes of the data area from page 4 that must read back after the writes.
    public let expectedDataArea: [UInt8]
    /// The locking writes (last, after the data is verified).
    public let lockWrites: [PageWrite]

    /// Plans the writes of `message` on a tag whose data area is `dataAreaSize` bytes.
    /// `lock` adds the writes that make the tag read-only forever (CC access 0x0F, static and
    /// dynamic lock bits) for an NTAG21x `model`.
    public init(message: NDEFMessage, dataAreaSize: Int, lock: NTAGModel? = nil) throws(NDEFError) {
        var tlv = Type2TLV.wrap(message.bytes)
        guard tlv.count <= dataAreaSize else { throw .tooLarge(size: tlv.count, capacity: dataAreaSize) }
        while tlv.count % 4 != 0 { tlv.append(0x00) }
        var writes: [PageWrite] = []
        for index in stride(from: 0, to: tlv.count, by: 4) {
            writes.append(PageWrite(page: UInt8(4 + index / 4), bytes: Array(tlv[index..<(index + 4)])))
        }
        self.writes = Array(writes.dropFirst()) + writes.prefix(1)
        expectedDataArea = tlv
        if let model = lock {
            var cc = model.capabilityContainer
            cc[3] = 0x0F
            lockWrites = [
                PageWrite(page: 3, bytes: cc),
                PageWrite(page: model.dynamicLockPage, bytes: [0xFF, 0xFF, 0xFF, 0x00]),
                // Bytes 0 and 1 of page 2 are UID and internal bytes; the tag ignores them.
                PageWrite(page: 2, bytes: [0x00, 0x00, 0xFF, 0xFF]),
            ]
        } else {
            lockWrites = []
        }
    }
}
