import Foundation
import Testing

/// `kiosk receipt` as a chain uses it: a till's key pair, a till signing, a kiosk verifying with
/// the public key only, and the end of the HMAC transition.
@Suite struct ReceiptCommandTests {
    @Test func aTillSignsWithItsPrivateKeyAndAKioskVerifiesWithThePublicOne() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let made = try kiosk.run("receipt", "keygen", "t1", "--out", kiosk.home)
        #expect(made.status == 0, "\(made.stderr)")
        let privateKey = kiosk.home + "/t1.key", publicKey = kiosk.home + "/t1.pub"
        let mode = try FileManager.default.attributesOfItem(atPath: privateKey)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        #expect(try kiosk.run("receipt", "keygen", "t1", "--out", kiosk.home).status == 73, "an existing key is never overwritten")

        let signed = try kiosk.run("receipt", "sign", "--key", privateKey, "--pos", "pos-7", "--receipt", "R1", "--branch", "b1",
                                   "--issued", "1795000000", "--line", "dairy:2000000", "--line", "bakery:6000000")
        #expect(signed.status == 0, "\(signed.stderr)")
        let payload = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(payload.hasPrefix("KR2.t1."))

        let verified = try kiosk.run("receipt", "verify", payload, "--public-key", publicKey, "--now", "1795000060")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("genuine: pos-7 R1 at b1, issued 1795000000, total 8000000 Rial, 2 line(s)"))

        // Configured public keys, and a kiosk that does not hold t1.
        let other = try kiosk.run("receipt", "keygen", "t2", "--out", kiosk.home)
        #expect(other.status == 0)
        let config = try kiosk.file("kiosk.toml", "[receipts]\npublic_key_files = [\"t2.pub\"]\n")
        let unknown = try kiosk.run("receipt", "verify", payload, "--config", config, "--now", "1795000060")
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("refused: receipt.unknownKey"), "\(unknown.stderr)")
        let stale = try kiosk.run("receipt", "verify", payload, "--public-key", publicKey, "--now", "1796000000")
        #expect(stale.status == 65)
        #expect(stale.stderr.contains("refused: receipt.expired"), "\(stale.stderr)")
    }

    @Test func aPrivateKeyOthersCanReadIsRefused() throws {
        let kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        let path = try kiosk.file("t1.key", String(repeating: "ab", count: 32))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let result = try kiosk.run("receipt", "sign", "--key", path, "--pos", "p", "--receipt", "r", "--branch", "b", "--line", "g:1")
        #expect(result.status == 65)
        #expect(result.stderr.contains("chmod 600"), "\(result.stderr)")
    }

    @Test func anHMACKeyNeedsTheEndOfItsTransition() throws {
        var kiosk = try KioskProcess()
        defer { kiosk.cleanUp() }
        kiosk.environment["KIOSK_RECEIPT_KEY"] = String(repeating: "cd", count: 32)
        let config = try kiosk.file("kiosk.toml", "[receipts]\n")
        let result = try kiosk.run("config", "check", config)
        #expect(result.status == 65)
        #expect(result.stderr.contains("receipts.hmac_accepted_until"), "\(result.stderr)")
    }
}
