import KioskCards
import Synchronization

/// An NTAG213/215/216 as a PC/SC part 3 reader presents it: `FF CA` gives the UID, `FF B0`
/// reads 16 bytes (four pages), `FF D6` writes one page. Memory is laid out as on the chip:
/// UID and lock bytes in pages 0–2, the capability container in page 3, the NDEF TLV from 4.
public final class NTAGCard: VirtualCard {
    public let model: NTAGModel
    public let uid: [UInt8]
    public var atr: [UInt8] { VirtualATR.ultralight }
    private let memory: Mutex<[UInt8]>
    private let commands = Mutex(0)

    /// A tag holding `message`, or a blank one (an empty NDEF TLV, as tags ship) when nil.
    public init(model: NTAGModel, uid: [UInt8], message: NDEFMessage?) {
        precondition(uid.count == 7, "NTAG UIDs are 7 bytes")
        self.model = model
        self.uid = uid
        var pages = [UInt8](repeating: 0, count: model.pageCount * 4)
        let bcc0 = 0x88 ^ uid[0] ^ uid[1] ^ uid[2]
        let bcc1 = uid[3] ^ uid[4] ^ uid[5] ^ uid[6]
        pages.replaceSubrange(0..<9, with: [uid[0], uid[1], uid[2], bcc0, uid[3], uid[4], uid[5], uid[6], bcc1])
        pages.replaceSubrange(12..<16, with: model.capabilityContainer)
        let tlv = message.map { Type2TLV.wrap($0.bytes) } ?? [0x03, 0x00, 0xFE]
        precondition(tlv.count <= model.dataAreaSize, "message too large for the tag")
        pages.replaceSubrange(16..<(16 + tlv.count), with: tlv)
        memory = Mutex(pages)
    }

    /// Replaces the raw data area from page 4 (for malformed-content cards).
    public func setDataArea(_ bytes: [UInt8]) {
        memory.withLock { pages in
            let count = min(bytes.count, model.dataAreaSize)
            pages.replaceSubrange(16..<(16 + count), with: bytes.prefix(count))
        }
    }

    /// The data area (pages 4…) as it is now.
    public var dataArea: [UInt8] { memory.withLock { Array($0[16..<(16 + model.dataAreaSize)]) } }

    /// Page 3 as it is now.
    public var capabilityContainer: [UInt8] { memory.withLock { Array($0[12..<16]) } }

    /// How many commands the card has answered since it was made.
    public var commandCount: Int { commands.withLock { $0 } }

    public func reset() {}

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        commands.withLock { $0 += 1 }
        guard command.count >= 4 else { return .sw(0x6700) }
        let userEnd = 4 + model.dataAreaSize / 4
        switch (command[0], command[1]) {
        case (0xFF, 0xCA):
            return .sw(0x9000, data: uid)
        case (0xFF, 0xB0):
            let page = Int(command[3])
            let length = command.count >= 5 ? (command[4] == 0 ? 256 : Int(command[4])) : 16
            guard page < model.pageCount else { return .sw(0x6300) }
            return memory.withLock { pages in
                // The NTAG READ command rolls over past the last page.
                let data = (0..<length).map { pages[(page * 4 + $0) % pages.count] }
                return .sw(0x9000, data: data)
            }
        case (0xFF, 0xD6):
            let page = Int(command[3])
            guard command.count == 9, command[4] == 4 else { return .sw(0x6700) }
            let bytes = Array(command[5..<9])
            return memory.withLock { pages in
                switch page {
                case 2:
                    // Lock bytes are OR-ed; bytes 0–1 are read-only.
                    pages[10] |= bytes[2]
                    pages[11] |= bytes[3]
                case 3:
                    guard pages[15] != 0x0F else { return .sw(0x6300) }
                    for i in 0..<4 { pages[12 + i] |= bytes[i] }   // one-time programmable
                case 4..<userEnd:
                    guard pages[15] != 0x0F, pages[10] == 0 else { return .sw(0x6300) }
                    pages.replaceSubrange((page * 4)..<(page * 4 + 4), with: bytes)
                case Int(model.dynamicLockPage):
                    for i in 0..<3 { pages[page * 4 + i] |= bytes[i] }
                default:
                    return .sw(0x6300)
                }
                return .sw(0x9000)
            }
        default:
            return .sw(0x6A81)
        }
    }
}
