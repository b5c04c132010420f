import Foundation
import KioskDisplay
import KioskRender
import KioskSession
import Logging

/// The display on a thread of its own: rendering a frame (milliseconds at panel sizes) never
/// holds up the session or the cooperative pool. The latest screen wins: a screen that arrives
/// while a frame is drawn replaces any not yet drawn. The wheel is animated at `fps` from the
/// moment it first appeared until its animation ends; other screens are drawn once.
public final class DisplayLoop: @unchecked Sendable {
    private let output: ScreenOutput
    private let mapper: @Sendable () -> ScreenMapper
    private let logger: Logger
    private let fps: Double
    private let condition = NSCondition()
    // Guarded by `condition`.
    private var pending: SessionScreen?
    private var stopped = false
    private var finished = false
    /// Frames drawn (for diagnostics and tests).
    public private(set) var framesDrawn = 0
    private var failing = false

    public convenience init(output: ScreenOutput, mapper: ScreenMapper, fps: Double = 30, logger: Logger) {
        self.init(output: output, mapper: { mapper }, fps: fps, logger: logger)
    }

    /// `mapper` is asked for each frame: the served program's (its wheel) after a reload.
    public init(output: ScreenOutput, mapper: @escaping @Sendable () -> ScreenMapper, fps: Double = 30, logger: Logger) {
        self.output = output
        self.mapper = mapper
        self.fps = fps
        self.logger = logger
        let thread = Thread { [self] in self.serve() }
        thread.name = "kiosk-display"
        thread.start()
    }

    public var summary: String { output.summary }

    public func show(_ screen: SessionScreen) {
        condition.lock()
        pending = screen
        condition.signal()
        condition.unlock()
    }

    /// Stops drawing and gives the display back; returns once the last frame is finished.
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        while !finished { condition.wait() }
        condition.unlock()
    }

    private func serve() {
        var current: SessionScreen?
        // The wheel being animated: its outcome and when its animation started, on this clock.
        var wheel: (outcome: SpinOutcome, start: Date, duration: Double)?
        while true {
            condition.lock()
            let deadline = wheel.map { _ in Date().addingTimeInterval(1 / fps) }
            while pending == nil && !stopped {
                if let deadline { if !condition.wait(until: deadline) { break } } else { condition.wait() }
            }
            if stopped {
                condition.unlock()
                break
            }
            let next = pending
            pending = nil
            condition.unlock()
            if let next {
                if case .wheel(let outcome, let elapsed, let duration) = next {
                    if wheel?.outcome != outcome { wheel = (outcome, Date().addingTimeInterval(-elapsed), duration) }
                } else {
                    wheel = nil
                }
                current = next
            }
            guard let current else { continue }
            var (screen, time) = mapper().screen(current)
            if let spinning = wheel {
                time = Date().timeIntervalSince(spinning.start)
                // The last frame of the animation stays until the session shows the prize.
                if time > spinning.duration { time = spinning.duration; wheel = nil }
            }
            draw(screen, time: time)
        }
        output.close()
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    private func draw(_ screen: Screen, time: Double) {
        do {
            try output.show(screen, time: time)
            framesDrawn += 1
            if failing {
                failing = false
                logger.notice("display: drawing again")
            }
        } catch {
            if !failing { logger.error("display: a frame could not be shown", metadata: ["error": "\(error)"]) }
            failing = true
        }
    }
}
