/// The GS1 Barcode Syntax Dictionary's linters the kiosk applies to a component of an AI's data
/// (the reference procedures of the GS1 Barcode Syntax Tests, re-written here: the C library is
/// not available on this platform, docs/scanners.md). Each gives nil when the component passes,
/// else the typed error that names the rule.
enum GS1Linter {
    static func check(_ check: ApplicationIdentifier.Component.Check, _ part: ArraySlice<UInt8>, ai: String) -> ScanError? {
        func fail(_ code: ScanError.Code, _ why: String) -> ScanError { ScanError(code, "(\(ai)) \(why)") }
        func fail(_ why: String) -> ScanError { fail(.gs1Content, why) }
        switch check {
        case .checkDigit:
            return GS1CheckDigit.isValid(part) ? nil : fail(.checkDigit, "check digit does not match")
        case .date, .dateDay0:
            return GS1Characters.isDate(part.prefix(6), dayMayBeZero: check == .dateDay0) ? nil : fail(.gs1Date, "is not a date YYMMDD")
        case .time:
            return GS1Characters.isTime(part) ? nil : fail(.gs1Date, "is not a time HHMM")
        case .nonZero:
            return part.contains(where: { $0 != 0x30 }) ? nil : fail("is zero, which it must not be")
        case .zero:
            return part.allSatisfy({ $0 == 0x30 }) ? nil : fail("does not start with the digit 0 it must")
        case .winding:
            return part.count == 1 && [0x30, 0x31, 0x39].contains(part.first!) ? nil : fail("winding direction is not 0, 1 or 9")
        case .pieceOfTotal:
            guard part.count == 4, let piece = number(part.prefix(2)), let total = number(part.suffix(2)) else { return fail("is not a piece and a total") }
            return piece >= 1 && total >= 1 && piece <= total ? nil : fail("piece \(piece) of \(total) is not a piece of the total")
        case .noZeroPrefix:
            return part.count == 1 || part.first != 0x30 ? nil : fail("starts with a zero")
        case .percentEncoded:
            var i = part.startIndex
            while i < part.endIndex {
                if part[i] == UInt8(ascii: "%") {
                    guard i + 2 < part.endIndex, isHex(part[i + 1]), isHex(part[i + 2]) else { return fail("has a % not followed by two hex digits") }
                    i += 3
                } else {
                    i += 1
                }
            }
            return nil
        case .yesNo:
            return part.count == 1 && (part.first == 0x30 || part.first == 0x31) ? nil : fail("is not 0 (no) or 1 (yes)")
        case .hyphen:
            return part.allSatisfy({ $0 == UInt8(ascii: "-") }) ? nil : fail("may only end with a hyphen (below zero)")
        case .importerIndex:
            return part.count == 1 && GS1Characters.contains(part.first!, .cset64) && part.first != UInt8(ascii: "=") ? nil
                : fail("importer index is not one of - 0-9 A-Z _ a-z")
        case .mediaType:
            guard part.count == 2, let n = number(part) else { return fail("is not a media type") }
            return (1...10).contains(n) || (80...99).contains(n) ? nil : fail("media type \(n) is not 01–10 or 80–99")
        case .latitude:
            return part.count == 10 && (number(part) ?? .max) <= 1_800_000_000 ? nil : fail("latitude is beyond 90°")
        case .longitude:
            return part.count == 10 && (number(part) ?? .max) <= 3_600_000_000 ? nil : fail("longitude is beyond 180°")
        case .country:
            return isCountry(part) ? nil : fail("\(text(part)) is not an ISO 3166 country code")
        case .countryOr999:
            return isCountry(part) || part.elementsEqual("999".utf8) ? nil : fail("\(text(part)) is not an ISO 3166 country code or 999")
        case .countryList:
            guard part.count % 3 == 0 else { return fail("is not a list of three-digit country codes") }
            var i = part.startIndex
            while i < part.endIndex {
                guard isCountry(part[i..<(i + 3)]) else { return fail("\(text(part[i..<(i + 3)])) is not an ISO 3166 country code") }
                i += 3
            }
            return nil
        case .countryAlpha2:
            return part.count == 2 && ISOCodeLists.countriesAlpha2.contains(text(part)) ? nil : fail("\(text(part)) is not an ISO 3166 alpha-2 country code")
        case .currency:
            return part.count == 3 && number(part).map(ISOCodeLists.currencies.contains) == true ? nil : fail("\(text(part)) is not an ISO 4217 currency code")
        }
    }

    private static func isCountry(_ part: ArraySlice<UInt8>) -> Bool {
        part.count == 3 && number(part).map(ISOCodeLists.countries.contains) == true
    }

    private static func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }

    /// A string of at most 10 digits as a number (nil for anything else).
    static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        var n = 0
        for d in digits {
            guard d >= 0x30, d <= 0x39 else { return nil }
            n = n * 10 + Int(d - 0x30)
        }
        return n
    }

    private static func text(_ part: ArraySlice<UInt8>) -> String { String(decoding: part, as: UTF8.self) }
}
