/// Checks configuration text for what the TOML parser cannot be trusted with, before it sees it.
///
/// TOMLKit 0.6.0 bundles toml++ 3.4.0, whose parser asserts (SIGABRT in a debug build, undefined
/// behaviour under `NDEBUG`, where the assertion becomes an assumption) on two kinds of malformed
/// input: a table header whose first character is neither a bare-key character nor a quote
/// (`[.kiosk]`, `[=]`, `[[ !x]]`), and a date followed by `T` and then not a digit
/// (`1978-05-27Tx7:00`); fixed upstream after 3.4.0 (marzer/tomlplusplus PR #301). TOMLKit also
/// hands the text over as a C string, so a NUL byte silently ends the file. This scanner follows
/// strings, comments, arrays and inline tables just far enough to find those cases (and an
/// unclosed multi-line string, which the parser reports only at the end of the file) and names
/// the line. It refuses a little more than it must (a bare key in an inline table spelled like a
/// date and `T`), never less. See docs/configuration.md ("Malformed files").
struct TOMLPreflight {
    struct Problem: Equatable {
        var line: Int
        var message: String
    }

    static func check(_ text: String) -> Problem? {
        var scanner = TOMLPreflight(bytes: Array(text.utf8))
        return scanner.run()
    }

    private let bytes: [UInt8]
    private var i = 0
    private var line = 1
    /// Open arrays and inline tables of the value being read (`[` or `{`).
    private var containers: [UInt8] = []
    /// Inside a value: after `=` at the top level, or inside an array or inline table.
    private var inValue = false
    /// Right after an array's `[` or `,` (and any whitespace, comments and line breaks): the
    /// parser asserts when a `}` comes there instead of a value or `]`.
    private var arrayExpectsValue = false

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private static func isBareKey(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private func byte(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    private mutating func run() -> Problem? {
        if let nul = bytes.firstIndex(of: 0) {
            let nulLine = 1 + bytes[..<nul].lazy.filter { $0 == 0x0A }.count
            return Problem(line: nulLine, message: "contains a NUL byte; everything after it would be ignored")
        }
        var atLineStart = true
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                i += 1
                atLineStart = true
                if containers.isEmpty { inValue = false }
                continue
            }
            if b == 0x20 || b == 0x09 || b == 0x0D { i += 1; continue }
            if b == 0x23 {  // a comment runs to the end of the line
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
                continue
            }
            if b >= 0x80 { i += 1; continue }  // non-ASCII: whitespace to the parser, or an error it reports
            if arrayExpectsValue && b == 0x7D {
                return Problem(line: line, message: "expected a value or ] in the array, found }")
            }
            arrayExpectsValue = false
            if b == 0x22 || b == 0x27 {
                if let problem = skipString(quote: b) { return problem }
                atLineStart = false
                continue
            }
            if atLineStart && !inValue && b == 0x5B {
                if let problem = checkHeader() { return problem }
                atLineStart = false
                continue
            }
            atLineStart = false
            if b == 0x3D && containers.last != 0x5B {  // '=' outside an array starts a value
                inValue = true
                i += 1
                continue
            }
            if inValue {
                switch b {
                case 0x5B, 0x7B:
                    containers.append(b)
                    if b == 0x7B { inValue = false }  // an inline table starts with a key
                    arrayExpectsValue = b == 0x5B
                    i += 1
                    continue
                case 0x5D, 0x7D:
                    if !containers.isEmpty { containers.removeLast() }
                    inValue = true
                    i += 1
                    continue
                case 0x2C:
                    if containers.last == 0x7B { inValue = false }  // the next key of an inline table
                    arrayExpectsValue = containers.last == 0x5B
                    i += 1
                    continue
                default:
                    if Self.isDigit(b), let problem = checkDate() { return problem }
                }
            } else if b == 0x7D || b == 0x5D {
                // The end of an inline table reached from a key position (`{}`), or a stray one.
                if !containers.isEmpty { containers.removeLast() }
                inValue = !containers.isEmpty
            } else if b == 0x2C, containers.last == 0x7B {
                inValue = false
            }
            i += 1
        }
        return nil
    }

    /// A table header `[…]` or `[[…]]` must start with a key: a bare-key character or a quote.
    private mutating func checkHeader() -> Problem? {
        i += 1
        if byte(0) == 0x5B { i += 1 }
        while let b = byte(0), b == 0x20 || b == 0x09 { i += 1 }
        guard let first = byte(0), Self.isBareKey(first) || first == 0x22 || first == 0x27 || first == 0x5D else {
            return Problem(line: line, message: "a table header must start with a name (letters, digits, _ or -, or a quoted name), as in [kiosk]")
        }
        // Skip the rest of the header: its quoted names may hold brackets.
        while let b = byte(0), b != 0x0A {
            if b == 0x22 || b == 0x27 {
                if let problem = skipString(quote: b) { return problem }
                continue
            }
            if b == 0x23 { break }
            i += 1
        }
        return nil
    }

    /// A date followed by `T` must go on with the hour's digits (`1978-05-27T07:00:00`).
    private mutating func checkDate() -> Problem? {
        if i > 0, Self.isBareKey(bytes[i - 1]) || bytes[i - 1] == 0x2E || bytes[i - 1] == 0x2B || bytes[i - 1] == 0x3A {
            return nil  // not the start of a token
        }
        let shape: [Bool?] = [true, true, true, true, nil, true, true, nil, true, true]
        for (offset, digit) in shape.enumerated() {
            guard let b = byte(offset) else { return nil }
            if digit == true, !Self.isDigit(b) { return checkSpacedDate() }
            if digit == nil, b != 0x2D { return checkSpacedDate() }
        }
        guard let separator = byte(10), separator == 0x54 || separator == 0x74 else { return checkSpacedDate() }
        if let next = byte(11), Self.isDigit(next) { return nil }
        return Problem(line: line, message: "a date and time must read like 1978-05-27T07:32:00 (the hour's two digits right after T)")
    }

    /// The parser also asserts on a ten-character token shaped like a date (`-` at 5 and 8,
    /// underscores not counted) followed by one space and a single digit (`1978-05-27 9`): it
    /// takes it for a date and time with a space and finds no second digit.
    private func checkSpacedDate() -> Problem? {
        var j = i
        var counted: [UInt8] = []
        while j < bytes.count, !Self.endsValue(bytes[j]) {
            if bytes[j] != 0x5F { counted.append(bytes[j]) }
            j += 1
        }
        guard counted.count == 10, counted[4] == 0x2D, counted[7] == 0x2D,
              j + 1 < bytes.count, bytes[j] == 0x20, Self.isDigit(bytes[j + 1]) else { return nil }
        if j + 2 < bytes.count, !Self.endsValue(bytes[j + 2]) { return nil }
        return Problem(line: line, message: "a date and time must read like 1978-05-27 07:32:00 (two digits for the hour)")
    }

    /// What ends a value for the parser: whitespace, a line break, `]`, `}`, `,` or `#`.
    private static func endsValue(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x5D || b == 0x7D || b == 0x2C || b == 0x23
    }

    /// Skips a basic, literal or multi-line string starting at `i`, counting its lines.
    private mutating func skipString(quote: UInt8) -> Problem? {
        let startLine = line
        if byte(1) == quote && byte(2) == quote {
            i += 3
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x0A { line += 1 }
                if quote == 0x22 && b == 0x5C { i += 2; continue }
                if b == quote && byte(1) == quote && byte(2) == quote {
                    i += 3
                    while byte(0) == quote { i += 1 }  // up to two quotes may end the content
                    return nil
                }
                i += 1
            }
            let delimiter = quote == 0x22 ? "\"\"\"" : "'''"
            return Problem(line: startLine, message: "the multi-line string opened here with \(delimiter) is never closed")
        }
        i += 1
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A { return nil }  // the parser reports an unclosed string on its own line
            if quote == 0x22 && b == 0x5C { i += 2; continue }
            i += 1
            if b == quote { return nil }
        }
        return nil
    }
}
