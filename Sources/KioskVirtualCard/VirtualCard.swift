/// A card played into vpcd: it gives its ATR and answers command APDUs. Implementations keep
/// their state behind a lock, so that a test can look at a card (what was written to it) while
/// the vpcd connection thread drives it.
public protocol VirtualCard: AnyObject, Sendable {
    /// The answer to reset the reader reports.
    var atr: [UInt8] { get }
    /// The card was powered on or reset: volatile state (selected file, session) starts over.
    func reset()
    /// The answer to one command APDU (data and status word), `.pull` to vanish from the field
    /// instead of answering, or `.silent` to stay and never answer.
    func respond(to command: [UInt8]) -> VirtualCardAnswer
}

/// What a virtual card does with a command.
public enum VirtualCardAnswer: Sendable, Equatable {
    /// Send these bytes (response data and status word, or garbage).
    case bytes([UInt8])
    /// Leave the reader without answering: the card is pulled mid-command.
    case pull
    /// Stay in the field and never answer, this command or any later one, until the card is
    /// removed. vpcd waits for an answer without a timeout, so the reader is stuck meanwhile.
    case silent

    static func sw(_ value: UInt16, data: [UInt8] = []) -> VirtualCardAnswer {
        .bytes(data + [UInt8(value >> 8), UInt8(value & 0xFF)])
    }
}

/// ATRs of the kinds of cards the rig plays, as a PC/SC part 3 contactless reader (ACR122U)
/// reports them.
public enum VirtualATR {
    /// MIFARE Ultralight / NTAG21x (standard 03, card name 00 03).
    public static let ultralight = withTCK([0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00])
    /// MIFARE Classic 1K (card name 00 01).
    public static let mifareClassic1K = withTCK([0x3B, 0x8F, 0x80, 0x01, 0x80, 0x4F, 0x0C, 0xA0, 0x00, 0x00, 0x03, 0x06, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00])
    /// An ISO 14443-4 card (NTAG 424 DNA, DESFire) with historical bytes `80`.
    public static let iso14443_4 = withTCK([0x3B, 0x81, 0x80, 0x01, 0x80])
    /// A T=1 ISO 7816 contact card.
    public static let contact = withTCK([0x3B, 0xDB, 0x96, 0x00, 0x80, 0xB1, 0xFE, 0x45, 0x1F, 0x83, 0x00, 0x31, 0xC0, 0x64, 0xC7, 0xFC, 0x10, 0x00, 0x01, 0x90, 0x00])

    /// Appends the check byte (xor of all bytes after TS).
    static func withTCK(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [bytes.dropFirst().reduce(0, ^)]
    }
}
