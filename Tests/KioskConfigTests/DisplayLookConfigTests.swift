import Foundation
import KioskConfig
import Testing

/// `[display]`'s look: read as written (paths relative to the file), its form checked here.
@Suite struct DisplayLookConfigTests {
    @Test func theLookIsReadWithPathsRelativeToTheFile() throws {
        let config = try ConfigLoader.parse(text: """
            [display]
            backend = "framebuffer"
            store_name = "Baharestan"
            store_name_fa = "بهارستان"
            logo = "assets/logo.png"

            [display.colors]
            primary = "#E76F51"
            background_top = "#10203040"
            wheel = ["#E63946", "#2a9d8f"]

            [display.fonts]
            arabic_regular = "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"

            [display.icons]
            voucher = "icons/voucher.png"
            gift = "/srv/gift.png"

            [display.strings.fa-IR]
            "idle.title" = "کارت باشگاه را بزنید"

            [display.strings.en]
            "idle.title" = "Tap your club card"
            """, file: "/etc/kiosk/kiosk.toml", environment: [:])
        let look = config.display.look
        #expect(look.storeName == "Baharestan" && look.storeNameFa == "بهارستان")
        #expect(look.logo == "/etc/kiosk/assets/logo.png")
        #expect(look.colors == ["primary": "#E76F51", "background_top": "#10203040"])
        #expect(look.wheelColors == ["#E63946", "#2a9d8f"])
        #expect(look.fonts == ["arabic_regular": "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf"])
        #expect(look.icons == ["voucher": "/etc/kiosk/icons/voucher.png", "gift": "/srv/gift.png"])
        #expect(look.strings == ["fa-IR": ["idle.title": "کارت باشگاه را بزنید"], "en": ["idle.title": "Tap your club card"]])
        #expect(!look.isStandard)
        #expect(try ConfigLoader.parse(text: "[display]\nbackend = \"auto\"\n", file: "k.toml", environment: [:]).display.look.isStandard)
    }

    func issues(_ text: String) -> [ConfigIssue] {
        do {
            _ = try ConfigLoader.parse(text: text, file: "k.toml", environment: [:])
            return []
        } catch {
            return error.issues
        }
    }

    @Test func mistakesInTheLookAreNamedWithTheirKeyAndLine() {
        let found = issues("""
            [display]
            logo = ""
            [display.colors]
            primary = "red"
            accnet = "#FFFFFF"
            wheel = []
            [display.fonts]
            arabic = "/x.ttf"
            [display.icons]
            "a b" = "x.png"
            [display.strings.de]
            "idle.title" = "Tippen"
            [display.strings.en]
            "idle.title" = 5
            """)
        #expect(found.map(\.key) == ["display.logo", "display.colors.primary", "display.colors.accnet", "display.colors.wheel",
                                     "display.fonts.arabic", "display.icons.a b", "display.strings.de", "display.strings.en.idle.title"])
        #expect(found.first { $0.key == "display.colors.primary" }?.message == "expected a colour #RRGGBB (or #RRGGBBAA), not \"red\"")
        #expect(found.first { $0.key == "display.colors.primary" }?.line == 4)
        #expect(found.first { $0.key == "display.strings.de" }?.line == 11)
        #expect(found.first { $0.key == "display.strings.en.idle.title" }?.message == "expected a string, got an integer")
    }
}
