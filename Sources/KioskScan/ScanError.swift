/// Why a scan could not be read as the code it looked like. A struct with a code, so that kinds
/// can be added without breaking callers; `code` is stable (logs, `diag scanners --json`).
public struct ScanError: Error, Sendable, Hashable, CustomStringConvertible {
    public struct Code: RawRepresentable, Sendable, Hashable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let empty = Code(rawValue: "scan.empty")
        public static let tooLong = Code(rawValue: "scan.tooLong")
        public static let notText = Code(rawValue: "scan.notText")
        public static let retailNotDigits = Code(rawValue: "retail.notDigits")
        public static let retailLength = Code(rawValue: "retail.length")
        public static let checkDigit = Code(rawValue: "gs1.checkDigit")
        public static let gs1UnknownAI = Code(rawValue: "gs1.unknownAI")
        public static let gs1Truncated = Code(rawValue: "gs1.truncated")
        public static let gs1Length = Code(rawValue: "gs1.length")
        public static let gs1Charset = Code(rawValue: "gs1.charset")
        public static let gs1Date = Code(rawValue: "gs1.date")
        public static let gs1Duplicate = Code(rawValue: "gs1.duplicateAI")
        public static let gs1Syntax = Code(rawValue: "gs1.syntax")
        /// A value that breaks a rule of its AI beyond length, characters, check digit and date
        /// (a country code, a piece of a total, a percent-encoding, …).
        public static let gs1Content = Code(rawValue: "gs1.content")
        /// An AI without one it must come with (AI 02 without 37).
        public static let gs1MissingAssociation = Code(rawValue: "gs1.missingAssociation")
        /// Two AIs that must not come together (01 and 02).
        public static let gs1InvalidPair = Code(rawValue: "gs1.invalidPair")
        public static let memberToken = Code(rawValue: "member.token")
        public static let memberNotConfigured = Code(rawValue: "member.notConfigured")
        public static let enrollment = Code(rawValue: "enrollment.link")
        public static let gift = Code(rawValue: "gift.link")
        public static let receipt = Code(rawValue: "receipt.invalid")
        public static let receiptNotConfigured = Code(rawValue: "receipt.notConfigured")
        public static let voucher = Code(rawValue: "voucher.format")
    }

    public let code: Code
    /// What was wrong, for logs and diagnostics. Never contains a token's MAC or a key.
    public let reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
