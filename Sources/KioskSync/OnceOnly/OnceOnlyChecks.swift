import Foundation
import KioskCentralAPI

/// The chain-wide once-only checks, asked online first with a short timeout. When the central
/// does not answer in time the answer is `.offline` and the kiosk applies its offline policy
/// (docs/central.md): it decides alone, flags the claim on the event (`EventClaims`), and the
/// central settles it on upload with a correction if another kiosk was first.
public enum OnceOnlyAnswer: Sendable, Hashable {
    case granted
    case refused(holderKioskID: String, since: Date?)
    case offline(String)
}

public enum SunAnswer: Sendable, Hashable {
    /// Above every counter the chain has seen for the card: the mark is now `highWater`.
    case accepted(highWater: Int64)
    /// At or below the chain's mark: a copied or replayed URL.
    case replayed(highWater: Int64)
    case offline(String)
}

extension CentralClient {
    public enum ClaimKind: String, Sendable { case receipt, voucher }

    public func claim(_ kind: ClaimKind, key: String, eventID: String, memberID: String, at: Date,
                      timeout: TimeInterval = 1.5) async -> OnceOnlyAnswer {
        await Self.within(timeout, otherwise: .offline("the central did not answer within \(timeout) s")) { [client] in
            do {
                let output = try await client.claim(body: .json(.init(
                    kind: kind == .receipt ? .receipt : .voucher, key: key, eventID: eventID, memberID: memberID, occurredAt: at)))
                guard case .ok(let ok) = output else { return .offline("the central answered \(output)") }
                let result = try ok.body.json
                return result.granted ? .granted : .refused(holderKioskID: result.holderKioskID ?? "?", since: result.heldSince)
            } catch {
                return .offline(Self.describe(error))
            }
        }
    }

    public func checkSun(cardUID: String, counter: Int64, timeout: TimeInterval = 1.5) async -> SunAnswer {
        await Self.within(timeout, otherwise: .offline("the central did not answer within \(timeout) s")) { [client] in
            do {
                let output = try await client.checkSunCounter(body: .json(.init(cardUID: cardUID, counter: counter)))
                guard case .ok(let ok) = output else { return .offline("the central answered \(output)") }
                let result = try ok.body.json
                return result.accepted ? .accepted(highWater: result.highWater) : .replayed(highWater: result.highWater)
            } catch {
                return .offline(Self.describe(error))
            }
        }
    }

    /// `body`'s answer, or `otherwise` when it takes longer than `timeout` (the request is cancelled).
    static func within<T: Sendable>(_ timeout: TimeInterval, otherwise: T, _ body: @escaping @Sendable () async -> T) async -> T {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await body() }
            group.addTask {
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1_000_000_000))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? otherwise
        }
    }
}
