import Foundation
import GRDB
import Testing

@Suite struct VersionAndConfigCommandTests {
    @Test func versionPrintsJSONForScripts() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let result = try kiosk.run("version", "--json")
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect((json["version"] as? String)?.isEmpty == false)
        #expect((json["migrations"] as? [String])?.first == "0001-foundation")
    }

    @Test func configCheckNamesEachProblemAndExits65() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let path = try kiosk.file("bad.toml", "[kiosk]\nid = \"k\"\nlocale = \"de\"\n[store]\npath = 1\n")
        let result = try kiosk.run("config", "check", path)
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):3: kiosk.locale:"))
        #expect(result.stderr.contains("\(path):5: store.path: expected a string"))

        let json = try kiosk.run("config", "check", path, "--json")
        #expect(json.status == 65)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        #expect((object["issues"] as? [[String: Any]])?.compactMap { $0["line"] as? Int } == [3, 5])
    }

    @Test func configCheckOfAMissingFileExits66AndAGoodOneExits0() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        #expect(try kiosk.run("config", "check", kiosk.home + "/none.toml").status == 66)
        let good = try kiosk.file("good.toml", "[kiosk]\nid = \"k\"\n")
        let result = try kiosk.run("config", "check", good)
        #expect(result.status == 0)
        #expect(result.stdout.contains("valid"))
    }

    @Test func configShowRedactsSecrets() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["KIOSK_CENTRAL_TOKEN"] = "tok-5ecret-value"
        let text = try kiosk.run("config", "show")
        #expect(text.status == 0)
        #expect(!text.stdout.contains("tok-5ecret-value"))
        #expect(text.stdout.contains("token = \"<redacted, from env:KIOSK_CENTRAL_TOKEN>\""))
        let json = try kiosk.run("config", "show", "--json")
        #expect(!json.stdout.contains("tok-5ecret-value"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["store"] as? [String: Any])?["path"] as? String == kiosk.databasePath)
    }
}

@Suite struct DatabaseCommandTests {
    @Test func migrateThenCheckIsHealthy() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let migrate = try kiosk.run("db", "migrate")
        #expect(migrate.status == 0)
        #expect(migrate.stdout.contains("applied 0001-foundation"))
        #expect(try kiosk.run("db", "migrate").stdout.contains("up to date"))
        let check = try kiosk.run("db", "check", "--json")
        #expect(check.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
        #expect(report["integrity"] as? [String] == ["ok"])
    }

    @Test func checkOfAMissingDatabaseExits66() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let result = try kiosk.run("db", "check")
        #expect(result.status == 66)
        #expect(result.stderr.contains("kiosk db migrate"))
    }

    @Test func checkFindsATamperedBalanceExits65AndRepairRebuildsIt() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try kiosk.run("db", "migrate")
        let pool = try DatabasePool(path: kiosk.databasePath)
        try pool.write { db in
            try db.execute(sql: "INSERT INTO branches VALUES ('b', 'B', '2026-01-01')")
            try db.execute(sql: "INSERT INTO members (id, enrolled_at) VALUES ('m1', '2026-01-01')")
            try db.execute(sql: "INSERT INTO balances VALUES ('m1', 'points', 77)")
        }
        try pool.close()
        let check = try kiosk.run("db", "check")
        #expect(check.status == 65)
        #expect(check.stdout.contains("m1 points: cached 77, ledger 0"))
        let repair = try kiosk.run("db", "check", "--repair-balances")
        #expect(repair.status == 0)
        #expect(try kiosk.run("db", "check").status == 0)
    }

    @Test func backupAndRestoreRoundTripAndADamagedBackupIsRefused() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try kiosk.run("db", "migrate")
        let backup = kiosk.home + "/b.sqlite"
        let made = try kiosk.run("db", "backup", backup, "--json")
        #expect(made.status == 0)
        #expect(made.stdout.contains("\"backup\" : \"\(backup)\""))
        #expect(try kiosk.run("db", "backup", backup).status != 0, "a backup never overwrites a file")

        #expect(try kiosk.run("db", "restore", backup).status == 64, "restore needs --yes")
        let restored = try kiosk.run("db", "restore", backup, "--yes")
        #expect(restored.status == 0)

        let garbage = try kiosk.file("garbage.sqlite", String(repeating: "not a database ", count: 500))
        let refused = try kiosk.run("db", "restore", garbage, "--yes")
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("nothing was restored") || refused.stderr.contains("damaged"))
        #expect(try kiosk.run("db", "check").status == 0)
    }
}

@Suite struct RunCommandTests {
    @Test func runStartsLogsForJournaldAndStopsOnSigterm() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["JOURNAL_STREAM"] = "8:12345"
        // The reader integration tests own the virtual readers: this kiosk must not touch them.
        kiosk.environment["KIOSK_CONFIG"] = try kiosk.file("k.toml", "[readers]\nallow = [\"no reader in this test\"]\n")
        let (process, out, err) = try kiosk.start(["run", "--status-interval", "1"])
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && !FileManager.default.fileExists(atPath: kiosk.databasePath) { usleep(20_000) }
        usleep(1_500_000)
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        #expect(process.terminationStatus == 0)
        let lines = stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("<6>kiosk: kiosk starting") && $0.contains("healthy=true") })
        #expect(lines.contains { $0.hasPrefix("<6>kiosk.store: store status outbox_pending=0") })
        #expect(lines.contains { $0.hasPrefix("<6>kiosk: kiosk stopped") })
        #expect(lines.allSatisfy { $0.hasPrefix("<") }, "every line carries a journald priority")
    }

    @Test func aBrokenConfigurationStopsRunWithExit65() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["KIOSK_CONFIG"] = try kiosk.file("k.toml", "[log]\nlevel = \"loud\"\n")
        let result = try kiosk.run("run")
        #expect(result.status == 65)
        #expect(result.stderr.contains("k.toml:2: log.level"))
    }
}
