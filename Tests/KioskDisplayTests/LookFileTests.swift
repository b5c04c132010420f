import Foundation
import KioskDisplay
import KioskRender
import KioskTestSupport
import Testing

@Suite struct LookFileTests {
    @Test func aBusinessLookOverridesColoursStringsFontsAndTheLogo() throws {
        let directory = try TemporaryDirectory()
        var logo = Canvas(width: 4, height: 4, fill: Color(r: 9, g: 8, b: 7))
        logo.fill(PixelRect(x: 0, y: 0, width: 1, height: 1), .white)
        try Data(try PNGCodec.encode(logo)).write(to: URL(fileURLWithPath: directory.file("logo.png")))
        let json = """
            {"storeName": "Baharestan", "primary": "#E76F51", "logo": "\(directory.file("logo.png"))",
             "strings": {"en": {"idle.title": "Tap your club card"}}}
            """
        try json.write(toFile: directory.file("look.json"), atomically: true, encoding: .utf8)
        let look = try LookFile.load(directory.file("look.json"))
        #expect(look.branding.storeName == "Baharestan")
        #expect(look.branding.primary == Color(hex: "#E76F51"))
        #expect(look.branding.accent == Branding.standard.accent)
        #expect(look.strings.text(.idleTitle, .en) == "Tap your club card")
        #expect(look.strings.text(.idleTitle, .faIR) == StringCatalogue.standard.text(.idleTitle, .faIR))
        #expect(look.images["logo"]?.width == 4)
        #expect(look.images["logo"]?.rgba.prefix(4) == [255, 255, 255, 255])
        #expect(look.fonts == RenderFonts.standardPaths)
    }

    @Test func aMistakeInTheLookIsAnErrorNamingIt() throws {
        let directory = try TemporaryDirectory()
        for (json, expected) in [
            (#"{"strings": {"en": {"idle.titel": "x"}}}"#, "en.idle.titel: no such string"),
            (#"{"strings": {"de": {"idle.title": "x"}}}"#, "unknown locale de"),
            (#"{"primary": "red"}"#, "not a #RRGGBB colour"),
            (#"{"logo": "/nonexistent/logo.png"}"#, "logo /nonexistent/logo.png"),
        ] {
            try json.write(toFile: directory.file("look.json"), atomically: true, encoding: .utf8)
            #expect {
                try LookFile.load(directory.file("look.json"))
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }
}
