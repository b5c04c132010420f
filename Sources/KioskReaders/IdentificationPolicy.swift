import KioskCards

/// What the kiosk accepts as a member credential, and the keys to check them.
public struct IdentificationPolicy: Sendable {
    /// Accept a bare UID (`readers.accept_bare_uid`); UIDs can be cloned.
    public var acceptBareUID: Bool
    /// The program's member-token keys (`cards.token_key`, and the previous one during a
    /// rotation); without them tokens are refused.
    public var tokenKeys: MemberTokenKeyring?
    /// The NTAG 424 DNA card batches (SDM keys, MAC layout, Random ID), tried in order; without
    /// one SUN messages are refused.
    public var sdmBatches: [SDMBatch]
    /// The last SDM counter per UID. There is no default: without a store SUN messages are
    /// refused ("not configured"), so a wiring slip cannot turn replay protection into a
    /// memory that forgets at every restart.
    public var counters: (any SDMCounterStore)?

    public init(acceptBareUID: Bool = false, tokenKeys: MemberTokenKeyring? = nil, sdmBatches: [SDMBatch] = [],
                counters: (any SDMCounterStore)?) {
        self.acceptBareUID = acceptBareUID
        self.tokenKeys = tokenKeys
        self.sdmBatches = sdmBatches
        self.counters = counters
    }
}
