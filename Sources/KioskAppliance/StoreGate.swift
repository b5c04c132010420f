import Dispatch

/// The store behind an async boundary. The store's calls are synchronous (SQLite, fsync): they
/// run here on a serial queue of their own, never on the cooperative pool, so a slow disk holds
/// up only the work that waits for it; the session, the display and the forwarder go on.
public final class StoreGate: Sendable {
    private let queue = DispatchQueue(label: "kiosk.store")

    public init() {}

    /// Runs `body` on the store's queue and returns what it returned, or throws what it threw.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}
