import KioskCards
import Glibc
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
        if raw.count < 2 { try card.throwIfGone() }
        return try? ResponseAPDU(raw)
    }
}

extension PCSCCard {
    /// After an answer without a status word: some drivers (vpcd among them) return an empty
    /// answer when the card vanished mid-command, and pcscd notices the removal a poll later.
    /// Throws the card-gone error if the card leaves within `window` seconds; returns if it is
    /// still there (the answer was garbage from a present card).
    func throwIfGone(window: Double = 0.6) throws(PCSCError) {
        let deadline = ContinuousClock.now + .milliseconds(Int(window * 1000))
        while ContinuousClock.now < deadline {
            do {
                _ = try status()
            } catch {
                if error.meansCardGone { throw error }
                return
            }
            usleep(50_000)
        }
    }
}
