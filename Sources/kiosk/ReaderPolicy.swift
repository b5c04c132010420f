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
        var tokenKey: MemberTokenKey?
        if let secret = configuration.cards.tokenKey {
            do { tokenKey = try MemberTokenKey(Array(secret.reveal().utf8)) } catch {
                throw fail("cards.token_key (\(secret.origin)) is shorter than 16 bytes", KioskExit.dataError)
            }
        }
        return IdentificationPolicy(acceptBareUID: configuration.readers.acceptBareUID, tokenKey: tokenKey,
                                    sdmKeys: try sdmKeys(configuration), counters: counters)
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

    func advanceSDMCounter(uid: String, to counter: UInt32) throws -> UInt32? {
        guard let store, let last = try store.sdmCounter(uid: uid) else { return nil }
        return counter <= last ? last : nil
    }
}
