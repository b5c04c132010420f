import KioskRender
import KioskText

/// A terminal's screen as cells: a character with its colours. Pictures become half blocks
/// (▀ with the upper pixel as foreground and the lower as background); text is placed in cells
/// in visual order (terminals do no bidi, so Persian is reordered here).
public struct CellGrid: Sendable, Equatable {
    public struct Cell: Sendable, Equatable {
        public var character: Character
        public var foreground: Color
        public var background: Color
    }

    public let columns: Int
    public let rows: Int
    public var cells: [Cell]

    /// The pixel size a screen is rendered at for a terminal of this size: 8×16 pixels per cell.
    public static func pixelSize(columns: Int, rows: Int) -> (width: Int, height: Int) { (columns * 8, rows * 16) }

    public init(columns: Int, rows: Int, picture: Canvas, text: [TextItem]) {
        self.columns = columns
        self.rows = rows
        let cellWidth = Double(picture.width) / Double(columns)
        let cellHeight = Double(picture.height) / Double(rows)
        var cells: [Cell] = []
        cells.reserveCapacity(columns * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let x0 = Int(Double(column) * cellWidth), x1 = max(x0 + 1, Int(Double(column + 1) * cellWidth))
                let y0 = Int(Double(row) * cellHeight), yMid = Int((Double(row) + 0.5) * cellHeight)
                let y1 = max(yMid + 1, Int(Double(row + 1) * cellHeight))
                let top = Self.average(picture, x0, x1, y0, max(y0 + 1, yMid))
                let bottom = Self.average(picture, x0, x1, yMid, y1)
                cells.append(Cell(character: "▀", foreground: top, background: bottom))
            }
        }
        self.cells = cells
        for item in text { place(item, cellWidth: cellWidth, cellHeight: cellHeight) }
    }

    static func average(_ canvas: Canvas, _ x0: Int, _ x1: Int, _ y0: Int, _ y1: Int) -> Color {
        var r = 0, g = 0, b = 0, n = 0
        for y in y0..<min(y1, canvas.height) {
            for x in x0..<min(x1, canvas.width) {
                let v = canvas.pixels[y * canvas.width + x]
                r += Int(v >> 16 & 0xFF); g += Int(v >> 8 & 0xFF); b += Int(v & 0xFF); n += 1
            }
        }
        guard n > 0 else { return .black }
        return Color(r: UInt8(r / n), g: UInt8(g / n), b: UInt8(b / n))
    }

    public func cell(column: Int, row: Int) -> Cell { cells[row * columns + column] }

    /// The text of one row as a terminal shows it (half blocks as spaces).
    public func rowText(_ row: Int) -> String {
        String((0..<columns).map { cells[row * columns + $0].character == "▀" ? " " : cells[row * columns + $0].character })
    }

    mutating func place(_ item: TextItem, cellWidth: Double, cellHeight: Double) {
        for (index, line) in item.lines.enumerated() {
            let centreY = item.box.y + item.lineHeight * (Double(index) + 0.5)
            let row = Int(centreY / cellHeight)
            guard (0..<rows).contains(row) else { continue }
            let visual = BidiParagraph.visual(line, base: item.lineRTL[index] ? .rtl : .ltr, presentationForms: true)
            let characters = Array(visual).filter { !($0.unicodeScalars.first.map { $0.value == 0x200C || $0.value == 0x200D } ?? false) }
            let first = max(0, Int((item.box.x / cellWidth).rounded(.down)))
            let last = min(columns, Int((item.box.maxX / cellWidth).rounded(.up)))
            let span = last - first
            guard span > 0 else { continue }
            // Too long: keep the reading start (the right end of a right-to-left line).
            let shown = characters.count <= span ? characters
                : item.lineRTL[index] ? Array(characters.suffix(span)) : Array(characters.prefix(span))
            let start: Int = switch (item.align, item.rtl) {
            case (.center, _): first + (span - shown.count) / 2
            case (.start, false), (.end, true): first
            case (.start, true), (.end, false): last - shown.count
            }
            for (offset, character) in shown.enumerated() {
                let column = start + offset
                guard (0..<columns).contains(column) else { continue }
                let i = row * columns + column
                // The text sits on the picture's colour under it (the average of the cell's two halves).
                let under = cells[i].foreground.mixed(with: cells[i].background, 0.5)
                cells[i] = Cell(character: character, foreground: item.color, background: under)
            }
        }
    }
}
