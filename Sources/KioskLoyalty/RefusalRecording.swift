import Foundation
import KioskEngine
import KioskStore

extension LoyaltyService {
    /// Refusals that are not recorded: a key that cannot be stored, a request that cannot be
    /// encoded, and a conflict, which belongs to another request under the key.
    static let unrecordedRefusals: Set<String> = ["request.bad-key", "request.encoding", "request.idempotency-conflict"]

    /// Runs an operation whose refusal is recorded under its idempotency key
    /// (`loyalty_refusals`), as its success is: a retry of a refused request gets the same
    /// refusal instead of being decided again against a store that has moved on (a resumed
    /// replay, a kiosk retrying after a restart), and another request under that key is refused
    /// as a conflict. A retry must therefore use the same key only for the same request; a new
    /// attempt (the member topped up their credit) is a new key.
    func recordingRefusal<T>(_ key: String, request: Data, at: Date, _ body: () throws(LoyaltyError) -> T) throws(LoyaltyError) -> T {
        if let earlier = try storing({ () throws(StoreError) in try store.recordedRefusal(key: key) }) {
            guard earlier.request == request else {
                throw .refused(Refusal("request.idempotency-conflict", "the key \(key) was already used, and refused, for a different request"))
            }
            throw .refused(Refusal(earlier.code, earlier.message))
        }
        do {
            return try body()
        } catch {
            if case .refused(let refusal) = error, !Self.unrecordedRefusals.contains(refusal.code) {
                try storing { () throws(StoreError) in
                    try store.recordRefusal(key: key, request: request, code: refusal.code, message: refusal.message, at: at)
                }
            }
            throw error
        }
    }
}
