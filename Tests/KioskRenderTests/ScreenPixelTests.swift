import Foundation
import KioskCore
import KioskRender
import Testing

/// What the pixels must say, whatever the golden says.
@Suite struct ScreenPixelTests {
    /// The colour under the pointer's tip, just inside the rim, at the end of the spin, is the
    /// drawn segment's colour: the animation lands on the engine's draw in pixels too.
    @Test(arguments: [0, 1, 2, 5, 7])
    func theLandedWheelShowsTheDrawnSegmentUnderThePointer(drawn: Int) {
        var data = WheelData.sample
        data.drawn = drawn
        data.seed = UInt64(drawn) * 977 + 13
        let renderer = RenderFixtures.renderer
        let frame = Frame(screen: .wheel(data), locale: .en, width: 800, height: 480, time: data.animation.duration + 2)
        let canvas = renderer.render(frame)
        let expected = data.segments[drawn].isNothing ? Color(hex: "#3A4A5E")! : Branding.standard.wheel[drawn % 8]
        // Just below the pointer's tip, in its column: the nearest colour found must be the segment's.
        var best = Int.max
        let column = Self.pointerColumn(canvas)
        for y in 110..<140 {
            let c = canvas.pixel(x: column, y: y)
            let d = abs(Int(c.r) - Int(expected.r)) + abs(Int(c.g) - Int(expected.g)) + abs(Int(c.b) - Int(expected.b))
            best = min(best, d)
        }
        #expect(best <= 12, "segment \(drawn): no pixel of its colour under the pointer")
    }

    /// The pointer is the white triangle at the top of the wheel: the column with the most white in rows 60–100.
    static func pointerColumn(_ canvas: Canvas) -> Int {
        var bestColumn = 0, bestCount = -1
        for x in 0..<canvas.width / 2 {
            var count = 0
            for y in 60..<100 where canvas.pixel(x: x, y: y) == .white { count += 1 }
            if count > bestCount { bestCount = count; bestColumn = x }
        }
        return bestColumn
    }

    @Test func aHugeBalanceAndALongNameStillFitTheWelcomeScreen() {
        var data = WelcomeData.sample
        data.name = "محمدحسین عبدالرحیمی‌نژاد اصفهانی‌زاده‌ی تهرانی"
        data.credit = Rial(123_456_789_000)
        data.points = 9_876_543_210
        let canvas = RenderFixtures.renderer.render(Frame(screen: .welcome(data), locale: .faIR, width: 800, height: 480))
        #expect(canvas.width == 800)
        let (_, items) = RenderFixtures.renderer.renderForTerminal(Frame(screen: .welcome(data), locale: .faIR, width: 800, height: 480))
        // Every piece of text stays inside the screen.
        for item in items {
            #expect(item.box.x >= 0 && item.box.maxX <= 800, "\(item.lines)")
        }
        // The credit tile shows the whole amount (shrunk to fit, not cut).
        #expect(items.contains { $0.lines == ["۱۲٬۳۴۵٬۶۷۸٬۹۰۰ تومان"] })
        // In English the digits are wider: the amount goes on two lines rather than losing its end.
        var english = data
        english.name = "Alexandria Montgomery-Fitzwilliam"
        let (_, englishItems) = RenderFixtures.renderer.renderForTerminal(Frame(screen: .welcome(english), locale: .en, width: 800, height: 480))
        #expect(englishItems.contains { $0.lines.joined() == "12,345,678,900 Toman" })
        #expect(!englishItems.contains { $0.lines.contains { $0.contains("\u{2026}") && $0.contains("Toman") } })
    }

    @Test func theSameFrameAlwaysGivesTheSamePixels() {
        let frame = Frame(screen: Screen.sample(.wheel, locale: .faIR), locale: .faIR, width: 640, height: 360, time: 1.25)
        #expect(RenderFixtures.renderer.render(frame) == RenderFixtures.renderer.render(frame))
    }

    /// A business's icon image named like a built-in icon (`coin`) replaces it on the wheel.
    @Test func aConfiguredIconReplacesTheBuiltInOneOfItsName() {
        let icon = RGBAImage(width: 16, height: 16, rgba: [UInt8](repeating: 0, count: 16 * 16 * 4).enumerated().map { i, _ in
            [255, 0, 255, 255][i % 4]
        })
        let standard = RenderFixtures.renderer
        let business = Renderer(fonts: standard.fonts, images: ["coin": icon])
        let frame = Frame(screen: Screen.sample(.wheel, locale: .en), locale: .en, width: 800, height: 480, time: 0)
        func magentaPixels(_ canvas: Canvas) -> Int { canvas.pixels.filter { $0 == 0xFFFF_00FF }.count }
        #expect(magentaPixels(standard.render(frame)) == 0)
        // Two coin segments, each icon about 2 × 19.8 pixels across.
        #expect(magentaPixels(business.render(frame)) > 2 * 200)
    }

    /// On a portrait panel the diagnostics values are drawn smaller rather than shortened.
    @Test(arguments: [(480, 800), (800, 480), (600, 1024)])
    func diagnosticsValuesAreWholeOnEveryPanel(_ size: (Int, Int)) {
        for locale in DisplayLocale.allCases {
            let frame = Frame(screen: Screen.sample(.diagnostics, locale: locale), locale: locale, width: size.0, height: size.1)
            let (_, items) = RenderFixtures.renderer.renderForTerminal(frame)
            for row in DiagnosticsData.sample.rows {
                #expect(items.contains { $0.lines == [row.value] }, "\(row.value) at \(size.0)×\(size.1), \(locale.rawValue)")
            }
        }
    }

    /// The chips (offers waiting, free spins) show their whole text at every size.
    @Test(arguments: [(800, 480), (1024, 600), (1280, 800), (1920, 1080), (480, 800), (800, 1280)])
    func welcomeChipsAreWholeAtEverySize(_ size: (Int, Int)) {
        for locale in DisplayLocale.allCases {
            let frame = Frame(screen: Screen.sample(.welcome, locale: locale), locale: locale, width: size.0, height: size.1)
            let (_, items) = RenderFixtures.renderer.renderForTerminal(frame)
            for key in [StringKey.offersWaiting, .spinsWaiting] {
                let count = key == .offersWaiting ? 2 : 1
                let text = StringCatalogue.standard.text(key, locale, ["count": locale.number(count)])
                #expect(items.contains { $0.lines == [text] }, "\(text) at \(size.0)×\(size.1)")
            }
        }
    }

    @Test func anEmptyCatalogueSaysSo() {
        let data = CatalogueData(balance: 0, items: [])
        let (_, items) = RenderFixtures.renderer.renderForTerminal(Frame(screen: .catalogue(data), locale: .en, width: 800, height: 480))
        #expect(items.contains { $0.lines == ["No gifts available right now"] })
    }
}

/// The dirty rectangle a wheel frame reports is enough: the previous frame with only that
/// rectangle copied from the new one is the new one, through the spin, the landing and the confetti.
@Suite struct DirtyRegionTests {
    @Test(arguments: [0, 60, 200, 329, 330, 331, 400], [(DisplayLocale.faIR, 3), (.en, 3), (.faIR, 1), (.en, 5)])
    func theWheelsDirtyRectangleCoversEveryChange(frame: Int, spin: (DisplayLocale, Int)) {
        let locale = spin.0
        guard case var .wheel(data) = Screen.sample(.wheel, locale: locale) else { return }
        data.drawn = spin.1  // 3 wins a prize (confetti), 1 and 5 win nothing
        let screen = Screen.wheel(data)
        func render(_ n: Int) -> Canvas {
            RenderFixtures.renderer.render(Frame(screen: screen, locale: locale, width: 640, height: 400, time: Double(n) / 60))
        }
        let before = render(frame), after = render(frame + 1)
        var composed = before
        composed.copy(after.dirty, from: after)
        #expect(composed == after)
        #expect(after.dirty.area < after.width * after.height || (frame + 1 >= 330 && spin.1 == 3))
    }
}

@Suite struct ScreenDataTests {
    @Test func dataThatCannotBeShownIsRefusedWhenDecoded() throws {
        let one = #"{"segments": [{"label": "x", "isNothing": false}], "drawn": 0, "seed": 1}"#
        #expect(throws: ScreenDataError.self) { try Screen.decode(.wheel, json: Data(one.utf8)) }
        let outside = #"{"segments": [{"label": "a", "isNothing": false}, {"label": "b", "isNothing": true}], "drawn": 2, "seed": 1}"#
        #expect(throws: ScreenDataError.self) { try Screen.decode(.wheel, json: Data(outside.utf8)) }
        let pin = #"{"entered": 7, "length": 6, "wrongAttempt": false}"#
        #expect(throws: ScreenDataError.self) { try Screen.decode(.pin, json: Data(pin.utf8)) }
        let good = #"{"segments": [{"label": "a", "isNothing": false}, {"label": "b", "isNothing": true}], "drawn": 1, "seed": 9}"#
        guard case let .wheel(wheel) = try Screen.decode(.wheel, json: Data(good.utf8)) else {
            Issue.record("not a wheel")
            return
        }
        #expect(wheel.drawn == 1 && wheel.segments.count == 2)
        // Money is integer Rial in the JSON: a fraction is a decoding error, not a rounding.
        let fraction = #"{"outcome": "accepted", "amount": 1234.5}"#
        #expect(throws: DecodingError.self) { try Screen.decode(.receipt, json: Data(fraction.utf8)) }
    }
}
