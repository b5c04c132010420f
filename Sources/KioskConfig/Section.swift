import Foundation
import TOMLKit

/// Reads typed values out of one TOML table, reporting wrong types and unknown keys.
struct Section {
    let table: TOMLTable
    let name: String
    let context: Context
    private let used: UsedKeys

    init(table: TOMLTable, name: String, context: Context) {
        self.table = table
        self.name = name
        self.context = context
        self.used = UsedKeys()
    }

    private final class UsedKeys { var keys: Set<String> = [] }

    private func dotted(_ key: String) -> String { name.isEmpty ? key : name + "." + key }

    private func value(_ key: String) -> (any TOMLValueConvertible)? {
        used.keys.insert(key)
        return table[key]
    }

    private func wrongType(_ key: String, expected: String, got value: any TOMLValueConvertible) {
        context.report(dotted(key), "expected \(expected), got \(Self.describe(value.type))")
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .string: "a string"
        case .int: "an integer"
        case .double: "a float"
        case .bool: "a boolean"
        case .table: "a table"
        case .array: "an array"
        default: "a date or time"
        }
    }

    func section(_ key: String) -> Section? {
        guard let value = value(key) else { return nil }
        guard let table = value.table else {
            wrongType(key, expected: "a table ([\(dotted(key))])", got: value)
            return nil
        }
        return Section(table: table, name: dotted(key), context: context)
    }

    func string(_ key: String, nonEmpty: Bool = false) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else {
            wrongType(key, expected: "a string", got: value)
            return nil
        }
        if nonEmpty && string.trimmingCharacters(in: .whitespaces).isEmpty {
            context.report(dotted(key), "must not be empty")
            return nil
        }
        return string
    }

    /// A file path; relative paths are taken relative to the configuration file's directory.
    func path(_ key: String, base: String) -> String? {
        guard let string = string(key, nonEmpty: true) else { return nil }
        if string.hasPrefix("/") || base.isEmpty { return string }
        return (base as NSString).appendingPathComponent(string)
    }

    func int(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard value.type == .int, let int = value.int else {
            wrongType(key, expected: "an integer", got: value)
            return nil
        }
        guard range.contains(int) else {
            context.report(dotted(key), "must be between \(range.lowerBound) and \(range.upperBound), not \(int)")
            return nil
        }
        return int
    }

    /// An integer that must be one of `allowed`; the message lists them.
    func int(_ key: String, among allowed: [Int]) -> Int? {
        guard let value = value(key) else { return nil }
        guard value.type == .int, let int = value.int else {
            wrongType(key, expected: "an integer", got: value)
            return nil
        }
        guard allowed.contains(int) else {
            let names = allowed.map(String.init)
            context.report(dotted(key), "must be \(names.dropLast().joined(separator: ", ")) or \(names.last ?? ""), not \(int)")
            return nil
        }
        return int
    }

    func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        guard let bool = value.bool, value.type == .bool else {
            wrongType(key, expected: "true or false", got: value)
            return nil
        }
        return bool
    }

    func strings(_ key: String) -> [String]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else {
            wrongType(key, expected: "an array of strings", got: value)
            return nil
        }
        var result: [String] = []
        for element in array {
            guard let string = element.string else {
                context.report(dotted(key), "expected an array of strings, found \(Self.describe(element.type)) in it")
                return nil
            }
            result.append(string)
        }
        return result
    }

    /// An array of tables (`[[name.key]]`), each read as a section of its own.
    func tables(_ key: String) -> [Section]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else {
            wrongType(key, expected: "an array of tables ([[\(dotted(key))]])", got: value)
            return nil
        }
        var sections: [Section] = []
        for (index, element) in array.enumerated() {
            guard let table = element.table else {
                context.report(dotted(key), "expected an array of tables ([[\(dotted(key))]]), found \(Self.describe(element.type)) in it")
                return nil
            }
            sections.append(Section(table: table, name: "\(dotted(key))[\(index)]", context: context))
        }
        return sections
    }

    func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
        guard let string = string(key) else { return nil }
        guard let choice = T(rawValue: string) else {
            let allowed = T.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
            context.report(dotted(key), "\(Echo.quoted(string)) is not one of \(allowed)")
            return nil
        }
        return choice
    }

    /// Secrets never sit in the configuration file itself.
    func refuseInlineSecret(_ key: String, fileKey: String, environment: String) {
        if value(key) != nil {
            context.report(dotted(key), "secrets are not written in the configuration file: put it in a file named by \(fileKey) (mode 600) or in the environment variable \(environment)")
        }
    }

    /// Reports keys that were never read: typos and settings this version does not know.
    func finish() {
        for key in table.keys where !used.keys.contains(key) {
            let known = Array(used.keys)
            context.report(dotted(key), "unknown setting" + ConfigLoader.suggestion(for: key, among: known))
        }
    }
}
