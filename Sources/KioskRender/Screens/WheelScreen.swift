import Foundation
import KioskText

/// The spin wheel: segments with labels and icons, the spin landing on the drawn segment, then a
/// celebration for a prize or a kind word for nothing.
public struct WheelData: Sendable, Equatable, Codable, Hashable {
    public struct Segment: Sendable, Equatable, Codable, Hashable {
        public var label: String
        /// A built-in icon (`gift`, `coin`, `percent`, `star`, `none`) or the name of a loaded image.
        public var icon: String?
        /// A segment that wins nothing ("better luck next time").
        public var isNothing: Bool

        public init(label: String, icon: String? = nil, isNothing: Bool = false) {
            self.label = label; self.icon = icon; self.isNothing = isNothing
        }
    }

    public var segments: [Segment]
    /// The segment the engine drew (0-based, clockwise from the top at rest).
    public var drawn: Int
    /// The spin's seed (its landing spot within the segment and the confetti).
    public var seed: UInt64

    public init(segments: [Segment], drawn: Int, seed: UInt64) { self.segments = segments; self.drawn = drawn; self.seed = seed }

    public static let sample = WheelData(segments: [
        Segment(label: "۵۰۰ امتیاز", icon: "coin"), Segment(label: "پوچ", icon: "none", isNothing: true),
        Segment(label: "کوپن ۱۰٪", icon: "percent"), Segment(label: "هدیه‌ی ویژه", icon: "gift"),
        Segment(label: "۱۰۰ امتیاز", icon: "coin"), Segment(label: "پوچ", icon: "none", isNothing: true),
        Segment(label: "چرخش دوباره", icon: "star"), Segment(label: "۵۰٬۰۰۰ تومان", icon: "gift"),
    ], drawn: 3, seed: 42)

    public static let sampleEnglish = WheelData(segments: [
        Segment(label: "500 points", icon: "coin"), Segment(label: "No prize", icon: "none", isNothing: true),
        Segment(label: "10% voucher", icon: "percent"), Segment(label: "Special gift", icon: "gift"),
        Segment(label: "100 points", icon: "coin"), Segment(label: "No prize", icon: "none", isNothing: true),
        Segment(label: "Spin again", icon: "star"), Segment(label: "50,000 Toman", icon: "gift"),
    ], drawn: 3, seed: 42)

    public var animation: WheelAnimation { WheelAnimation(segmentCount: segments.count, drawn: drawn, seed: seed) }
}

struct WheelFaceKey: Hashable {
    let data: WheelData
    let diameter: Int
    let locale: DisplayLocale
}

enum WheelScreen {
    struct Geometry {
        let cx: Double, cy: Double, radius: Double, status: Box
    }

    static func geometry(_ c: DrawContext, content: Box) -> Geometry {
        let u = c.u
        if c.isPortrait {
            let radius = min(content.width * 0.44, content.height * 0.33)
            let cy = content.y + 40 * u + radius + 10 * u
            return Geometry(cx: c.width / 2, cy: cy, radius: radius,
                            status: Box(x: 24 * u, y: cy + radius + 30 * u, width: c.width - 48 * u, height: 100 * u))
        }
        let radius = min(content.height * 0.43, content.width * 0.28)
        let cx = c.rtl ? c.width - 30 * u - radius * 1.15 : 30 * u + radius * 1.15
        let statusX = c.rtl ? 24 * u : cx + radius * 1.2
        return Geometry(cx: cx, cy: content.y + content.height * 0.5, radius: radius,
                        status: Box(x: statusX, y: content.y + content.height * 0.3,
                                    width: c.width - radius * 2.4 - 84 * u, height: content.height * 0.5))
    }

    /// Whether the data can be shown as a wheel (two segments or more, the drawn one among them).
    static func isDrawable(_ data: WheelData) -> Bool {
        data.segments.count >= 2 && data.segments.indices.contains(data.drawn)
    }

    /// What does not move: the header with the title, the wheel's shadow and rim (the renderer
    /// caches it as the screen's layer).
    static func drawStatic(_ data: WheelData, _ c: inout DrawContext) {
        let u = c.u
        let g = geometry(c, content: c.header(nil, measureOnly: true))
        _ = c.header(c.s(.wheelTitle))
        c.canvas.fill(.circle(cx: g.cx, cy: g.cy + 6 * u, r: g.radius + 12 * u), Color.black.withAlpha(0.3))
        c.canvas.fill(.circle(cx: g.cx, cy: g.cy, r: g.radius + 10 * u), Color(hex: "#1E2D40")!)
    }

    static func draw(_ data: WheelData, _ c: inout DrawContext, renderer: Renderer) {
        guard isDrawable(data) else {
            c.background()
            c.text("wheel: \(data.segments.count) segments, drawn \(data.drawn)", size: 20, in: c.full.inset(40 * c.u), color: c.brand.danger)
            return
        }
        let animation = data.animation
        let angle = animation.angle(at: c.time)
        let landed = animation.isLanded(at: c.time)
        let u = c.u
        let g = geometry(c, content: c.header(nil, measureOnly: true))
        // The static layer is the renderer's cached one when text is drawn; a frame starts from it
        // and draws only what moves.
        if !c.wheelLayerDrawn { drawStatic(data, &c) }
        // What changes from frame to frame: the wheel and everything right of it (or left, in
        // Persian). A reused canvas already knows what differs from what it showed.
        if !c.reused { _ = c.canvas.takeDirty() }
        if c.landedLayerDrawn {
            // The wheel stands still at its final angle: the layer already shows it. Only just
            // after landing may the previous frame have shown it turned (a reused canvas knows).
            if !c.reused && c.time < animation.duration + 1 {
                c.canvas.markDirty(Box(x: g.cx - g.radius - 1, y: g.cy - g.radius - 1, width: 2 * g.radius + 2, height: 2 * g.radius + 2).pixelBounds)
            }
        } else {
            drawFace(data, &c, renderer: renderer, angle: angle)
        }
        // Bulbs on the rim, chasing while the wheel turns.
        let bulbs = 24
        let chase = Int(c.time * 12)
        for i in 0..<bulbs {
            let a = Double(i) / Double(bulbs) * 2 * .pi
            let on = landed ? (Int(c.time * 4) + i) % 2 == 0 : (i + chase) % 3 == 0
            c.canvas.fill(.circle(cx: g.cx + cos(a) * (g.radius + 5 * u), cy: g.cy + sin(a) * (g.radius + 5 * u), r: 3 * u),
                          on ? c.brand.accent : Color.white.withAlpha(0.35))
        }
        if landed {
            // The winning segment glows.
            let s = animation.segmentAngle
            let start = -Double.pi / 2 - s / 2 - animation.landingOffset * s
            let glow = 0.35 + 0.25 * sin(c.time * 6)
            c.canvas.fill(.arc(cx: g.cx, cy: g.cy, r: g.radius - 3 * u, thickness: 6 * u, start: start, end: start + s),
                          Color.white.withAlpha(glow))
        }
        // Hub.
        c.canvas.fill(.circle(cx: g.cx, cy: g.cy, r: g.radius * 0.16), Color(hex: "#1E2D40")!)
        c.canvas.fill(.circle(cx: g.cx, cy: g.cy, r: g.radius * 0.12), c.brand.accent)
        // Pointer at the top.
        let top = g.cy - g.radius
        let pw = 16 * u
        c.canvas.fill(.convexPolygon([(g.cx - pw, top - 22 * u), (g.cx + pw, top - 22 * u), (g.cx, top + 18 * u)]), Color.black.withAlpha(0.35))
        c.canvas.fill(.convexPolygon([(g.cx - pw, top - 24 * u), (g.cx + pw, top - 24 * u), (g.cx, top + 14 * u)]), c.brand.text)
        c.canvas.fill(.circle(cx: g.cx, cy: top - 22 * u, r: 7 * u), c.brand.danger)
        // Status: its whole box is redrawn (the previous text must go), and after a win the
        // confetti moves everywhere.
        c.canvas.markDirty(g.status.pixelBounds)
        if landed && !data.segments[data.drawn].isNothing && !c.reused { c.canvas.markDirty(c.canvas.bounds) }
        let segment = data.segments[data.drawn]
        if !landed {
            c.text(c.s(.wheelSpinning), size: 30, bold: true, in: g.status, align: .center, centerVertically: true)
        } else if segment.isNothing {
            c.text(c.s(.wheelNothing), size: 26, bold: true, in: g.status, align: .center, color: c.brand.text,
                   maxLines: 3, centerVertically: true)
        } else {
            c.text(c.s(.wheelWin, ["prize": segment.label]), size: 32, bold: true, in: g.status, align: .center,
                   color: c.brand.accent, maxLines: 3, centerVertically: true)
            confetti(&c, seed: data.seed, time: c.time - animation.duration)
        }
    }

    /// The face turned by `angle`.
    static func drawFace(_ data: WheelData, _ c: inout DrawContext, renderer: Renderer, angle: Double) {
        let g = geometry(c, content: c.header(nil, measureOnly: true))
        let face = wheelFace(data, c, diameter: Int((g.radius * 2).rounded(.up)), renderer: renderer)
        c.canvas.drawRotatedDisc(face, centerX: g.cx, centerY: g.cy, radius: g.radius, angle: angle)
    }

    /// The wheel face at rest (segments, labels, icons), drawn once per data, size and locale.
    static func wheelFace(_ data: WheelData, _ c: DrawContext, diameter: Int, renderer: Renderer) -> Canvas {
        let key = WheelFaceKey(data: data, diameter: diameter, locale: c.locale)
        if let hit = renderer.wheelFaces.withLock({ $0[key] }) { return hit }
        var face = Canvas(width: diameter + 2, height: diameter + 2, fill: Color(hex: "#1E2D40")!)
        let r = Double(diameter) / 2
        let cx = Double(face.width) / 2, cy = Double(face.height) / 2
        let s = 2 * Double.pi / Double(data.segments.count)
        let colors = c.brand.wheel
        for (i, segment) in data.segments.enumerated() {
            let start = -Double.pi / 2 + Double(i) * s
            let color = segment.isNothing ? Color(hex: "#3A4A5E")! : colors[i % colors.count]
            face.fill(.sector(cx: cx, cy: cy, r: r + 1, start: start, end: start + s), color)
            // Divider.
            face.fill(.line(x0: cx, y0: cy, x1: cx + cos(start) * r, y1: cy + sin(start) * r, width: 2 * c.u), Color.white.withAlpha(0.6))
            let mid = start + s / 2
            // Label along the radius, reading outward, between the hub and the icon: smaller, on two
            // lines or shortened until it fits (WheelLabelFit).
            let fit = labelFit(segment.label, c, radius: r, segmentAngle: s)
            let mask = Mask(text: fit.block, fonts: c.fonts.bold, pixelSize: fit.pixelSize)
            let textColor = segment.isNothing ? Color(hex: "#C9D3DF")! : Color.white
            // Labels on the left half turn half a turn more, so that none is read upside down at rest.
            let labelAngle = cos(mid) < -0.01 ? mid + .pi : mid
            face.blend(mask, centerX: cx + cos(mid) * fit.center, centerY: cy + sin(mid) * fit.center, angle: labelAngle, color: textColor)
            // Icon near the rim.
            let iconR = r * WheelLabelFit.iconRadius
            WheelIcons.draw(segment.icon ?? "none", on: &face, cx: cx + cos(mid) * iconR, cy: cy + sin(mid) * iconR,
                            size: WheelLabelFit.iconSize(radius: r, segmentAngle: s), images: c.images)
        }
        renderer.wheelFaces.withLock { faces in
            if faces.count > 16 { faces.removeAll() }
            faces[key] = face
        }
        return face
    }

    /// How a segment's label is laid out on a face of radius `r`.
    static func labelFit(_ label: String, _ c: DrawContext, radius r: Double, segmentAngle s: Double) -> WheelLabelFit {
        let nominal = (15 * c.u * max(0.7, min(1.3, r / (180 * c.u)))).rounded()
        return WheelLabelFit.fit(label, fonts: c.fonts.bold, rtl: c.rtl, radius: r, segmentAngle: s, nominal: nominal)
    }

    /// The face's radius in pixels for a screen (its diameter rounded up to whole pixels).
    static func faceRadius(_ c: inout DrawContext) -> Double {
        let g = geometry(c, content: c.header(nil, measureOnly: true))
        return Double(Int((g.radius * 2).rounded(.up))) / 2
    }

    /// Confetti falling after a win: deterministic from the seed and the time.
    static func confetti(_ c: inout DrawContext, seed: UInt64, time: Double) {
        guard time >= 0 else { return }
        var state = seed | 1
        func next() -> Double {
            state ^= state << 13; state ^= state >> 7; state ^= state << 17
            return Double(state >> 11) / Double(1 << 53)
        }
        let colors = c.brand.wheel + [c.brand.accent, .white]
        let gravity = 260 * c.u
        for _ in 0..<90 {
            let x0 = next() * c.width
            let vy = (40 + next() * 120) * c.u
            let delay = next() * 1.2
            let size = (4 + next() * 5) * c.u
            let sway = (next() - 0.5) * 60 * c.u
            let color = colors[Int(next() * Double(colors.count)) % colors.count]
            let t = time - delay
            guard t > 0 else { continue }
            let y = -20 * c.u + vy * t + gravity * t * t / 2
            guard y < c.height + 20 * c.u else { continue }
            let x = x0 + sway * sin(t * 3 + x0)
            let wobble = abs(cos(t * 5 + x0)) * size + 1
            c.canvas.fill(.roundedRect(Box(x: x, y: y, width: wobble, height: size * 1.4), radius: 1), color)
        }
    }
}
