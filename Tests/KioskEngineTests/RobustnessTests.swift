import Foundation
import KioskCore
import PropertyBased
import Testing
@testable import KioskEngine

@Suite("Garbage in: a clear refusal, never a crash")
struct RobustnessTests {
    @Test func aMangledProgramIsRefusedWithIssuesOrLoads() async throws {
        let original = Array(try Fixtures.exampleData)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(original.count - 1)).array(of: 1...6), Gen.uint8()) { positions, byte in
            var bytes = original
            for p in positions { bytes[p] = byte }
            do {
                _ = try ProgramLoader.load(Data(bytes))
            } catch let error as ProgramError {
                #expect(!error.issues.isEmpty)
            } catch {
                Issue.record("not a ProgramError: \(error)")
            }
        }
    }

    @Test func purchasesAtAnyInstantAreDecided() async throws {
        let engine = LoyaltyEngine(program: try Fixtures.example())
        await propertyCheck(count: 200, input: Gen.int64(in: -100_000_000_000...100_000_000_000)) { seconds in
            let at = Date(timeIntervalSince1970: TimeInterval(seconds))
            let outcome = try? engine.purchase(Fixtures.purchase(at: at, lines: [("bakery", 1_000_000)]),
                                               member: Fixtures.member(birthday: "1992-02-29"))
            #expect(outcome != nil)
        }
    }
}
