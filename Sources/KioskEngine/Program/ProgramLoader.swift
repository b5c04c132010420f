import Foundation

/// Reads and validates a program file.
public enum ProgramLoader {
    /// Decodes `data` as a program and validates it fully; throws every problem found.
    ///
    /// Three steps: `data` must be JSON (else one problem, with where the parser stopped); its
    /// shape must be a program's (every missing key, wrong type and unknown key, each with its
    /// path, found in one pass by `ProgramShapeCheck`); and the decoded program must pass
    /// `ProgramValidator` (every semantic problem).
    public static func load(_ data: Data) throws(ProgramError) -> Program {
        let tree: JSONValue
        do {
            tree = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw ProgramError([.init("", "not JSON: \(syntaxError(data, error))")])
        }
        let shapeProblems = ProgramShapeCheck.problems(in: tree)
        guard shapeProblems.isEmpty else { throw ProgramError(shapeProblems) }
        let program: Program
        do {
            program = try JSONDecoder().decode(Program.self, from: data)
        } catch let error as DecodingError {
            throw ProgramError([issue(for: error)])
        } catch {
            throw ProgramError([.init("", "not a program: \(error)")])
        }
        let issues = ProgramValidator(program).validate()
        guard issues.isEmpty else { throw ProgramError(issues) }
        return program
    }

    /// Where and why `data` is not JSON, as the parser says it (it names the line and column).
    static func syntaxError(_ data: Data, _ error: any Error) -> String {
        let message = parserMessage(data, error)
        // The parser names a byte offset ("around character 19"); say the line and column too.
        guard let range = message.range(of: "character "),
              let offset = Int(message[range.upperBound...].prefix(while: \.isNumber)), offset <= data.count else {
            return message
        }
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "\(message) (line \(line), column \(column))"
    }

    private static func parserMessage(_ data: Data, _ error: any Error) -> String {
        var underlying: (any Error)? = error
        if case .dataCorrupted(let context)? = error as? DecodingError { underlying = context.underlyingError ?? error }
        if let error = underlying as NSError?, let debug = error.userInfo["NSDebugDescription"] as? String {
            return debug
        }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch let error as NSError {
            if let debug = error.userInfo["NSDebugDescription"] as? String { return debug }
            return error.localizedDescription
        }
        return "\(error)"
    }

    static func path(_ codingPath: [any CodingKey]) -> String {
        var out = ""
        for key in codingPath {
            if let index = key.intValue {
                out += "[\(index)]"
            } else {
                out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return out
    }

    static func issue(for error: DecodingError) -> ProgramError.Issue {
        switch error {
        case .keyNotFound(let key, let context):
            return .init(path(context.codingPath + [key]), "is required but missing")
        case .typeMismatch(let type, let context):
            if context.debugDescription.hasPrefix("expected ") {
                return .init(path(context.codingPath), context.debugDescription)
            }
            return .init(path(context.codingPath), "has the wrong type (expected \(describe(type)))")
        case .valueNotFound(let type, let context):
            return .init(path(context.codingPath), "is null (expected \(describe(type)))")
        case .dataCorrupted(let context):
            let underlying = context.underlyingError.map { ": \($0.localizedDescription)" } ?? ""
            return .init(path(context.codingPath), context.debugDescription + (context.codingPath.isEmpty ? underlying : ""))
        @unknown default:
            return .init("", "\(error)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        let name = String(describing: type)
        switch name {
        case "Int64", "Int", "Rial": return "an integer"
        case "String": return "a string"
        case "Bool": return "true or false"
        default:
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return name
        }
    }
}
