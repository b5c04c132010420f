import Synchronization

/// A card presented on an ACS ACR122U: the reader's firmware answers its own pseudo-APDUs
/// (class `FF`, instruction `00`) before the card sees them, as the real reader does, and passes
/// everything else to `card`. It records the LED/buzzer commands it was given.
///
/// - `FF 00 40 P2 04 T1 T2 N B`: "Bi-Color LED and Buzzer Control"; answers `90` and the LED state.
/// - `FF 00 48 00 00`: "Get firmware version"; answers the version text (e.g. `ACR122U207`) and
///   no status word, as the ACR122U does.
public final class ACR122Reader: VirtualCard {
    public let card: any VirtualCard
    public let firmware: String
    private let given = Mutex<[[UInt8]]>([])

    public init(_ card: any VirtualCard, firmware: String = "ACR122U207") {
        self.card = card
        self.firmware = firmware
    }

    /// The LED/buzzer commands the reader carried out, in order.
    public var feedback: [[UInt8]] { given.withLock { $0 } }

    public var atr: [UInt8] { card.atr }
    public func reset() { card.reset() }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        guard command.count >= 5, command[0] == 0xFF, command[1] == 0x00 else { return card.respond(to: command) }
        switch command[2] {
        case 0x40:
            guard command.count == 9, command[4] == 0x04 else { return .sw(0x6300) }
            given.withLock { $0.append(command) }
            // The LED state after the command: bit 0 red, bit 1 green (final state bits of P2).
            return .bytes([0x90, command[3] & 0x03])
        case 0x48:
            return .bytes(Array(firmware.utf8))
        default:
            // Pseudo-APDUs the kiosk does not use (direct transmit to the PN532 and the like).
            return .sw(0x6300)
        }
    }
}
