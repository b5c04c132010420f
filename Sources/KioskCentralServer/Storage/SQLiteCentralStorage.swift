import Foundation
import GRDB

/// The reference server's embedded storage: one SQLite file in WAL mode, every batch one
/// transaction, `synchronous = FULL` (read back after GRDB's own setup, which sets NORMAL).
public final class SQLiteCentralStorage: CentralStorage {
    private let pool: DatabasePool

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: configuration)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        var migrator = DatabaseMigrator()
        migrator.registerMigration(CentralSchema.sqliteMigration) { db in try db.execute(sql: CentralSchema.sqlite) }
        migrator.registerMigration(CentralSchema.sqliteCertificatesMigration) { db in try db.execute(sql: CentralSchema.sqliteCertificates) }
        try migrator.migrate(pool)
    }

    /// The effective `synchronous` setting of the writer connection (2 is FULL).
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") ?? -1 }
    }

    public func register(_ device: CentralDevice, token: String) async throws {
        try await pool.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO devices (token_hash, kiosk_id, branch_id) VALUES (?, ?, ?)",
                           arguments: [CentralHash.token(token), device.kioskID, device.branchID])
            if let certificate = device.certificateSHA256 {
                try db.execute(sql: "INSERT OR REPLACE INTO device_certificates (kiosk_id, sha256) VALUES (?, ?)",
                               arguments: [device.kioskID, certificate])
            } else {
                try db.execute(sql: "DELETE FROM device_certificates WHERE kiosk_id = ?", arguments: [device.kioskID])
            }
        }
    }

    public func device(token: String) async throws -> CentralDevice? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: """
                SELECT d.kiosk_id, d.branch_id, c.sha256 FROM devices d LEFT JOIN device_certificates c ON c.kiosk_id = d.kiosk_id
                WHERE d.token_hash = ?
                """, arguments: [CentralHash.token(token)])
                .map { CentralDevice(kioskID: $0[0], branchID: $0[1], certificateSHA256: $0[2]) }
        }
    }

    public func store(_ events: [IncomingEvent], from kioskID: String, at: Date) async throws -> [EventVerdict] {
        try await pool.write { db in
            var existing: [String: String] = [:]
            let lookup = try db.cachedStatement(sql: "SELECT fingerprint FROM events WHERE kiosk_id = ? AND event_id = ?")
            for event in events {
                if let fingerprint = try String.fetchOne(lookup, arguments: [kioskID, event.id]) { existing[event.id] = fingerprint }
            }
            var holders: [Admission.Claim: ClaimHolder] = [:]
            for claim in Set(events.flatMap { $0.claims.map { Admission.Claim(kind: $0.kind, key: $0.key) } }) {
                if let row = try Row.fetchOne(db, sql: "SELECT kiosk_id, event_id, claimed_at FROM claims WHERE kind = ? AND key = ?",
                                              arguments: [claim.kind, claim.key]) {
                    holders[claim] = ClaimHolder(kioskID: row[0], eventID: row[1], since: row[2])
                }
            }
            let admission = Admission(kioskID: kioskID, events: events, existing: existing, holders: holders)
            let insert = try db.cachedStatement(sql: """
                INSERT INTO events (kiosk_id, event_id, seq, type, occurred_at, program_version, member_id, body, fingerprint, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for event in admission.inserts {
                try insert.execute(arguments: [kioskID, event.id, event.sequence, event.type, event.occurredAt, event.programVersion,
                                               event.memberID, event.body, event.fingerprint, at])
            }
            let byID = Dictionary(events.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
            for (claim, eventID) in admission.newHolders {
                try db.execute(sql: "INSERT INTO claims (kind, key, kiosk_id, event_id, claimed_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [claim.kind, claim.key, kioskID, eventID, byID[eventID]?.occurredAt ?? at])
            }
            for correction in admission.corrections {
                try db.execute(sql: """
                    INSERT INTO corrections (id, kiosk_id, member_id, account, amount, reason, related_event_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
                    """, arguments: [correction.id, kioskID, correction.memberID, correction.account, correction.amount,
                                     correction.reason, correction.relatedEventID, at])
            }
            return admission.verdicts
        }
    }

    public func storedIDs(_ ids: [String], kioskID: String) async throws -> [String] {
        try await pool.read { db in
            try ids.filter { try Bool.fetchOne(db, sql: "SELECT 1 FROM events WHERE kiosk_id = ? AND event_id = ?", arguments: [kioskID, $0]) ?? false }
        }
    }

    public func events(kioskID: String?) async throws -> [StoredCentralEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT kiosk_id, event_id, seq, type, body, arrival FROM events \(kioskID == nil ? "" : "WHERE kiosk_id = ?") ORDER BY arrival
                """, arguments: kioskID.map { [$0] } ?? []).map {
                StoredCentralEvent(kioskID: $0[0], id: $0[1], sequence: $0[2], type: $0[3], body: $0[4], arrival: $0[5])
            }
        }
    }

    public func claim(kind: String, key: String, kioskID: String, eventID: String, at: Date) async throws -> ClaimHolder {
        try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO claims (kind, key, kiosk_id, event_id, claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, key) DO NOTHING
                """, arguments: [kind, key, kioskID, eventID, at])
            let row = try Row.fetchOne(db, sql: "SELECT kiosk_id, event_id, claimed_at FROM claims WHERE kind = ? AND key = ?",
                                       arguments: [kind, key])!
            return ClaimHolder(kioskID: row[0], eventID: row[1], since: row[2])
        }
    }

    public func checkSun(cardUID: String, counter: Int64, kioskID: String, at: Date) async throws -> (accepted: Bool, highWater: Int64) {
        try await pool.write { db in
            let mark = try Int64.fetchOne(db, sql: "SELECT counter FROM sun_marks WHERE card_uid = ?", arguments: [cardUID])
            if let mark, counter <= mark { return (false, mark) }
            try db.execute(sql: """
                INSERT INTO sun_marks (card_uid, counter, kiosk_id, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (card_uid) DO UPDATE SET counter = excluded.counter, kiosk_id = excluded.kiosk_id, updated_at = excluded.updated_at
                """, arguments: [cardUID, counter, kioskID, at])
            return (true, counter)
        }
    }

    public func corrections(kioskID: String, after cursor: Int64, limit: Int) async throws -> [CentralCorrection] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, cursor, kiosk_id, member_id, account, amount, reason, related_event_id, created_at
                FROM corrections WHERE kiosk_id = ? AND cursor > ? ORDER BY cursor LIMIT ?
                """, arguments: [kioskID, cursor, limit]).map {
                CentralCorrection(id: $0[0], cursor: $0[1], kioskID: $0[2], memberID: $0[3], account: $0[4], amount: $0[5],
                                  reason: $0[6], relatedEventID: $0[7], createdAt: $0[8])
            }
        }
    }

    public func upsert(_ member: CentralMember) async throws {
        let json = try JSONEncoder().encode(member)
        try await pool.write { db in
            let cursor = (try Int64.fetchOne(db, sql: "SELECT MAX(cursor) FROM members") ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO members (id, document, cursor) VALUES (?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET document = excluded.document, cursor = excluded.cursor
                """, arguments: [member.id, json, cursor])
            try db.execute(sql: "DELETE FROM member_keys WHERE member_id = ?", arguments: [member.id])
            for card in member.cards {
                try db.execute(sql: "INSERT OR REPLACE INTO member_keys (kind, key, member_id) VALUES ('card', ?, ?)", arguments: [card, member.id])
            }
            for token in member.tokens {
                try db.execute(sql: "INSERT OR REPLACE INTO member_keys (kind, key, member_id) VALUES ('token', ?, ?)", arguments: [token, member.id])
            }
        }
    }

    public func member(card: String?, token: String?) async throws -> CentralMember? {
        let (kind, key) = card.map { ("card", $0) } ?? ("token", token ?? "")
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: """
                SELECT m.document FROM member_keys k JOIN members m ON m.id = k.member_id WHERE k.kind = ? AND k.key = ?
                """, arguments: [kind, key])
        }
        return try data.map { try JSONDecoder().decode(CentralMember.self, from: $0) }
    }

    public func memberChanges(after cursor: Int64, limit: Int) async throws -> [(cursor: Int64, member: CentralMember)] {
        let rows = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT cursor, document FROM members WHERE cursor > ? ORDER BY cursor LIMIT ?", arguments: [cursor, limit])
                .map { ($0[0] as Int64, $0[1] as Data) }
        }
        return try rows.map { ($0.0, try JSONDecoder().decode(CentralMember.self, from: $0.1)) }
    }
}
