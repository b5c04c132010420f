import Foundation

/// Where the reference server keeps what it hears: SQLite (`SQLiteCentralStorage`, the embedded
/// default) or PostgreSQL (`PostgresCentralStorage`, for a chain). Both pass the same tests.
public protocol CentralStorage: Sendable {
    /// Registers a kiosk under the hash of its device token.
    func register(_ device: CentralDevice, token: String) async throws
    func device(token: String) async throws -> CentralDevice?

    /// Stores a batch in order, in one transaction: every event once per kiosk and id.
    func store(_ events: [IncomingEvent], from kioskID: String, at: Date) async throws -> [EventVerdict]
    /// The ids a kiosk's batch repeats that are stored already (for the 409 of a batch that
    /// names one id twice).
    func storedIDs(_ ids: [String], kioskID: String) async throws -> [String]
    /// Every stored event of a kiosk (all kiosks when nil), in arrival order.
    func events(kioskID: String?) async throws -> [StoredCentralEvent]

    /// Claims a once-only key for `eventID` at `kioskID`; the holder after the claim.
    func claim(kind: String, key: String, kioskID: String, eventID: String, at: Date) async throws -> ClaimHolder
    /// Checks a SUN counter against the card's mark: whether it was above, and the mark after.
    func checkSun(cardUID: String, counter: Int64, kioskID: String, at: Date) async throws -> (accepted: Bool, highWater: Int64)

    func corrections(kioskID: String, after cursor: Int64, limit: Int) async throws -> [CentralCorrection]

    func upsert(_ member: CentralMember) async throws
    func member(card: String?, token: String?) async throws -> CentralMember?
    func memberChanges(after cursor: Int64, limit: Int) async throws -> [(cursor: Int64, member: CentralMember)]
}
