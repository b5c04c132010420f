import KioskRender
import Testing

@Suite struct WheelAnimationTests {
    @Test(arguments: [2, 3, 6, 8, 12])
    func theWheelLandsOnTheDrawnSegmentForEverySeed(segments: Int) {
        for drawn in 0..<segments {
            for seed in UInt64(0)..<50 {
                let animation = WheelAnimation(segmentCount: segments, drawn: drawn, seed: seed &* 0x9E37_79B9)
                #expect(animation.segmentUnderPointer(angle: animation.angle(at: animation.duration)) == drawn)
                #expect(animation.segmentUnderPointer(angle: animation.angle(at: animation.duration + 10)) == drawn)
                #expect(abs(animation.landingOffset) <= 0.3)
            }
        }
    }

    @Test func theSpinSlowsDownMonotonicallyAndNeverTurnsBack() {
        let animation = WheelAnimation(segmentCount: 8, drawn: 3, seed: 42)
        var previousAngle = animation.angle(at: 0)
        var previousSpeed = Double.infinity
        #expect(previousAngle == 0)
        for frame in 1...Int(animation.duration * 60) {
            let angle = animation.angle(at: Double(frame) / 60)
            let speed = angle - previousAngle
            #expect(speed >= 0)
            #expect(speed <= previousSpeed + 1e-12)
            previousAngle = angle
            previousSpeed = speed
        }
        // At least five whole turns: the spin is visibly a spin.
        #expect(animation.finalAngle >= 10 * .pi)
    }
}
