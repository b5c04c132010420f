import KioskCards
import KioskPCSC

/// Where identification sends its APDUs: a card connection. It counts what it sent, which the
/// benchmark and the tests report.
public protocol APDUChannel {
    func transmit(_ command: CommandAPDU) throws(PCSCError) -> ResponseAPDU?
}

/// A PC/SC card connection as an `APDUChannel`. A transport answer shorter than a status word
/// is returned as nil, for the identifier to treat as garbage.
public final class PCSCChannel: APDUChannel {
    public let card: PCSCCard
    public private(set) var sent = 0

    public init(_ card: PCSCCard) { self.card = card }

    public func transmit(_ command: CommandAPDU) throws(PCSCError) -> ResponseAPDU? {
        sent += 1
        let raw = try card.transmit(command.bytes)
        return try? ResponseAPDU(raw)
    }
}
