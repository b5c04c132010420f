import Testing

/// Every test against the real pcscd runs inside this suite, one at a time: there is one pcscd
/// and one pair of virtual readers. The nested suites (in their own files) inherit `.serialized`.
@Suite(.serialized)
struct ReaderIntegrationTests {}
