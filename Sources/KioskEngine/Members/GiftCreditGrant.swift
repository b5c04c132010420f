import Foundation
import KioskCore

public struct GiftCreditGrantOutcome: Sendable, Hashable, Codable {
    public var occasion: String
    public var amount: Rial
    public var expiresAt: Date?
    public var restrictions: LotRestrictions?
    public var postings: [Posting]
}

extension LoyaltyEngine {
    /// Grants the gift credit of an occasion: a lot with its own expiry and limits. Birthday,
    /// anniversary and holiday grants are refused outside their day (program time zone);
    /// apology and welcome grants are given when staff or the program decide.
    public func grantGiftCredit(occasion id: String, key: String, member: MemberState, at: Date) throws(Refusal) -> GiftCreditGrantOutcome {
        guard let occasion = program.giftCredit?.occasions.first(where: { $0.id == id }) else {
            throw Refusal("gift.unknown-occasion", "unknown gift credit occasion \"\(id)\"")
        }
        if let groups = occasion.customerGroups, !member.customerGroups.contains(where: groups.contains) {
            throw Refusal("gift.not-eligible", "the occasion \(id) is for the customer groups \(groups.joined(separator: ", "))")
        }
        switch occasion.kind {
        case .birthday:
            guard let day = member.birthday, calendar.isWithin(anniversary: day, daysBefore: 0, daysAfter: 0, of: at) else {
                throw Refusal("gift.not-the-day", "today is not the member's birthday")
            }
        case .anniversary:
            let joined = calendar.localDate(member.enrolledAt)
            let day = member.anniversary ?? joined
            guard calendar.localDate(at) != joined, calendar.isWithin(anniversary: day, daysBefore: 0, daysAfter: 0, of: at) else {
                throw Refusal("gift.not-the-day", "today is not the member's anniversary")
            }
        case .holiday:
            guard let date = occasion.date, calendar.isOn(date, at) else {
                throw Refusal("gift.not-the-day", "today is not the holiday of \(id)")
            }
        case .apology, .welcome:
            break
        }
        let restrictions = LotRestrictions(productGroups: occasion.productGroups, branches: occasion.branches)
        let expiresAt = expiry(occasion.expiry, from: at)
        let posting = Posting(member: member.memberID, account: .giftCredit, amount: occasion.amount.amount,
                              lot: Self.lot(key, "gift_credit"), expiresAt: expiresAt,
                              restrictions: restrictions.isEmpty ? nil : restrictions, reason: "award.gift_credit.\(id)")
        return GiftCreditGrantOutcome(occasion: id, amount: occasion.amount, expiresAt: expiresAt,
                                      restrictions: restrictions.isEmpty ? nil : restrictions, postings: [posting])
    }
}
