import Foundation
import KioskCards
import KioskConfig
import KioskReaders
import KioskStore

/// The store keeps the SDM counters the reader service checks.
extension KioskStore: SDMCounterStore {}

/// The reader settings of a configuration, for the reader commands.
enum ReaderPolicy {
    /// The reader-name filter of `readers.allow` / `readers.ignore`.
    static func filter(_ configuration: KioskConfiguration) -> ReaderNameFilter {
        ReaderNameFilter(allow: configuration.readers.allow, ignore: configuration.readers.ignore)
    }

    /// Whether to give LED/buzzer feedback, and the models set by name pattern
    /// (`readers.feedback`, `readers.feedback_acr122`, `readers.feedback_acr1252`).
    static func feedbackOverrides(_ configuration: KioskConfiguration) -> [(pattern: String, model: ReaderFeedback.Model)] {
        configuration.readers.feedbackACR122.map { ($0, .acr122) } + configuration.readers.feedbackACR1252.map { ($0, .acr1252) }
    }

    /// How long one read of a card may take (`readers.card_timeout_ms`).
    static func cardTimeout(_ configuration: KioskConfiguration) -> Duration {
        .milliseconds(configuration.readers.cardTimeoutMilliseconds)
    }

    /// The identification policy: bare UIDs as configured, the token key from `cards.token_key`,
    /// the SDM keys from `cards.sdm_meta_key` / `cards.sdm_file_key` (files or environment).
    static func identification(_ configuration: KioskConfiguration, counters: any SDMCounterStore) throws -> IdentificationPolicy {
        return IdentificationPolicy(acceptBareUID: configuration.readers.acceptBareUID, tokenKeys: try tokenKeys(configuration),
                                    sdmBatches: try sdmBatches(configuration), counters: counters)
    }

    /// The member-token keys: `cards.token_key` (signs, with `token_key_id`) and, during a
    /// rotation, `cards.previous_token_key`. The configuration has checked their form; this is
    /// the same check, typed.
    static func tokenKeys(_ configuration: KioskConfiguration) throws -> MemberTokenKeyring? {
        guard let secret = configuration.cards.tokenKey else { return nil }
        func key(_ secret: Secret, id: String, _ name: String) throws -> MemberTokenKey {
            guard let bytes = secret.keyBytes(), let key = try? MemberTokenKey(id: id, bytes) else {
                throw fail("\(name) (\(secret.origin)) must be 32 random bytes, as 64 hex digits or base64, with an id of 1 to 4 "
                           + "letters or digits; \(KeyMaterial.howToMake)", KioskExit.dataError)
            }
            return key
        }
        let current = try key(secret, id: configuration.cards.tokenKeyID, "cards.token_key")
        let previous = try configuration.cards.previousTokenKey.map {
            try key($0, id: configuration.cards.previousTokenKeyID ?? "", "cards.previous_token_key")
        }
        do { return try MemberTokenKeyring(current: current, previous: previous) } catch {
            throw fail("cards.previous_token_key_id must differ from cards.token_key_id", KioskExit.dataError)
        }
    }

    /// The configuration's NTAG 424 DNA batches, in the order they are tried: the `[cards]` keys
    /// ("default"), then each `[[cards.sdm_batches]]`, with their keys, MAC layout and Random ID.
    static func sdmBatches(_ configuration: KioskConfiguration) throws -> [SDMBatch] {
        var batches: [SDMBatch] = []
        if let keys = try sdmKeys(configuration) {
            batches.append(SDMBatch(keys: keys, macInput: macInput(configuration.cards.sdmMACInput), randomID: configuration.cards.sdmRandomID))
        }
        for batch in configuration.cards.sdmBatches {
            guard let meta = Hex.bytes(batch.metaKey.reveal()), let file = Hex.bytes(batch.fileKey.reveal()),
                  let keys = try? SDMKeys(metaRead: meta, fileRead: file) else {
                throw fail("the SDM keys of card batch \(batch.name) (\(batch.metaKey.origin), \(batch.fileKey.origin)) must be 32 hex digits each",
                           KioskExit.dataError)
            }
            batches.append(SDMBatch(name: batch.name, keys: keys, macInput: macInput(batch.macInput), randomID: batch.randomID))
        }
        return batches
    }

    /// `cards.sdm_mac_input` as the card code names it.
    static func macInput(_ configuration: KioskConfiguration) -> SDMMACInput { macInput(configuration.cards.sdmMACInput) }

    static func macInput(_ setting: KioskConfiguration.SDMMACInput) -> SDMMACInput {
        switch setting {
        case .empty: .empty
        case .piccData: .piccData
        }
    }

    /// The SDM keys of the configuration, or nil when none are configured. The configuration
    /// has checked that they come in a pair of 32 hex digits each.
    static func sdmKeys(_ configuration: KioskConfiguration) throws -> SDMKeys? {
        guard let meta = configuration.cards.sdmMetaKey, let file = configuration.cards.sdmFileKey else { return nil }
        guard let metaBytes = Hex.bytes(meta.reveal()), let fileBytes = Hex.bytes(file.reveal()),
              let keys = try? SDMKeys(metaRead: metaBytes, fileRead: fileBytes) else {
            throw fail("the SDM keys (\(meta.origin), \(file.origin)) must be 32 hex digits each", KioskExit.dataError)
        }
        return keys
    }
}

/// SDM counters checked against the store without recording anything (for diagnostics): a
/// counter is fresh when it is above the stored one.
struct ReadOnlySDMCounters: SDMCounterStore {
    let store: KioskStore?

    func advanceSDMCounter(uid: String, to counter: UInt32, identification: String) throws -> UInt32? {
        guard let store, let last = try store.sdmCounter(uid: uid) else { return nil }
        return counter <= last ? last : nil
    }
}
