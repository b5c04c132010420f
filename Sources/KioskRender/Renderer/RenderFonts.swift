import KioskText

/// The font sets the screens use: regular and bold, each Persian + Latin.
public struct RenderFonts: Sendable {
    public let regular: FontSet
    public let bold: FontSet

    public init(regular: FontSet, bold: FontSet) {
        self.regular = regular
        self.bold = bold
    }

    /// The standard choice on Debian (fonts-noto-core, fonts-dejavu-core).
    public static let standardPaths = FontPaths(
        arabicRegular: "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
        arabicBold: "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",
        latinRegular: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        latinBold: "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

    /// Builds the sets from font bytes (read by the caller); a file that is not a font is an error naming it.
    public init(bytes: (String) throws -> [UInt8], paths: FontPaths = standardPaths) throws {
        func face(_ path: String) throws -> FontFace { try FontFace(name: path, data: try bytes(path)) }
        regular = FontSet(arabic: try face(paths.arabicRegular), latin: try face(paths.latinRegular))
        bold = FontSet(arabic: try face(paths.arabicBold), latin: try face(paths.latinBold))
    }
}

/// Where the four fonts are (configurable: a business may prefer Noto Naskh Arabic or Vazirmatn).
public struct FontPaths: Sendable, Codable, Equatable {
    public var arabicRegular: String
    public var arabicBold: String
    public var latinRegular: String
    public var latinBold: String

    public init(arabicRegular: String, arabicBold: String, latinRegular: String, latinBold: String) {
        self.arabicRegular = arabicRegular; self.arabicBold = arabicBold
        self.latinRegular = latinRegular; self.latinBold = latinBold
    }

    public var all: [String] { [arabicRegular, arabicBold, latinRegular, latinBold] }
}
