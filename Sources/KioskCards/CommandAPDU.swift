/// An ISO 7816-4 command APDU, short or extended, encoded for transmit.
public struct CommandAPDU: Sendable, Equatable, CustomStringConvertible {
    public var cla: UInt8
    public var ins: UInt8
    public var p1: UInt8
    public var p2: UInt8
    public var data: [UInt8]
    /// Expected response length: nil for none; 256 (short) or 65536 (extended) mean "all".
    public var le: Int?

    public init(cla: UInt8, ins: UInt8, p1: UInt8, p2: UInt8, data: [UInt8] = [], le: Int? = nil) {
        self.cla = cla
        self.ins = ins
        self.p1 = p1
        self.p2 = p2
        self.data = data
        self.le = le
    }

    /// True when the data or Le needs the extended form (data > 255 bytes or Le > 256).
    public var isExtended: Bool { data.count > 255 || (le ?? 0) > 256 }

    /// The bytes to transmit (ISO 7816-4 cases 1, 2, 3 and 4, short or extended).
    public var bytes: [UInt8] {
        var out = [cla, ins, p1, p2]
        if isExtended {
            out.append(0x00)
            if !data.isEmpty {
                out.append(UInt8(data.count >> 8 & 0xFF))
                out.append(UInt8(data.count & 0xFF))
                out += data
            }
            if let le {
                let value = le >= 65536 ? 0 : le
                out.append(UInt8(value >> 8 & 0xFF))
                out.append(UInt8(value & 0xFF))
            }
        } else {
            if !data.isEmpty {
                out.append(UInt8(data.count))
                out += data
            }
            if let le { out.append(le >= 256 ? 0 : UInt8(le)) }
        }
        return out
    }

    public var description: String { Hex.string(bytes) }
}

extension CommandAPDU {
    /// PC/SC part 3 GET DATA for the UID: `FF CA 00 00 00`.
    public static let getUID = CommandAPDU(cla: 0xFF, ins: 0xCA, p1: 0x00, p2: 0x00, le: 256)

    /// PC/SC part 3 READ BINARY of a storage card: on NTAG21x, `count` bytes from `page`
    /// (readers answer 16 bytes, four pages, for count 16).
    public static func readPages(from page: UInt8, count: Int = 16) -> CommandAPDU {
        CommandAPDU(cla: 0xFF, ins: 0xB0, p1: 0x00, p2: page, le: count)
    }

    /// PC/SC part 3 UPDATE BINARY of one 4-byte NTAG21x page.
    public static func writePage(_ page: UInt8, _ bytes: [UInt8]) -> CommandAPDU {
        precondition(bytes.count == 4, "an NTAG page is 4 bytes")
        return CommandAPDU(cla: 0xFF, ins: 0xD6, p1: 0x00, p2: page, data: bytes)
    }

    /// ISO SELECT by DF name (application id), first or only occurrence, answer with FCI.
    public static func selectApplication(_ aid: [UInt8]) -> CommandAPDU {
        CommandAPDU(cla: 0x00, ins: 0xA4, p1: 0x04, p2: 0x00, data: aid, le: 256)
    }

    /// ISO SELECT of an elementary file by its 2-byte identifier, no answer data.
    public static func selectFile(_ fileID: UInt16) -> CommandAPDU {
        CommandAPDU(cla: 0x00, ins: 0xA4, p1: 0x00, p2: 0x0C, data: [UInt8(fileID >> 8), UInt8(fileID & 0xFF)])
    }

    /// ISO READ BINARY of the selected file at `offset`.
    public static func readBinary(offset: Int, count: Int) -> CommandAPDU {
        CommandAPDU(cla: 0x00, ins: 0xB0, p1: UInt8(offset >> 8 & 0x7F), p2: UInt8(offset & 0xFF), le: count)
    }

    /// ISO UPDATE BINARY of the selected file at `offset`.
    public static func updateBinary(offset: Int, _ bytes: [UInt8]) -> CommandAPDU {
        CommandAPDU(cla: 0x00, ins: 0xD6, p1: UInt8(offset >> 8 & 0x7F), p2: UInt8(offset & 0xFF), data: bytes)
    }
}
