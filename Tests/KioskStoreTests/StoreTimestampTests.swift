import Foundation
import GRDB
import PropertyBased
@testable import KioskStore
import Testing

@Suite struct StoreTimestampTests {
    @Test func formatsExactlyAsGRDBDoes() async {
        // From 1900 to 2200, to the millisecond: the fast path must equal GRDB's DateFormatter.
        await propertyCheck(input: Gen.int(in: -2_208_988_800_000...7_258_118_400_000)) { milliseconds in
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1000)
            #expect(StoreTimestamp.text(date) == String.fromDatabaseValue(date.databaseValue))
        }
    }

    @Test func formatsInstantsBetweenMillisecondsAsGRDBDoes() async {
        await propertyCheck(input: Gen.int(in: 0...4_000_000_000_000_000)) { microseconds in
            let date = Date(timeIntervalSince1970: Double(microseconds) / 1_000_000)
            #expect(StoreTimestamp.text(date) == String.fromDatabaseValue(date.databaseValue))
        }
    }

    @Test func knownInstants() {
        #expect(StoreTimestamp.text(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00.000")
        #expect(StoreTimestamp.text(Date(timeIntervalSince1970: 951_782_400.5)) == "2000-02-29 00:00:00.500")
        #expect(StoreTimestamp.text(Date(timeIntervalSince1970: -1.001)) == "1969-12-31 23:59:58.999")
    }

    @Test func readsBackAsTheSameDate() throws {
        let date = Date(timeIntervalSince1970: 1_795_000_123.456)
        let back = try #require(Date.fromDatabaseValue(StoreTimestamp.text(date).databaseValue))
        #expect(abs(back.timeIntervalSince(date)) < 0.001)
    }
}
