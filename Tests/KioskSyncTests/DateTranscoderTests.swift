import Foundation
import KioskCentralAPI
import KioskTestSupport
import Testing

/// The contract's date-times, read and written by integer arithmetic in the common form: the same
/// text and the same instants as the ISO 8601 formatters it replaced, which still take the rest.
struct DateTranscoderTests {
    /// The transcoder as it was: the formatters only.
    final class Reference: @unchecked Sendable {
        let fractional = ISO8601DateFormatter()
        let whole = ISO8601DateFormatter()
        init() {
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            whole.formatOptions = [.withInternetDateTime]
        }
        func encode(_ date: Date) -> String { fractional.string(from: date) }
        func decode(_ text: String) -> Date? {
            let normalized = text.uppercased()
            return fractional.date(from: normalized) ?? whole.date(from: normalized)
        }
    }

    func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    @Test func instantsAreWrittenAsTheFormatterWroteThem() throws {
        let reference = Reference()
        let transcoder = CentralDateTranscoder()
        var random = SeededRandom(seed: 13)
        var instants: [Int64] = [0, -1, 951_782_400_000, 1_790_000_000_123, 253_402_300_799_999, -62_135_596_800_000]
        for _ in 0..<2_000 { instants.append(Int64.random(in: -2_208_988_800_000...4_102_444_800_000, using: &random)) }
        for ms in instants {
            let date = Date(timeIntervalSince1970: Double(ms) / 1000)
            #expect(try transcoder.encode(date) == reference.encode(date), "\(ms)")
            #expect(milliseconds(try transcoder.decode(try transcoder.encode(date))) == ms)
        }
    }

    @Test(arguments: [
        "2026-12-01T10:00:00Z", "2026-12-01T10:00:00.123Z", "2026-12-01t10:00:00.123z", "2026-12-01T10:00:00+03:30",
        "2026-12-01T10:00:00.5-05:00", "2026-12-01T10:00:00.999+14:00", "2024-02-29T23:59:59.999Z", "2000-01-01T00:00:00.000Z",
        "1970-01-01T00:00:00.001-00:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2026-12-01T10:00:00.123456Z",
        // Not dates: refused by both.
        "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T10:00:00", "2026-12-01 10:00:00Z",
        "2026-12-01T10:00:00.Z", "2026-12-01T10:00:00+0330", "2026-12-01T10:60:00Z", "x", "",
    ])
    func textIsReadAsTheFormatterReadIt(_ text: String) throws {
        let expected = Reference().decode(text)
        let read = try? CentralDateTranscoder().decode(text)
        #expect(read.map(milliseconds) == expected.map(milliseconds), "\(text)")
    }
}
