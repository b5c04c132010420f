import KioskCards

/// What the kiosk accepts as a member credential, and the keys to check them.
public struct IdentificationPolicy: Sendable {
    /// Accept a bare UID (`readers.accept_bare_uid`); UIDs can be cloned.
    public var acceptBareUID: Bool
    /// The program's member-token key (`cards.token_key`); without it tokens are refused.
    public var tokenKey: MemberTokenKey?
    /// The NTAG 424 DNA SDM keys; without them SUN messages are refused.
    public var sdmKeys: SDMKeys?
    /// The last SDM counter per UID.
    public var counters: any SDMCounterStore

    public init(acceptBareUID: Bool = false, tokenKey: MemberTokenKey? = nil, sdmKeys: SDMKeys? = nil,
                counters: any SDMCounterStore = InMemorySDMCounters()) {
        self.acceptBareUID = acceptBareUID
        self.tokenKey = tokenKey
        self.sdmKeys = sdmKeys
        self.counters = counters
    }
}
