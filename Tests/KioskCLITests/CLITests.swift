import Foundation
import KioskTestSupport
import GRDB
import KioskTestSupport
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

    @Test func configCheckJudgesTheDisplaysLookAndNamesKeyAndLine() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        _ = try kiosk.file("logo.png", "not a png")
        let path = try kiosk.file("look.toml", """
            [display]
            logo = "logo.png"
            [display.strings.en]
            "idle.titel" = "Tap"
            "wheel.win" = "You won!"
            """)
        let result = try kiosk.run("config", "check", path)
        #expect(result.status == 65)
        #expect(result.stderr.contains("\(path):2: display.logo: "))
        #expect(result.stderr.contains("\(path):4: display.strings.en.idle.titel: no such string on the screens (did you mean idle.title?)"))
        #expect(result.stderr.contains("\(path):5: display.strings.en.wheel.win: must use exactly the placeholders {prize}"))
        let good = try kiosk.file("good-look.toml", "[display]\nstore_name = \"Baharestan\"\n[display.strings.en]\n\"wheel.win\" = \"Yours: {prize}\"\n")
        #expect(try kiosk.run("config", "check", good).status == 0)
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

@Suite struct RecoveryCommandTests {
    @Test func aMigrateWithNothingToDoWritesNothing() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try kiosk.run("db", "migrate")
        let pool = try DatabasePool(path: kiosk.databasePath)
        try pool.writeWithoutTransaction { db in _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try pool.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: kiosk.databasePath))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: kiosk.databasePath + "-wal"))) ?? Data()
        let again = try kiosk.run("db", "migrate")
        #expect(again.status == 0)
        #expect(again.stdout.contains("up to date"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: kiosk.databasePath)) == before)
        #expect(((try? Data(contentsOf: URL(fileURLWithPath: kiosk.databasePath + "-wal"))) ?? Data()) == wal)
    }

    @Test func restoreReplacesADamagedDatabaseAndNamesWhereItKeptIt() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try kiosk.run("db", "migrate")
        let backup = kiosk.home + "/b.sqlite"
        #expect(try kiosk.run("db", "backup", backup).status == 0)
        #expect(FileManager.default.fileExists(atPath: backup + ".sha256"))
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: kiosk.databasePath))
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 8192))
        try handle.close()
        try? FileManager.default.removeItem(atPath: kiosk.databasePath + "-wal")
        try? FileManager.default.removeItem(atPath: kiosk.databasePath + "-shm")
        #expect(try kiosk.run("db", "check").status == 65)
        let restored = try kiosk.run("db", "restore", backup, "--yes")
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("the damaged database it replaced is kept at \(kiosk.databasePath).before-restore-"))
        #expect(try kiosk.run("db", "check").status == 0)
    }

    @Test func aBackupThatExistsExits73AndAMissingDirectory66() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        try kiosk.run("db", "migrate")
        let backup = kiosk.home + "/b.sqlite"
        #expect(try kiosk.run("db", "backup", backup).status == 0)
        let exists = try kiosk.run("db", "backup", backup)
        #expect(exists.status == 73)
        #expect(exists.stderr.contains("already exists"))
        let missing = try kiosk.run("db", "backup", kiosk.home + "/nowhere/b.sqlite")
        #expect(missing.status == 66)
        #expect(!FileManager.default.fileExists(atPath: kiosk.home + "/nowhere"))
    }
}

@Suite struct ReadOnlyDiskTests {
    @Test func checkAndBackupWorkOnAFileSystemRemountedReadOnly() throws {
        // A private mount namespace: a tmpfs holding the database, remounted read-only, where
        // `db check` and `db backup` must still work (they only read).
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let binary = try ProductLocator.executable("kiosk")
        let mount = kiosk.home + "/ro"
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let script = """
            set -e
            mount -t tmpfs tmpfs '\(mount)'
            printf '[store]\\npath = "\(mount)/k.sqlite"\\n' > '\(kiosk.home)/k.toml'
            '\(binary)' db migrate --config '\(kiosk.home)/k.toml' > /dev/null
            mount -o remount,ro '\(mount)'
            set +e
            '\(binary)' db check --config '\(kiosk.home)/k.toml'; echo "check-exit $?"
            '\(binary)' db backup --config '\(kiosk.home)/k.toml' '\(kiosk.home)/b.sqlite'; echo "backup-exit $?"
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unshare")
        process.arguments = ["--mount", "--propagation", "private", "bash", "-c", script]
        process.environment = kiosk.environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("healthy\ncheck-exit 0"), "\(text)")
        #expect(text.contains("backup-exit 0"), "\(text)")
        #expect(FileManager.default.fileExists(atPath: kiosk.home + "/b.sqlite"))
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

    @Test func runSpeaksSystemdsNotifyProtocol() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let socket = try NotifySocket()
        kiosk.environment["NOTIFY_SOCKET"] = socket.path
        kiosk.environment["WATCHDOG_USEC"] = "400000"
        kiosk.environment["KIOSK_CONFIG"] = try kiosk.file("k.toml", "[readers]\nallow = [\"no reader in this test\"]\n")
        let (process, out, err) = try kiosk.start(["run"])
        let ready = socket.receive(until: { $0.hasPrefix("READY=1") }, timeout: 60)
        #expect(ready?.last?.contains("STATUS=kiosk") == true, "READY=1 with a status line")
        let pings = (0..<2).map { _ in socket.receive(timeout: 5) }
        #expect(pings == ["WATCHDOG=1", "WATCHDOG=1"], "the watchdog is fed at half of WATCHDOG_USEC")
        kill(process.processIdentifier, SIGTERM)
        let stopping = socket.receive(until: { $0 == "STOPPING=1" }, timeout: 30)
        process.waitUntilExit()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        _ = err.fileHandleForReading.readDataToEndOfFile()
        #expect(stopping != nil)
        #expect(process.terminationStatus == 0)
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
