import Foundation

/// Checks a program file's shape (every key, every type) against the `Program` type in one pass
/// and names every problem with its JSON path, instead of stopping at the first as `JSONDecoder`
/// does.
///
/// It walks the file's JSON tree with `Program`'s own `Decodable` code through a decoder that
/// never stops: a missing key or a wrong type is recorded and a stand-in value returned, so the
/// walk goes on to the rest of the file. Keys that no part of `Program` reads are reported as
/// unknown. The shape is therefore always the one the loader decodes; nothing is written twice.
enum ProgramShapeCheck {
    /// Every structural problem in `root`, in the order the program is read, then unknown keys.
    static func problems(in root: JSONValue) -> [ProgramError.Issue] {
        decode(root).problems
    }

    /// The program `root` holds, read by `Program`'s own `Decodable` code, and every structural
    /// problem found on the way; the program is only meaningful when there is no problem.
    static func decode(_ root: JSONValue) -> (program: Program?, problems: [ProgramError.Issue]) {
        let walk = ShapeWalk()
        var program: Program?
        do {
            program = try walk.decode(Program.self, from: root, at: [])
        } catch {
            // A value with no stand-in: its problem is recorded; the rest of the file is not read.
        }
        return (program, walk.issues + walk.unknownKeys())
    }
}

/// A value whose stand-in could not be made; recorded before it is thrown.
struct ShapeWalkAbandoned: Error {}

/// The state of one walk: the problems found and the keys each object had and which were read.
final class ShapeWalk {
    var issues: [ProgramError.Issue] = []
    private var objects: [(path: String, keys: Set<String>)] = []
    private var readKeys: [String: Set<String>] = [:]

    func report(_ path: [any CodingKey], _ problem: String) {
        issues.append(.init(ProgramLoader.path(path), problem))
    }

    func sawObject(_ path: [any CodingKey], keys: Dictionary<String, JSONValue>.Keys) {
        let name = ProgramLoader.path(path)
        if readKeys[name] == nil {
            objects.append((name, Set(keys)))
            readKeys[name] = []
        }
    }

    func read(_ path: [any CodingKey], _ key: String) {
        readKeys[ProgramLoader.path(path), default: []].insert(key)
    }

    func unknownKeys() -> [ProgramError.Issue] {
        objects.flatMap { object in
            object.keys.subtracting(readKeys[object.path] ?? []).sorted().map {
                ProgramError.Issue(object.path, "unknown key \"\($0)\"")
            }
        }
    }

    /// Reads `value` as `T`, recording every problem; a stand-in when `T` cannot be read at all.
    func decode<T: Decodable>(_ type: T.Type, from value: JSONValue?, at path: [any CodingKey], quiet: Bool = false) throws -> T {
        if let primitive: T = primitive(type, from: value, at: path, quiet: quiet) { return primitive }
        if let keyword = T.self as? any ProgramKeyword.Type, case .string(let text)? = value, !keyword.programKeywords.contains(text) {
            if !quiet { report(path, "\"\(text)\" is not one of: \(keyword.programKeywords.joined(separator: ", "))") }
            return try standIn(type, at: path)
        }
        if T.self == Percent.self, let value {
            switch value {
            case .integer, .string: break
            default:
                if !quiet { mismatch(path, "a percentage (an integer, or a string like \"7.5\")", value) }
                return try standIn(type, at: path)
            }
        }
        do {
            return try T(from: ShapeDecoder(walk: self, value: value, codingPath: path, quiet: quiet))
        } catch is ShapeWalkAbandoned {
            // Recorded where it happened; a stand-in for this value (an empty list) if there is one.
            return try standIn(type, at: path)
        } catch let error as DecodingError {
            if !quiet { issues.append(ProgramLoader.issue(for: error)) }
            return try standIn(type, at: path)
        } catch {
            if !quiet { report(path, "\(error)") }
            return try standIn(type, at: path)
        }
    }

    /// A value of `T` standing in for one that could not be read.
    func standIn<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws -> T {
        if let placeholder = T.self as? any ProgramPlaceholder.Type, let value = placeholder.programPlaceholder as? T {
            return value
        }
        do {
            return try T(from: ShapeDecoder(walk: self, value: nil, codingPath: path, quiet: true))
        } catch {
            throw ShapeWalkAbandoned()
        }
    }

    /// `value` as a JSON scalar type, or nil when `T` is not one. A problem is recorded (unless
    /// quiet) and a zero stand-in returned when `value` has another type or is missing.
    func primitive<T>(_ type: T.Type, from value: JSONValue?, at path: [any CodingKey], quiet: Bool) -> T? {
        func integer<I: FixedWidthInteger>(_: I.Type) -> T? {
            switch value {
            case .integer(let number):
                if let exact = I(exactly: number) { return exact as? T }
                if !quiet { report(path, "\(number) is out of range") }
            case .number(let number) where number.rounded() == number:
                if let exact = I(exactly: number) { return exact as? T }
                if !quiet { report(path, "\(number) is out of range") }
            default:
                if !quiet { mismatch(path, "an integer", value) }
            }
            return I.zero as? T
        }
        switch type {
        case is Int.Type: return integer(Int.self)
        case is Int64.Type: return integer(Int64.self)
        case is Int32.Type: return integer(Int32.self)
        case is Int16.Type: return integer(Int16.self)
        case is Int8.Type: return integer(Int8.self)
        case is UInt.Type: return integer(UInt.self)
        case is UInt64.Type: return integer(UInt64.self)
        case is UInt32.Type: return integer(UInt32.self)
        case is UInt16.Type: return integer(UInt16.self)
        case is UInt8.Type: return integer(UInt8.self)
        case is String.Type:
            if case .string(let text) = value { return text as? T }
            if !quiet { mismatch(path, "a string", value) }
            return "" as? T
        case is Bool.Type:
            if case .bool(let flag) = value { return flag as? T }
            if !quiet { mismatch(path, "true or false", value) }
            return false as? T
        case is Double.Type, is Float.Type:
            let number: Double
            switch value {
            case .integer(let integer): number = Double(integer)
            case .number(let double): number = double
            default:
                if !quiet { mismatch(path, "a number", value) }
                number = 0
            }
            return (type is Float.Type ? Float(number) as Any : number as Any) as? T
        default:
            return nil
        }
    }

    func mismatch(_ path: [any CodingKey], _ expected: String, _ found: JSONValue?) {
        report(path, "expected \(expected), got \(found?.kind ?? "nothing")")
    }
}
