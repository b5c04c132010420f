import Foundation

/// Finds the line on which a key is set in a TOML text, so that a validation error can name it.
/// TOMLKit parses the file; this only maps dotted keys to the lines that set them.
struct LineLocator {
    private var lines: [String: Int] = [:]

    init(text: String) {
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                let name = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                table = Self.normalize(name)
                if lines[table] == nil { lines[table] = index + 1 }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = Self.normalize(String(line[..<equals]))
            let full = table.isEmpty ? key : table + "." + key
            // A dotted key (`foo.bar = 1`) also places each table it names (`foo`).
            var prefix = ""
            for part in full.split(separator: ".") {
                prefix = prefix.isEmpty ? String(part) : prefix + "." + part
                if lines[prefix] == nil { lines[prefix] = index + 1 }
            }
        }
    }

    /// The line that sets `key`, or the line of its table, or nil.
    func line(of key: String) -> Int? {
        var candidate = key
        while true {
            if let line = lines[candidate] { return line }
            guard let dot = candidate.lastIndex(of: ".") else { return nil }
            candidate = String(candidate[..<dot])
        }
    }

    private static func normalize(_ key: String) -> String {
        key.split(separator: ".").map {
            $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
        }.joined(separator: ".")
    }

    private static func stripComment(_ line: String) -> String {
        var inString: Character? = nil
        for (offset, char) in line.enumerated() {
            if let quote = inString {
                if char == quote { inString = nil }
            } else if char == "\"" || char == "'" {
                inString = char
            } else if char == "#" {
                return String(line.prefix(offset))
            }
        }
        return line
    }
}

