import Foundation

/// The decisions of one batch upload, the same for every storage: pure, from the batch and what
/// the storage holds of it (events under the batch's ids, holders of its once-only keys) to the
/// verdicts and the rows to write.
struct Admission: Sendable {
    /// Bodies larger than this are rejected (they would never fit a later batch either).
    static let maxBodyBytes = 64 * 1024

    struct Claim: Sendable, Hashable {
        var kind: String
        var key: String
    }

    struct NewCorrection: Sendable, Hashable {
        var id: String
        var memberID: String
        var account: String
        var amount: Int64
        var reason: String
        var relatedEventID: String
    }

    var verdicts: [EventVerdict] = []
    var inserts: [IncomingEvent] = []
    var newHolders: [(Claim, eventID: String)] = []
    var corrections: [NewCorrection] = []

    /// - Parameters:
    ///   - existing: fingerprints of this kiosk's stored events among the batch's ids.
    ///   - holders: the stored holders of the batch's once-only keys.
    init(kioskID: String, events: [IncomingEvent], existing: [String: String], holders: [Claim: ClaimHolder]) {
        var holders = holders
        for event in events {
            if let stored = existing[event.id] {
                verdicts.append(stored == event.fingerprint
                    ? EventVerdict(id: event.id, status: .duplicate)
                    : EventVerdict(id: event.id, status: .rejected,
                                   reason: "id-reused: the id \(event.id) is already stored with a different body"))
                continue
            }
            if event.body.count > Self.maxBodyBytes {
                verdicts.append(EventVerdict(id: event.id, status: .rejected,
                                             reason: "too-large: the body has \(event.body.count) bytes, more than \(Self.maxBodyBytes)"))
                continue
            }
            for claim in event.claims {
                let key = Claim(kind: claim.kind, key: claim.key)
                if let holder = holders[key] {
                    guard holder.kioskID != kioskID || holder.eventID != event.id else { continue }
                    guard let member = event.memberID else { continue }
                    for (index, posting) in claim.reversal.enumerated() where posting.amount != 0 {
                        corrections.append(NewCorrection(
                            id: "correction:\(kioskID):\(event.id):\(claim.kind):\(index)",
                            memberID: member, account: posting.account, amount: posting.amount,
                            reason: "\(claim.kind) \(claim.key) was used first at kiosk \(holder.kioskID)",
                            relatedEventID: event.id))
                    }
                } else {
                    holders[key] = ClaimHolder(kioskID: kioskID, eventID: event.id, since: event.occurredAt)
                    newHolders.append((key, event.id))
                }
            }
            inserts.append(event)
            verdicts.append(EventVerdict(id: event.id, status: .accepted))
        }
    }
}
