import KioskCore
import KioskRender
import Testing

@Suite struct LocalizationTests {
    @Test func persianNumbersUsePersianDigitsAndArabicThousandsSeparators() {
        #expect(DisplayLocale.faIR.number(12_345_678_900) == "۱۲٬۳۴۵٬۶۷۸٬۹۰۰")
        #expect(DisplayLocale.en.number(12_345_678_900) == "12,345,678,900")
        #expect(DisplayLocale.faIR.number(0) == "۰")
        #expect(DisplayLocale.en.number(1_000) == "1,000")
        #expect(DisplayLocale.en.number(999) == "999")
        #expect(DisplayLocale.en.number(-1_005) == "\u{2212}1,005")
        #expect(DisplayLocale.en.number(Int64.min) == "\u{2212}9,223,372,036,854,775,808")
    }

    @Test func tomanIsRialDividedByTenExactly() {
        #expect(DisplayLocale.faIR.toman(Rial(123_456_789_000)) == "۱۲٬۳۴۵٬۶۷۸٬۹۰۰ تومان")
        #expect(DisplayLocale.en.toman(Rial(12_345)) == "1,234.5 Toman")
        #expect(DisplayLocale.faIR.toman(Rial(12_345)) == "۱٬۲۳۴٫۵ تومان")
        #expect(DisplayLocale.en.toman(Rial(-5)) == "\u{2212}0.5 Toman")
        #expect(DisplayLocale.en.toman(Rial(-15)) == "\u{2212}1.5 Toman")
        #expect(DisplayLocale.en.toman(Rial(Int64.max)) == "922,337,203,685,477,580.7 Toman")
    }

    @Test func jalaliDatesMatchKnownDays() {
        // Nowruz and the example, and a leap-year edge (1403 is leap: Esfand 30 exists).
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 2026, month: 3, day: 21)) == "۱۴۰۵/۰۱/۰۱")
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 2026, month: 9, day: 15)) == "۱۴۰۵/۰۶/۲۴")
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 2025, month: 3, day: 20)) == "۱۴۰۳/۱۲/۳۰")
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 2025, month: 3, day: 21)) == "۱۴۰۴/۰۱/۰۱")
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 2024, month: 1, day: 1)) == "۱۴۰۲/۱۰/۱۱")
        #expect(DisplayLocale.faIR.date(CalendarDate(year: 1979, month: 2, day: 11)) == "۱۳۵۷/۱۱/۲۲")
        #expect(DisplayLocale.en.date(CalendarDate(year: 2026, month: 9, day: 15)) == "15 Sep 2026")
    }

    @Test func persianStringsUsePersianYehAndKehehNeverTheArabicLetters() {
        for key in StringKey.allCases {
            let text = StringCatalogue.standard.text(key, .faIR)
            #expect(!text.unicodeScalars.contains { $0.value == 0x064A || $0.value == 0x0643 }, "\(key.rawValue): \(text)")
        }
        #expect(StringCatalogue.standard.missing(in: .faIR).isEmpty)
        #expect(StringCatalogue.standard.missing(in: .en).isEmpty)
    }

    @Test func aBusinessOverridesStringsAndMistakesAreCaughtAtCheckTime() throws {
        let catalogue = try StringCatalogue(overrides: [.en: ["idle.title": "Tap here, friend"]])
        #expect(catalogue.text(.idleTitle, .en) == "Tap here, friend")
        #expect(catalogue.text(.idleTitle, .faIR) == StringCatalogue.standard.text(.idleTitle, .faIR))
        #expect(throws: CatalogueError.unknownKey(locale: .en, key: "idle.titel")) {
            try StringCatalogue(overrides: [.en: ["idle.titel": "x"]])
        }
        #expect(throws: CatalogueError.emptyString(locale: .faIR, key: "idle.title")) {
            try StringCatalogue(overrides: [.faIR: ["idle.title": "  "]])
        }
        #expect(throws: CatalogueError.placeholdersChanged(locale: .en, key: "welcome.greeting", expected: ["name"])) {
            try StringCatalogue(overrides: [.en: ["welcome.greeting": "Hello {nmae}"]])
        }
    }
}
