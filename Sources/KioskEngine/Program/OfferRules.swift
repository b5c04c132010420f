import KioskCore

/// Offers and campaigns, and how several that apply at once combine.
public struct OfferRules: Sendable, Hashable, Codable {
    public enum Policy: String, Sendable, Hashable, CaseIterable, Codable {
        /// The customer gets the one offer worth the most to them in Rial (ties: the first listed).
        case best
        /// Every qualifying offer applies, within the caps.
        case stack
    }

    public var policy: Policy
    /// With `stack`: the most all offers together may be worth, as a percentage of the subtotal.
    public var stackCap: Percent?
    /// With `stack`: at most this many offers apply (the most valuable first).
    public var stackMaxOffers: Int?
    public var list: [Offer]
}

/// One offer: when it applies and what it gives.
public struct Offer: Sendable, Hashable, Codable {
    public var id: String
    public var title: String?
    /// When the offer applies; absent: always.
    public var when: Condition?
    public var benefit: OfferBenefit
}

/// What an offer gives. Every percentage is taken on the gross amount of the lines it covers
/// (before any discount), so discounts never compound; see `docs/program.md`.
public struct OfferBenefit: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
        /// A cash discount of `percent` of the covered lines.
        case discountPercent
        /// A cash discount of `amount` Rial (at most the covered lines' total).
        case discountAmount
        /// Extra wallet credit of `percent` of the covered lines.
        case extraCreditPercent
        /// Extra points: `percent` of the points the purchase earns, plus `points`.
        case extraPoints
        /// Extra coins: `coins`.
        case extraCoins
    }

    public var kind: Kind
    public var percent: Percent?
    public var amount: Rial?
    public var points: Int64?
    public var coins: Int64?
    /// Only these product groups' lines are covered; absent: the whole purchase.
    public var productGroups: [String]?
    /// The most this benefit may be worth, in Rial.
    public var maxRial: Rial?
}

/// A condition on the member and the purchase. In JSON, an object with exactly one key:
/// `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`, `{"visitsMoreThan": 10}`,
/// `{"purchaseMoreThan": 5000000}`, `{"purchaseAtLeast": 5000000}`,
/// `{"birthday": {"daysBefore": 3, "daysAfter": 3}}`, `{"anniversary": {...}}`,
/// `{"tier": ["silver"]}`, `{"customerGroup": ["silver"]}`, `{"cardGroup": ["gold-card"]}`,
/// `{"productGroup": ["dairy"]}`, `{"branch": ["br-1"]}`,
/// `{"dateRange": {"from": "2026-03-20", "until": "2026-04-02"}}`.
public indirect enum Condition: Sendable, Hashable, Codable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    /// The member's visit count, this purchase included, is greater than N.
    case visitsMoreThan(Int64)
    /// The purchase's gross subtotal is greater than N Rial.
    case purchaseMoreThan(Rial)
    case purchaseAtLeast(Rial)
    case birthday(DayWindow)
    case anniversary(DayWindow)
    case tier([String])
    case customerGroup([String])
    case cardGroup([String])
    /// The purchase has a line of one of these product groups.
    case productGroup([String])
    case branch([String])
    /// The purchase's day (program time zone), both ends inclusive.
    case dateRange(DateRange)

    public struct DayWindow: Sendable, Hashable, Codable {
        public var daysBefore: Int?
        public var daysAfter: Int?
    }

    public struct DateRange: Sendable, Hashable, Codable {
        public var from: LocalDate?
        public var until: LocalDate?
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static let keys = ["all", "any", "not", "visitsMoreThan", "purchaseMoreThan", "purchaseAtLeast", "birthday",
                       "anniversary", "tier", "customerGroup", "cardGroup", "productGroup", "branch", "dateRange"]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard container.allKeys.count == 1, let key = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a condition is an object with exactly one key, one of: \(Self.keys.joined(separator: ", "))"))
        }
        switch key.stringValue {
        case "all": self = .all(try container.decode([Condition].self, forKey: key))
        case "any": self = .any(try container.decode([Condition].self, forKey: key))
        case "not": self = .not(try container.decode(Condition.self, forKey: key))
        case "visitsMoreThan": self = .visitsMoreThan(try container.decode(Int64.self, forKey: key))
        case "purchaseMoreThan": self = .purchaseMoreThan(try container.decode(Rial.self, forKey: key))
        case "purchaseAtLeast": self = .purchaseAtLeast(try container.decode(Rial.self, forKey: key))
        case "birthday": self = .birthday(try container.decode(DayWindow.self, forKey: key))
        case "anniversary": self = .anniversary(try container.decode(DayWindow.self, forKey: key))
        case "tier": self = .tier(try container.decode([String].self, forKey: key))
        case "customerGroup": self = .customerGroup(try container.decode([String].self, forKey: key))
        case "cardGroup": self = .cardGroup(try container.decode([String].self, forKey: key))
        case "productGroup": self = .productGroup(try container.decode([String].self, forKey: key))
        case "branch": self = .branch(try container.decode([String].self, forKey: key))
        case "dateRange": self = .dateRange(try container.decode(DateRange.self, forKey: key))
        default:
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [key],
                debugDescription: "unknown condition \"\(key.stringValue)\"; known: \(Self.keys.joined(separator: ", "))"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .all(let c): try container.encode(c, forKey: Key(stringValue: "all"))
        case .any(let c): try container.encode(c, forKey: Key(stringValue: "any"))
        case .not(let c): try container.encode(c, forKey: Key(stringValue: "not"))
        case .visitsMoreThan(let n): try container.encode(n, forKey: Key(stringValue: "visitsMoreThan"))
        case .purchaseMoreThan(let r): try container.encode(r, forKey: Key(stringValue: "purchaseMoreThan"))
        case .purchaseAtLeast(let r): try container.encode(r, forKey: Key(stringValue: "purchaseAtLeast"))
        case .birthday(let w): try container.encode(w, forKey: Key(stringValue: "birthday"))
        case .anniversary(let w): try container.encode(w, forKey: Key(stringValue: "anniversary"))
        case .tier(let s): try container.encode(s, forKey: Key(stringValue: "tier"))
        case .customerGroup(let s): try container.encode(s, forKey: Key(stringValue: "customerGroup"))
        case .cardGroup(let s): try container.encode(s, forKey: Key(stringValue: "cardGroup"))
        case .productGroup(let s): try container.encode(s, forKey: Key(stringValue: "productGroup"))
        case .branch(let s): try container.encode(s, forKey: Key(stringValue: "branch"))
        case .dateRange(let r): try container.encode(r, forKey: Key(stringValue: "dateRange"))
        }
    }
}
