import Foundation
import Testing
@testable import KioskEngine

@Suite("Loading and validating a program")
struct ProgramLoadingTests {
    @Test func theExampleProgramLoads() throws {
        let program = try Fixtures.example()
        #expect(program.version == "2026-11-a")
        #expect(program.timeZoneIdentifier == "Asia/Tehran")
        #expect(program.offers?.list.count == 5)
        #expect(program.points.windows?.first { $0.id == "yalda-bakery" }?.multiplier == .whole(150))
        #expect(program.tiers?.levels[2].extraCashback == Percent(basisPoints: 50))
    }

    @Test func theTimeZoneDefaultsToTehran() throws {
        let data = try Fixtures.exampleJSON { $0.removeValue(forKey: "timeZone") }
        #expect(try ProgramLoader.load(data).timeZoneIdentifier == "Asia/Tehran")
    }

    private func issues(_ change: (inout [String: Any]) -> Void) throws -> [ProgramError.Issue] {
        let data = try Fixtures.exampleJSON(change)
        do {
            _ = try ProgramLoader.load(data)
            return []
        } catch {
            return error.issues
        }
    }

    @Test func anUnknownProductGroupInAConditionIsNamedWithItsPath() throws {
        let found = try issues { program in
            var offers = program["offers"] as! [String: Any]
            var list = offers["list"] as! [[String: Any]]
            list[4]["when"] = ["all": [["visitsMoreThan": 1], ["productGroup": ["toys"]]]]
            offers["list"] = list
            program["offers"] = offers
        }
        #expect(found == [.init("offers.list[4].when.all[1].productGroup[0]", "unknown product group \"toys\"")])
    }

    @Test func overlappingTiersAreRefused() throws {
        let found = try issues { program in
            var tiers = program["tiers"] as! [String: Any]
            var levels = tiers["levels"] as! [[String: Any]]
            levels[2]["threshold"] = 50_000_000
            tiers["levels"] = levels
            program["tiers"] = tiers
        }
        #expect(found.map(\.path) == ["tiers.levels[2].threshold"])
        #expect(found.first?.problem.contains("overlap") == true)
    }

    @Test func wheelWeightsThatAddUpToZeroAreRefused() throws {
        let found = try issues { program in
            var wheel = program["wheel"] as! [String: Any]
            wheel["segments"] = (wheel["segments"] as! [[String: Any]]).map { var s = $0; s["weight"] = 0; return s }
            program["wheel"] = wheel
        }
        #expect(found.map(\.path) == ["wheel.segments"])
    }

    @Test func aNegativeWeightAndAnUnknownTemplateAreBothReported() throws {
        let found = try issues { program in
            var wheel = program["wheel"] as! [String: Any]
            var segments = wheel["segments"] as! [[String: Any]]
            segments[0]["weight"] = -1
            segments[4]["prize"] = ["kind": "voucher", "voucherTemplate": "nope"]
            wheel["segments"] = segments
            program["wheel"] = wheel
        }
        #expect(Set(found.map(\.path)) == ["wheel.segments[0].weight", "wheel.segments[4].prize.voucherTemplate"])
    }

    @Test func aMissingFieldIsNamed() throws {
        let found = try issues { program in
            var points = program["points"] as! [String: Any]
            points.removeValue(forKey: "base")
            program["points"] = points
        }
        #expect(found == [.init("points", "missing key \"base\"")])
    }

    @Test func aPercentageWithThreeDecimalsIsRefused() throws {
        let found = try issues { program in
            program["cashback"] = ["percent": "1.125"]
        }
        #expect(found.map(\.path) == ["cashback.percent"])
    }

    @Test func anUnknownConditionIsRefused() throws {
        let found = try issues { program in
            var offers = program["offers"] as! [String: Any]
            var list = offers["list"] as! [[String: Any]]
            list[0]["when"] = ["weather": "sunny"]
            offers["list"] = list
            program["offers"] = offers
        }
        #expect(found.first?.path == "offers.list[0].when.weather")
    }

    @Test func aFestivalDayThatDoesNotExistIsRefused() throws {
        let found = try issues { program in
            var points = program["points"] as! [String: Any]
            points["windows"] = [["id": "x", "multiplier": 200, "dates": [["calendar": "persian", "month": 8, "day": 31]]]]
            program["points"] = points
        }
        #expect(found.map(\.path) == ["points.windows[0].dates[0].day"])
    }

    @Test func anotherFormatIsRefused() throws {
        let found = try issues { $0["format"] = 2 }
        #expect(found.map(\.path) == ["format"])
    }

    @Test func percentagesParseExactly() {
        #expect(Percent.parse("7.5") == Percent(basisPoints: 750))
        #expect(Percent.parse("0.25") == Percent(basisPoints: 25))
        #expect(Percent.parse("10") == Percent(basisPoints: 1000))
        #expect(Percent.parse("1.125") == nil)
        #expect(Percent.parse("-1") == nil)
        #expect(Percent.parse("abc") == nil)
        #expect(Percent(basisPoints: 750).text == "7.5")
        #expect(Percent(basisPoints: 5).text == "0.05")
    }
}
