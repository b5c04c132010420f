import Foundation
import KioskCore

/// A return of some or all of a purchase's lines.
public struct ReturnRequest: Sendable, Hashable, Codable {
    public var key: String
    public var member: MemberID
    public var branch: BranchID
    public var operatorID: OperatorID?
    public var at: Date
    /// The idempotency key of the original purchase.
    public var purchaseKey: String
    public var lines: [ReturnLine]

    public init(key: String, member: MemberID, branch: BranchID, operatorID: OperatorID? = nil, at: Date,
                purchaseKey: String, lines: [ReturnLine]) {
        self.key = key
        self.member = member
        self.branch = branch
        self.operatorID = operatorID
        self.at = at
        self.purchaseKey = purchaseKey
        self.lines = lines
    }
}

public struct ReturnLine: Sendable, Hashable, Codable {
    /// The line's position in the original purchase, from 0.
    public var line: Int
    /// The gross amount returned (at most what is left of the line).
    public var amount: Rial

    public init(line: Int, amount: Rial) {
        self.line = line
        self.amount = amount
    }
}

/// What earlier returns of the same purchase took back: cumulative totals, so that every
/// return computes its share as "what is owed back by now, minus what was already taken".
public struct ReturnHistory: Sendable, Hashable, Codable {
    /// Gross returned per line.
    public var returnedGross: [Int64]
    /// Taken back so far, per component (`points`, `coins`, `credit`, `tier`, `raffle:<id>`,
    /// `refund.gift_credit`, `refund.credit`, `refund.cash`, `referral`).
    public var taken: [String: Int64]

    public init(lines: Int) {
        returnedGross = Array(repeating: 0, count: lines)
        taken = [:]
    }
}

/// What a return did.
public struct ReturnOutcome: Sendable, Hashable, Codable {
    public var programVersion: String
    public var purchaseKey: String
    /// Money back: to gift credit, to wallet credit, and in cash.
    public var refundToGiftCredit: Rial
    public var refundToCredit: Rial
    public var refundInCash: Rial
    /// Awards taken back now, per account.
    public var pointsReversed: Int64
    public var coinsReversed: Int64
    public var creditReversed: Rial
    /// Points the purchase spent as a discount, given back now (absent: none).
    public var pointsGivenBack: Int64?
    /// What could not be taken back because it was spent: debts recorded (clamp policy) or left
    /// as a negative balance (allow-negative policy), per account.
    public var shortfall: [String: Int64]
    /// The same for the referrer whose first-purchase reward this return takes back.
    public var referrerShortfall: [String: Int64]
    public var tierDeltaReversed: Int64
    public var raffleEntriesReversed: [String: Int64]
    public var visitsDelta: Int64
    public var fullyReturned: Bool
    public var tierBefore: String?
    public var tierAfter: String?
    /// The cumulative history after this return.
    public var history: ReturnHistory
    public var postings: [Posting]
}
