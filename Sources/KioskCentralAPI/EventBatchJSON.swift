// Written by hand (not generated): the body of `POST /v1/events` (the contract's `EventBatch`),
// written by the kiosk and read by the reference server without Codable.
//
// A batch is up to 1000 events, each with a free-form payload; through JSONEncoder and
// JSONDecoder (the generated client and server) a batch cost several times the CPU of storing it
// (BENCHMARKS.md, sync section). The writer puts each event's stored body in verbatim (the caller
// has checked it is one JSON object); the reader gives the same `Components.Schemas.EventBatch`
// the generated server decodes (a test compares the two on valid and invalid batches).
import Foundation

public enum EventBatchJSON {
    /// Made once: the transcoder's formatters (for the uncommon forms) are costly to create.
    static let transcoder = CentralDateTranscoder()

    /// One event to write: the contract's fields, and its payload as JSON object bytes.
    public struct Outgoing: Sendable {
        public var id: String
        public var sequence: Int64
        public var type: String
        public var occurredAt: Date
        public var programVersion: String?
        public var memberID: String?
        public var claims: [Components.Schemas.EventClaim]
        public var payload: Data

        public init(id: String, sequence: Int64, type: String, occurredAt: Date, programVersion: String?, memberID: String?,
                    claims: [Components.Schemas.EventClaim], payload: Data) {
            self.id = id
            self.sequence = sequence
            self.type = type
            self.occurredAt = occurredAt
            self.programVersion = programVersion
            self.memberID = memberID
            self.claims = claims
            self.payload = payload
        }
    }

    /// `{"events":[…]}` as the generated client would write it, but with each payload's bytes
    /// as they are.
    public static func write(_ events: [Outgoing]) -> [UInt8] {
        var writer = JSONWriter(capacity: events.reduce(32) { $0 + $1.payload.count + 160 })
        writer.raw(#"{"events":["#)
        for (index, event) in events.enumerated() {
            if index > 0 { writer.byte(0x2C) }
            writer.raw(#"{"id":"#)
            writer.string(event.id)
            writer.raw(#","sequence":"#)
            writer.integer(event.sequence)
            writer.raw(#","type":"#)
            writer.string(event.type)
            writer.raw(#","occurredAt":"#)
            writer.string((try? transcoder.encode(event.occurredAt)) ?? RFC3339.text(seconds: 0)!)
            if let version = event.programVersion {
                writer.raw(#","programVersion":"#)
                writer.string(version)
            }
            if let member = event.memberID {
                writer.raw(#","memberID":"#)
                writer.string(member)
            }
            if !event.claims.isEmpty {
                writer.raw(#","claims":["#)
                for (c, claim) in event.claims.enumerated() {
                    if c > 0 { writer.byte(0x2C) }
                    writer.raw(#"{"kind":"#)
                    writer.string(claim.kind.rawValue)
                    writer.raw(#","key":"#)
                    writer.string(claim.key)
                    writer.raw(#","reversal":["#)
                    for (p, posting) in claim.reversal.enumerated() {
                        if p > 0 { writer.byte(0x2C) }
                        writer.raw(#"{"account":"#)
                        writer.string(posting.account.rawValue)
                        writer.raw(#","amount":"#)
                        writer.integer(posting.amount)
                        writer.byte(0x7D)
                    }
                    writer.raw("]}")
                }
                writer.byte(0x5D)
            }
            writer.raw(#","payload":"#)
            writer.raw(event.payload)
            writer.byte(0x7D)
        }
        writer.raw("]}")
        return writer.bytes
    }

    /// Reads a batch as the generated server reads `EventBatch`: the contract's fields with their
    /// types (unknown ones skipped, a field given twice read at its last), `null` as absent for
    /// the optional ones, dates through `CentralDateTranscoder`. Lengths and counts are the
    /// caller's to check (`ContractLimits`), as they are for the generated server.
    public static func read(_ bytes: some ContiguousBytes) throws(JSONReadError) -> Components.Schemas.EventBatch {
        let result: Result<Components.Schemas.EventBatch, JSONReadError> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            do throws(JSONReadError) {
                var events: [Components.Schemas.Event]?
                try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReadError) in
                    if key == "events" {
                        var list: [Components.Schemas.Event] = []
                        try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in list.append(try readEvent(&reader)) }
                        events = list
                    } else {
                        _ = try reader.skipValue()
                    }
                }
                try reader.finish()
                guard let events else { throw JSONReadError(offset: 0, message: "the batch has no events") }
                return .success(Components.Schemas.EventBatch(events: events))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: The answer

    /// `{"results":[…]}` as the generated server writes `BatchResult` (no `reason` when none).
    public static func write(_ result: Components.Schemas.BatchResult) -> [UInt8] {
        var writer = JSONWriter(capacity: 16 + result.results.count * 48)
        writer.raw(#"{"results":["#)
        for (index, answer) in result.results.enumerated() {
            if index > 0 { writer.byte(0x2C) }
            writer.raw(#"{"id":"#)
            writer.string(answer.id)
            writer.raw(#","status":"#)
            writer.string(answer.status.rawValue)
            if let reason = answer.reason {
                writer.raw(#","reason":"#)
                writer.string(reason)
            }
            writer.byte(0x7D)
        }
        writer.raw("]}")
        return writer.bytes
    }

    /// Reads a `BatchResult` as the generated client would (unknown fields skipped).
    public static func readResult(_ bytes: some ContiguousBytes) throws(JSONReadError) -> Components.Schemas.BatchResult {
        let result: Result<Components.Schemas.BatchResult, JSONReadError> = bytes.withUnsafeBytes { raw in
            var reader = JSONReader(raw)
            do throws(JSONReadError) {
                var results: [Components.Schemas.EventResult]?
                try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReadError) in
                    guard key == "results" else { _ = try reader.skipValue(); return }
                    var list: [Components.Schemas.EventResult] = []
                    try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in
                        let start = reader.index
                        var id: String?, status: Components.Schemas.EventResult.StatusPayload?, reason: String?
                        try reader.readObject { (reader: inout JSONReader, name: String) throws(JSONReadError) in
                            switch name {
                            case "id": id = try string(&reader, name)
                            case "status":
                                let text = try string(&reader, name)
                                guard let value = Components.Schemas.EventResult.StatusPayload(rawValue: text) else {
                                    throw reader.fail("unknown status \(text)")
                                }
                                status = value
                            case "reason": reason = try optionalString(&reader, name)
                            default: _ = try reader.skipValue()
                            }
                        }
                        guard let id, let status else { throw JSONReadError(offset: start, message: "a result needs id and status") }
                        list.append(Components.Schemas.EventResult(id: id, status: status, reason: reason))
                    }
                    results = list
                }
                try reader.finish()
                guard let results else { throw JSONReadError(offset: 0, message: "the answer has no results") }
                return .success(Components.Schemas.BatchResult(results: results))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: Reading

    private static func readEvent(_ reader: inout JSONReader) throws(JSONReadError) -> Components.Schemas.Event {
        let start = reader.index
        var id: String?, sequence: Int64?, type: String?, occurredAt: Date?, payload: JSONObject?
        var programVersion: String?, memberID: String?, claims: [Components.Schemas.EventClaim]?
        try reader.readObject { (reader: inout JSONReader, key: String) throws(JSONReadError) in
            switch key {
            case "id": id = try string(&reader, key)
            case "sequence": sequence = try integer(&reader, key)
            case "type": type = try string(&reader, key)
            case "occurredAt":
                let text = try string(&reader, key)
                guard let date = try? transcoder.decode(text) else {
                    throw reader.fail("occurredAt is not an RFC 3339 date-time")
                }
                occurredAt = date
            case "programVersion": programVersion = try optionalString(&reader, key)
            case "memberID": memberID = try optionalString(&reader, key)
            case "claims":
                if reader.peek() == 0x6E {
                    _ = try reader.readValue()
                    claims = nil
                } else {
                    var list: [Components.Schemas.EventClaim] = []
                    try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in list.append(try readClaim(&reader)) }
                    claims = list
                }
            case "payload":
                guard reader.peek() == 0x7B else { throw reader.fail("payload must be an object") }
                payload = try reader.readObject()
            default:
                _ = try reader.skipValue()
            }
        }
        guard let id, let sequence, let type, let occurredAt, let payload else {
            throw JSONReadError(offset: start, message: "an event needs id, sequence, type, occurredAt and payload")
        }
        return Components.Schemas.Event(id: id, sequence: sequence, _type: type, occurredAt: occurredAt,
                                        programVersion: programVersion, memberID: memberID, claims: claims, payload: payload)
    }

    private static func readClaim(_ reader: inout JSONReader) throws(JSONReadError) -> Components.Schemas.EventClaim {
        let start = reader.index
        var kind: Components.Schemas.EventClaim.KindPayload?, key: String?, reversal: [Components.Schemas.Posting]?
        try reader.readObject { (reader: inout JSONReader, name: String) throws(JSONReadError) in
            switch name {
            case "kind":
                let text = try string(&reader, name)
                guard let value = Components.Schemas.EventClaim.KindPayload(rawValue: text) else { throw reader.fail("unknown claim kind") }
                kind = value
            case "key": key = try string(&reader, name)
            case "reversal":
                var list: [Components.Schemas.Posting] = []
                try reader.readArray { (reader: inout JSONReader) throws(JSONReadError) in list.append(try readPosting(&reader)) }
                reversal = list
            default:
                _ = try reader.skipValue()
            }
        }
        guard let kind, let key, let reversal else {
            throw JSONReadError(offset: start, message: "a claim needs kind, key and reversal")
        }
        return Components.Schemas.EventClaim(kind: kind, key: key, reversal: reversal)
    }

    private static func readPosting(_ reader: inout JSONReader) throws(JSONReadError) -> Components.Schemas.Posting {
        let start = reader.index
        var account: Components.Schemas.Posting.AccountPayload?, amount: Int64?
        try reader.readObject { (reader: inout JSONReader, name: String) throws(JSONReadError) in
            switch name {
            case "account":
                let text = try string(&reader, name)
                guard let value = Components.Schemas.Posting.AccountPayload(rawValue: text) else { throw reader.fail("unknown account") }
                account = value
            case "amount": amount = try integer(&reader, name)
            default: _ = try reader.skipValue()
            }
        }
        guard let account, let amount else { throw JSONReadError(offset: start, message: "a posting needs account and amount") }
        return Components.Schemas.Posting(account: account, amount: amount)
    }

    private static func string(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) -> String {
        guard reader.peek() == 0x22 else { throw reader.fail("\(name) must be a string") }
        return try reader.readString()
    }

    private static func optionalString(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) -> String? {
        if reader.peek() == 0x6E {
            _ = try reader.readValue()
            return nil
        }
        return try string(&reader, name)
    }

    /// An integer as JSONDecoder reads Int64: also a number with a zero fraction (`5.0`, `5e2`)
    /// that is exactly one.
    private static func integer(_ reader: inout JSONReader, _ name: String) throws(JSONReadError) -> Int64 {
        switch reader.peek() ?? 0 {
        case 0x2D, 0x30...0x39:
            switch try reader.readNumber() {
            case .integer(let value): return value
            case .number(let value):
                guard let exact = Int64(exactly: value) else { throw reader.fail("\(name) must be an integer") }
                return exact
            default: throw reader.fail("\(name) must be an integer")
            }
        default:
            throw reader.fail("\(name) must be an integer")
        }
    }
}
