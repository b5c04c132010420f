import Foundation

/// A kiosk as the central knows it, found by the hash of its device token.
public struct CentralDevice: Sendable, Hashable, Codable {
    public var kioskID: String
    public var branchID: String
    /// The SHA-256 (lower-case hex) of the DER of the client certificate this kiosk must present
    /// over TLS (`add-device --client-certificate`); nil: its token alone.
    public var certificateSHA256: String?

    public init(kioskID: String, branchID: String, certificateSHA256: String? = nil) {
        self.kioskID = kioskID
        self.branchID = branchID
        self.certificateSHA256 = certificateSHA256
    }
}

/// An event as a kiosk uploaded it, its body in canonical JSON (sorted keys).
public struct IncomingEvent: Sendable, Hashable {
    public var id: String
    public var sequence: Int64
    public var type: String
    public var occurredAt: Date
    public var programVersion: String?
    public var memberID: String?
    public var claims: [IncomingClaim]
    public var body: Data

    public init(id: String, sequence: Int64, type: String, occurredAt: Date, programVersion: String?,
                memberID: String?, claims: [IncomingClaim], body: Data) {
        self.id = id
        self.sequence = sequence
        self.type = type
        self.occurredAt = occurredAt
        self.programVersion = programVersion
        self.memberID = memberID
        self.claims = claims
        self.body = body
    }

    /// What makes two uploads of one id the same event: its type and body.
    public var fingerprint: String { CentralHash.hex(Data(type.utf8) + [0] + body) }
}

public struct IncomingClaim: Sendable, Hashable {
    public var kind: String
    public var key: String
    public var reversal: [CentralPosting]

    public init(kind: String, key: String, reversal: [CentralPosting]) {
        self.kind = kind
        self.key = key
        self.reversal = reversal
    }
}

public struct CentralPosting: Sendable, Hashable, Codable {
    public var account: String
    public var amount: Int64

    public init(account: String, amount: Int64) {
        self.account = account
        self.amount = amount
    }
}

/// The server's answer for one event.
public struct EventVerdict: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case accepted, duplicate, rejected }
    public var id: String
    public var status: Status
    public var reason: String?
}

/// An event as the central stores it, in the order it was received.
public struct StoredCentralEvent: Sendable, Hashable {
    public var kioskID: String
    public var id: String
    public var sequence: Int64
    public var type: String
    public var body: Data
    /// The server's own arrival order, over all kiosks.
    public var arrival: Int64
}

/// Who holds a once-only key.
public struct ClaimHolder: Sendable, Hashable {
    public var kioskID: String
    public var eventID: String
    public var since: Date
}

public struct CentralCorrection: Sendable, Hashable {
    public var id: String
    public var cursor: Int64
    public var kioskID: String
    public var memberID: String
    public var account: String
    public var amount: Int64
    public var reason: String
    public var relatedEventID: String?
    public var createdAt: Date
}

public struct CentralMember: Sendable, Hashable, Codable {
    public var id: String
    public var status: String
    public var tier: String?
    public var cards: [String]
    public var tokens: [String]
    public var balances: [String: Int64]

    public init(id: String, status: String = "active", tier: String? = nil, cards: [String] = [], tokens: [String] = [],
                balances: [String: Int64] = [:]) {
        self.id = id
        self.status = status
        self.tier = tier
        self.cards = cards
        self.tokens = tokens
        self.balances = balances
    }
}

/// A storage failure the HTTP layer reports as 503 (try again), never as a rejection.
public struct CentralStorageError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
