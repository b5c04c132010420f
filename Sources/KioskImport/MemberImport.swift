import CSV
import Foundation
import KioskCore

/// One problem found in an import file: the row (the header is row 1, so the row number is the
/// line a spreadsheet shows when no field spans lines), the column, and what is wrong.
public struct ImportProblem: Sendable, Hashable, Codable, CustomStringConvertible {
    /// 1 for the header; nil for a problem with the whole file.
    public var row: Int?
    public var column: String?
    public var message: String

    public init(row: Int?, column: String?, _ message: String) {
        self.row = row
        self.column = column
        self.message = message
    }

    public var description: String {
        switch (row, column) {
        case let (r?, c?): "row \(r), \(c): \(message)"
        case let (r?, nil): "row \(r): \(message)"
        case let (nil, c?): "\(c): \(message)"
        case (nil, nil): message
        }
    }
}

/// A member as a valid row of the import file describes them, normalised.
public struct ImportedMember: Sendable, Hashable, Codable {
    public var row: Int
    public var memberID: MemberID
    public var name: String?
    /// `09xxxxxxxxx`.
    public var phone: String?
    /// Gregorian `YYYY-MM-DD`.
    public var birthday: String?
    public var cardID: CardID?
    public var points: Int64
    public var creditRial: Int64
    public var giftCreditRial: Int64
    public var coins: Int64
    public var groups: [String]

    /// The opening balances, by account, without the zero ones.
    public var openingBalances: [(account: Account, amount: Int64)] {
        [(Account.points, points), (.credit, creditRial), (.giftCredit, giftCreditRial), (.coins, coins)]
            .filter { $0.1 != 0 }
    }
}

/// The result of parsing and validating a file: the members of the valid rows, and every problem.
public struct ImportParse: Sendable {
    public var members: [ImportedMember]
    public var problems: [ImportProblem]
    /// The data rows read (blank lines not counted).
    public var rows: Int = 0
    public var isValid: Bool { problems.isEmpty }
}

/// Parses and validates a member import file (CSV, RFC 4180, UTF-8, header row). Pure: it only
/// reads the text it is given.
public enum MemberImportParser {
    public static let columns = ["member_id", "name", "phone", "birthday", "card_id", "points", "credit_rial",
                                 "gift_credit_rial", "coins", "groups"]

    public static func parse(_ text: String) -> ImportParse {
        var problems: [ImportProblem] = []
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        // The CSV reader reads a quote left open, or text after a closing quote, as a field running
        // to the end of the file, which would swallow the rows after it: refuse such a file instead.
        if let problem = quotingProblem(text) {
            return ImportParse(members: [], problems: [ImportProblem(row: problem.row, column: nil, problem.message)])
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true)
        } catch {
            let reason = (error as? CSVError).map(describe) ?? "\(error)"
            return ImportParse(members: [], problems: [ImportProblem(row: 1, column: nil, "the header cannot be read as CSV: \(reason)")])
        }
        let header = (reader.headerRow ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        if header.isEmpty || header == [""] {
            return ImportParse(members: [], problems: [ImportProblem(row: 1, column: nil, "the file has no header row")])
        }
        let unknown = header.filter { !columns.contains($0) }
        if !unknown.isEmpty {
            problems.append(ImportProblem(row: 1, column: nil,
                                          "unknown column(s) \(unknown.map { "\"\($0)\"" }.joined(separator: ", ")); the columns are \(columns.joined(separator: ", "))"))
        }
        var seen = Set<String>()
        for column in header where !column.isEmpty {
            if !seen.insert(column).inserted { problems.append(ImportProblem(row: 1, column: column, "the column appears twice")) }
        }
        if !header.contains("member_id") { problems.append(ImportProblem(row: 1, column: "member_id", "the required column is missing")) }
        if !problems.isEmpty { return ImportParse(members: [], problems: problems) }

        var members: [ImportedMember] = []
        var firstRowOf: [String: [String: Int]] = ["member_id": [:], "card_id": [:], "phone": [:]]
        var row = 1
        var dataRows = 0
        while let fields = reader.next() {
            row += 1
            if fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            dataRows += 1
            if fields.count != header.count {
                problems.append(ImportProblem(row: row, column: nil, "has \(fields.count) field(s), the header has \(header.count)"))
                continue
            }
            var values: [String: String] = [:]
            for (column, value) in zip(header, fields) { values[column] = value.trimmingCharacters(in: .whitespaces) }
            var rowProblems: [ImportProblem] = []
            if let member = validate(values, row: row, problems: &rowProblems) {
                for (column, value) in [("member_id", member.memberID.rawValue), ("card_id", member.cardID?.rawValue),
                                        ("phone", member.phone)] {
                    guard let value else { continue }
                    if let first = firstRowOf[column]?[value] {
                        rowProblems.append(ImportProblem(row: row, column: column, "\"\(value)\" is already in row \(first)"))
                    } else {
                        firstRowOf[column]?[value] = row
                    }
                }
                if rowProblems.isEmpty { members.append(member) }
            }
            problems += rowProblems
        }
        if let error = reader.error {
            problems.append(ImportProblem(row: row + 1, column: nil, "the file is not valid CSV from here on: \((error as? CSVError).map(describe) ?? "\(error)")"))
        }
        if members.isEmpty && problems.isEmpty {
            problems.append(ImportProblem(row: nil, column: nil, "the file has no member rows"))
        }
        return ImportParse(members: members, problems: problems, rows: dataRows)
    }

    /// A quoting mistake the CSV reader would not report but read wrongly (a quoted field never
    /// closed, or text after a closing quote: both make it swallow the rows after them), as its
    /// row (header = 1) and a message; nil when the quoting is as RFC 4180 says. A quote inside an
    /// unquoted field is left alone: the reader keeps it as a character.
    static func quotingProblem(_ text: String) -> (row: Int, message: String)? {
        var row = 1
        var inQuotes = false
        var fieldStart = true
        var afterClose = false
        var openedAt = 0
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let s = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if s == "\"" {
                    let next = scalars.next()
                    if next == "\"" { continue }
                    inQuotes = false
                    afterClose = true
                    pending = next
                }
                continue
            }
            if afterClose {
                afterClose = false
                guard s == "," || s == "\r" || s == "\n" else {
                    return (row, "text after the closing quote of a quoted field (a quote inside a quoted field is written twice: \"\")")
                }
            }
            switch s {
            case "\"" where fieldStart:
                inQuotes = true
                openedAt = row
            case ",":
                fieldStart = true
            case "\n":
                row += 1
                fieldStart = true
            case "\r":
                break
            default:
                fieldStart = false
            }
        }
        return inQuotes ? (openedAt, "a quoted field opened here is never closed") : nil
    }

    /// Validates one row; appends its problems and returns the member when it has none.
    static func validate(_ values: [String: String], row: Int, problems: inout [ImportProblem]) -> ImportedMember? {
        func value(_ column: String) -> String? {
            guard let v = values[column], !v.isEmpty else { return nil }
            return v
        }
        let before = problems.count
        var memberID = MemberID(rawValue: "")
        if let raw = value("member_id") {
            if isValidID(raw) { memberID = MemberID(rawValue: raw) } else {
                problems.append(ImportProblem(row: row, column: "member_id", "\"\(raw)\" is not a member id (1-64 of A-Z a-z 0-9 _ -)"))
            }
        } else {
            problems.append(ImportProblem(row: row, column: "member_id", "is required"))
        }
        var phone: String?
        if let raw = value("phone") {
            phone = normalisePhone(raw)
            if phone == nil { problems.append(ImportProblem(row: row, column: "phone", "\"\(raw)\" is not a mobile number (09xxxxxxxxx or +989xxxxxxxxx)")) }
        }
        var birthday: String?
        if let raw = value("birthday") {
            birthday = normaliseBirthday(raw)
            if birthday == nil {
                if let date = normaliseBirthday(raw, years: 1...9999) {
                    problems.append(ImportProblem(row: row, column: "birthday", "\"\(raw)\" (\(date)) is outside the years a birthday is accepted in (\(birthdayYears.lowerBound)–\(birthdayYears.upperBound))"))
                } else {
                    problems.append(ImportProblem(row: row, column: "birthday", "\"\(raw.prefix(40))\" is not a date (YYYY-MM-DD Gregorian or YYYY/MM/DD Jalali)"))
                }
            }
        }
        var cardID: CardID?
        if let raw = value("card_id") {
            if raw.utf8.count <= 128, raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) {
                cardID = CardID(rawValue: raw)
            } else {
                problems.append(ImportProblem(row: row, column: "card_id", "\"\(raw)\" is not a card id (1-128 printable ASCII characters, no spaces)"))
            }
        }
        var amounts: [String: Int64] = [:]
        for column in ["points", "credit_rial", "gift_credit_rial", "coins"] {
            guard let raw = value(column) else { amounts[column] = 0; continue }
            switch parseBoundedAmount(raw) {
            case .amount(let n): amounts[column] = n
            case .tooLarge:
                problems.append(ImportProblem(row: row, column: column, "\"\(raw.prefix(40))\" is more than the largest opening balance accepted (\(AmountLimits.maxPosting))"))
            case .notANumber:
                problems.append(ImportProblem(row: row, column: column, "\"\(raw.prefix(40))\" is not a non-negative whole number"))
            }
        }
        let groups = (value("groups") ?? "").split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard problems.count == before else { return nil }
        return ImportedMember(row: row, memberID: memberID, name: value("name"), phone: phone, birthday: birthday, cardID: cardID,
                              points: amounts["points"]!, creditRial: amounts["credit_rial"]!,
                              giftCreditRial: amounts["gift_credit_rial"]!, coins: amounts["coins"]!, groups: groups)
    }

    /// The CSV reader's errors for people (its own names, such as `cannotReadHeaderRow`, are not).
    static func describe(_ error: CSVError) -> String {
        switch error {
        case .cannotReadHeaderRow: "the file is empty (it needs a header row: \(columns.joined(separator: ",")))"
        case .unicodeDecoding, .stringEncodingMismatch, .stringEndianMismatch: "it is not UTF-8 text"
        case .cannotOpenFile, .cannotReadFile, .streamErrorHasOccurred: "it cannot be read"
        case .cannotWriteStream: "it cannot be written"
        }
    }

    /// Member ids: 1 to 64 of A-Z a-z 0-9 _ - (as in member tokens).
    public static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
    }

    /// Persian (۰-۹) and Arabic-Indic (٠-٩) digits as ASCII digits; everything else unchanged.
    public static func asciiDigits(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { s -> Unicode.Scalar in
            switch s.value {
            case 0x06F0...0x06F9: Unicode.Scalar(s.value - 0x06F0 + 0x30)!
            case 0x0660...0x0669: Unicode.Scalar(s.value - 0x0660 + 0x30)!
            default: s
            }
        }))
    }

    /// An Iranian mobile number as `09xxxxxxxxx`: accepts `09…`, `+989…`, `00989…`, `989…`, Persian
    /// or Arabic-Indic digits, and spaces between digit groups.
    public static func normalisePhone(_ raw: String) -> String? {
        var s = asciiDigits(raw).replacingOccurrences(of: " ", with: "")
        if s.hasPrefix("+98") { s = "0" + s.dropFirst(3) } else if s.hasPrefix("0098") { s = "0" + s.dropFirst(4) }
        else if s.hasPrefix("98"), s.utf8.count == 12 { s = "0" + s.dropFirst(2) }
        guard s.utf8.count == 11, s.hasPrefix("09"), s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return s
    }

    /// A birthday as Gregorian `YYYY-MM-DD`: from `YYYY-MM-DD` (Gregorian) or `YYYY/MM/DD` (Jalali).
    /// The Gregorian years a birthday may fall in.
    public static let birthdayYears = 1900...2100

    public static func normaliseBirthday(_ raw: String, years: ClosedRange<Int> = birthdayYears) -> String? {
        let s = asciiDigits(raw)
        let jalali = s.contains("/")
        let parts = s.split(separator: jalali ? "/" : "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 4, (1...2).contains(parts[1].utf8.count), (1...2).contains(parts[2].utf8.count),
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } })
        else { return nil }
        if !jalali, parts[1].utf8.count != 2 || parts[2].utf8.count != 2 { return nil }
        let utc = TimeZone(identifier: "UTC")!
        var source = Calendar(identifier: jalali ? .persian : .gregorian)
        source.timeZone = utc
        guard let date = source.date(from: DateComponents(year: y, month: m, day: d, hour: 12)) else { return nil }
        // A day past the month's end rolls over: refuse it.
        let back = source.dateComponents([.year, .month, .day], from: date)
        guard back.year == y, back.month == m, back.day == d else { return nil }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = utc
        let g = gregorian.dateComponents([.year, .month, .day], from: date)
        guard let gy = g.year, let gm = g.month, let gd = g.day, years.contains(gy) else { return nil }
        return String(format: "%04d-%02d-%02d", gy, gm, gd)
    }

    /// An imported amount: a non-negative whole number no larger than `AmountLimits.maxPosting`.
    public enum BoundedAmount: Equatable, Sendable {
        case amount(Int64)
        case tooLarge
        case notANumber
    }

    /// A non-negative whole number (ASCII, Persian or Arabic-Indic digits) within
    /// `AmountLimits.maxPosting`, or why not.
    public static func parseBoundedAmount(_ raw: String) -> BoundedAmount {
        let s = asciiDigits(raw)
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .notANumber }
        guard let n = Int64(s), n <= AmountLimits.maxPosting else { return .tooLarge }
        return .amount(n)
    }

    /// A non-negative whole number (ASCII, Persian or Arabic-Indic digits only) that fits an Int64.
    public static func parseAmount(_ raw: String) -> Int64? {
        let s = asciiDigits(raw)
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(s)
    }
}
