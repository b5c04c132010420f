import Foundation
import Testing

/// `kiosk import members` as a business runs it: the binary, the shipped example, a real database.
@Suite struct ImportCommandTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/kiosk/import/members-example.csv"

    @Test func theExampleImportsOnceAndABadFileExits65WithEveryProblem() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let db = kiosk.home + "/k.sqlite"

        let dry = try kiosk.run("import", "members", Self.example, "--db", db, "--dry-run")
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("valid, 3 member(s)"))

        let first = try kiosk.run("import", "members", Self.example, "--db", db, "--json")
        #expect(first.status == 0)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        #expect(report["imported"] as? [String] == ["M-1001", "M-1002", "M-1003"])

        let again = try kiosk.run("import", "members", Self.example, "--db", db)
        #expect(again.status == 0)
        #expect(again.stdout.contains("imported 0 member(s), 3 already imported before"))

        let check = try kiosk.run("db", "check", "--db", db)
        #expect(check.status == 0)
        #expect(check.stdout.contains("members: 3, cards: 2, transactions: 3, ledger rows: 5"))

        let bad = try kiosk.file("bad.csv", "member_id,phone,points\nN1,0912-abc,1.5\nN2,,\nN2,,\n")
        let refused = try kiosk.run("import", "members", bad, "--db", db)
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("row 2, phone: \"0912-abc\" is not a mobile number"))
        #expect(refused.stderr.contains("row 2, points: \"1.5\" is not a non-negative whole number"))
        #expect(refused.stderr.contains("row 4, member_id: \"N2\" is already in row 3"))
        #expect(try kiosk.run("db", "check", "--db", db).stdout.contains("members: 3,"))

        #expect(try kiosk.run("import", "members", kiosk.home + "/missing.csv", "--db", db).status == 66)
    }
}
