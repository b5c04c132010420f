import Foundation

/// Small vector icons for prizes (or a loaded image by name, which also replaces a built-in
/// icon of that name), drawn upright.
enum WheelIcons {
    static func draw(_ name: String, on canvas: inout Canvas, cx: Double, cy: Double, size: Double, images: [String: RGBAImage]) {
        if let image = images[name] {
            let scaled = image.scaled(toFit: Int(size * 2), Int(size * 2))
            canvas.draw(scaled, x: Int(cx) - scaled.width / 2, y: Int(cy) - scaled.height / 2)
            return
        }
        let white = Color.white
        switch name {
        case "coin":
            canvas.fill(.circle(cx: cx, cy: cy, r: size), Color(hex: "#FFD166")!)
            canvas.fill(.ring(cx: cx, cy: cy, r: size * 0.7, thickness: size * 0.16), Color(hex: "#C9971C")!)
        case "gift":
            let box = Box(x: cx - size, y: cy - size * 0.6, width: size * 2, height: size * 1.6)
            canvas.fill(.roundedRect(box, radius: size * 0.15), white)
            canvas.fill(.rect(Box(x: cx - size * 0.18, y: box.y, width: size * 0.36, height: box.height)), Color(hex: "#E63946")!)
            canvas.fill(.rect(Box(x: box.x, y: box.y + size * 0.35, width: box.width, height: size * 0.3)), Color(hex: "#E63946")!)
            canvas.fill(.circle(cx: cx - size * 0.35, cy: box.y - size * 0.2, r: size * 0.3), Color(hex: "#E63946")!)
            canvas.fill(.circle(cx: cx + size * 0.35, cy: box.y - size * 0.2, r: size * 0.3), Color(hex: "#E63946")!)
        case "percent":
            canvas.fill(.circle(cx: cx, cy: cy, r: size), white)
            let ink = Color(hex: "#2A9D8F")!
            canvas.fill(.line(x0: cx - size * 0.45, y0: cy + size * 0.45, x1: cx + size * 0.45, y1: cy - size * 0.45, width: size * 0.18), ink)
            canvas.fill(.circle(cx: cx - size * 0.38, cy: cy - size * 0.38, r: size * 0.2), ink)
            canvas.fill(.circle(cx: cx + size * 0.38, cy: cy + size * 0.38, r: size * 0.2), ink)
        case "star":
            // A five-pointed star as five triangles around a pentagon.
            let outer = size * 1.1, inner = size * 0.45
            var points: [(Double, Double)] = []
            for i in 0..<10 {
                let a = -Double.pi / 2 + Double(i) * .pi / 5
                let r = i % 2 == 0 ? outer : inner
                points.append((cx + cos(a) * r, cy + sin(a) * r))
            }
            let pentagon = stride(from: 1, to: 10, by: 2).map { points[$0] }
            canvas.fill(.convexPolygon(pentagon), Color(hex: "#FFD166")!)
            for i in stride(from: 0, to: 10, by: 2) {
                canvas.fill(.convexPolygon([points[(i + 9) % 10], points[i], points[i + 1]]), Color(hex: "#FFD166")!)
            }
        case "none":
            canvas.fill(.ring(cx: cx, cy: cy, r: size * 0.8, thickness: size * 0.2), Color.white.withAlpha(0.7))
            canvas.fill(.line(x0: cx - size * 0.5, y0: cy + size * 0.5, x1: cx + size * 0.5, y1: cy - size * 0.5, width: size * 0.2),
                        Color.white.withAlpha(0.7))
        default:
            canvas.fill(.circle(cx: cx, cy: cy, r: size * 0.6), Color.white.withAlpha(0.8))
        }
    }
}
