import Testing
@testable import KioskInput

@Suite struct PINCollectorTests {
    @Test func digitsFromTheRowAndTheKeypadWithBackspaceMakeThePIN() {
        var c = PINCollector()
        let keys: [UInt16] = [2, 3, 79, KeyCode.backspace, 82, 30, KeyCode.enter] // 1 2 KP1 ⌫ KP0 a ⏎
        let steps = keys.compactMap { c.key(.down($0, at: .zero)) }
        guard case .done(let pin) = steps.last else { Issue.record("no PIN"); return }
        #expect(pin.withDigits { $0 } == Array("120".utf8))
        #expect(steps.dropLast() == [.progress(1), .progress(2), .progress(3), .progress(2), .progress(3)])
    }

    @Test func aPINNeverPrintsItsDigits() {
        var c = PINCollector()
        for k: UInt16 in [5, 6, 7, 8] { _ = c.key(.down(k, at: .zero)) }
        guard case .done(let pin) = c.key(.down(KeyCode.enter, at: .zero)) else { Issue.record("no PIN"); return }
        #expect("\(pin)" == "PIN(4 digits)")
        #expect(String(describing: pin) == "PIN(4 digits)")
        #expect(String(reflecting: pin) == "PIN(4 digits)")
        #expect(!"\([pin])".contains("4567"))
    }

    @Test func escCancelsAndAutorepeatAndTheLimitAreIgnored() {
        var c = PINCollector(maxDigits: 2)
        #expect(c.key(KeyEvent(code: 2, value: 2, time: .zero)) == nil)
        #expect(c.key(.down(2, at: .zero)) == .progress(1))
        #expect(c.key(.down(3, at: .zero)) == .progress(2))
        #expect(c.key(.down(4, at: .zero)) == nil)
        #expect(c.key(.down(KeyCode.esc, at: .zero)) == .cancelled)
        #expect(c.key(.down(KeyCode.enter, at: .zero)) == nil)
    }
}
