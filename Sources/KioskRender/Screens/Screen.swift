import Foundation

/// Which screen, with its data: the value the appliance publishes from its session state.
public enum Screen: Sendable, Equatable {
    case idle(IdleData)
    case welcome(WelcomeData)
    case wheel(WheelData)
    case prize(PrizeData)
    case receipt(ReceiptData)
    case voucher(VoucherData)
    case catalogue(CatalogueData)
    case pin(PinData)
    case enrollment(EnrollmentData)
    case refusal(RefusalData)
    case offline(OfflineData)
    case diagnostics(DiagnosticsData)
    case staff(StaffData)

    /// The screens by name, as `kiosk render --screen NAME` takes them.
    public enum Name: String, Sendable, CaseIterable {
        case idle, welcome, wheel, prize, receipt, voucher, catalogue, pin, enroll
        case unknownCard = "unknown-card", clonedCard = "cloned-card", blockedCard = "blocked-card"
        case offline, diagnostics, staff, notice
    }

    /// The screen with its sample data (for docs, goldens and previews).
    public static func sample(_ name: Name, locale: DisplayLocale) -> Screen {
        let fa = locale == .faIR
        return switch name {
        case .idle: .idle(.sample)
        case .welcome: .welcome(fa ? .sample : .sampleEnglish)
        case .wheel: .wheel(fa ? .sample : .sampleEnglish)
        case .prize: .prize(fa ? .sample : .sampleEnglish)
        case .receipt: .receipt(.sample)
        case .voucher: .voucher(fa ? .sample : .sampleEnglish)
        case .catalogue: .catalogue(fa ? .sample : .sampleEnglish)
        case .pin: .pin(.sample)
        case .enroll: .enrollment(.sample)
        case .unknownCard: .refusal(RefusalData(kind: .unknown))
        case .clonedCard: .refusal(RefusalData(kind: .cloned))
        case .blockedCard: .refusal(RefusalData(kind: .blocked))
        case .offline: .offline(.sample)
        case .diagnostics: .diagnostics(.sample)
        case .staff: .staff(fa ? .sample : .sampleEnglish)
        case .notice: .refusal(RefusalData(kind: .notice, message: fa ? "سکه‌ی کافی برای چرخش ندارید" : "Not enough coins to spin"))
        }
    }

    /// The screen with data from JSON of that screen's documented shape (docs/display.md);
    /// fields left out keep their sample values' defaults only where the shape says so.
    public static func decode(_ name: Name, json: Data) throws -> Screen {
        let decoder = JSONDecoder()
        switch name {
        case .idle: return .idle(try decoder.decode(IdleData.self, from: json))
        case .welcome: return .welcome(try decoder.decode(WelcomeData.self, from: json))
        case .wheel:
            let wheel = try decoder.decode(WheelData.self, from: json)
            guard wheel.segments.count >= 2, wheel.segments.count <= 24 else {
                throw ScreenDataError(message: "a wheel has 2 to 24 segments, this one \(wheel.segments.count)")
            }
            guard wheel.segments.indices.contains(wheel.drawn) else {
                throw ScreenDataError(message: "drawn is \(wheel.drawn), not one of the \(wheel.segments.count) segments (0-based)")
            }
            return .wheel(wheel)
        case .prize: return .prize(try decoder.decode(PrizeData.self, from: json))
        case .receipt: return .receipt(try decoder.decode(ReceiptData.self, from: json))
        case .voucher: return .voucher(try decoder.decode(VoucherData.self, from: json))
        case .catalogue: return .catalogue(try decoder.decode(CatalogueData.self, from: json))
        case .pin:
            let pin = try decoder.decode(PinData.self, from: json)
            guard (1...12).contains(pin.length), (0...pin.length).contains(pin.entered) else {
                throw ScreenDataError(message: "a PIN has 1 to 12 digits and entered is 0 to length")
            }
            return .pin(pin)
        case .enroll: return .enrollment(try decoder.decode(EnrollmentData.self, from: json))
        case .unknownCard, .clonedCard, .blockedCard: return .refusal(try decoder.decode(RefusalData.self, from: json))
        case .offline: return .offline(try decoder.decode(OfflineData.self, from: json))
        case .diagnostics: return .diagnostics(try decoder.decode(DiagnosticsData.self, from: json))
        case .staff: return .staff(try decoder.decode(StaffData.self, from: json))
        case .notice:
            let notice = try decoder.decode(RefusalData.self, from: json)
            guard notice.kind == .notice, let message = notice.message, !message.isEmpty else {
                throw ScreenDataError(message: "a notice is {\"kind\": \"notice\", \"message\": \"…\"} with a message")
            }
            return .refusal(notice)
        }
    }
}

/// One frame to draw: the screen, the locale, the size, and the time since the screen appeared
/// (animation is a function of this time, never of a clock read inside).
public struct Frame: Sendable, Equatable {
    public var screen: Screen
    public var locale: DisplayLocale
    public var width: Int
    public var height: Int
    public var time: Double

    public init(screen: Screen, locale: DisplayLocale, width: Int, height: Int, time: Double = 0) {
        self.screen = screen; self.locale = locale; self.width = width; self.height = height; self.time = time
    }

    /// Frames are numbered at 60 per second (`kiosk render --frame N`).
    public static let framesPerSecond = 60.0
}

/// Screen data that decodes but cannot be shown (a wheel of one segment, a drawn segment that does not exist).
public struct ScreenDataError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
