import Foundation
import Testing
@testable import KioskEngine

@Suite("A malformed program: every structural problem, each with its path")
struct ProgramShapeTests {
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

    @Test func independentMistakesAreAllReportedInOnePass() throws {
        let found = try issues { program in
            var points = program["points"] as! [String: Any]
            var base = points["base"] as! [String: Any]
            base["units"] = "1"
            points["base"] = base
            program["points"] = points

            var tiers = program["tiers"] as! [String: Any]
            tiers["windowDays"] = "365"
            var levels = tiers["levels"] as! [[String: Any]]
            levels[1].removeValue(forKey: "threshold")
            tiers["levels"] = levels
            program["tiers"] = tiers

            var offers = program["offers"] as! [String: Any]
            var list = offers["list"] as! [[String: Any]]
            list[2]["colour"] = "red"
            offers["list"] = list
            program["offers"] = offers
        }
        let expected: [ProgramError.Issue] = [
            .init("points.base.units", "expected an integer, got a string"),
            .init("tiers.windowDays", "expected an integer, got a string"),
            .init("tiers.levels[1]", "missing key \"threshold\""),
            .init("offers.list[2]", "unknown key \"colour\""),
        ]
        #expect(found.count == expected.count)
        #expect(Set(found) == Set(expected))
    }

    @Test func mistakesInsideListsAndAfterABadEnumValueAreStillFound() throws {
        let found = try issues { program in
            var offers = program["offers"] as! [String: Any]
            var list = offers["list"] as! [[String: Any]]
            var benefit = list[0]["benefit"] as! [String: Any]
            benefit["kind"] = "freeLunch"
            list[0]["benefit"] = benefit
            list[3]["title"] = 42
            var percent = list[1]["benefit"] as! [String: Any]
            percent["percent"] = 7.5
            list[1]["benefit"] = percent
            list[4]["when"] = ["visitsMoreThan": "ten"]
            offers["list"] = list
            offers["policy"] = ["best"]
            program["offers"] = offers
            program["productGroups"] = "dairy"
        }
        #expect(Set(found.map(\.path)) == [
            "productGroups", "offers.policy", "offers.list[0].benefit.kind", "offers.list[3].title",
            "offers.list[4].when.visitsMoreThan", "offers.list[1].benefit.percent",
        ])
        #expect(found.contains(.init("offers.list[1].benefit.percent",
                                     "expected a percentage (an integer, or a string like \"7.5\"), got a number with a fraction")))
        #expect(found.contains(.init("productGroups", "expected a list, got a string")))
        #expect(found.contains(.init("offers.list[3].title", "expected a string, got an integer")))
        #expect(found.contains(.init("offers.list[4].when.visitsMoreThan", "expected an integer, got a string")))
        #expect(found.contains(.init("offers.list[0].benefit.kind",
                                     "\"freeLunch\" is not one of: \(OfferBenefit.Kind.allCases.map(\.rawValue).joined(separator: ", "))")))
        #expect(found.count == 6)
    }

    @Test func aMissingSectionIsOneProblemNotOneForEachOfItsKeys() throws {
        let found = try issues { $0.removeValue(forKey: "points"); $0["version"] = NSNull() }
        #expect(Set(found) == [.init("version", "expected a string, got null"), .init("", "missing key \"points\"")])
        #expect(found.count == 2)
    }

    @Test func garbageIsOneClearErrorSayingWhere() {
        let found = issues(Data("{\n  \"format\": 1,\n  oops\n}".utf8))
        #expect(found.count == 1)
        let problem = found.first?.problem ?? ""
        #expect(problem.hasPrefix("not JSON: "), "\(problem)")
        #expect(problem.contains("(line 3, column 3)"), "\(problem)")
    }

    @Test func theShippedExampleHasNoShapeProblems() throws {
        let tree = try ProgramJSONReader.read(try Fixtures.exampleData)
        #expect(ProgramShapeCheck.problems(in: tree) == [])
        #expect(try Fixtures.example().version == "2026-11-a")
    }

    @Test func aRoundTrippedProgramHasNoShapeProblems() throws {
        // Every optional part the example leaves out, written by the encoder, must be readable too.
        let data = try JSONEncoder().encode(try Fixtures.example())
        let tree = try ProgramJSONReader.read(data)
        #expect(ProgramShapeCheck.problems(in: tree) == [])
    }

    @Test func anIntegerWrittenWithAZeroFractionIsThatInteger() throws {
        #expect(try ProgramJSONReader.read(Data("[5.0, 50.00, -3.0, 7.5, 0.0]".utf8))
                == .array([.integer(5), .integer(50), .integer(-3), .number(7.5), .integer(0)]))
        // JSON encoders that hold numbers as doubles write integers that way (the central's
        // transport does; KioskSyncTests' configuration sync goes through it).
        #expect(throws: ProgramJSONReader.Refusal.self) { try ProgramJSONReader.read(Data("5.".utf8)) }
    }
}
