import Foundation
import KioskCore
import Testing

@Suite struct TimeOrderedIDTests {
    @Test func idsSortByTheirCreationTime() {
        let dates = (0..<200).map { Date(timeIntervalSince1970: 1_790_000_000 + Double($0) * 0.013) }
        let ids = dates.map { TimeOrderedID.make(at: $0) }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
    }

    @Test func idsAreVersion7UUIDs() throws {
        let id = TimeOrderedID.make(at: Date(timeIntervalSince1970: 1_790_000_000))
        let uuid = try #require(UUID(uuidString: id))
        #expect(uuid.uuidString.lowercased() == id)
        let bytes = uuid.uuid
        #expect(bytes.6 >> 4 == 7)
        #expect(bytes.8 >> 6 == 0b10)
        // The first 48 bits are the Unix time in milliseconds.
        #expect(id.hasPrefix(String(format: "%08x-%04x", 1_790_000_000_000 >> 16, 1_790_000_000_000 & 0xFFFF)))
    }
}
