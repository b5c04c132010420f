import Crypto
import Foundation
@testable import KioskCards
import KioskHMAC
import Testing

/// The key set up once: every MAC is the one-shot HMAC-SHA256 of its message, whatever came
/// before it and on whichever thread (a prepared state that a MAC mutated would give the next
/// message a wrong MAC).
@Suite struct PreparedHMACTests {
    static let key = Array(UInt8(0)..<32)

    static func oneShot(_ message: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key)))
    }

    @Test func rfc4231TestCase2() {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?".
        let hmac = PreparedHMAC(key: Array("Jefe".utf8))
        #expect(Hex.string(hmac.mac(Array("what do ya want for nothing?".utf8))).lowercased()
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func eachMACIsTheOneShotMACWhateverCameBefore() {
        let hmac = PreparedHMAC(key: Self.key)
        for length in [0, 1, 55, 56, 63, 64, 65, 200, 0, 3] {
            let message = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 7) }
            #expect(hmac.mac(message) == Self.oneShot(message), "length \(length)")
        }
    }

    @Test func oneKeySharedByConcurrentVerifications() async {
        let hmac = PreparedHMAC(key: Self.key)
        let wrong = await withTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    var wrong = 0
                    for i in 0..<500 {
                        let message = Array("KM2.k1.M-\(task)-\(i).-.20261201".utf8)
                        if hmac.mac(message) != Self.oneShot(message) { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(wrong == 0)
    }
}
