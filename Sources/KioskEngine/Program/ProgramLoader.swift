import Foundation

/// Reads and validates a program file.
public enum ProgramLoader {
    /// Decodes `data` as a program and validates it fully; throws every problem found.
    public static func load(_ data: Data) throws(ProgramError) -> Program {
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
