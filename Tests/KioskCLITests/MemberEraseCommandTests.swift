import Foundation
import Testing

/// `kiosk member erase` as a technician runs it on an imported database.
@Suite struct MemberEraseCommandTests {
    private func bytes(_ path: String) throws -> Data {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if FileManager.default.fileExists(atPath: path + "-wal") { data += try Data(contentsOf: URL(fileURLWithPath: path + "-wal")) }
        return data
    }

    @Test func erasingAnImportedMemberLeavesNoPersonalDataAndAHealthyDatabase() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let db = kiosk.home + "/k.sqlite"
        #expect(try kiosk.run("import", "members", ImportCommandTests.example, "--db", db).status == 0)
        // The import's requests keep only a digest; the personal-data table has the name.
        #expect(try bytes(db).range(of: Data("Sara Ahmadi".utf8)) != nil)

        let refused = try kiosk.run("member", "erase", "M-1001", "--db", db)
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("--yes"))

        let erased = try kiosk.run("member", "erase", "M-1001", "--db", db, "--yes")
        #expect(erased.status == 0, "\(erased.stderr)")
        #expect(erased.stdout.contains("member M-1001: personal data erased"))
        #expect(try bytes(db).range(of: Data("Sara Ahmadi".utf8)) == nil)
        #expect(try bytes(db).range(of: Data("09121234567".utf8)) == nil)
        // (M-1001's birthday is also M-1002's, 1369/09/03, which stays.)
        #expect(try bytes(db).range(of: Data("M-1002".utf8)) != nil)

        let check = try kiosk.run("db", "check", "--db", db)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("members: 3, cards: 2, transactions: 4, ledger rows: 5"))

        // Importing the same file again replays the erased member's row rather than refusing it.
        let again = try kiosk.run("import", "members", ImportCommandTests.example, "--db", db)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("3 already imported before"))

        #expect(try kiosk.run("member", "erase", "M-9999", "--db", db, "--yes").status == 65)
    }
}
