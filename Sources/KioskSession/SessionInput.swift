import Foundation
import KioskCore

/// Everything that can happen to a kiosk, as the session sees it. Devices and the store are
/// outside: the composition resolves a card to who holds it before the tap reaches the session,
/// and feeds the results of the operations the session asked for back as `.completed`.
public enum SessionInput: Sendable, Equatable {
    /// A card on a reader, or a member code scanned, already resolved to who it belongs to.
    case presented(Presentation)
    /// The card was taken off `reader`.
    case lifted(reader: String, at: Date)
    /// A scan that is not a member code (those arrive as `.presented`).
    case scanned(ScanInput, at: Date)
    /// A key on the PIN keypad (delivered only while the session enabled the keypad).
    case key(KeypadKey, at: Date)
    /// Time passes: timeouts and animation frames.
    case tick
    /// The result of an operation the session asked for.
    case completed(RequestID, SessionResult)
    /// The central API became reachable or stopped being reachable.
    case central(online: Bool)
    /// A new configuration (program, strings, operators) is ready to be applied.
    case configurationChanged
    /// A spin committed before a restart whose result was never shown (the outcome stays as drawn).
    case restoredSpin(MemberView, SpinOutcome)

    /// The device time of a tap, scan or key; nil for inputs that are not from a device.
    var deviceTime: Date? {
        switch self {
        case .presented(let presentation): presentation.at
        case .lifted(_, let at), .scanned(_, let at), .key(_, let at): at
        default: nil
        }
    }
}

/// A card tapped on a reader or a member code scanned, with what the kiosk concluded about it.
public struct Presentation: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        case reader(String)
        case scanner(String)
    }

    public var source: Source
    public var card: CardID?
    public var identity: Identity
    public var at: Date
    /// For a card no one holds: how it can become a member's card (nil: it cannot, as it carries
    /// another system's data or is a kind that takes no token and tells nothing trusted).
    public var newCard: NewCard?

    public init(source: Source, card: CardID?, identity: Identity, at: Date, newCard: NewCard? = nil) {
        self.source = source
        self.card = card
        self.identity = identity
        self.at = at
        self.newCard = newCard
    }

    var reader: String? {
        if case .reader(let name) = source { return name }
        return nil
    }
}

/// How a card no one holds becomes a member's card (enrollment, a replacement).
public enum NewCard: Sendable, Equatable {
    /// It carries nothing: a member token signed with the program's key is written onto it and
    /// read back, and the card is bound by its UID.
    case blank
    /// It identifies itself with a credential the readers trust (a bare UID where
    /// `readers.accept_bare_uid` allows it, e.g. a MIFARE Classic card; an NTAG 424 DNA's SUN
    /// message): it is bound as it is, and nothing is written.
    case selfIdentifying
}

/// Who a card or member code belongs to.
public enum Identity: Sendable, Equatable {
    case member(MemberView)
    case staff(StaffView)
    /// A card the kiosk can read but no one holds here: blank, or not known locally or centrally.
    case unknown
    case blocked
    /// A cloned or replayed card (an NTAG 424 DNA counter seen before, a copied SUN URL).
    case cloned
    /// A card that could not be read to the end, or answered garbage.
    case unreadable
}

/// What a scan means, for scans that are not member codes.
public enum ScanInput: Sendable, Equatable {
    /// A receipt whose signature verified; the session only carries it to the claim.
    case receipt(ReceiptRef)
    /// A receipt whose signature did not verify, or that is not a receipt of this chain.
    case forgedReceipt
    case voucher(code: String)
    /// An enrollment link or QR: the campaign that brought the member, and who referred them.
    case enrollmentLink(source: String?, referralCode: String?)
    /// A catalogue gift's printed link: a member asks for the item (their card tapped next
    /// confirms it).
    case gift(item: String)
    /// A product barcode (GTIN), for staff flows.
    case product(gtin: String)
    /// A scan the kiosk cannot use.
    case unusable
}

/// A verified receipt, as the session passes it on.
public struct ReceiptRef: Sendable, Equatable {
    public var id: String
    public var amount: Rial
    /// The scanned text, for the claim operation to verify and record again.
    public var payload: String

    public init(id: String, amount: Rial, payload: String) {
        self.id = id
        self.amount = amount
        self.payload = payload
    }
}

/// A key on the PIN keypad.
public enum KeypadKey: Sendable, Equatable {
    case digit(UInt8)
    case enter
    case backspace
    case cancel
}

/// Correlates an operation the session asked for with its result.
public struct RequestID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "r\(rawValue)" }
}
