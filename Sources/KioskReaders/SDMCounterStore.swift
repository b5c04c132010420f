/// Where the last NTAG 424 DNA SDM read counter of each card UID is kept, so that a SUN message
/// is accepted once: a copied URL carries a counter already seen. KioskStore implements it
/// (`SDMCounters.swift`); the conformance is declared where both modules meet. There is no
/// in-memory implementation: a counter store that forgets at a restart accepts every URL again.
public protocol SDMCounterStore: Sendable {
    /// Stores `counter` for `uid` (upper-case hex) if it is strictly greater than the stored
    /// one, atomically, together with `identification`, the id of the tap that used it. Returns
    /// nil when accepted, else the stored counter it did not exceed.
    func advanceSDMCounter(uid: String, to counter: UInt32, identification: String) throws -> UInt32?
}
