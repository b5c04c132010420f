import Foundation
import KioskCards
import KioskCore
import KioskPCSC

/// One presentation of a card at a reader, and what the kiosk concluded.
public struct Tap: Sendable, Equatable {
    /// This identification's id (a UUID): logged with the tap, and stored with the SDM counter
    /// a SUN message consumed, in the same transaction.
    public let identification: String
    public let reader: String
    public let atr: [UInt8]
    public let kind: CardKind
    /// The card's UID, when it was read (it is not always needed).
    public var uid: [UInt8]?
    /// The NDEF records read, decoded where possible.
    public var ndef: [NDEFRecord.Content]
    public var outcome: TapOutcome
    /// Command APDUs sent to identify the card.
    public var apdus: Int
    /// From pcscd's card-present event to the conclusion (connect and APDUs included), when the
    /// reader service measured it. Reported, never relied on.
    public var elapsed: Duration?
    /// The LED/buzzer feedback given for this tap, if the reader has any.
    public var feedback: ReaderFeedback.Outcome?

    public init(reader: String, atr: [UInt8], kind: CardKind, uid: [UInt8]? = nil, ndef: [NDEFRecord.Content] = [], outcome: TapOutcome, apdus: Int,
                identification: String = UUID().uuidString) {
        self.identification = identification
        self.reader = reader
        self.atr = atr
        self.kind = kind
        self.uid = uid
        self.ndef = ndef
        self.outcome = outcome
        self.apdus = apdus
    }
}

/// The conclusion about a card.
public enum TapOutcome: Sendable, Equatable {
    /// A credential the kiosk trusts.
    case identified(CardCredential)
    /// A card that was read, and is not accepted (and why).
    case refused(Refusal)
    /// The card could not be read to the end: it left, the reader failed, it answered garbage.
    case failed(ReadFailure)
}

/// How a card proved who it is.
public enum CardCredential: Sendable, Equatable {
    /// A member token signed with the program's key.
    case memberToken(MemberID, card: CardID)
    /// A genuine NTAG 424 DNA SUN message with a fresh counter.
    case sun(uid: [UInt8], counter: UInt32, card: CardID)
    /// A bare UID (accepted only where the configuration allows it).
    case bareUID([UInt8], card: CardID)

    /// The card identifier the store binds to members.
    public var cardID: CardID {
        switch self {
        case .memberToken(_, let card), .sun(_, _, let card), .bareUID(_, let card): card
        }
    }

    public static func uidCardID(_ uid: [UInt8]) -> CardID { CardID(rawValue: "uid:" + Hex.string(uid)) }
}

/// Why a card that was read is refused.
public enum Refusal: Sendable, Equatable, CustomStringConvertible {
    case badToken(MemberTokenError)
    case badSUN(SDMError)
    /// A bare UID and the configuration does not accept bare UIDs.
    case bareUIDNotAccepted
    /// No member credential on the card (and no UID to fall back on).
    case noCredential
    /// The NDEF on the card is malformed.
    case badNDEF(NDEFError)
    /// A card kind the kiosk does not read.
    case unsupportedCard(CardKind)
    /// The card needs a key the kiosk was not given (token key or SDM keys).
    case notConfigured(String)
    /// The card needs more APDUs than one identification may send (`CardIdentifier.maxAPDUs`),
    /// e.g. it answers READ BINARY a few bytes at a time.
    case tooManyAPDUs(Int)

    public var description: String {
        switch self {
        case .badToken(let e): e.description
        case .badSUN(let e): e.description
        case .bareUIDNotAccepted: "bare UID not accepted (readers.accept_bare_uid is false)"
        case .noCredential: "no member credential on the card"
        case .badNDEF(let e): e.description
        case .unsupportedCard(let kind): "unsupported card kind \(kind.rawValue)"
        case .notConfigured(let what): "not configured: \(what)"
        case .tooManyAPDUs(let limit): "the card needs more than \(limit) APDUs to read"
        }
    }
}

/// Why a card could not be read to the end. Nothing was concluded from a half read.
public enum ReadFailure: Sendable, Equatable, CustomStringConvertible {
    /// The card left the field (or was reset) during the exchange.
    case cardLeft
    /// Another process holds the reader or card.
    case sharingViolation
    /// The card answered something that is not a response APDU, or an unexpected status.
    case garbage(String)
    /// pcsc-lite failed otherwise.
    case reader(PCSCErrorCode)
    /// The card (or the reader's driver) did not answer within the deadline
    /// (`readers.card_timeout_ms`): the read was abandoned, nothing was concluded.
    case noAnswer(within: Duration)

    public var description: String {
        switch self {
        case .cardLeft: "card left the reader during the read"
        case .sharingViolation: "reader in use by another process"
        case .garbage(let why): "card answered garbage: \(why)"
        case .reader(let code): "reader error \(code.name)"
        case .noAnswer(let deadline): "card did not answer within \(Self.milliseconds(deadline)) ms"
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }
}

/// A `PCSCError`'s code, without the operation text (so that outcomes compare by meaning).
public struct PCSCErrorCode: Sendable, Equatable {
    public let error: PCSCError
    public init(_ error: PCSCError) { self.error = error }
    public var name: String { error.name }
}
