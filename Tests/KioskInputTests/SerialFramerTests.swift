import Testing
@testable import KioskInput

@Suite struct SerialFramerTests {
    @Test func crLfAndCRLFEachEndOneScan() {
        var f = SerialFramer(.init())
        let out = f.feed(Array("5901234123457\r\nABC\rDEF\n".utf8), at: .zero)
        #expect(out == [.scan(Array("5901234123457".utf8)), .scan(Array("ABC".utf8)), .scan(Array("DEF".utf8))])
    }

    @Test func aScanSplitOverReadsIsJoinedAndABrokenOneDiscarded() {
        var f = SerialFramer(.init(interByteTimeout: .milliseconds(100)))
        #expect(f.feed(Array("59012".utf8), at: .zero) == [])
        #expect(f.feed(Array("34\r".utf8), at: .milliseconds(20)) == [.scan(Array("5901234".utf8))])
        #expect(f.feed(Array("PART".utf8), at: .milliseconds(30)) == [])
        #expect(f.tick(at: .milliseconds(200)) == [.discarded("incomplete", count: 4)])
    }

    @Test func withoutTerminatorAPauseEndsTheScan() {
        var f = SerialFramer(.init(terminator: .none, interByteTimeout: .milliseconds(50)))
        #expect(f.feed(Array("AB\rC".utf8), at: .zero) == [])
        #expect(f.tick(at: .milliseconds(60)) == [.scan(Array("AB\rC".utf8))])
    }

    @Test func anOverlongLineIsDiscarded() {
        var f = SerialFramer(.init(maxLength: 4))
        #expect(f.feed(Array("123456\r12\r".utf8), at: .zero) == [.discarded("tooLong", count: 4), .scan(Array("12".utf8))])
    }
}
