import Foundation
import KioskRender
import Testing

/// `render(_:into:)`: a display loop's frames drawn into one canvas are the frames `render(_:)`
/// gives, in the same memory, and each reports as dirty what differs from the frame before it.
@Suite struct ReusedCanvasTests {
    func baseAddress(_ canvas: Canvas) -> UnsafeRawPointer? {
        canvas.pixels.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
    }

    /// A spin with a prize (confetti) and one without, in both locales; then other screens and
    /// back, and another size: every frame equals the one drawn from scratch.
    @Test(arguments: [(DisplayLocale.faIR, 3), (.en, 3), (.faIR, 1), (.en, 5)])
    func framesDrawnIntoOneCanvasAreTheFramesDrawnFromScratch(_ spin: (DisplayLocale, Int)) {
        let (locale, drawn) = spin
        guard case var .wheel(data) = Screen.sample(.wheel, locale: locale) else { return }
        data.drawn = drawn
        // A renderer of its own: the layers it caches are the ones the canvas is reset to.
        let renderer = Renderer(fonts: RenderFixtures.renderer.fonts)
        var canvas = Canvas(width: 640, height: 400)
        var previous: Canvas? = nil
        let sequence: [(Screen, Int, Int, Int)] = [0, 1, 2, 90, 200, 329, 330, 331, 345, 400, 401].map { (.wheel(data), $0, 640, 400) }
            + [(Screen.sample(.welcome, locale: locale), 0, 640, 400), (.wheel(data), 402, 640, 400), (.wheel(data), 403, 640, 400),
               (.wheel(data), 100, 400, 640), (.wheel(data), 101, 400, 640), (.wheel(data), 404, 640, 400)]
        for (screen, n, width, height) in sequence {
            let frame = Frame(screen: screen, locale: locale, width: width, height: height, time: Double(n) / 60)
            renderer.render(frame, into: &canvas)
            let fresh = renderer.render(frame)
            let same = canvas == fresh
            #expect(same, "frame \(n) at \(width)×\(height) differs from the one drawn from scratch")
            // What it reports as dirty covers every change from the frame it replaced.
            if let previous, previous.width == width, previous.height == height {
                var composed = previous
                composed.copy(canvas.dirty, from: canvas)
                let covered = composed == canvas
                #expect(covered, "frame \(n) at \(width)×\(height): a change outside the dirty rectangle")
            }
            previous = canvas
        }
    }

    @Test func theCanvasKeepsItsMemoryAndAConfettiFrameIsNotAllDirty() {
        let renderer = Renderer(fonts: RenderFixtures.renderer.fonts)
        let screen = Screen.sample(.wheel, locale: .faIR)  // drawn: 3, a prize
        var canvas = Canvas(width: 800, height: 480)
        renderer.render(Frame(screen: screen, locale: .faIR, width: 800, height: 480, time: 0), into: &canvas)
        let address = baseAddress(canvas)
        for n in [1, 2, 200, 360, 361] {
            renderer.render(Frame(screen: screen, locale: .faIR, width: 800, height: 480, time: Double(n) / 60), into: &canvas)
            #expect(baseAddress(canvas) == address, "frame \(n) was drawn into new memory")
        }
        // From scratch a confetti frame is all dirty; into the canvas it showed the frame before,
        // only what that frame and this one drew over the static layer.
        let fresh = renderer.render(Frame(screen: screen, locale: .faIR, width: 800, height: 480, time: 362.0 / 60))
        renderer.render(Frame(screen: screen, locale: .faIR, width: 800, height: 480, time: 362.0 / 60), into: &canvas)
        #expect(fresh.dirty.area == 800 * 480)
        #expect(canvas.dirty.area < 800 * 480)
    }
}
