import Foundation
import KioskRender
import Testing

/// Every screen in both locales against a golden PNG reviewed by eye (Tests/KioskRenderTests/Goldens,
/// README there). A difference beyond the tolerance fails and writes the new picture next to the
/// test's temporary files for review; goldens are never rewritten by the tests.
@Suite struct GoldenImageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String, screen: Screen.Name, locale: DisplayLocale, width: Int, height: Int, frame: Int
        var testDescription: String { file }
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        for name in Screen.Name.allCases {
            for locale in DisplayLocale.allCases {
                cases.append(Case(file: "\(name.rawValue)-\(locale.rawValue)-800x480.png", screen: name, locale: locale, width: 800, height: 480, frame: 0))
            }
        }
        for name in [Screen.Name.idle, .welcome, .wheel] {
            cases.append(Case(file: "\(name.rawValue)-fa-IR-480x800.png", screen: name, locale: .faIR, width: 480, height: 800, frame: 0))
        }
        cases.append(Case(file: "wheel-landed-fa-IR-800x480.png", screen: .wheel, locale: .faIR, width: 800, height: 480, frame: 360))
        cases.append(Case(file: "wheel-spinning-en-800x480.png", screen: .wheel, locale: .en, width: 800, height: 480, frame: 150))
        cases.append(Case(file: "welcome-en-1280x800.png", screen: .welcome, locale: .en, width: 1280, height: 800, frame: 0))
        cases.append(Case(file: "welcome-fa-IR-1024x600.png", screen: .welcome, locale: .faIR, width: 1024, height: 600, frame: 0))
        return cases
    }()

    @Test func everyGoldenHasACase() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: RenderFixtures.goldens.path).filter { $0.hasSuffix(".png") }
        #expect(Set(files) == Set(Self.cases.map(\.file)))
        #expect(Self.cases.count == 39)
    }

    @Test(arguments: cases)
    func screenMatchesItsGolden(_ c: Case) throws {
        let frame = Frame(screen: Screen.sample(c.screen, locale: c.locale), locale: c.locale, width: c.width, height: c.height,
                          time: Double(c.frame) / Frame.framesPerSecond)
        let actual = RenderFixtures.renderer.render(frame)
        let golden = try PNGCodec.decode([UInt8](try Data(contentsOf: RenderFixtures.goldens.appendingPathComponent(c.file))))
        #expect(golden.width == actual.width && golden.height == actual.height)
        guard golden.width == actual.width, golden.height == actual.height else { return }
        // Tolerance: a channel may differ by up to 24 (anti-aliasing after a library update) on at
        // most 0.5 % of the pixels; anything else is a change to look at.
        var different = 0
        for (i, value) in actual.pixels.enumerated() {
            let r = Int(value >> 16 & 0xFF), g = Int(value >> 8 & 0xFF), b = Int(value & 0xFF)
            let o = i * 4
            let d = max(abs(r - Int(golden.rgba[o])), abs(g - Int(golden.rgba[o + 1])), abs(b - Int(golden.rgba[o + 2])))
            if d > 24 { different += 1 }
        }
        let limit = actual.pixels.count / 200
        if different > limit {
            let path = NSTemporaryDirectory() + "actual-" + c.file
            try Data(try PNGCodec.encode(actual)).write(to: URL(fileURLWithPath: path))
            Issue.record("\(c.file): \(different) pixels differ (limit \(limit)); the new picture is \(path)")
        }
    }
}
