import KioskEngine
import KioskStore

/// Why a loyalty operation did not happen: the engine or a limit refused it (a reason for
/// people and a stable code), or the store failed.
public enum LoyaltyError: Error, Sendable, CustomStringConvertible {
    case refused(Refusal)
    case store(StoreError)

    public var description: String {
        switch self {
        case .refused(let refusal): refusal.description
        case .store(let error): error.description
        }
    }

    /// A refusal for a limit the store enforced in the committing transaction, with the code
    /// the store gave it (`voucher.exhausted`); any other store error as it is.
    static func from(_ error: StoreError) -> LoyaltyError {
        guard error.code == .limitReached else { return .store(error) }
        return .refused(Refusal(error.refusalCode ?? "limit-reached", error.message))
    }
}

import Foundation

/// Runs an engine decision, turning its refusal into a `LoyaltyError`.
func refusing<T>(_ body: () throws(Refusal) -> T) throws(LoyaltyError) -> T {
    do { return try body() } catch { throw .refused(error) }
}

/// Runs a store call, turning its error into a `LoyaltyError`.
func storing<T>(_ body: () throws(StoreError) -> T) throws(LoyaltyError) -> T {
    do { return try body() } catch { throw LoyaltyError.from(error) }
}
