import Foundation
import KioskReaders
import KioskStore

/// The store as the service's counter store (the kiosk executable declares the conformance
/// itself; a wrapper here keeps one conformance per binary).
struct StoreCounters: SDMCounterStore {
    let store: KioskStore

    func advanceSDMCounter(uid: String, to counter: UInt32, identification: String) throws -> UInt32? {
        try store.advanceSDMCounter(uid: uid, to: counter, identification: identification)
    }

    /// Counters in a new SQLite file of their own (the real store, never a memory).
    static func fresh() throws -> StoreCounters {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-counters-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return StoreCounters(store: try KioskStore(path: directory + "/kiosk.sqlite"))
    }
}
