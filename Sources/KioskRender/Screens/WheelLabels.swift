import Foundation
import KioskText

/// Where a segment's label may go and how it is made to fit there.
///
/// A label reads along its segment's middle radius, between the hub and the prize icon near the
/// rim (`zone`), its outer end just inside the icon, and must also fit across the segment: its
/// height may not exceed the wedge's width at the label's inner end. A label that is too long is drawn smaller, then on two lines
/// (broken at a space), and only as a last resort shortened with an ellipsis at the smallest size.
struct WheelLabelFit {
    let block: TextBlock
    let pixelSize: Double
    /// The distance from the wheel's centre to the label's centre.
    let center: Double

    /// The radial interval labels use: from just outside the hub to just inside the icons.
    struct Zone: Equatable {
        let inner: Double, outer: Double
        var length: Double { outer - inner }
        var middle: Double { (inner + outer) / 2 }
    }

    /// The prize icon's size (its half-width) on a wheel of `radius` with segments of `segmentAngle`.
    static func iconSize(radius r: Double, segmentAngle s: Double) -> Double { min(r * 0.11, r * s * 0.3) }

    /// The icon's centre, as a fraction of the radius.
    static let iconRadius = 0.87

    static func zone(radius r: Double, segmentAngle s: Double) -> Zone {
        // Icons are drawn upright and reach 1.25 × their size towards the centre at most (the gift's bow).
        let iconInner = r * iconRadius - 1.25 * iconSize(radius: r, segmentAngle: s)
        return Zone(inner: r * 0.21, outer: iconInner - r * 0.03)
    }

    /// The room across the segment at `distance` from the centre (the wedge's width, a margin kept).
    static func across(_ distance: Double, segmentAngle s: Double) -> Double {
        guard s < .pi * 0.99 else { return .infinity }
        return 2 * max(0, distance) * tan(s / 2) * 0.85
    }

    /// Whether a laid-out label fits the zone, its outer end at the zone's (where the segment is widest).
    static func fits(_ block: TextBlock, zone: Zone, segmentAngle s: Double) -> Bool {
        block.width <= zone.length && block.height <= across(zone.outer - block.width, segmentAngle: s)
    }

    static func fit(_ label: String, fonts: FontSet, rtl: Bool, radius r: Double, segmentAngle s: Double,
                    nominal: Double) -> WheelLabelFit {
        let zone = zone(radius: r, segmentAngle: s)
        let base: BaseDirection = rtl ? .rtl : .ltr
        let minimum = max(8, (nominal * 0.6).rounded())
        let hasSpace = label.unicodeScalars.contains { $0 == " " }
        func layout(_ size: Double, lines: Int?) -> TextBlock {
            let layouter = TextLayouter(fonts: fonts, pixelSize: size)
            guard let lines else { return layouter.layout(label, base: base) }
            return layouter.layout(label, maxWidth: zone.length, maxLines: lines, base: base)
        }
        var size = nominal
        while size >= minimum {
            let one = layout(size, lines: nil)
            if fits(one, zone: zone, segmentAngle: s) { return WheelLabelFit(block: one, pixelSize: size, center: zone.outer - one.width / 2) }
            // One line shrinks a little first; then two lines are tried at each size.
            if hasSpace, size <= nominal * 0.85 {
                let two = layout(size, lines: 2)
                if !two.isTruncated, fits(two, zone: zone, segmentAngle: s) {
                    return WheelLabelFit(block: two, pixelSize: size, center: zone.outer - two.width / 2)
                }
            }
            size -= 1
        }
        // Shortened: the longest start that fits one line at the smallest size, with an ellipsis.
        let short = layout(minimum, lines: 1)
        return WheelLabelFit(block: short, pixelSize: minimum, center: zone.outer - short.width / 2)
    }
}
