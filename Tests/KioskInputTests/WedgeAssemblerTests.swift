import Testing
@testable import KioskInput

@Suite struct WedgeAssemblerTests {
    func run(_ keys: KeySequence, _ config: WedgeConfiguration = WedgeConfiguration(), tickAt: Duration? = nil) -> [WedgeAssembler.Output] {
        var a = WedgeAssembler(config)
        var out = keys.events.flatMap { a.key($0) }
        if let tickAt { out += a.tick(at: tickAt) }
        return out
    }

    func texts(_ outputs: [WedgeAssembler.Output]) -> [String] {
        outputs.compactMap { if case .scan(let b, _, _) = $0 { String(decoding: b, as: UTF8.self) } else { nil } }
    }

    @Test func anEAN13EndedByEnterIsOneScanWithTheDoubledDigitKept() {
        var k = KeySequence()
        k.type("5901234123457")
        k.type("22")
        k.enter()
        #expect(texts(run(k)) == ["590123412345722"])
    }

    @Test func autorepeatIsIgnoredAndOnlyKeyDownsType() {
        var k = KeySequence()
        k.type("12")
        k.events.append(KeyEvent(code: 3, value: 2, time: k.time)) // autorepeat of "2"
        k.type("3")
        k.enter()
        #expect(texts(run(k)) == ["123"])
    }

    @Test func shiftAndCapsLockGiveTheCaseTheScannerMeant() {
        var k = KeySequence()
        k.type("KM1.a-B")
        k.tap(KeyCode.capsLock)
        k.type("ab")
        k.events.append(.down(KeyCode.leftShift, at: k.time))
        k.tap(30) // Shift + a under Caps Lock: lower case
        k.events.append(.up(KeyCode.leftShift, at: k.time))
        k.type("1")
        k.enter()
        #expect(texts(run(k)) == ["KM1.a-BABa1"])
    }

    @Test func altNumpad0029IsGSAndCtrlRightBracketToo() {
        var k = KeySequence()
        k.type("0109521234543213" + "10ABC")
        k.altNumpad("0029")
        k.type("21X")
        k.events.append(.down(KeyCode.leftCtrl, at: k.time))
        k.tap(27)
        k.events.append(.up(KeyCode.leftCtrl, at: k.time))
        k.enter()
        #expect(texts(run(k)) == ["0109521234543213" + "10ABC\u{1D}21X\u{1D}"])
    }

    @Test func prefixAndSuffixAreStrippedAndRequired() {
        var config = WedgeConfiguration()
        config.prefix = Array("#".utf8)
        config.suffix = Array("$".utf8)
        var k = KeySequence()
        k.type("#12345678$")
        k.enter()
        k.type("12345678$")
        k.enter()
        k.type("#12345678")
        k.enter()
        let out = run(k, config)
        #expect(texts(out) == ["12345678"])
        #expect(out.dropFirst() == [.discarded(.missingPrefix, count: 9), .discarded(.missingSuffix, count: 9)])
    }

    @Test func withoutTerminatorAPauseEndsTheScan() {
        var config = WedgeConfiguration()
        config.terminator = .none
        var k = KeySequence()
        k.type("ABC")
        k.pause(.milliseconds(300))
        k.type("DEF")
        var a = WedgeAssembler(config)
        var out = k.events.flatMap { a.key($0) }
        #expect(texts(out) == ["ABC"])
        #expect(a.deadline != nil)
        out += a.tick(at: k.time + .milliseconds(200))
        #expect(texts(out) == ["ABC", "DEF"])
        #expect(a.deadline == nil)
    }

    @Test func aPauseInTheMiddleOfATerminatedScanDiscardsThePart() {
        var k = KeySequence()
        k.type("59012")
        k.pause(.milliseconds(500))
        k.type("34")
        k.enter()
        #expect(run(k) == [.discarded(.incomplete, count: 5), .scan(Array("34".utf8), first: .seconds(1) + .milliseconds(4 * 5 + 500), end: k.time - .milliseconds(4))])
    }

    @Test func theDeviceGoingAwayMidScanDiscardsIt() {
        var k = KeySequence()
        k.type("59012")
        var a = WedgeAssembler(WedgeConfiguration())
        _ = k.events.flatMap { a.key($0) }
        #expect(a.reset() == [.discarded(.incomplete, count: 5)])
        #expect(!a.isPending)
    }

    @Test func onASharedKeyboardTypingIsNeverAScan() {
        var config = WedgeConfiguration()
        config.role = .shared
        // A fast typist: 60 ms between keys, with Enter.
        var typist = KeySequence(gap: .milliseconds(60))
        typist.type("5901234123457")
        typist.enter()
        #expect(run(typist, config) == [.discarded(.typing, count: 13)])
        // A short quick burst ("ok" + Enter) is not a scan either.
        var short = KeySequence()
        short.type("ok")
        short.enter()
        #expect(run(short, config) == [.discarded(.typing, count: 2)])
        // The scanner's burst is.
        var scanner = KeySequence()
        scanner.type("5901234123457")
        scanner.enter()
        #expect(texts(run(scanner, config)) == ["5901234123457"])
    }

    @Test func thePersianLayoutTypesPersianForTheSameKeys() {
        var config = WedgeConfiguration()
        config.layout = .fa
        var k = KeySequence()
        k.type("tq2mv8")
        k.enter()
        #expect(texts(run(k, config)) == ["فض۲پر۸"])
    }

    @Test func aScanLongerThanTheLimitIsDiscardedWhole() {
        var config = WedgeConfiguration()
        config.maxLength = 8
        var k = KeySequence()
        k.type("123456789")
        k.enter()
        k.type("1234")
        k.enter()
        let out = run(k, config)
        #expect(out.first == .discarded(.tooLong, count: 8))
        #expect(texts(out) == ["1234"])
    }
}
