import Foundation

/// The `[display]` keys of the business's look (docs/configuration.md): names, logo, colours,
/// fonts, prize icons and its own strings. Read and checked for form here (colours `#RRGGBB`,
/// known names, files relative to the configuration file); whether the strings exist, the
/// images decode and the fonts load is checked by the display (`kiosk config check` does both).
enum DisplaySettings {
    static let colorNames = ["background_top", "background_bottom", "surface", "primary", "accent", "text", "muted_text",
                             "success", "danger"]
    static let fontNames = ["arabic_regular", "arabic_bold", "latin_regular", "latin_bold"]
    static let locales = ["fa-IR", "en"]

    static func load(_ section: Section, into d: inout KioskConfiguration.Display, base: String, context: Context) {
        if let name = section.string("store_name", nonEmpty: true) { d.look.storeName = name }
        if let name = section.string("store_name_fa", nonEmpty: true) { d.look.storeNameFa = name }
        if let logo = section.path("logo", base: base) { d.look.logo = logo }
        if let colors = section.section("colors") {
            for name in colorNames {
                if let value = colors.string(name), let checked = color(value, key: "display.colors.\(name)", context) {
                    d.look.colors[name] = checked
                }
            }
            if let wheel = colors.strings("wheel") {
                if wheel.isEmpty { context.report("display.colors.wheel", "needs at least one colour") }
                let checked = wheel.compactMap { color($0, key: "display.colors.wheel", context) }
                if checked.count == wheel.count, !wheel.isEmpty { d.look.wheelColors = checked }
            }
            colors.finish()
        }
        if let fonts = section.section("fonts") {
            for name in fontNames {
                if let path = fonts.path(name, base: base) { d.look.fonts[name] = path }
            }
            fonts.finish()
        }
        if let icons = section.section("icons") {
            for name in icons.table.keys.sorted() {
                guard isIconName(name) else {
                    _ = icons.string(name)
                    context.report("display.icons.\(name)", "an icon name is letters, digits, - and _ (the name a wheel segment's icon uses)")
                    continue
                }
                if let path = icons.path(name, base: base) { d.look.icons[name] = path }
            }
            icons.finish()
        }
        if let strings = section.section("strings") {
            for locale in strings.table.keys.sorted() {
                guard locales.contains(locale) else {
                    _ = strings.section(locale)
                    context.report("display.strings.\(locale)", "strings are given for fa-IR or en" + ConfigLoader.suggestion(for: locale, among: locales))
                    continue
                }
                guard let table = strings.section(locale) else { continue }
                var texts: [String: String] = [:]
                for key in table.table.keys.sorted() {
                    if let text = table.string(key) { texts[key] = text }
                }
                d.look.strings[locale] = texts
                table.finish()
            }
            strings.finish()
        }
    }

    /// `#RRGGBB` or `#RRGGBBAA`, upper- or lower-case.
    static func color(_ value: String, key: String, _ context: Context) -> String? {
        let digits = value.dropFirst()
        guard value.hasPrefix("#"), digits.count == 6 || digits.count == 8, digits.allSatisfy(\.isHexDigit) else {
            context.report(key, "expected a colour #RRGGBB (or #RRGGBBAA), not \(Echo.quoted(value))")
            return nil
        }
        return value
    }

    static func isIconName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }
}
