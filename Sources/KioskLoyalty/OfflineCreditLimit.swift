import KioskCore

/// How much money (credit and gift credit) a kiosk may let one member spend on its own word: in
/// operations the central has not acknowledged yet (offline, or its events still queued). A
/// member's balance is only as true as the last events the central heard; a card copied to two
/// kiosks that are both offline could otherwise spend one balance twice. The limit bounds that
/// loss per member. Pure: the amounts come in, a decision goes out.
public struct OfflineCreditLimit: Sendable, Hashable {
    /// The limit for every member, in Rial.
    public var perMember: Rial
    /// Members with a limit of their own (a trusted account, or zero for one under watch).
    public var overrides: [MemberID: Rial]

    public init(perMember: Rial, overrides: [MemberID: Rial] = [:]) {
        self.perMember = perMember
        self.overrides = overrides
    }

    public func limit(for member: MemberID) -> Rial { overrides[member] ?? perMember }

    /// Whether `member` may spend `wanted` now, having spent `awaitingCentral` in operations the
    /// central has not acknowledged (`KioskStore.moneySpentAwaitingCentral`).
    public func decide(member: MemberID, wanted: Rial, awaitingCentral: Rial) -> Result<Rial, OfflineCreditRefusal> {
        let limit = limit(for: member)
        let (total, overflow) = awaitingCentral.amount.addingReportingOverflow(max(0, wanted.amount))
        guard !overflow, total <= limit.amount else {
            return .failure(OfflineCreditRefusal(member: member, limit: limit, awaitingCentral: awaitingCentral, wanted: wanted))
        }
        return .success(Rial(limit.amount - total))
    }
}

/// A spend refused by the offline credit limit: what the member may still spend before the
/// central has heard of the earlier ones (`remaining`), for the screen and the audit.
public struct OfflineCreditRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var member: MemberID
    public var limit: Rial
    public var awaitingCentral: Rial
    public var wanted: Rial

    public init(member: MemberID, limit: Rial, awaitingCentral: Rial, wanted: Rial) {
        self.member = member
        self.limit = limit
        self.awaitingCentral = awaitingCentral
        self.wanted = wanted
    }

    public var remaining: Rial { Rial(max(0, limit.amount - awaitingCentral.amount)) }

    public var description: String {
        "offline credit limit: \(wanted.amount) Rial wanted, \(awaitingCentral.amount) of \(limit.amount) already spent "
            + "while the central has not confirmed it (\(remaining.amount) left)"
    }
}

import KioskStore

extension OfflineCreditLimit {
    /// `decide` with what the store holds: the member's money spent in operations whose events
    /// the central has not acknowledged.
    public func check(member: MemberID, wanted: Rial, in store: KioskStore) throws(StoreError) -> Result<Rial, OfflineCreditRefusal> {
        decide(member: member, wanted: wanted, awaitingCentral: try store.moneySpentAwaitingCentral(by: member))
    }
}
