import Foundation
import KioskReceipts
import Testing

/// KR2: Ed25519 receipts. Tills sign with a private key; kiosks hold public keys only.
@Suite struct SignedReceiptTests {
    /// RFC 8032's first Ed25519 test key, with id `t1` (the documented known-answer vector).
    static let seedHex = "9D61B19DEFFD5A60BA844AF492EC2CC44449C5697B326919703BAC031CAE7F60"
    static let publicHex = "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A"
    /// Signed by Python's `cryptography` (an implementation other than the module's), not by the
    /// code under test.
    static let vector = "KR2.t1.cG9zLTd8UjAwMDEyM3xici10ZWhyYW4tMXwxNzk1MDAwMDAwfDgwMDAwMDB8ZGFpcnk6MjAwMDAwMCxiYWtlcnk6NjAwMDAwMA"
        + ".1YsO8sr0NPGRHklc1XjC-_ZIfx-j8LDP9m314k3iA69412lH3ybRhojaKvF9Fi_VAbWpVhAnwaxxzN0czwetDw"
    static let receipt = Receipt(pos: "pos-7", receiptID: "R000123", branch: "br-tehran-1", issuedAt: 1_795_000_000, total: 8_000_000,
                                 lines: [ReceiptLine(productGroup: "dairy", amount: 2_000_000), ReceiptLine(productGroup: "bakery", amount: 6_000_000)])
    static let now: Int64 = 1_795_000_060

    static func bytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            out.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return out
    }

    static let till = try! ReceiptSigningKey(id: "t1", seed: bytes(seedHex))
    static let publicKey = try! ReceiptPublicKey(id: "t1", raw: bytes(publicHex))

    @Test func theKnownAnswerVectorVerifiesWithThePublicKeyAlone() throws {
        let verifier = try ReceiptVerifier(publicKeys: [Self.publicKey])
        #expect(try verifier.parse(Self.vector, now: Self.now) == Self.receipt)
        #expect(Self.till.publicKey.raw == Self.bytes(Self.publicHex))
        #expect(try Self.till.payload(Self.receipt) == Self.vector, "Ed25519 is deterministic: the till's signer gives the vector")
    }

    @Test func aSignatureByAnotherPrivateKeyUnderTheSameIDIsRefused() throws {
        let forger = try ReceiptSigningKey(id: "t1", seed: Array(repeating: 0x42, count: 32))
        let verifier = try ReceiptVerifier(publicKeys: [Self.publicKey])
        #expect(throws: ReceiptError.badSignature) { try verifier.parse(try forger.payload(Self.receipt), now: Self.now) }
        var edited = Array(Self.vector.utf8)
        edited[20] = edited[20] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: ReceiptError.self) { try verifier.parse(String(decoding: edited, as: UTF8.self), now: Self.now) }
    }

    @Test func severalPublicKeysRotateAndARetiredOneIsUnknown() throws {
        let next = try ReceiptSigningKey(id: "t2", seed: Array(0..<32))
        let both = try ReceiptVerifier(publicKeys: [Self.publicKey, next.publicKey])
        #expect(try both.parse(Self.vector, now: Self.now) == Self.receipt)
        #expect(try both.parse(try next.payload(Self.receipt), now: Self.now) == Self.receipt)
        let retired = try ReceiptVerifier(publicKeys: [next.publicKey])
        #expect(throws: ReceiptError.unknownKey("t1")) { try retired.parse(Self.vector, now: Self.now) }
        #expect(throws: ReceiptError.self) { try ReceiptVerifier(publicKeys: [Self.publicKey, Self.publicKey]) }
    }

    @Test func hmacReceiptsAreReadDuringTheTransitionOnly() throws {
        let hmac = try ReceiptKey(Array(0..<32))
        let old = ReceiptSigner(key: hmac).payload(Self.receipt)
        let until = Self.now + 1
        let verifier = try ReceiptVerifier(publicKeys: [Self.publicKey], transition: .init(key: hmac, acceptedUntil: until))
        #expect(try verifier.parse(old, now: Self.now) == Self.receipt)
        #expect(throws: ReceiptError.retiredFormat(until: until)) { try verifier.parse(old, now: until) }
        #expect(throws: ReceiptError.retiredFormat(until: nil)) { try ReceiptVerifier(publicKeys: [Self.publicKey]).parse(old, now: Self.now) }
        #expect(try verifier.parse(Self.vector, now: until + 86_400) == Self.receipt, "KR2 goes on after the transition")
    }

    @Test(arguments: ["KR2", "KR2.t1.x", "KR2.t 1.cG9z.AAAA", "KR2.t1..AAAA", "KR2.t1.cG9zLTd8.AAAA", "KR3.t1.cG9z.AAAA",
                      "KR2.t1.cG9zLTd8UjAwMDEyM3xici10ZWhyYW4tMXwxNzk1MDAwMDAwfDgwMDAwMDB8ZGFpcnk6MjAwMDAwMCxiYWtlcnk6NjAwMDAwMA.1YsO"])
    func malformedSignedPayloadsAreTypedErrors(text: String) throws {
        let verifier = try ReceiptVerifier(publicKeys: [Self.publicKey])
        #expect(throws: ReceiptError.self) { try verifier.parse(text, now: Self.now) }
    }

    @Test func keysMustBe32BytesWithAnID() {
        #expect(throws: ReceiptError.weakKey) { try ReceiptSigningKey(id: "t1", seed: [1, 2, 3]) }
        #expect(throws: ReceiptError.weakKey) { try ReceiptPublicKey(id: "t1", raw: Array(repeating: 1, count: 31)) }
        #expect(throws: ReceiptError.self) { try ReceiptSigningKey(id: "", seed: Array(0..<32)) }
        #expect(throws: ReceiptError.self) { try ReceiptSigningKey(id: String(repeating: "t", count: 17), seed: Array(0..<32)) }
    }
}
