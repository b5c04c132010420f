/// One batch of NTAG 424 DNA cards as it was personalised: its SDM keys, which bytes its SDMMAC
/// covers, and whether the cards answer GET UID with a random ID (then the UID a reader sees is
/// not the one in PICCData, and cannot be compared). A chain with several batches lists each;
/// a SUN message is verified against them in order.
public struct SDMBatch: Sendable {
    /// A name for the diagnostics and logs ("default" for the configuration's `[cards]` keys).
    public var name: String
    public var keys: SDMKeys
    public var macInput: SDMMACInput
    /// The cards have Random ID enabled: GET UID gives a random UID, not the PICCData UID.
    public var randomID: Bool

    public init(name: String = "default", keys: SDMKeys, macInput: SDMMACInput = .default, randomID: Bool = false) {
        self.name = name
        self.keys = keys
        self.macInput = macInput
        self.randomID = randomID
    }
}

extension SDMVerifier {
    /// Verifies a SUN URL against each batch in order; the first that verifies wins. When none
    /// does, the error is that of the first batch (the one most cards belong to).
    public static func verify(url: String, batches: [SDMBatch]) throws(SDMError) -> (Verified, SDMBatch) {
        var firstError: SDMError?
        for batch in batches {
            do { return (try verify(url: url, keys: batch.keys, layout: batch.macInput), batch) } catch {
                if case .malformed = error { throw error }
                if firstError == nil { firstError = error }
            }
        }
        throw firstError ?? .malformed("no SDM batch configured")
    }
}
