import Foundation
@testable import KioskRender
import KioskText
import Testing

/// Wheel labels fit between the hub and the prize icon, across their segment, at every supported
/// size in both locales: the sample labels whole, any label at all within bounds.
@Suite struct WheelLabelTests {
    static let sizes = [(800, 480), (1024, 600), (1280, 800), (1920, 1080), (480, 800), (600, 1024), (800, 1280), (1080, 1920)]

    func context(_ locale: DisplayLocale, _ width: Int, _ height: Int) -> DrawContext {
        let renderer = RenderFixtures.renderer
        return DrawContext(canvas: Canvas(width: width, height: height), locale: locale, strings: renderer.strings,
                           brand: renderer.brand, fonts: renderer.fonts, images: [:], time: 0, layouts: LayoutCache())
    }

    /// Checks one label against the face's own drawing: the hub (0.16 r), the icon (at 0.87 r,
    /// reaching 1.42 × its size towards the centre at its corners) and the segment's edges.
    func expectWithinBounds(_ fit: WheelLabelFit, radius r: Double, segments n: Int, _ what: String) {
        let s = 2 * Double.pi / Double(n)
        let inner = fit.center - fit.block.width / 2, outer = fit.center + fit.block.width / 2
        let iconInner = r * 0.87 - 1.42 * min(r * 0.11, r * s * 0.3)
        #expect(inner >= r * 0.16, "\(what): starts inside the hub (\(inner) < \(r * 0.16))")
        #expect(outer <= iconInner, "\(what): reaches the icon (\(outer) > \(iconInner))")
        if n > 2 {
            let room = 2 * inner * tan(s / 2)
            #expect(fit.block.height <= room, "\(what): \(fit.block.height) px high where the segment is \(room) px wide")
        }
    }

    func shown(_ block: TextBlock) -> String {
        String(String.UnicodeScalarView(block.lines.flatMap(\.codepoints).compactMap(Unicode.Scalar.init)))
            .replacingOccurrences(of: " ", with: "")
    }

    @Test(arguments: DisplayLocale.allCases)
    func sampleLabelsFitWholeAtEverySize(_ locale: DisplayLocale) {
        let wheel = locale == .faIR ? WheelData.sample : WheelData.sampleEnglish
        for (width, height) in Self.sizes {
            var c = context(locale, width, height)
            let r = WheelScreen.faceRadius(&c)
            let s = 2 * Double.pi / Double(wheel.segments.count)
            for segment in wheel.segments {
                let fit = WheelScreen.labelFit(segment.label, c, radius: r, segmentAngle: s)
                let what = "\(segment.label) at \(width)×\(height)"
                #expect(!fit.block.isTruncated, "\(what) was shortened")
                #expect(shown(fit.block) == segment.label.replacingOccurrences(of: " ", with: ""), "\(what)")
                expectWithinBounds(fit, radius: r, segments: wheel.segments.count, what)
            }
        }
    }

    @Test func longAmountsGoOnTwoLinesOrShrinkButStayWhole() {
        // Amounts longer than the sample's: still whole at 800×480 on 8 segments (smaller, or on two lines).
        for (locale, label) in [(DisplayLocale.faIR, "۱٬۲۵۰٬۰۰۰ تومان"), (.en, "1,250,000 Toman"), (.faIR, "۵۰۰ امتیاز هدیه"),
                                (.en, "Free coffee")] {
            var c = context(locale, 800, 480)
            let r = WheelScreen.faceRadius(&c)
            let fit = WheelScreen.labelFit(label, c, radius: r, segmentAngle: 2 * .pi / 8)
            #expect(!fit.block.isTruncated, "\(label) was shortened")
            expectWithinBounds(fit, radius: r, segments: 8, label)
        }
    }

    @Test(arguments: [2, 3, 6, 12, 24])
    func anyLabelStaysWithinItsSegment(_ n: Int) {
        let labels = ["۱۲٬۳۴۵٬۶۷۸٬۹۰۰ تومان جایزه‌ی بزرگ امروز", "A very long prize name that cannot fit anywhere at all",
                      "بن‌خرید", "x", "Supercalifragilisticexpialidocious"]
        for locale in DisplayLocale.allCases {
            for (width, height) in [(800, 480), (480, 800), (1920, 1080)] {
                var c = context(locale, width, height)
                let r = WheelScreen.faceRadius(&c)
                for label in labels {
                    let fit = WheelScreen.labelFit(label, c, radius: r, segmentAngle: 2 * .pi / Double(n))
                    #expect(fit.block.lines.count <= 2)
                    // The width always fits; the height may not on 24 thin segments at the smallest size.
                    let outer = fit.center + fit.block.width / 2
                    #expect(outer <= r * 0.87 - 1.42 * min(r * 0.11, r * 2 * .pi / Double(n) * 0.3), "\(label), \(n) segments")
                    #expect(fit.center - fit.block.width / 2 >= r * 0.16, "\(label), \(n) segments")
                }
            }
        }
    }
}
