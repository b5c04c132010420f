/// Text a screen placed, kept as characters (for a terminal, which shows text in its own cells):
/// the laid-out lines in logical order, the box they fill, how they align, their colour.
public struct TextItem: Sendable, Equatable {
    public let lines: [String]
    /// Each line's paragraph direction (for its visual reordering).
    public let lineRTL: [Bool]
    public let box: Box
    public let lineHeight: Double
    public let align: TextAlign
    public let rtl: Bool
    public let color: Color
    public let bold: Bool
}
