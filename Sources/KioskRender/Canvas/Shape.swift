import Foundation

/// A filled shape given by its signed distance (negative inside), which gives exact anti-aliasing
/// at any size and rotation without a tessellator.
public enum Shape: Sendable {
    case circle(cx: Double, cy: Double, r: Double)
    case ring(cx: Double, cy: Double, r: Double, thickness: Double)
    case roundedRect(Box, radius: Double)
    /// A line with round caps.
    case line(x0: Double, y0: Double, x1: Double, y1: Double, width: Double)
    /// A pie sector from `start` to `end` radians, clockwise from the positive x axis (y down).
    case sector(cx: Double, cy: Double, r: Double, start: Double, end: Double)
    /// An arc stroke (a ring limited to an angle range), butt ends.
    case arc(cx: Double, cy: Double, r: Double, thickness: Double, start: Double, end: Double)
    /// A convex polygon, points clockwise on screen (y down).
    case convexPolygon([(Double, Double)])

    var bounds: Box {
        switch self {
        case let .circle(cx, cy, r), let .sector(cx, cy, r, _, _):
            return Box(x: cx - r - 1, y: cy - r - 1, width: 2 * r + 2, height: 2 * r + 2)
        case let .ring(cx, cy, r, t):
            let o = r + t / 2 + 1
            return Box(x: cx - o, y: cy - o, width: 2 * o, height: 2 * o)
        case let .arc(cx, cy, r, t, start, end):
            // Only the part of the ring the angles cover: the ends, and the axis points in between.
            let outer = r + t / 2, inner = max(0, r - t / 2)
            var xs: [Double] = [], ys: [Double] = []
            for a in [start, end] {
                for radius in [outer, inner] { xs.append(cx + cos(a) * radius); ys.append(cy + sin(a) * radius) }
            }
            if end - start >= 2 * .pi {
                xs += [cx - outer, cx + outer]; ys += [cy - outer, cy + outer]
            } else {
                var k = (start / (.pi / 2)).rounded(.up)
                while k * .pi / 2 <= end {
                    let a = k * .pi / 2
                    xs.append(cx + cos(a) * outer); ys.append(cy + sin(a) * outer)
                    k += 1
                }
            }
            let x0 = xs.min()! - 1, y0 = ys.min()! - 1
            return Box(x: x0, y: y0, width: xs.max()! + 1 - x0, height: ys.max()! + 1 - y0)
        case let .roundedRect(box, _):
            return box.inset(-1)
        case let .line(x0, y0, x1, y1, w):
            let h = w / 2 + 1
            return Box(x: min(x0, x1) - h, y: min(y0, y1) - h, width: abs(x1 - x0) + 2 * h, height: abs(y1 - y0) + 2 * h)
        case let .convexPolygon(points):
            let xs = points.map(\.0), ys = points.map(\.1)
            return Box(x: xs.min()! - 1, y: ys.min()! - 1, width: xs.max()! - xs.min()! + 2, height: ys.max()! - ys.min()! + 2)
        }
    }

    @inline(__always)
    func signedDistance(_ px: Double, _ py: Double) -> Double {
        switch self {
        case let .circle(cx, cy, r):
            return ((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot() - r
        case let .ring(cx, cy, r, t):
            return abs(((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot() - r) - t / 2
        case let .roundedRect(box, radius):
            let r = min(radius, box.width / 2, box.height / 2)
            let qx = abs(px - box.midX) - (box.width / 2 - r)
            let qy = abs(py - box.midY) - (box.height / 2 - r)
            let outside = (max(qx, 0) * max(qx, 0) + max(qy, 0) * max(qy, 0)).squareRoot()
            return outside + min(max(qx, qy), 0) - r
        case let .line(x0, y0, x1, y1, w):
            let dx = x1 - x0, dy = y1 - y0
            let length2 = dx * dx + dy * dy
            let t = length2 > 0 ? min(max(((px - x0) * dx + (py - y0) * dy) / length2, 0), 1) : 0
            let ex = px - (x0 + t * dx), ey = py - (y0 + t * dy)
            return (ex * ex + ey * ey).squareRoot() - w / 2
        case let .sector(cx, cy, r, start, end):
            let dc = ((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot() - r
            return max(dc, Self.wedgeDistance(px - cx, py - cy, start, end))
        case let .arc(cx, cy, r, t, start, end):
            let dr = abs(((px - cx) * (px - cx) + (py - cy) * (py - cy)).squareRoot() - r) - t / 2
            return max(dr, Self.wedgeDistance(px - cx, py - cy, start, end))
        case let .convexPolygon(points):
            var d = -Double.infinity
            for i in points.indices {
                let (ax, ay) = points[i]
                let (bx, by) = points[(i + 1) % points.count]
                let ex = bx - ax, ey = by - ay
                let length = (ex * ex + ey * ey).squareRoot()
                // Outward normal of a clockwise (y down) edge is (ey, -ex) / length.
                d = max(d, ((px - ax) * ey - (py - ay) * ex) / length)
            }
            return d
        }
    }

    /// Signed distance to the wedge between two angles (clockwise from `start` to `end`).
    @inline(__always)
    static func wedgeDistance(_ x: Double, _ y: Double, _ start: Double, _ end: Double) -> Double {
        let span = end - start
        // Half-plane to the clockwise side of the start ray, and to the counter-clockwise side of the end ray.
        let d0 = x * sin(start) - y * cos(start)
        let d1 = -(x * sin(end) - y * cos(end))
        return span <= .pi ? max(d0, d1) : min(d0, d1)
    }
}

/// A shape with its trigonometry done: sectors and arcs keep their rays' sines and cosines.
struct PreparedShape {
    let shape: Shape
    let s0: Double, c0: Double, s1: Double, c1: Double, wide: Bool

    @inline(__always)
    func signedDistance(_ px: Double, _ py: Double) -> Double {
        switch shape {
        case let .sector(cx, cy, r, _, _):
            let x = px - cx, y = py - cy
            return max((x * x + y * y).squareRoot() - r, wedge(x, y))
        case let .arc(cx, cy, r, t, _, _):
            let x = px - cx, y = py - cy
            return max(abs((x * x + y * y).squareRoot() - r) - t / 2, wedge(x, y))
        default:
            return shape.signedDistance(px, py)
        }
    }

    @inline(__always)
    func wedge(_ x: Double, _ y: Double) -> Double {
        let d0 = x * s0 - y * c0
        let d1 = -(x * s1 - y * c1)
        return wide ? min(d0, d1) : max(d0, d1)
    }
}

extension Shape {
    var prepared: PreparedShape {
        switch self {
        case let .sector(_, _, _, start, end), let .arc(_, _, _, _, start, end):
            return PreparedShape(shape: self, s0: sin(start), c0: cos(start), s1: sin(end), c1: cos(end), wide: end - start > .pi)
        default:
            return PreparedShape(shape: self, s0: 0, c0: 0, s1: 0, c1: 0, wide: false)
        }
    }
}
