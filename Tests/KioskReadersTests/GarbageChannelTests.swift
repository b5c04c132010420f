import KioskCards
import KioskPCSC
import KioskReaders
import Testing

/// The identifier against answers no real card gives, without pcscd: every answer sequence ends
/// in a typed outcome, never a crash or an over-read. The channel here stands for the card.
struct GarbageChannelTests {
    /// Answers from a deterministic generator: random lengths and bytes, sometimes a valid
    /// status word after random data.
    final class RandomChannel: APDUChannel {
        var state: UInt64
        var sent = 0
        init(seed: UInt64) { state = seed }

        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        func transmit(_ command: CommandAPDU) throws(PCSCError) -> ResponseAPDU? {
            sent += 1
            let count = Int(next() % 40)
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
            if next() % 2 == 0 { bytes += [0x90, 0x00] }
            return try? ResponseAPDU(bytes)
        }
    }

    @Test func randomAnswersAlwaysEndInATypedOutcome() {
        let identifier = CardIdentifier(policy: IdentificationPolicy(acceptBareUID: true, counters: nil))
        let atrs = [
            ATR(Hex.bytes("3B8F8001804F0CA0000003060300030000000068")!),
            ATR(Hex.bytes("3B8180018080")!),
            ATR(Hex.bytes("3B8F8001804F0CA000000306030001000000006A")!),
        ]
        for seed in 0..<3000 {
            let atr = atrs[seed % atrs.count]
            let channel = RandomChannel(seed: UInt64(seed))
            let tap = identifier.identify(reader: "r", atr: atr.bytes, channel: channel)
            #expect(tap.apdus == channel.sent)
            #expect(tap.apdus <= 80, "a read ends: at most the tag's size in reads")
            if case .identified(let credential) = tap.outcome {
                // Only a bare UID can come out of random answers (no key signs them).
                guard case .bareUID = credential else {
                    Issue.record("random answers identified \(credential)")
                    return
                }
            }
        }
    }

    @Test func pcscErrorsHaveTheirNamesAndMeanings() {
        #expect(PCSCError.noService.name.hasPrefix("SCARD_E_NO_SERVICE"))
        #expect(PCSCError.removedCard.name.hasPrefix("SCARD_W_REMOVED_CARD"))
        #expect(PCSCError.noService.meansServiceLost)
        #expect(PCSCError.removedCard.meansCardGone)
        #expect(!PCSCError.sharingViolation.meansCardGone)
        #expect(PCSCError(code: 0x1234).name.contains("0x1234"))
        #expect(PCSCError.timeout.during("SCardGetStatusChange").description.hasPrefix("SCardGetStatusChange: SCARD_E_TIMEOUT"))
    }
}
