/// The balances a member holds. Each is a separate account in the ledger.
///
/// Points and coins are counts; credit and gift credit are amounts in Rial.
public enum Account: String, CaseIterable, Sendable, Codable, Hashable {
    /// Loyalty points, earned per amount spent, spent on rewards; they expire by lot.
    case points
    /// Wallet credit (cashback): spendable like money at the kiosk's branches.
    case credit
    /// Gift credit: granted on an occasion, with its own expiry and restrictions.
    case giftCredit = "gift_credit"
    /// Coins: earned by purchases and behaviour, spent on games and catalogue gifts.
    case coins

    /// Whether this account's unit is the Rial.
    public var isMoney: Bool { self == .credit || self == .giftCredit }
}

/// A member's four balances, as derived from the ledger.
public struct Balances: Hashable, Sendable, Codable {
    public var points: Int64
    public var credit: Rial
    public var giftCredit: Rial
    public var coins: Int64

    public init(points: Int64 = 0, credit: Rial = .zero, giftCredit: Rial = .zero, coins: Int64 = 0) {
        self.points = points
        self.credit = credit
        self.giftCredit = giftCredit
        self.coins = coins
    }

    public subscript(account: Account) -> Int64 {
        get {
            switch account {
            case .points: points
            case .credit: credit.amount
            case .giftCredit: giftCredit.amount
            case .coins: coins
            }
        }
        set {
            switch account {
            case .points: points = newValue
            case .credit: credit = Rial(newValue)
            case .giftCredit: giftCredit = Rial(newValue)
            case .coins: coins = newValue
            }
        }
    }
}
