import Foundation
import KioskCore

/// A member joining the club.
public struct EnrollmentRequest: Sendable, Hashable, Codable {
    public var key: String
    public var member: MemberID
    public var branch: BranchID
    public var operatorID: OperatorID?
    public var at: Date
    /// The member who invited them, found by their referral code.
    public var referredBy: MemberID?
    public var customerGroups: [String]

    public init(key: String, member: MemberID, branch: BranchID, operatorID: OperatorID? = nil, at: Date,
                referredBy: MemberID? = nil, customerGroups: [String] = []) {
        self.key = key
        self.member = member
        self.branch = branch
        self.operatorID = operatorID
        self.at = at
        self.referredBy = referredBy
        self.customerGroups = customerGroups
    }
}

public struct EnrollmentOutcome: Sendable, Hashable, Codable {
    public var programVersion: String
    public var welcomePoints: Int64
    public var tier: String?
    public var referral: ReferralPayout?
    public var commission: Commission?
    public var postings: [Posting]
}

/// A behaviour the program rewards: a survey answered, a visit (a tap), a referral.
public struct BehaviourOutcome: Sendable, Hashable, Codable {
    public var behaviour: String
    public var points: Int64
    public var coins: Int64
    public var visitsDelta: Int64
    public var postings: [Posting]
}

extension LoyaltyEngine {
    /// Enrollment: the welcome points (and the referee's points when invited), the lowest tier,
    /// the referrer's reward when the program pays it at join, the enrolling operator's
    /// commission unless it is paid at the first purchase.
    public func enroll(_ request: EnrollmentRequest) throws(Refusal) -> EnrollmentOutcome {
        for group in request.customerGroups where !(program.customerGroups ?? []).contains(group) {
            throw Refusal("enroll.unknown-customer-group", "unknown customer group \"\(group)\"")
        }
        if request.referredBy == request.member { throw Refusal("enroll.self-referral", "a member cannot refer themselves") }
        var postings: [Posting] = []
        var welcome = program.points.welcome ?? 0
        if request.referredBy != nil { welcome += program.referral?.refereePoints ?? 0 }
        if welcome > 0 {
            postings.append(Posting(member: request.member, account: .points, amount: welcome, lot: Self.lot(request.key, "points"),
                                    expiresAt: expiry(program.points.expiry, from: request.at), reason: "award.welcome"))
        }
        var referral: ReferralPayout?
        if let referrer = request.referredBy, let rules = program.referral, rules.when == .join {
            let payout = ReferralPayout(referrer: referrer, points: rules.referrerPoints ?? 0, coins: rules.referrerCoins ?? 0,
                                        credit: rules.referrerCredit ?? .zero)
            postings += referralPostings(payout, key: request.key, at: request.at)
            referral = payout
        }
        var commission: Commission?
        if let rules = program.staffCommission, rules.onFirstPurchase != true, let op = request.operatorID, rules.perEnrollment.amount > 0 {
            commission = Commission(operatorID: op, amount: rules.perEnrollment, member: request.member)
        }
        return EnrollmentOutcome(programVersion: program.version, welcomePoints: welcome,
                                 tier: program.tiers?.levels.first?.name, referral: referral, commission: commission,
                                 postings: postings)
    }

    /// Points and coins for a behaviour (`survey`, `visit`, `referral`); a visit also counts.
    public func behaviour(_ name: String, key: String, member: MemberID, at: Date) throws(Refusal) -> BehaviourOutcome {
        guard ["survey", "visit", "referral"].contains(name) else {
            throw Refusal("behaviour.unknown", "unknown behaviour \"\(name)\"; known: referral, survey, visit")
        }
        let points = program.points.behaviour?[name] ?? 0
        let coins = program.coins?.behaviour?[name] ?? 0
        var postings: [Posting] = []
        if points > 0 {
            postings.append(Posting(member: member, account: .points, amount: points, lot: Self.lot(key, "points"),
                                    expiresAt: expiry(program.points.expiry, from: at), reason: "award.\(name)"))
        }
        if coins > 0 {
            postings.append(Posting(member: member, account: .coins, amount: coins, lot: Self.lot(key, "coins"),
                                    expiresAt: expiry(program.coins?.expiry, from: at), reason: "award.\(name)"))
        }
        return BehaviourOutcome(behaviour: name, points: points, coins: coins, visitsDelta: name == "visit" ? 1 : 0, postings: postings)
    }
}
