import Foundation

/// Reads and validates a program file.
public enum ProgramLoader {
    /// Decodes `data` as a program and validates it fully; throws every problem found.
    ///
    /// Three steps: `data` must be JSON within the bounds of `ProgramJSONReader` (else one
    /// problem: where the reader stopped, or which bound was passed, with its path); its shape
    /// must be a program's (every missing key, wrong type and unknown key, each with its path,
    /// found in one pass by `ProgramShapeCheck`, which also decodes the program from the same
    /// tree); and the decoded program must pass `ProgramValidator` (every semantic problem).
    /// Every step is linear in the size of the file.
    public static func load(_ data: Data) throws(ProgramError) -> Program {
        let tree: JSONValue
        do {
            tree = try ProgramJSONReader.read(data)
        } catch {
            throw ProgramError([.init(error.path, error.problem)])
        }
        let (decoded, shapeProblems) = ProgramShapeCheck.decode(tree)
        guard shapeProblems.isEmpty, let program = decoded else {
            throw ProgramError(shapeProblems.isEmpty ? [.init("", "not a program")] : shapeProblems)
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
