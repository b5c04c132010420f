import CPCSC
@testable import KioskPCSC
import Testing

/// `SCardListReaders`' two calls, with pcsc-lite's answers played by a fake (the race of a reader
/// plugged between the two calls cannot be timed with a real pcscd).
@Suite struct ListReadersTests {
    /// Answers like pcsc-lite: the length of the multi-string, or the list when it fits.
    final class Readers {
        var lists: [[String]]
        var calls = 0
        init(_ lists: [[String]]) { self.lists = lists }

        func call(_ buffer: UnsafeMutablePointer<CChar>?, _ length: inout DWORD) -> LONG {
            calls += 1
            // Each call sees the next list, as if readers were plugged meanwhile (the last stays).
            let names = lists.count > 1 ? lists.removeFirst() : lists[0]
            if names.isEmpty { return LONG(SCARD_E_NO_READERS_AVAILABLE) }
            let bytes: [CChar] = names.flatMap { Array($0.utf8CString) } + [0]
            guard let buffer else {
                length = DWORD(bytes.count)
                return LONG(SCARD_S_SUCCESS)
            }
            guard Int(length) >= bytes.count else {
                length = DWORD(bytes.count)
                return LONG(SCARD_E_INSUFFICIENT_BUFFER)
            }
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
            length = DWORD(bytes.count)
            return LONG(SCARD_S_SUCCESS)
        }
    }

    @Test func aReaderPluggedBetweenTheTwoCallsIsListedNotAnError() throws {
        let readers = Readers([["ACS ACR122U 00 00"], ["ACS ACR122U 00 00", "ACS ACR1252 01 00"]])
        let names = try PCSCContext.listReaders { readers.call($0, &$1) }
        #expect(names == ["ACS ACR122U 00 00", "ACS ACR1252 01 00"])
        #expect(readers.calls == 4, "length, too small, length again, list")
    }

    @Test func theUsualCaseIsTwoCallsAndNoReadersIsAnEmptyList() throws {
        let readers = Readers([["Virtual PCD 00 00", "Virtual PCD 00 01"]])
        #expect(try PCSCContext.listReaders { readers.call($0, &$1) } == ["Virtual PCD 00 00", "Virtual PCD 00 01"])
        #expect(readers.calls == 2)
        let none = Readers([[]])
        #expect(try PCSCContext.listReaders { none.call($0, &$1) } == [])
    }

    @Test func aListThatKeepsGrowingEndsInATypedError() {
        let growing = Readers((1...40).map { n in (0..<n).map { "Reader \($0)" } })
        #expect(throws: PCSCError.insufficientBuffer) { try PCSCContext.listReaders { growing.call($0, &$1) } }
    }
}
