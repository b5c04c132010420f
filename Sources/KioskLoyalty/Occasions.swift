import Crypto
import Foundation
import KioskCore
import KioskEngine
import KioskStore

/// A reminder that lots expire soon: the `points.expiring` event's body.
public struct ExpiryReminder: Sendable, Hashable, Codable {
    public var member: MemberID
    public var lot: LotID
    public var account: Account
    public var remaining: Int64
    public var expiresAt: Date
}

extension LoyaltyService {
    /// An idempotency key from parts that may be long: readable when short, hashed otherwise.
    static func derivedKey(_ parts: String...) -> String {
        let joined = parts.joined(separator: "/")
        if joined.utf8.count <= 128, joined.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) { return joined }
        let digest = SHA256.hash(data: Data(joined.utf8)).prefix(16).map { String(format: "%02x", $0) }.joined()
        return "\(parts[0])/\(digest)"
    }

    /// Emits one `points.expiring` event per lot that expires within the program's
    /// `reminders.daysBefore` (each lot once: the key is the lot's). Returns the reminders sent now.
    func sendReminders(_ state: MemberState, at: Date, branch: BranchID) throws(LoyaltyError) -> [ExpiryReminder] {
        guard let days = program.reminders?.daysBefore else { return [] }
        var sent: [ExpiryReminder] = []
        for lot in engine.expiringSoon(state, within: days, at: at) {
            let reminder = ExpiryReminder(member: lot.member, lot: lot.lot, account: lot.account, remaining: lot.remaining, expiresAt: lot.expiresAt)
            let key = Self.derivedKey("remind", lot.lot.rawValue)
            let request = try Self.encode(["lot": lot.lot.rawValue])
            if try previous(key, request: request, as: ExpiryReminder.self) != nil { continue }
            _ = try commit(Operation(kind: "reminder", key: key, member: lot.member, branch: branch, operatorID: nil, at: at,
                                     request: request, outcome: reminder, postings: [], eventType: "points.expiring",
                                     also: { _, _, _ in }))
            sent.append(reminder)
        }
        return sent
    }

    /// Grants the gift credit of every birthday, anniversary and holiday occasion that falls on
    /// the day of `at` for this member (once per occasion, member and year).
    func grantOccasions(_ state: MemberState, at: Date, branch: BranchID) throws(LoyaltyError) -> [String] {
        var granted: [String] = []
        let year = engine.calendar.localDate(at).year
        for occasion in program.giftCredit?.occasions ?? [] where [.birthday, .anniversary, .holiday].contains(occasion.kind) {
            // Only on the occasion's day, for the members it is for (the engine decides).
            guard (try? engine.grantGiftCredit(occasion: occasion.id, key: "check", member: state, at: at)) != nil else { continue }
            let key = Self.derivedKey("occasion", occasion.id, state.memberID.rawValue, String(year))
            do {
                let result = try grantGiftCredit(occasion: occasion.id, key: key, member: state.memberID, branch: branch, operatorID: nil,
                                                 at: engine.calendar.startOfDay(at))
                if !result.replayed { granted.append(occasion.id) }
            } catch {
                if case .refused = error { continue }
                throw error
            }
        }
        return granted
    }
}
