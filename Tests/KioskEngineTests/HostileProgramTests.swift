import Foundation
import KioskCore
import Testing
@testable import KioskEngine

/// A program arrives from the central: whatever it holds, loading it refuses with issues and
/// never crashes, and a program that loads cannot crash a purchase or a return.
@Suite("A hostile program is refused, never a crash")
struct HostileProgramTests {
    private func issues(_ data: Data) -> [ProgramError.Issue] {
        do {
            _ = try ProgramLoader.load(data)
            return []
        } catch {
            return error.issues
        }
    }

    private func issues(_ change: (inout [String: Any]) -> Void) throws -> [ProgramError.Issue] {
        issues(try Fixtures.exampleJSON(change))
    }

    /// Sets the value at a dotted path ("offers.list.1.benefit.percent"; a number is an index).
    private static func set(_ program: inout [String: Any], _ path: String, _ value: Any) {
        func go(_ node: Any, _ rest: ArraySlice<Substring>) -> Any {
            guard let head = rest.first else { return value }
            if let index = Int(head) {
                var list = node as! [Any]
                list[index] = go(list[index], rest.dropFirst())
                return list
            }
            var object = node as! [String: Any]
            object[String(head)] = go(object[String(head)] ?? [String: Any](), rest.dropFirst())
            return object
        }
        program = go(program, path.split(separator: ".")[...]) as! [String: Any]
    }

    /// The JSON path the loader names for a dotted path: "offers.list[1].benefit.percent".
    private static func jsonPath(_ path: String) -> String {
        path.split(separator: ".").reduce(into: "") { out, part in
            out += Int(part) != nil ? "[\(part)]" : (out.isEmpty ? String(part) : ".\(part)")
        }
    }

    static let hugePercent: Int64 = 92_233_720_368_547_759

    static let percentFields = ["cashback.percent", "offers.list.1.benefit.percent", "tiers.levels.1.pointsMultiplier",
                                "points.windows.0.multiplier"]

    @Test(arguments: percentFields)
    func aHugePercentageIsRefusedWhereItIs(path: String) throws {
        let found = try issues { Self.set(&$0, path, Self.hugePercent) }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.path == Self.jsonPath(path), "\(found)")
    }

    @Test(arguments: [Int64(1_000_001), 1_000_000_000_000, 999_999_999_999_999])
    func aPercentageBeyondItsBoundIsRefusedNotMultiplied(value: Int64) throws {
        let found = try issues { Self.set(&$0, "tiers.levels.1.pointsMultiplier", value) }
        #expect(found.map(\.path) == ["tiers.levels[1].pointsMultiplier"], "\(found)")
    }

    static let dayFields = ["points.expiry.days", "giftCredit.occasions.0.expiry.days", "returns.windowDays", "tiers.windowDays",
                            "reminders.daysBefore", "vouchers.templates.0.validDays", "wheel.segments.0.prize.expiry.days",
                            "cashback.expiry.days"]

    @Test(arguments: dayFields)
    func aPeriodOfATrillionDaysIsRefused(path: String) throws {
        let found = try issues { Self.set(&$0, path, 1_000_000_000_000) }
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.problem.contains("36525") == true, "\(found)")
    }

    @Test func theLongestPeriodAllowedStillDecidesAPurchaseAndAReturn() throws {
        let data = try Fixtures.exampleJSON {
            Self.set(&$0, "points.expiry.days", ProgramValidator.maxDays)
            Self.set(&$0, "returns.windowDays", ProgramValidator.maxDays)
            Self.set(&$0, "cashback.expiry.days", ProgramValidator.maxDays)
        }
        let engine = LoyaltyEngine(program: try ProgramLoader.load(data))
        let member = Fixtures.member()
        let purchase = try engine.purchase(Fixtures.purchase(lines: [("bakery", 8_765_000)]), member: member)
        #expect(purchase.points.total == 78)
        var after = member
        after.lots = LotBook.apply(purchase.postings, to: member.lots, member: member.memberID, at: purchase.at)
        let lots = ["points": LoyaltyEngine.lot("p-1", "points"), "coins": LoyaltyEngine.lot("p-1", "coins"),
                    "credit": LoyaltyEngine.lot("p-1", "credit")]
        let request = ReturnRequest(key: "r-1", member: "m-1", branch: "br-tehran-1", at: Fixtures.tehranTime(2030, 1, 1),
                                    purchaseKey: "p-1", lines: [ReturnLine(line: 0, amount: Rial(8_765_000))])
        let outcome = try engine.processReturn(request, purchase: purchase, purchaseLots: lots, history: ReturnHistory(lines: 1), member: after)
        #expect(outcome.pointsReversed == 78)
    }

    @Test func aNegativeMaxDiscountIsRefused() throws {
        let found = try issues { Self.set(&$0, "vouchers.codes.0.maxDiscount", -1) }
        #expect(found.map(\.path) == ["vouchers.codes[0].maxDiscount"], "\(found)")
    }

    @Test func aDuplicateKeyIsRefusedWithItsPath() {
        let text = try! String(decoding: Fixtures.exampleData, as: UTF8.self)
        let doubled = text.replacingOccurrences(of: "\"cashback\": {", with: "\"cashback\": {\"percent\": 50, ", options: [], range: text.range(of: "\"cashback\": {"))
        #expect(doubled != text)
        let found = issues(Data(doubled.utf8))
        #expect(found == [.init("cashback", "has the key \"percent\" twice")], "\(found)")
    }

    @Test func aHugeVersionIsRefusedWithoutBeingPrintedBack() throws {
        let found = try issues { $0["version"] = String(repeating: "v", count: 50_000) }
        #expect(found == [.init("version", "has a string longer than 1024 bytes")], "\(found.map(\.path))")
    }

    @Test func aFileBeyondTheSizeCapIsRefusedBeforeItIsRead() throws {
        let found = try issues { $0["version"] = String(repeating: "v", count: 50_000_000) }
        #expect(found.count == 1)
        #expect(found.first?.path == "")
        #expect(found.first.map { $0.problem.hasSuffix("a program is at most 4194304 bytes") } == true, "\(found)")
    }

    @Test func aVersionLongerThanItsBoundButWithinTheStringCapIsRefused() throws {
        let found = try issues { $0["version"] = String(repeating: "v", count: 65) }
        #expect(found.map(\.path) == ["version"], "\(found)")
        #expect(try issues { $0["version"] = String(repeating: "v", count: 64) } == [])
    }

    @Test func aListLongerThanItsCapIsRefusedBeforeAnyOfItIsDecoded() throws {
        let found = try issues { program in
            var offers = program["offers"] as! [String: Any]
            let one = (offers["list"] as! [[String: Any]])[1]
            offers["list"] = (0..<10_001).map { i in one.merging(["id": "o\(i)"]) { $1 } }
            program["offers"] = offers
        }
        #expect(found == [.init("offers.list", "lists more than 10000 elements")], "\(found)")
    }

    @Test func deepNestingIsRefusedAtTheFirstLevelTooDeep() {
        let found = issues(Data(String(repeating: "[", count: 500).utf8))
        #expect(found == [.init(String(repeating: "[0]", count: 32), "nests lists and objects more than 32 levels deep")], "\(found)")
    }

    @Test func nestedNotConditionsBeyondTheDepthAreRefused() throws {
        var condition: Any = ["visitsMoreThan": 1]
        for _ in 0..<500 { condition = ["not": condition] }
        let found = try issues { Self.set(&$0, "offers.list.0.when", condition) }
        #expect(found.count == 1, "\(found.count)")
        #expect(found.first?.problem == "nests lists and objects more than 32 levels deep")
    }

    @Test func conditionsNestedWithinTheDepthStillLoad() throws {
        var condition: Any = ["visitsMoreThan": 1]
        for _ in 0..<20 { condition = ["not": condition] }
        #expect(try issues { Self.set(&$0, "offers.list.0.when", condition) } == [])
    }

    @Test(arguments: ["1e400", "-1e400", "12345678901234567890", "1000000000000001", "1e16"])
    func aNumberOutOfRangeIsRefusedAtItsPath(literal: String) {
        let text = String(decoding: try! Fixtures.exampleData, as: UTF8.self)
        let changed = text.replacingOccurrences(of: "\"welcome\": 50", with: "\"welcome\": \(literal)")
        #expect(changed != text)
        let found = issues(Data(changed.utf8))
        #expect(found.map(\.path) == ["points.welcome"], "\(found)")
        #expect(found.first?.problem.hasPrefix("is out of range") == true, "\(found)")
    }

    @Test func manyGroupsEachReferencedOnceLoad() throws {
        // Validation looks references up in sets: 10,000 groups each named once by a window.
        let data = try Fixtures.exampleJSON { program in
            let groups = (0..<9_990).map { "g\($0)" }
            program["productGroups"] = (program["productGroups"] as! [String]) + groups
            var points = program["points"] as! [String: Any]
            var windows = points["windows"] as! [[String: Any]]
            windows[2]["productGroups"] = groups
            points["windows"] = windows
            program["points"] = points
        }
        #expect(issues(data) == [])
    }

    @Test func theLoaderReadsTheExampleAsJSONDecoderDoes() throws {
        // The program comes from the shape walk over the bounded reader's tree, not JSONDecoder:
        // both must read the same program.
        let data = try Fixtures.exampleData
        #expect(try ProgramLoader.load(data) == JSONDecoder().decode(Program.self, from: data))
        let encoded = try JSONEncoder().encode(try Fixtures.example())
        #expect(try ProgramLoader.load(encoded) == JSONDecoder().decode(Program.self, from: encoded))
    }

    @Test(arguments: ["{\"a\": \"\\ud800\"}", "{\"a\": \"\u{01}\"}", "{\"a\": 01}", "{\"a\": 1,}", "[1 2]", "\"x", "{\"a\" 1}", "", "nul", "-", "1.", "1e"])
    func malformedJSONIsOneSyntaxIssue(text: String) {
        let found = issues(Data(text.utf8))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.problem.hasPrefix("not JSON: ") == true, "\(found)")
    }

    @Test func escapesAndNonASCIIAreReadExactly() throws {
        let tree = try ProgramJSONReader.read(Data("{\"a\": \"\\u0041\\ud83d\\ude00 \\\" \\\\ \\/ \\n ۱۲۳\", \"b\": -12, \"c\": 1.5}".utf8))
        #expect(tree == .object(["a": .string("A😀 \" \\ / \n ۱۲۳"), "b": .integer(-12), "c": .number(1.5)]))
    }
}
