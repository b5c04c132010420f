import KioskCards
import KioskPCSC

/// LED and buzzer feedback on readers that have them. The model is detected from the reader's
/// name (or set per reader-name pattern); readers without one are silently skipped (no command
/// is sent). A reader that refuses the commands of its model (escape commands disabled in the
/// driver, a reader that is not what its name says) gets none after the first refusal: the
/// reader service stops sending them until the reader is plugged again.
public enum ReaderFeedback {
    /// What happened, to show the customer.
    public enum Signal: String, Sendable, CaseIterable {
        case accepted, refused, error
    }

    /// What the reader says for a tap when nobody else decides: the readers' own conclusion.
    /// `kiosk run` decides with the store instead (a blocked member's card is identified by the
    /// readers and refused by the kiosk), through `ReaderService.Configuration.judge`.
    public static func signal(for outcome: TapOutcome) -> Signal {
        switch outcome {
        case .identified: .accepted
        case .refused: .refused
        case .failed: .error
        }
    }

    /// Reader families with known feedback commands.
    public enum Model: Sendable, Equatable {
        /// ACS ACR122U: pseudo-APDU `FF 00 40 …` through the card connection.
        case acr122
        /// ACS ACR1252U: escape commands `E0 00 00 28/29 …` through `SCardControl(3500)`.
        case acr1252
        /// No known feedback.
        case none
    }

    /// The model a reader's name says.
    public static func model(forReader name: String) -> Model {
        if name.contains("ACR122") { return .acr122 }
        if name.contains("ACR1252") { return .acr1252 }
        return .none
    }

    /// ACR122U "Bi-Color LED and Buzzer Control": LED state control byte, T1 and T2 in units of
    /// 100 ms, repetitions, buzzer link (01: during T1).
    public static func acr122Command(_ signal: Signal) -> [UInt8] {
        switch signal {
        // Green blink once with a short beep.
        case .accepted: [0xFF, 0x00, 0x40, 0x2E, 0x04, 0x01, 0x00, 0x01, 0x01]
        // Red blink twice with two beeps.
        case .refused: [0xFF, 0x00, 0x40, 0x5D, 0x04, 0x02, 0x01, 0x02, 0x01]
        // Red long, one long beep.
        case .error: [0xFF, 0x00, 0x40, 0x5D, 0x04, 0x08, 0x00, 0x01, 0x01]
        }
    }

    /// ACR1252U escape commands: LED (bit 0 red, bit 1 green), then buzzer duration in 10 ms.
    public static func acr1252Commands(_ signal: Signal) -> [[UInt8]] {
        switch signal {
        case .accepted: [[0xE0, 0x00, 0x00, 0x29, 0x01, 0x02], [0xE0, 0x00, 0x00, 0x28, 0x01, 0x0A]]
        case .refused: [[0xE0, 0x00, 0x00, 0x29, 0x01, 0x01], [0xE0, 0x00, 0x00, 0x28, 0x01, 0x1E]]
        case .error: [[0xE0, 0x00, 0x00, 0x29, 0x01, 0x01], [0xE0, 0x00, 0x00, 0x28, 0x01, 0x50]]
        }
    }

    /// What came of a feedback command.
    public enum Outcome: Sendable, Equatable, CustomStringConvertible {
        /// The reader carried it out.
        case given(Signal)
        /// The reader does not take the commands of this model (why): no more on this reader.
        case unsupported(String)
        /// It failed this time (the card left before it): tried again on the next tap.
        case failed(String)

        public var description: String {
            switch self {
            case .given(let signal): "given (\(signal.rawValue))"
            case .unsupported(let why): "unsupported: \(why)"
            case .failed(let why): "failed: \(why)"
            }
        }
    }

    /// The CCID escape function number of ACS readers (`SCARD_CTL_CODE(3500)`).
    public static let escapeFunction: UInt32 = 3500

    /// Gives `signal` on a reader with no card, through a `.direct` connection and escape
    /// commands (the ACR122U takes its pseudo-APDU as an escape command too). Needs libccid's
    /// `ifdDriverOptions` 0x0001 (docs/cards.md). Returns whether a command was sent.
    @discardableResult
    public static func giveWithoutCard(_ signal: Signal, model: Model, reader: PCSCCard) -> Result<Bool, PCSCError> {
        do {
            switch model {
            case .acr122:
                _ = try reader.control(function: escapeFunction, acr122Command(signal))
                return .success(true)
            case .acr1252:
                for command in acr1252Commands(signal) {
                    _ = try reader.control(function: escapeFunction, command)
                }
                return .success(true)
            case .none:
                return .success(false)
            }
        } catch {
            return .failure(error)
        }
    }

    /// Gives `signal` on the reader of `card` if `model` has feedback (nil when it has none).
    /// Feedback never fails a tap: the outcome is reported with it.
    ///
    /// The ACR122U answers its LED command itself with `90` and the LED state; any other answer
    /// came from the card behind a reader that is not an ACR122U, and means unsupported. An
    /// escape command the driver refuses (libccid without `ifdDriverOptions` 0x0001, a reader
    /// without that escape) is unsupported too; an error because the card left is not.
    public static func give(_ signal: Signal, model: Model, card: PCSCCard) -> Outcome? {
        do {
            switch model {
            case .acr122:
                let answer = try card.transmit(acr122Command(signal))
                guard answer.count == 2, answer[0] == 0x90 else {
                    return .unsupported("the LED command was answered \(Hex.string(answer)), not by an ACR122U")
                }
                return .given(signal)
            case .acr1252:
                for command in acr1252Commands(signal) {
                    _ = try card.control(function: escapeFunction, command)
                }
                return .given(signal)
            case .none:
                return nil
            }
        } catch where error.meansCardGone {
            return .failed(error.description)
        } catch {
            return .unsupported(error.description)
        }
    }
}
