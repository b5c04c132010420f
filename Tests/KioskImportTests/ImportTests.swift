import Foundation
import GRDB
import KioskCore
import KioskImport
import KioskStore
import KioskTestSupport
import Testing

private let header = "member_id,name,phone,birthday,card_id,points,credit_rial,gift_credit_rial,coins,groups\n"

private func openStore(_ dir: TemporaryDirectory) throws -> KioskStore {
    try KioskStore(path: dir.file("kiosk.sqlite"))
}

private func importer(_ store: KioskStore) -> MemberImporter {
    MemberImporter(store: store, branch: "b1", source: "members.csv")
}

private func counts(_ store: KioskStore) throws -> (members: Int, cards: Int, ledger: Int, transactions: Int) {
    let health = try store.check()
    return (health.members, health.cards, health.ledgerRows, health.transactions)
}

@Suite("Parsing and validation")
struct ParsingTests {
    @Test func persianDigitsPlusFormAndJalaliBirthdayNormalise() throws {
        let parsed = MemberImportParser.parse(header
            + "M1,\"رضا محمدی\",۰۹۱۲۳۴۵۶۷۸۹,۱۳۶۹/۰۹/۰۳,,۱۲۰,٥٠٠,0,0,\n"
            + "M2,Ali,+98 935 111 2233,1369/12/29,,0,0,0,0,a; b\n")
        #expect(parsed.problems == [])
        try #require(parsed.members.count == 2)
        #expect(parsed.members[0].phone == "09123456789")
        #expect(parsed.members[0].birthday == "1990-11-24")
        #expect(parsed.members[0].name == "رضا محمدی")
        #expect(parsed.members[0].points == 120)
        #expect(parsed.members[0].creditRial == 500)
        #expect(parsed.members[1].phone == "09351112233")
        #expect(parsed.members[1].birthday == "1991-03-20")
        #expect(parsed.members[1].groups == ["a", "b"])
    }

    @Test func everyBadRowIsReportedWithRowAndColumn() {
        let parsed = MemberImportParser.parse(header
            + "M1,A,09121111111,2000-01-01,c1,10,0,0,0,\n"       // row 2: good
            + "M2,B,0912-abc,2000-02-30,,1.5,-3,0,x,\n"          // row 3: phone, birthday, points, credit, coins
            + ",C,,,,,,,,\n"                                     // row 4: member_id missing
            + "M1,D,09121111111,,c1,0,0,0,0,\n"                  // row 5: duplicates of row 2
            + "bad id!,E,,1369/13/01,,0,0,0,0,\n")               // row 6: id, Jalali month 13
        let described = Set(parsed.problems.map(\.description))
        #expect(described.contains("row 3, phone: \"0912-abc\" is not a mobile number (09xxxxxxxxx or +989xxxxxxxxx)"))
        let at = Set(parsed.problems.map { "\($0.row ?? 0)/\($0.column ?? "")" })
        #expect(at == ["3/phone", "3/birthday", "3/points", "3/credit_rial", "3/coins", "4/member_id",
                       "5/member_id", "5/card_id", "5/phone", "6/member_id", "6/birthday"])
        #expect(parsed.members.map(\.memberID) == ["M1"])
        #expect(parsed.rows == 5)
    }

    @Test func unknownColumnsAreNamed() {
        let parsed = MemberImportParser.parse("member_id,nickname,points,email\nM1,x,1,y\n")
        #expect(parsed.members.isEmpty)
        #expect(parsed.problems.count == 1)
        #expect(parsed.problems.first?.row == 1)
        #expect(parsed.problems.first?.message.contains("\"nickname\", \"email\"") == true)
    }

    @Test func quotedFieldsFollowRFC4180() throws {
        let parsed = MemberImportParser.parse("member_id,name,points\r\nM1,\"Karimi, \"\"Ali\"\"\",7\r\n")
        #expect(parsed.problems == [])
        #expect(parsed.members.first?.name == "Karimi, \"Ali\"")
        #expect(parsed.members.first?.points == 7)
    }

    @Test func malformedCSVAndWrongFieldCountsAreProblems() {
        let counts = MemberImportParser.parse("member_id,points\nM1,1,extra\nM2\nM3,3\n")
        #expect(counts.problems.map(\.description) == ["row 2: has 3 field(s), the header has 2",
                                                       "row 3: has 1 field(s), the header has 2"])
        #expect(counts.members.map(\.memberID) == ["M3"])
        // A quote left open would swallow every later row into one field: the file is refused.
        let quote = MemberImportParser.parse("member_id,name\nM0,\"Karimi, \"\"A\"\"\"\nM1,\"unterminated\nM2,x\n")
        #expect(quote.problems.map(\.description) == ["row 3: a quoted field opened here is never closed"])
        #expect(quote.members.isEmpty)
        let after = MemberImportParser.parse("member_id,name\nM1,\"ab\"c\nM2,x\n")
        #expect(after.problems.map(\.description).first?.hasPrefix("row 2: text after the closing quote") == true)
        #expect(after.members.isEmpty)
        // A quote inside an unquoted field is a character of it.
        let inner = MemberImportParser.parse("member_id,name\nM1,5\" screen\nM2,x\n")
        #expect(inner.problems == [])
        #expect(inner.members.map(\.name) == ["5\" screen", "x"])
    }

    @Test func phoneAndAmountRules() {
        #expect(MemberImportParser.normalisePhone("00989121234567") == "09121234567")
        #expect(MemberImportParser.normalisePhone("٠٩١٢١٢٣٤٥٦٧") == "09121234567")
        #expect(MemberImportParser.normalisePhone("02112345678") == nil)
        #expect(MemberImportParser.normalisePhone("0912123456") == nil)
        #expect(MemberImportParser.parseAmount("9223372036854775808") == nil)
        #expect(MemberImportParser.parseAmount("1e3") == nil)
        #expect(MemberImportParser.parseAmount("۱۰۰۰") == 1000)
    }

    @Test func anEmptyFileAndAnOutOfRangeBirthdaySayWhatIsWrong() {
        let empty = MemberImportParser.parse("")
        #expect(empty.problems.map(\.description) == [
            "row 1: the header cannot be read as CSV: the file is empty (it needs a header row: member_id,name,phone,birthday,card_id,points,credit_rial,gift_credit_rial,coins,groups)",
        ])
        let parsed = MemberImportParser.parse(header + "M1,A,,2150-01-01,,0,0,0,0,\nM2,B,,1500/01/01,,0,0,0,0,\nM3,C,,soon,,0,0,0,0,\n")
        #expect(parsed.problems.map(\.description) == [
            "row 2, birthday: \"2150-01-01\" (2150-01-01) is outside the years a birthday is accepted in (1900–2100)",
            "row 3, birthday: \"1500/01/01\" (2121-03-21) is outside the years a birthday is accepted in (1900–2100)",
            "row 4, birthday: \"soon\" is not a date (YYYY-MM-DD Gregorian or YYYY/MM/DD Jalali)",
        ])
    }

    @Test func anOpeningBalanceBeyondTheLimitRefusesItsRowNamingIt() {
        // Int64.max points used to be imported; the next purchase overflowed the balance.
        #expect(MemberImportParser.parseBoundedAmount("1000000000000000") == .amount(1_000_000_000_000_000))
        #expect(MemberImportParser.parseBoundedAmount("1000000000000001") == .tooLarge)
        #expect(MemberImportParser.parseBoundedAmount("99999999999999999999999") == .tooLarge)
        #expect(MemberImportParser.parseBoundedAmount("-5") == .notANumber)
        let parsed = MemberImportParser.parse(header
            + "M1,A,,,,9223372036854775807,0,0,0,\n"
            + "M2,B,,,,1,1000000000000001,0,0,\n"
            + "M3,C,,,,1000000000000000,0,0,0,\n")
        #expect(parsed.members.map(\.memberID) == ["M3"])
        #expect(Set(parsed.problems.map(\.description)) == [
            "row 2, points: \"9223372036854775807\" is more than the largest opening balance accepted (1000000000000000)",
            "row 3, credit_rial: \"1000000000000001\" is more than the largest opening balance accepted (1000000000000000)",
        ])
    }
}

@Suite("Importing into a store")
struct StoreImportTests {
    @Test func goodFileImportsEveryRowWithExactBalances() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        let text = header
            + "M1,Sara,09121234567,1990-11-24,uid:04A1,1200,500000,0,15,vip;staff\n"
            + "M2,رضا,+989127654321,1369/09/03,,300,0,200000,0,\n"
            + "M3,Ali,,,uid:04B2,0,0,0,0,\n"
        let report = try importer(store).run(text, dryRun: false)
        #expect(report.problems == [])
        #expect(report.imported == ["M1", "M2", "M3"])
        #expect(try store.balances(of: "M1") == Balances(points: 1200, credit: Rial(500_000), giftCredit: .zero, coins: 15))
        #expect(try store.balances(of: "M2") == Balances(points: 300, credit: .zero, giftCredit: Rial(200_000), coins: 0))
        #expect(try store.balances(of: "M3") == Balances())
        #expect(try store.ledgerBalances(of: "M1") == store.balances(of: "M1"))
        #expect(try store.member(byCard: "uid:04A1")?.memberID == "M1")
        #expect(try store.member(byCard: "uid:04B2")?.memberID == "M3")
        #expect(try store.personal(of: "M2")?.birthday == "1990-11-24")
        #expect(try store.personal(of: "M2")?.phone == "09127654321")
        let health = try store.check()
        #expect(health.isHealthy)
        #expect(health.members == 3)
        #expect(health.transactions == 3)
        #expect(health.ledgerRows == 5)
        #expect(try store.receipt(for: MemberImporter.key(for: "M1")) != nil)
        // The rows beside the balances: kind, lots, event, audit, customer groups.
        let db = try DatabaseQueue(path: dir.file("kiosk.sqlite"))
        try db.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM business_transactions") == ["member.import"])
            #expect(try String.fetchAll(db, sql: "SELECT idempotency_key FROM business_transactions ORDER BY 1")
                    == ["import:M1", "import:M2", "import:M3"])
            #expect(try String.fetchAll(db, sql: "SELECT lot_id FROM ledger WHERE member_id = 'M1' ORDER BY 1")
                    == ["import:M1/coins", "import:M1/credit", "import:M1/points"])
            #expect(try String.fetchAll(db, sql: "SELECT DISTINCT type FROM outbox") == ["member.imported"])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") == 3)
            let audit = try Row.fetchAll(db, sql: "SELECT action, subject, details FROM audit_log ORDER BY subject")
            #expect(audit.map { $0[0] as String } == ["member.import", "member.import", "member.import"])
            #expect(audit.map { $0[1] as String } == ["M1", "M2", "M3"])
            #expect((audit.first?[2] as String?)?.contains("members.csv") == true)
            #expect(try String.fetchOne(db, sql: "SELECT customer_groups FROM members WHERE id = 'M1'") == "[\"vip\",\"staff\"]")
        }
    }

    @Test func badFileReportsEveryProblemAndWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        let text = header
            + "M1,Sara,09121234567,,,10,0,0,0,\n"
            + "M2,X,0912-abc,,,0,0,0,0,\n"
            + "M3,Y,,1990-13-01,,0,0,0,-1,\n"
        let report = try importer(store).run(text, dryRun: false)
        #expect(report.problems.map(\.description).contains("row 3, phone: \"0912-abc\" is not a mobile number (09xxxxxxxxx or +989xxxxxxxxx)"))
        #expect(report.problems.map { "\($0.row ?? 0)/\($0.column ?? "")" } == ["3/phone", "4/birthday", "4/coins"])
        #expect(report.imported.isEmpty)
        let c = try counts(store)
        #expect(c.members == 0 && c.ledger == 0 && c.transactions == 0)
    }

    @Test func dryRunWritesNothing() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        let report = try importer(store).run(header + "M1,Sara,,,,10,0,0,0,\n", dryRun: true)
        #expect(report.valid)
        #expect(report.rows == 1)
        #expect(try counts(store).transactions == 0)
        #expect(try store.personal(of: "M1") == nil)
    }

    @Test func rerunningAnImportedFileWritesNothingNew() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        let text = header + "M1,Sara,,,c1,10,20,30,40,\n" + "M2,Ali,,,,5,0,0,0,\n"
        let first = try importer(store).run(text, dryRun: false)
        #expect(first.imported == ["M1", "M2"])
        let before = try counts(store)
        let again = try importer(store).run(text, dryRun: false)
        #expect(again.problems == [])
        #expect(again.imported.isEmpty)
        #expect(again.replayed == ["M1", "M2"])
        let after = try counts(store)
        #expect(after == before)
        #expect(try store.balances(of: "M1") == Balances(points: 10, credit: Rial(20), giftCredit: Rial(30), coins: 40))
        #expect(try store.check().isHealthy)
    }

    @Test func anImportStoppedByTheSizeCapSaysHowManyRowsAreCommitted() throws {
        let dir = try TemporaryDirectory()
        // A cap a little above the empty database: room for some rows, not for 3,000.
        let empty = try KioskStore(path: dir.file("probe.sqlite"))
        try empty.writerCheckpoint()
        let emptySize = ((try FileManager.default.attributesOfItem(atPath: dir.file("probe.sqlite")))[.size] as? NSNumber)?.int64Value ?? 0
        let store = try KioskStore(path: dir.file("kiosk.sqlite"), options: .init(maxSizeBytes: emptySize + 256 * 1024))
        var text = header
        for i in 0..<3_000 { text += "M\(i),Member \(i),,,,\(i + 1),0,0,0,\n" }
        // Batches of 100 rows: whole batches are committed, then one fails whole.
        let error = #expect(throws: StoreError.self) { try importer(store).run(text, dryRun: false, batchSize: 100) }
        #expect(error?.code == .diskFull)
        let committed = try counts(store).members
        #expect(committed > 0 && committed < 3_000)
        #expect(committed % 100 == 0)
        #expect(error?.message.contains("at row \(committed + 2); the \(committed) rows before it are committed") == true,
                "\(error?.message ?? "")")
        #expect(try store.check().isHealthy)
    }

    @Test func anInterruptedImportCompletesOnRerun() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        let text = header + "M1,Sara,,,,10,0,0,0,\n" + "M2,Ali,,,,5,0,0,0,\n"
        // The first row alone was committed before the import was killed.
        let parsed = MemberImportParser.parse(text)
        try importer(store).commit(parsed.members[0], at: Date())
        let report = try importer(store).run(text, dryRun: false)
        #expect(report.replayed == ["M1"])
        #expect(report.imported == ["M2"])
        #expect(try store.balances(of: "M2").points == 5)
        #expect(try store.check().isHealthy)
    }

    @Test func conflictsWithTheStoreAreReported() throws {
        let dir = try TemporaryDirectory()
        let store = try openStore(dir)
        _ = try importer(store).run(header + "OLD,Old,,,card-1,0,0,0,0,\n", dryRun: false)
        let before = try counts(store)
        let report = try importer(store).run(header
            + "NEW,New,,,card-1,5,0,0,0,\n"      // card already bound to OLD
            + "OLD,Changed,,,,9,0,0,0,\n",  // imported before with other data
            dryRun: false)
        #expect(report.problems.map(\.description) == [
            "row 2, card_id: card \"card-1\" is already bound to member \"OLD\"",
            "row 3, member_id: \"OLD\" was imported before with different data",
        ])
        #expect(try counts(store) == before)
        #expect(try store.personal(of: "NEW") == nil)
    }
}
