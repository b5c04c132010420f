/// Why a program was refused: every problem found, each with the JSON path where it is.
public struct ProgramError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Issue: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Where, as a JSON path: `offers.list[2].when.all[0].productGroup`.
        public var path: String
        public var problem: String

        public init(_ path: String, _ problem: String) {
            self.path = path
            self.problem = problem
        }

        public var description: String { "\(path.isEmpty ? "(top level)" : path): \(problem)" }
    }

    public var issues: [Issue]

    public init(_ issues: [Issue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
