import Foundation
import KioskConfig
import KioskDisplay
import KioskRender
import KioskTestSupport
import Testing

/// The look of `kiosk.toml` checked for meaning by the display: strings, PNGs, fonts, on real files.
@Suite struct ConfiguredLookTests {
    @Test func theConfiguredLookIsWhatTheScreensUse() throws {
        let directory = try TemporaryDirectory()
        try Data(try PNGCodec.encode(Canvas(width: 6, height: 4, fill: Color(r: 9, g: 8, b: 7)))).write(to: URL(fileURLWithPath: directory.file("logo.png")))
        try Data(try PNGCodec.encode(Canvas(width: 8, height: 8, fill: .white))).write(to: URL(fileURLWithPath: directory.file("voucher.png")))
        try """
            [display]
            store_name = "Baharestan"
            logo = "logo.png"
            [display.colors]
            primary = "#E76F51"
            wheel = ["#112233"]
            [display.fonts]
            arabic_regular = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"
            [display.icons]
            voucher = "voucher.png"
            [display.strings.en]
            "wheel.win" = "Lucky you: {prize}"
            """.write(toFile: directory.file("kiosk.toml"), atomically: true, encoding: .utf8)
        let look = try LookFile.configured(try ConfigLoader.load(path: directory.file("kiosk.toml"), environment: [:]).display.look)
        #expect(look.branding.storeName == "Baharestan")
        #expect(look.branding.storeNameFa == Branding.standard.storeNameFa)
        #expect(look.branding.primary == Color(hex: "#E76F51"))
        #expect(look.branding.wheel == [Color(hex: "#112233")!])
        #expect(look.images["logo"]?.width == 6)
        #expect(look.images["voucher"]?.width == 8)
        #expect(look.fonts.arabicRegular == "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf")
        #expect(look.fonts.latinBold == RenderFonts.standardPaths.latinBold)
        #expect(look.strings.text(.wheelWin, .en, ["prize": "a gift"]) == "Lucky you: a gift")
        #expect(look.strings.text(.wheelWin, .faIR) == StringCatalogue.standard.text(.wheelWin, .faIR))
    }

    @Test func everyMistakeIsATypedIssueNamingItsKey() throws {
        let directory = try TemporaryDirectory()
        try "not a png".write(toFile: directory.file("logo.png"), atomically: true, encoding: .utf8)
        try "not a font".write(toFile: directory.file("font.ttf"), atomically: true, encoding: .utf8)
        var look = KioskConfiguration.Look()
        look.logo = directory.file("logo.png")
        look.icons = ["gift": directory.file("missing.png")]
        look.fonts = ["latin_bold": directory.file("font.ttf")]
        look.strings = ["en": ["idle.titel": "Tap", "wheel.win": "You won!", "pin.title": "  "], "fa-IR": ["idle.title": "بزنید"]]
        #expect {
            _ = try LookFile.configured(look)
        } throws: { error in
            guard let error = error as? LookError else { return false }
            let byKey = Dictionary(uniqueKeysWithValues: error.issues.map { ($0.key, $0) })
            return error.issues.count == 6
                && byKey["display.strings.en.idle.titel"]?.kind == .unknownString
                && byKey["display.strings.en.idle.titel"]?.message.contains("did you mean idle.title?") == true
                && byKey["display.strings.en.wheel.win"]?.kind == .placeholdersChanged
                && byKey["display.strings.en.wheel.win"]?.message.contains("{prize}") == true
                && byKey["display.strings.en.pin.title"]?.kind == .emptyString
                && byKey["display.logo"]?.kind == .notAPNG
                && byKey["display.icons.gift"]?.kind == .unreadableFile
                && byKey["display.fonts.latin_bold"]?.kind == .notAFont
        }
    }
}
