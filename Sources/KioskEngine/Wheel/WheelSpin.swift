import Foundation
import KioskCore

/// What the store knows about the wheel for a spin: the member's spins in the current day and
/// week (program time zone), what each limited prize has given so far.
public struct WheelState: Sendable, Hashable, Codable {
    public var spinsToday: Int
    public var spinsThisWeek: Int
    /// How many times each segment has been won, ever.
    public var won: [String: Int]
    /// How much each budgeted segment has given, in Rial.
    public var spent: [String: Int64]
    /// Stock left of catalogue items (for catalogue prizes).
    public var catalogueStock: [String: Int]

    public init(spinsToday: Int = 0, spinsThisWeek: Int = 0, won: [String: Int] = [:], spent: [String: Int64] = [:],
                catalogueStock: [String: Int] = [:]) {
        self.spinsToday = spinsToday
        self.spinsThisWeek = spinsThisWeek
        self.won = won
        self.spent = spent
        self.catalogueStock = catalogueStock
    }
}

/// Everything needed to reproduce and verify a draw: the segments in the draw with their
/// weights, those left out and why, the random words, the roll and the result.
public struct SpinAudit: Sendable, Hashable, Codable {
    public struct Entry: Sendable, Hashable, Codable {
        public var segment: String
        public var weight: Int64
    }

    public struct Exclusion: Sendable, Hashable, Codable {
        public var segment: String
        public var reason: String
    }

    public var programVersion: String
    public var member: MemberID
    public var at: Date
    public var eligible: [Entry]
    public var excluded: [Exclusion]
    public var total: Int64
    /// The random words drawn, in order, as 16 hex digits each.
    public var words: [String]
    /// The roll in `0 ..< total`.
    public var roll: Int64
    public var segment: String
    /// For a voucher prize: the code generated from the words after the roll.
    public var voucherCode: String?
}

public struct SpinOutcome: Sendable, Hashable, Codable {
    public var segment: String
    public var label: String?
    public var prize: WheelRules.Prize
    public var costCoins: Int64
    public var voucherCode: String?
    public var audit: SpinAudit
    public var postings: [Posting]
}

extension LoyaltyEngine {
    /// Spins the wheel: checks the caps and the coins, leaves out every segment whose stock or
    /// budget cannot pay its prize (its weight leaves the draw), draws a segment with the
    /// given random source in proportion to the integer weights, and returns the cost, the prize
    /// and the audit record, to be committed before any animation is shown.
    public func spin<R: RandomSource>(key: String, member: MemberState, at: Date, state: WheelState,
                                      random: inout R) throws(Refusal) -> SpinOutcome {
        guard let wheel = program.wheel else { throw Refusal("wheel.none", "the program has no wheel") }
        if let cap = wheel.capPerDay, state.spinsToday >= cap {
            throw Refusal("wheel.daily-cap", "the member has had \(state.spinsToday) spin(s) today; the limit is \(cap)")
        }
        if let cap = wheel.capPerWeek, state.spinsThisWeek >= cap {
            throw Refusal("wheel.weekly-cap", "the member has had \(state.spinsThisWeek) spin(s) this week; the limit is \(cap)")
        }
        let available = LotBook.available(member.lots, .coins, at: at) + min(0, member.unlotted[.coins] ?? 0)
        guard wheel.costCoins <= available else {
            throw Refusal("wheel.insufficient-coins", "a spin costs \(wheel.costCoins) coins; the member has \(max(0, available))")
        }
        var eligible: [SpinAudit.Entry] = []
        var excluded: [SpinAudit.Exclusion] = []
        for segment in wheel.segments {
            if let reason = exclusion(segment, state: state) {
                excluded.append(.init(segment: segment.id, reason: reason))
            } else if segment.weight > 0 {
                eligible.append(.init(segment: segment.id, weight: segment.weight))
            }
        }
        let total = eligible.reduce(0) { $0 + $1.weight }
        guard total > 0 else { throw Refusal("wheel.nothing-left", "every prize on the wheel is out of stock or budget") }
        var recorder = RecordingRandom(base: random)
        let roll = Int64(recorder.uniform(below: UInt64(total)))
        let chosen = Self.segment(for: roll, in: eligible)
        let segment = wheel.segments.first { $0.id == chosen }!
        var voucherCode: String?
        if segment.prize.kind == .voucher { voucherCode = Self.voucherCode(from: recorder.next()) }
        random = recorder.base
        let audit = SpinAudit(programVersion: program.version, member: member.memberID, at: at, eligible: eligible,
                              excluded: excluded, total: total, words: recorder.words.map(Self.hex), roll: roll,
                              segment: chosen, voucherCode: voucherCode)
        var postings: [Posting] = []
        if wheel.costCoins > 0, let draws = LotBook.draw(wheel.costCoins, of: .coins, from: member.lots, at: at, member: member.memberID) {
            postings += draws.map { var p = $0; p.reason = "spend.wheel"; return p }
        }
        let prize = segment.prize
        let account: Account? = switch prize.kind {
        case .points: .points
        case .coins: .coins
        case .credit: .credit
        case .giftCredit: .giftCredit
        default: nil
        }
        if let account, let amount = prize.amount, amount > 0 {
            let rule: ExpiryRule? = prize.expiry ?? (account == .points ? program.points.expiry : account == .coins ? program.coins?.expiry : nil)
            postings.append(Posting(member: member.memberID, account: account, amount: amount, lot: Self.lot(key, "prize"),
                                    expiresAt: expiry(rule, from: at), reason: "award.wheel"))
        }
        return SpinOutcome(segment: chosen, label: segment.label, prize: prize, costCoins: wheel.costCoins,
                           voucherCode: voucherCode, audit: audit, postings: postings)
    }

    /// Why a segment cannot be drawn now, or nil.
    func exclusion(_ segment: WheelRules.Segment, state: WheelState) -> String? {
        if let stock = segment.stock, (state.won[segment.id] ?? 0) >= stock { return "out of stock" }
        if let budget = segment.budget {
            let cost = segment.prize.amount ?? 0
            if (state.spent[segment.id] ?? 0) + cost > budget.amount { return "budget spent" }
        }
        if segment.prize.kind == .catalogueGift, let item = segment.prize.item, let left = state.catalogueStock[item], left <= 0 {
            return "catalogue item out of stock"
        }
        return nil
    }

    /// The segment a roll lands on: the first whose cumulative weight exceeds the roll.
    static func segment(for roll: Int64, in eligible: [SpinAudit.Entry]) -> String {
        var cumulative: Int64 = 0
        for entry in eligible {
            cumulative += entry.weight
            if roll < cumulative { return entry.segment }
        }
        return eligible.last!.segment
    }

    /// Recomputes a draw from its audit record: nil when the record is consistent, else what
    /// does not match.
    public static func verify(_ audit: SpinAudit) -> String? {
        let words = audit.words.compactMap { UInt64($0, radix: 16) }
        guard words.count == audit.words.count else { return "a random word is not hexadecimal" }
        let total = audit.eligible.reduce(0) { $0 + $1.weight }
        guard total == audit.total, total > 0 else { return "the weights add up to \(total), the record says \(audit.total)" }
        var source = RecordedRandom(words)
        let roll = Int64(source.uniform(below: UInt64(total)))
        guard roll == audit.roll else { return "the words give the roll \(roll), the record says \(audit.roll)" }
        let segment = segment(for: roll, in: audit.eligible)
        guard segment == audit.segment else { return "the roll lands on \(segment), the record says \(audit.segment)" }
        if let code = audit.voucherCode {
            guard voucherCode(from: source.next()) == code else { return "the voucher code does not follow from the words" }
        }
        return nil
    }

    /// A 10-character voucher code from one random word (no 0/O or 1/I to misread).
    static func voucherCode(from word: UInt64) -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var w = word
        var code = ""
        for _ in 0..<10 {
            code.append(alphabet[Int(w & 31)])
            w >>= 5
        }
        return code
    }

    static func hex(_ word: UInt64) -> String {
        let s = String(word, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

extension LoyaltyEngine {
    /// A new voucher code from the random source.
    public static func newVoucherCode<R: RandomSource>(_ random: inout R) -> String { voucherCode(from: random.next()) }
}
