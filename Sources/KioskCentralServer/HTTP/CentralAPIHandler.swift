import Foundation
import KioskCentralAPI
import Logging
import OpenAPIRuntime

/// The contract's operations over a storage. Every body the generated server hands over has been
/// checked against the contract's schema; what the schema cannot say is checked here.
struct CentralAPIHandler: APIProtocol {
    let storage: any CentralStorage
    let configuration: ConfigurationFiles
    let clock: @Sendable () -> Date
    let logger: Logger

    private var device: CentralDevice {
        get throws {
            guard let device = RequestDevice.current else { throw CentralStorageError("no authenticated device") }
            return device
        }
    }

    func getTime(_ input: Operations.GetTime.Input) async throws -> Operations.GetTime.Output {
        .ok(.init(body: .json(.init(now: clock()))))
    }

    func getDevice(_ input: Operations.GetDevice.Input) async throws -> Operations.GetDevice.Output {
        let device = try device
        return .ok(.init(body: .json(.init(kioskID: device.kioskID, branchID: device.branchID))))
    }

    func uploadEvents(_ input: Operations.UploadEvents.Input) async throws -> Operations.UploadEvents.Output {
        let device = try device
        guard case .json(let batch) = input.body else { return .badRequest(Self.problem("bad-request", "a JSON body is required")) }
        do { try ContractLimits.check(batch) } catch { return .badRequest(Self.problem("bad-request", error.message)) }
        var seen = Set<String>()
        let repeated = batch.events.map(\.id).filter { !seen.insert($0).inserted }
        if !repeated.isEmpty {
            let held = try await storage.storedIDs(Array(Set(repeated)).sorted(), kioskID: device.kioskID)
            return .conflict(.init(body: .json(.init(
                code: "repeated-id", message: "the batch names \(repeated.count) id(s) more than once", duplicates: held))))
        }
        var events: [IncomingEvent] = []
        events.reserveCapacity(batch.events.count)
        for event in batch.events {
            let body = EventBody.canonical(event.payload)
            events.append(IncomingEvent(
                id: event.id, sequence: event.sequence, type: event._type, occurredAt: event.occurredAt,
                programVersion: event.programVersion, memberID: event.memberID,
                claims: (event.claims ?? []).map { claim in
                    IncomingClaim(kind: claim.kind.rawValue, key: claim.key,
                                  reversal: claim.reversal.map { CentralPosting(account: $0.account.rawValue, amount: $0.amount) })
                },
                body: body))
        }
        let verdicts: [EventVerdict]
        do {
            verdicts = try await storage.store(events, from: device.kioskID, at: clock())
        } catch {
            logger.error("storing a batch failed", metadata: ["kiosk": "\(device.kioskID)", "error": "\(error)"])
            return .serviceUnavailable(.init(headers: .init(retryAfter: 1),
                                             body: .json(.init(code: "storage", message: "the events could not be stored; send them again"))))
        }
        return .ok(.init(body: .json(.init(results: verdicts.map {
            .init(id: $0.id, status: .init(rawValue: $0.status.rawValue)!, reason: $0.reason)
        }))))
    }

    func getConfiguration(_ input: Operations.GetConfiguration.Input) async throws -> Operations.GetConfiguration.Output {
        _ = try device
        if let held = input.headers.ifNoneMatch, held.unicodeScalars.count > 200 {
            return .badRequest(Self.problem("bad-request", "If-None-Match is at most 200 characters"))
        }
        guard let (etag, bytes) = try configuration.current() else {
            return .undocumented(statusCode: 503, .init())
        }
        if let held = input.headers.ifNoneMatch, held == etag { return .notModified(.init()) }
        let document = try JSONDecoder().decode(Components.Schemas.Configuration.self, from: bytes)
        return .ok(.init(headers: .init(eTag: etag), body: .json(document)))
    }

    func memberByCard(_ input: Operations.MemberByCard.Input) async throws -> Operations.MemberByCard.Output {
        _ = try device
        do { try ContractLimits.checkKey(input.path.card, "card") } catch { return .badRequest(Self.problem("bad-request", error.message)) }
        guard let member = try await storage.member(card: input.path.card, token: nil) else {
            return .notFound(.init(body: .json(.init(code: "not-found", message: "no member has that card"))))
        }
        return .ok(.init(body: .json(Self.member(member))))
    }

    func memberByToken(_ input: Operations.MemberByToken.Input) async throws -> Operations.MemberByToken.Output {
        _ = try device
        do { try ContractLimits.checkKey(input.path.token, "token") } catch { return .badRequest(Self.problem("bad-request", error.message)) }
        guard let member = try await storage.member(card: nil, token: input.path.token) else {
            return .notFound(.init(body: .json(.init(code: "not-found", message: "no member has that token"))))
        }
        return .ok(.init(body: .json(Self.member(member))))
    }

    func memberChanges(_ input: Operations.MemberChanges.Input) async throws -> Operations.MemberChanges.Output {
        _ = try device
        let after = input.query.after ?? 0
        let limit = input.query.limit ?? 100
        guard after >= 0, (1...1000).contains(limit) else {
            return .badRequest(Self.problem("bad-request", "after must be at least 0 and limit 1–1000"))
        }
        let changes = try await storage.memberChanges(after: after, limit: limit)
        return .ok(.init(body: .json(.init(
            changes: changes.map { .init(cursor: $0.cursor, member: Self.member($0.member)) },
            cursor: changes.last?.cursor ?? after))))
    }

    func claim(_ input: Operations.Claim.Input) async throws -> Operations.Claim.Output {
        let device = try device
        guard case .json(let request) = input.body else { return .badRequest(Self.problem("bad-request", "a JSON body is required")) }
        do { try ContractLimits.check(request) } catch { return .badRequest(Self.problem("bad-request", error.message)) }
        let holder = try await storage.claim(kind: request.kind.rawValue, key: request.key, kioskID: device.kioskID,
                                             eventID: request.eventID, at: request.occurredAt)
        let granted = holder.kioskID == device.kioskID && holder.eventID == request.eventID
        return .ok(.init(body: .json(.init(granted: granted, holderKioskID: granted ? nil : holder.kioskID,
                                           heldSince: granted ? nil : holder.since))))
    }

    func checkSunCounter(_ input: Operations.CheckSunCounter.Input) async throws -> Operations.CheckSunCounter.Output {
        let device = try device
        guard case .json(let check) = input.body else { return .badRequest(Self.problem("bad-request", "a JSON body is required")) }
        do { try ContractLimits.check(check) } catch { return .badRequest(Self.problem("bad-request", error.message)) }
        let result = try await storage.checkSun(cardUID: check.cardUID, counter: check.counter, kioskID: device.kioskID, at: clock())
        return .ok(.init(body: .json(.init(accepted: result.accepted, highWater: result.highWater))))
    }

    func listCorrections(_ input: Operations.ListCorrections.Input) async throws -> Operations.ListCorrections.Output {
        let device = try device
        let after = input.query.after ?? 0
        guard after >= 0 else { return .badRequest(Self.problem("bad-request", "after must be at least 0")) }
        let corrections = try await storage.corrections(kioskID: device.kioskID, after: after, limit: 500)
        return .ok(.init(body: .json(.init(
            corrections: corrections.map {
                .init(id: $0.id, cursor: $0.cursor, memberID: $0.memberID,
                      account: .init(rawValue: $0.account) ?? .points, amount: $0.amount, reason: $0.reason,
                      relatedEventID: $0.relatedEventID, createdAt: $0.createdAt)
            },
            cursor: corrections.last?.cursor ?? after))))
    }

    static func member(_ member: CentralMember) -> Components.Schemas.Member {
        .init(id: member.id, status: .init(rawValue: member.status) ?? .active, tier: member.tier, cards: member.cards,
              balances: member.balances.isEmpty ? nil : .init(additionalProperties: member.balances))
    }

    static func problem(_ code: String, _ message: String) -> Components.Responses.BadRequest {
        .init(body: .json(.init(code: code, message: message)))
    }
}
