import Foundation
import GRDB
import Testing

/// `kiosk engine check` and `kiosk engine replay` as a business runs them: the binary, the shipped
/// example program and events, a real database file.
@Suite struct EngineCommandTests {
    /// The repository's root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let program = root + "/kiosk/programs/example.json"
    static let events = root + "/kiosk/programs/example-events.jsonl"

    @Test func checkAcceptsTheExampleAndNamesWhatIsWrongInABrokenProgram() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let good = try kiosk.run("engine", "check", Self.program)
        #expect(good.status == 0)
        #expect(good.stdout.contains("valid"))

        // The example with one offer pointing at a product group the program does not define.
        var text = try String(contentsOfFile: Self.program, encoding: .utf8)
        let groups = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(groups["version"] != nil)
        text = text.replacingOccurrences(of: "\"productGroup\": [\"", with: "\"productGroup\": [\"no-such-group-", options: [], range: text.range(of: "\"productGroup\": [\""))
        let broken = try kiosk.file("broken.json", text)
        let result = try kiosk.run("engine", "check", broken)
        #expect(result.status == 65)
        #expect((result.stdout + result.stderr).contains("no-such-group-"))

        // Several structural mistakes at once: each is named with its path in one run.
        var shape = try String(contentsOfFile: Self.program, encoding: .utf8)
        shape = shape.replacingOccurrences(of: "\"productGroups\":", with: "\"productGroupz\":", options: [],
                                           range: shape.range(of: "\"productGroups\":"))
        shape = shape.replacingOccurrences(of: "{", with: "{ \"surplus\": 1,", options: [], range: shape.range(of: "{"))
        let misshapen = try kiosk.file("misshapen.json", shape)
        let problems = try kiosk.run("engine", "check", misshapen)
        #expect(problems.status == 65)
        let printed = problems.stdout + problems.stderr
        #expect(printed.contains("productGroupz"))
        #expect(printed.contains("surplus"))

        let garbage = try kiosk.file("garbage.json", "{ this is not json")
        #expect(try kiosk.run("engine", "check", garbage).status == 65)
        #expect(try kiosk.run("engine", "check", kiosk.home + "/missing.json").status == 66)
    }

    @Test func aSeededReplayIsReproducibleAndEndsWithBalancesThatMatchTheLedger() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let first = try kiosk.run("engine", "replay", "--program", Self.program, "--events", Self.events, "--seed", "7")
        let second = try kiosk.run("engine", "replay", "--program", Self.program, "--events", Self.events, "--seed", "7")
        #expect(first.status == 0)
        #expect(first.stdout == second.stdout, "the same seed must give byte-for-byte the same output")
        let output = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let members = try #require(output["members"] as? [[String: Any]])
        #expect(!members.isEmpty)
        #expect(members.allSatisfy { $0["ledgerMatches"] as? Bool == true })
        let events = try #require(output["events"] as? [[String: Any]])
        #expect(events.contains { $0["type"] as? String == "purchase" && $0["ok"] as? Bool == true })
    }

    @Test func replayingIntoTheSameDatabaseTwiceAppliesNothingTwice() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let db = kiosk.home + "/replay.sqlite"
        let first = try kiosk.run("engine", "replay", "--program", Self.program, "--events", Self.events, "--seed", "7", "--db", db)
        let again = try kiosk.run("engine", "replay", "--program", Self.program, "--events", Self.events, "--seed", "7", "--db", db)
        #expect(first.status == 0 && again.status == 0)
        let before = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let after = try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        let firstEvents = before["events"] as? [[String: Any]] ?? []
        let secondEvents = after["events"] as? [[String: Any]] ?? []
        #expect(firstEvents.count == secondEvents.count)
        // Every operation committed the first time is found committed the second time…
        let operations = zip(firstEvents, secondEvents).filter { first, _ in first["replayed"] as? Bool == false }
        #expect(operations.count >= 10)
        #expect(operations.allSatisfy { _, second in second["replayed"] as? Bool == true },
                "a second replay must find every key committed")
        // …and the sweep finds nothing left to expire, grant or remind.
        for (first, second) in zip(firstEvents, secondEvents) where first["type"] as? String == "sweep" {
            #expect((first["outcome"] as? [Any])?.isEmpty == false)
            #expect((second["outcome"] as? [Any])?.isEmpty == true)
        }
        #expect(NSDictionary(dictionary: ["m": before["members"] ?? []]) == NSDictionary(dictionary: ["m": after["members"] ?? []]))
        #expect(try kiosk.run("db", "check", "--db", db).status == 0)
    }
    @Test func aReplayIntoADatabaseHonoursTheSizeCapAndSaysHowManyEventsAreCommitted() throws {
        // store.max_size_mib = 1: the stream of 2,000 purchases stops part-way with exit 73, and
        // the message counts the events committed; the file stays near the cap.
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let config = try kiosk.file("kiosk.toml", "[store]\nmax_size_mib = 1\n")
        var lines = [
            #"{"type": "enroll", "key": "enroll-ali", "member": "m-ali", "at": "2026-11-01T10:00:00+03:30", "operator": "op-sara", "name": "Ali"}"#,
        ]
        for i in 0..<2_000 {
            lines.append(#"{"type": "purchase", "key": "p-\#(i)", "member": "m-ali", "at": "2026-11-02T11:05:00+03:30", "operator": "op-sara", "lines": [{"group": "bakery", "amount": \#(1_000_000 + i)}]}"#)
        }
        let events = try kiosk.file("many.jsonl", lines.joined(separator: "\n") + "\n")
        let db = kiosk.home + "/capped.sqlite"
        let result = try kiosk.run("engine", "replay", "--program", Self.program, "--events", events, "--seed", "7",
                                   "--db", db, "--config", config, "--summary")
        #expect(result.status == 73, "\(result.stderr)")
        let size = ((try FileManager.default.attributesOfItem(atPath: db))[.size] as? NSNumber)?.intValue ?? .max
        #expect(size <= 1_048_576 + 65_536, "\(size) bytes under a 1 MiB cap")
        let match = try #require(result.stderr.firstMatch(of: /the (\d+) events before it are committed/))
        let committed = try #require(Int(match.1))
        #expect(committed > 1 && committed < 2_001)
        #expect(try kiosk.run("db", "check", "--db", db).status == 0)
    }

    @Test func verifySpinChecksTheLastSpinInTheStoreAndRefusesATamperedRecord() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try FileManager.default.createDirectory(atPath: (kiosk.databasePath as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        let replay = try kiosk.run("engine", "replay", "--program", Self.program, "--events", Self.events, "--db", kiosk.databasePath)
        #expect(replay.status == 0, "\(replay.stderr)")
        let last = try kiosk.run("engine", "verify-spin", "--last")
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.stdout.contains("verified: roll"), "\(last.stdout)")

        let audit = try DatabaseQueue(path: kiosk.databasePath).read { db in
            try Data.fetchOne(db, sql: "SELECT audit FROM wheel_spins ORDER BY seq DESC LIMIT 1")
        }
        let record = try #require(audit.map { String(decoding: $0, as: UTF8.self) })
        #expect(try kiosk.run("engine", "verify-spin", kiosk.file("spin.json", record)).status == 0)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(record.utf8)) as? [String: Any])
        let roll = try #require(object["roll"] as? Int)
        let total = try #require(object["total"] as? Int)
        object["roll"] = (roll + 1) % total
        let tampered = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        let refused = try kiosk.run("engine", "verify-spin", kiosk.file("tampered.json", tampered))
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("NOT verified: the words give the roll \(roll)"), "\(refused.stderr)")
        #expect(try kiosk.run("engine", "verify-spin", kiosk.file("garbage.json", "{ no")).status == 65)
    }
}
