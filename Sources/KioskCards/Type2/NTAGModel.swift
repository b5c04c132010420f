/// The NTAG21x models the kiosk writes, by their user memory (NXP NTAG213/215/216 data sheet).
public enum NTAGModel: String, Sendable, CaseIterable, Codable {
    case ntag213, ntag215, ntag216

    /// Bytes of user memory from page 4 (the NDEF data area).
    public var dataAreaSize: Int {
        switch self {
        case .ntag213: 144
        case .ntag215: 504
        case .ntag216: 872
        }
    }

    /// Total pages, including configuration pages.
    public var pageCount: Int {
        switch self {
        case .ntag213: 45
        case .ntag215: 135
        case .ntag216: 231
        }
    }

    /// The page of the dynamic lock bytes.
    public var dynamicLockPage: UInt8 {
        switch self {
        case .ntag213: 0x28
        case .ntag215: 0x82
        case .ntag216: 0xE2
        }
    }

    /// The capability container (page 3) as NTAG21x ship it: NDEF 1.0, size / 8, read-write.
    /// (NTAG215 announces 496 of its 504 bytes.)
    public var capabilityContainer: [UInt8] {
        switch self {
        case .ntag213: [0xE1, 0x10, 0x12, 0x00]
        case .ntag215: [0xE1, 0x10, 0x3E, 0x00]
        case .ntag216: [0xE1, 0x10, 0x6D, 0x00]
        }
    }

    /// The model a capability container describes, by its data-area size byte.
    public init?(capabilityContainer cc: [UInt8]) {
        guard cc.count >= 4, cc[0] == 0xE1 else { return nil }
        guard let model = NTAGModel.allCases.first(where: { $0.capabilityContainer[2] == cc[2] }) else { return nil }
        self = model
    }
}

/// A Type 2 capability container (page 3): magic E1, version, data-area size, access.
public struct Type2CapabilityContainer: Sendable, Equatable {
    /// Size of the data area in bytes (the CC says it in units of 8).
    public let dataAreaSize: Int
    /// Write access: 0x00 read-write, 0x0F read-only.
    public let writeAccess: UInt8

    /// Parses the 4 bytes of page 3; anything but the NDEF magic `E1` is a typed error.
    public init(_ bytes: [UInt8]) throws(NDEFError) {
        guard bytes.count >= 4, bytes[0] == 0xE1, bytes[1] >> 4 == 1 else {
            throw .badPayload("no NDEF capability container")
        }
        dataAreaSize = Int(bytes[2]) * 8
        writeAccess = bytes[3] & 0x0F
    }

    public var isWritable: Bool { writeAccess == 0 }
}
