import Foundation
import KioskCore

/// What the welcome screen needs of a member. The composition builds it from the store (balances
/// derived from the ledger) and the program; the session passes it through.
public struct MemberView: Sendable, Equatable {
    public var id: MemberID
    /// The name to greet them by (personal data: shown to the member, never to a technician).
    public var displayName: String
    public var balances: Balances
    public var tier: String?
    /// Progress to the next tier, in per mille (0…1000), when there is a next tier.
    public var tierProgressPerMille: Int?
    /// The next tier's name, when there is one.
    public var nextTier: String?
    /// Lines such as "1,200 points expire on 24 Azar": prepared by the composition, shown as they are.
    public var expiringSoon: [String]
    /// Free spins waiting, and whether the member can afford a paid spin.
    public var spin: SpinAvailability?
    /// The offer that applied last, with a one-line reason.
    public var lastOffer: String?

    public init(id: MemberID, displayName: String, balances: Balances = Balances(), tier: String? = nil,
                tierProgressPerMille: Int? = nil, expiringSoon: [String] = [], spin: SpinAvailability? = nil,
                lastOffer: String? = nil) {
        self.id = id
        self.displayName = displayName
        self.balances = balances
        self.tier = tier
        self.tierProgressPerMille = tierProgressPerMille
        self.expiringSoon = expiringSoon
        self.spin = spin
        self.lastOffer = lastOffer
    }
}

/// Whether a member may spin now, and at what cost.
public struct SpinAvailability: Sendable, Equatable {
    public var freeSpins: Int
    public var costInCoins: Int64

    public init(freeSpins: Int, costInCoins: Int64) {
        self.freeSpins = freeSpins
        self.costInCoins = costInCoins
    }
}

/// A spin the engine drew and the store committed.
public struct SpinOutcome: Sendable, Equatable {
    /// The segment the wheel must land on.
    public var segment: Int
    public var segmentCount: Int
    /// The prize's label; empty for "nothing this time".
    public var prize: String
    public var won: Bool
    /// The audit record anyone can verify the draw with (`kiosk engine verify-spin`).
    public var auditRecord: String

    public init(segment: Int, segmentCount: Int, prize: String, won: Bool, auditRecord: String) {
        self.segment = segment
        self.segmentCount = segmentCount
        self.prize = prize
        self.won = won
        self.auditRecord = auditRecord
    }
}

/// A staff member as the session knows them from their card.
public struct StaffView: Sendable, Equatable {
    public var id: OperatorID
    public var displayName: String
    public var role: Role

    public init(id: OperatorID, displayName: String, role: Role) {
        self.id = id
        self.displayName = displayName
        self.role = role
    }

    /// The actions this role may take, in menu order (keypad 1, 2, …).
    public var actions: [StaffAction] {
        switch role {
        case .cashier: [.recordPurchase, .recordReturn, .redeemVoucher, .redeemGift]
        case .enroller: [.enroll, .replaceCard]
        case .manager: [.enroll, .replaceCard, .recordPurchase, .recordReturn, .redeemVoucher, .redeemGift, .adjustBalance]
        case .technician: [.diagnostics]
        }
    }
}

/// What staff can do at the kiosk.
public enum StaffAction: String, Sendable, Equatable, CaseIterable {
    case enroll
    case replaceCard = "replace_card"
    case recordPurchase = "record_purchase"
    case recordReturn = "record_return"
    case redeemVoucher = "redeem_voucher"
    case redeemGift = "redeem_gift"
    case adjustBalance = "adjust_balance"
    case diagnostics
}

/// What a voucher is worth, for the voucher screen.
public struct VoucherView: Sendable, Equatable {
    public var code: String
    public var summary: String
    /// The last day on which it can be used (an instant within that day); nil when it does not
    /// expire.
    public var lastValidDay: Date?
    /// Why it cannot be used at the time of the scan; nil when it can.
    public var unusable: VoucherUnusable?

    public var usable: Bool { unusable == nil }

    public init(code: String, summary: String, lastValidDay: Date?, unusable: VoucherUnusable? = nil) {
        self.code = code
        self.summary = summary
        self.lastValidDay = lastValidDay
        self.unusable = unusable
    }
}

/// What the technician's screen shows of the kiosk: its programs, store, outbox, central and
/// clock. The type has no room for a member: nothing of any member can reach it.
public struct DiagnosticsView: Sendable, Equatable {
    public enum Item: String, Sendable, Equatable, CaseIterable {
        case version, program, store, outbox, clock
    }

    public struct Row: Sendable, Equatable {
        public var item: Item
        /// Technical text (names, counts, sizes), the same in every locale.
        public var value: String
        /// Whether it is as it should be; nil for what is only information.
        public var ok: Bool?

        public init(_ item: Item, _ value: String, ok: Bool? = nil) {
            self.item = item
            self.value = value
            self.ok = ok
        }
    }

    public var rows: [Row]

    public init(rows: [Row]) { self.rows = rows }
}

/// Why a scanned voucher cannot be used now.
public enum VoucherUnusable: String, Sendable, Equatable {
    case expired
    case notYetValid
    case usedUp
    /// Issued to another member (found out at the purchase).
    case notThisMember
    /// The purchase is below the voucher's minimum spend (found out at the purchase).
    case belowMinimumSpend
}
