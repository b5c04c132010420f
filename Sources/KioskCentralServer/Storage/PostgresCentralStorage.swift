import Foundation
import Logging
import PostgresNIO

/// The reference server's storage for a chain: PostgreSQL through postgres-nio's connection pool.
/// Any number of stateless servers may share one database: a batch is one transaction; the
/// once-only keys it touches are taken under transaction-scoped advisory locks, in a fixed order.
///
/// The client's `run()` must be running (`PostgresCentralStorage.run()`, a task of the server's).
public final class PostgresCentralStorage: CentralStorage {
    public let client: PostgresClient
    private let logger: Logger

    public init(configuration: PostgresClient.Configuration, logger: Logger) {
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    /// Runs the connection pool until the task is cancelled.
    public func run() async { await client.run() }

    /// Creates the tables when they do not exist.
    public func migrate() async throws {
        for statement in CentralSchema.postgres {
            try await client.query(PostgresQuery(unsafeSQL: statement), logger: logger)
        }
    }

    public func register(_ device: CentralDevice, token: String) async throws {
        let hash = CentralHash.token(token)
        try await client.query("""
            INSERT INTO devices (token_hash, kiosk_id, branch_id) VALUES (\(hash), \(device.kioskID), \(device.branchID))
            ON CONFLICT (kiosk_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, branch_id = EXCLUDED.branch_id
            """, logger: logger)
        if let certificate = device.certificateSHA256 {
            try await client.query("""
                INSERT INTO device_certificates (kiosk_id, sha256) VALUES (\(device.kioskID), \(certificate))
                ON CONFLICT (kiosk_id) DO UPDATE SET sha256 = EXCLUDED.sha256
                """, logger: logger)
        } else {
            try await client.query("DELETE FROM device_certificates WHERE kiosk_id = \(device.kioskID)", logger: logger)
        }
    }

    public func device(token: String) async throws -> CentralDevice? {
        let hash = CentralHash.token(token)
        let rows = try await client.query("""
            SELECT d.kiosk_id, d.branch_id, c.sha256 FROM devices d LEFT JOIN device_certificates c ON c.kiosk_id = d.kiosk_id
            WHERE d.token_hash = \(hash)
            """, logger: logger)
        for try await (kiosk, branch, certificate) in rows.decode((String, String, String?).self) {
            return CentralDevice(kioskID: kiosk, branchID: branch, certificateSHA256: certificate)
        }
        return nil
    }

    public func store(_ events: [IncomingEvent], from kioskID: String, at: Date) async throws -> [EventVerdict] {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let claimKeys = Set(events.flatMap { $0.claims.map { Admission.Claim(kind: $0.kind, key: $0.key) } })
                .sorted { ($0.kind, $0.key) < ($1.kind, $1.key) }
            for claim in claimKeys {
                let name = claim.kind + ":" + claim.key
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(name)))", logger: logger)
            }
            var existing: [String: String] = [:]
            let ids = events.map(\.id)
            let rows = try await connection.query(
                "SELECT event_id, fingerprint FROM events WHERE kiosk_id = \(kioskID) AND event_id = ANY(\(ids))", logger: logger)
            for try await (id, fingerprint) in rows.decode((String, String).self) { existing[id] = fingerprint }
            var holders: [Admission.Claim: ClaimHolder] = [:]
            for claim in claimKeys {
                let rows = try await connection.query(
                    "SELECT kiosk_id, event_id, claimed_at FROM claims WHERE kind = \(claim.kind) AND key = \(claim.key)", logger: logger)
                for try await (kiosk, event, since) in rows.decode((String, String, Date).self) {
                    holders[claim] = ClaimHolder(kioskID: kiosk, eventID: event, since: since)
                }
            }
            let admission = Admission(kioskID: kioskID, events: events, existing: existing, holders: holders)
            if !admission.inserts.isEmpty {
                let inserts = admission.inserts
                let body = inserts.map { ByteBuffer(data: $0.body) }
                try await connection.query("""
                    INSERT INTO events (kiosk_id, event_id, seq, type, occurred_at, program_version, member_id, body, fingerprint, received_at)
                    SELECT \(kioskID), e.id, e.seq, e.type, e.occurred_at, NULLIF(e.program_version, ''), NULLIF(e.member_id, ''), e.body, e.fingerprint, \(at)
                    FROM UNNEST(\(inserts.map(\.id))::text[], \(inserts.map(\.sequence))::bigint[], \(inserts.map(\.type))::text[],
                                \(inserts.map(\.occurredAt))::timestamptz[], \(inserts.map { $0.programVersion ?? "" })::text[],
                                \(inserts.map { $0.memberID ?? "" })::text[], \(body)::bytea[], \(inserts.map(\.fingerprint))::text[])
                         WITH ORDINALITY AS e(id, seq, type, occurred_at, program_version, member_id, body, fingerprint, n)
                    ORDER BY e.n
                    """, logger: logger)
            }
            let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (claim, eventID) in admission.newHolders {
                let since = byID[eventID]?.occurredAt ?? at
                try await connection.query("""
                    INSERT INTO claims (kind, key, kiosk_id, event_id, claimed_at)
                    VALUES (\(claim.kind), \(claim.key), \(kioskID), \(eventID), \(since))
                    """, logger: logger)
            }
            for c in admission.corrections {
                try await connection.query("""
                    INSERT INTO corrections (id, kiosk_id, member_id, account, amount, reason, related_event_id, created_at)
                    VALUES (\(c.id), \(kioskID), \(c.memberID), \(c.account), \(c.amount), \(c.reason), \(c.relatedEventID), \(at))
                    ON CONFLICT (id) DO NOTHING
                    """, logger: logger)
            }
            return admission.verdicts
        }
    }

    public func storedIDs(_ ids: [String], kioskID: String) async throws -> [String] {
        let rows = try await client.query(
            "SELECT event_id FROM events WHERE kiosk_id = \(kioskID) AND event_id = ANY(\(ids))", logger: logger)
        var held = Set<String>()
        for try await id in rows.decode(String.self) { held.insert(id) }
        return ids.filter(held.contains)
    }

    public func events(kioskID: String?) async throws -> [StoredCentralEvent] {
        let rows = try await client.query("""
            SELECT kiosk_id, event_id, seq, type, body, arrival FROM events
            WHERE \(kioskID)::text IS NULL OR kiosk_id = \(kioskID) ORDER BY arrival
            """, logger: logger)
        var events: [StoredCentralEvent] = []
        for try await (kiosk, id, seq, type, body, arrival) in rows.decode((String, String, Int64, String, Data, Int64).self) {
            events.append(StoredCentralEvent(kioskID: kiosk, id: id, sequence: seq, type: type, body: body, arrival: arrival))
        }
        return events
    }

    public func claim(kind: String, key: String, kioskID: String, eventID: String, at: Date) async throws -> ClaimHolder {
        let logger = self.logger
        return try await client.withTransaction(logger: logger) { connection in
            let name = kind + ":" + key
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(name)))", logger: logger)
            try await connection.query("""
                INSERT INTO claims (kind, key, kiosk_id, event_id, claimed_at) VALUES (\(kind), \(key), \(kioskID), \(eventID), \(at))
                ON CONFLICT (kind, key) DO NOTHING
                """, logger: logger)
            let rows = try await connection.query(
                "SELECT kiosk_id, event_id, claimed_at FROM claims WHERE kind = \(kind) AND key = \(key)", logger: logger)
            for try await (kiosk, event, since) in rows.decode((String, String, Date).self) {
                return ClaimHolder(kioskID: kiosk, eventID: event, since: since)
            }
            throw CentralStorageError("the claim \(kind) \(key) was not stored")
        }
    }

    public func checkSun(cardUID: String, counter: Int64, kioskID: String, at: Date) async throws -> (accepted: Bool, highWater: Int64) {
        // One statement: the mark moves only upwards, and the answer says whether this counter moved it.
        let rows = try await client.query("""
            WITH moved AS (
                INSERT INTO sun_marks (card_uid, counter, kiosk_id, updated_at) VALUES (\(cardUID), \(counter), \(kioskID), \(at))
                ON CONFLICT (card_uid) DO UPDATE SET counter = EXCLUDED.counter, kiosk_id = EXCLUDED.kiosk_id, updated_at = EXCLUDED.updated_at
                WHERE sun_marks.counter < EXCLUDED.counter
                RETURNING counter)
            SELECT TRUE, counter FROM moved
            UNION ALL SELECT FALSE, counter FROM sun_marks WHERE card_uid = \(cardUID) AND NOT EXISTS (SELECT 1 FROM moved)
            """, logger: logger)
        for try await (accepted, mark) in rows.decode((Bool, Int64).self) { return (accepted, mark) }
        throw CentralStorageError("the SUN mark of \(cardUID) was not read")
    }

    public func corrections(kioskID: String, after cursor: Int64, limit: Int) async throws -> [CentralCorrection] {
        let rows = try await client.query("""
            SELECT id, cursor, kiosk_id, member_id, account, amount, reason, related_event_id, created_at
            FROM corrections WHERE kiosk_id = \(kioskID) AND cursor > \(cursor) ORDER BY cursor LIMIT \(limit)
            """, logger: logger)
        var corrections: [CentralCorrection] = []
        for try await (id, cursor, kiosk, member, account, amount, reason, related, at)
            in rows.decode((String, Int64, String, String, String, Int64, String, String?, Date).self) {
            corrections.append(CentralCorrection(id: id, cursor: cursor, kioskID: kiosk, memberID: member, account: account,
                                                 amount: amount, reason: reason, relatedEventID: related, createdAt: at))
        }
        return corrections
    }

    public func upsert(_ member: CentralMember) async throws {
        let json = try JSONEncoder().encode(member)
        let logger = self.logger
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("""
                INSERT INTO members (id, document, cursor) VALUES (\(member.id), \(json), nextval('member_cursor'))
                ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document, cursor = EXCLUDED.cursor
                """, logger: logger)
            try await connection.query("DELETE FROM member_keys WHERE member_id = \(member.id)", logger: logger)
            for (kind, keys) in [("card", member.cards), ("token", member.tokens)] {
                for key in keys {
                    try await connection.query("""
                        INSERT INTO member_keys (kind, key, member_id) VALUES (\(kind), \(key), \(member.id))
                        ON CONFLICT (kind, key) DO UPDATE SET member_id = EXCLUDED.member_id
                        """, logger: logger)
                }
            }
        }
    }

    public func member(card: String?, token: String?) async throws -> CentralMember? {
        let kind = card == nil ? "token" : "card"
        let key = card ?? token ?? ""
        let rows = try await client.query("""
            SELECT m.document FROM member_keys k JOIN members m ON m.id = k.member_id WHERE k.kind = \(kind) AND k.key = \(key)
            """, logger: logger)
        for try await document in rows.decode(Data.self) { return try JSONDecoder().decode(CentralMember.self, from: document) }
        return nil
    }

    public func memberChanges(after cursor: Int64, limit: Int) async throws -> [(cursor: Int64, member: CentralMember)] {
        let rows = try await client.query(
            "SELECT cursor, document FROM members WHERE cursor > \(cursor) ORDER BY cursor LIMIT \(limit)", logger: logger)
        var changes: [(cursor: Int64, member: CentralMember)] = []
        for try await (cursor, document) in rows.decode((Int64, Data).self) {
            changes.append((cursor, try JSONDecoder().decode(CentralMember.self, from: document)))
        }
        return changes
    }
}
