import Synchronization

/// Where the last NTAG 424 DNA SDM read counter of each card UID is kept, so that a SUN message
/// is accepted once: a copied URL carries a counter already seen. KioskStore implements it
/// (`SDMCounters.swift`); the conformance is declared where both modules meet.
public protocol SDMCounterStore: Sendable {
    /// Stores `counter` for `uid` (upper-case hex) if it is strictly greater than the stored
    /// one, atomically. Returns nil when accepted, else the stored counter it did not exceed.
    func advanceSDMCounter(uid: String, to counter: UInt32) throws -> UInt32?
}

/// Counters kept in memory only, for diagnostics that must not advance the real ones.
public final class InMemorySDMCounters: SDMCounterStore {
    private let counters = Mutex<[String: UInt32]>([:])

    public init() {}

    public func advanceSDMCounter(uid: String, to counter: UInt32) throws -> UInt32? {
        counters.withLock { stored in
            if let last = stored[uid], counter <= last { return last }
            stored[uid] = counter
            return nil
        }
    }
}
