import Foundation
import KioskReceipts
import Testing

@Suite("Receipt QR payloads: KR1, signed, parsed strictly, claim rules")
struct ReceiptTests {
    static let key = try! ReceiptKey(Array("receipt-key-of-the-chain-0123456".utf8))
    static let signer = ReceiptSigner(key: key)
    static let issued: Int64 = 1_795_000_000

    static func receipt(total: Int64 = 3_500_000, lines: [ReceiptLine]? = nil) -> Receipt {
        Receipt(pos: "pos-7", receiptID: "R000123", branch: "br-tehran-1", issuedAt: issued, total: total,
                lines: lines ?? [ReceiptLine(productGroup: "dairy", amount: 2_000_000), ReceiptLine(productGroup: "bakery", amount: 1_500_000)])
    }

    func refusal(_ text: String, now: Int64 = issued + 60, policy: ReceiptClaimPolicy = ReceiptClaimPolicy()) -> ReceiptError? {
        do {
            _ = try policy.verify(text, key: Self.key, now: now)
            return nil
        } catch { return error }
    }

    @Test func aSignedReceiptRoundTrips() throws {
        let payload = Self.signer.payload(Self.receipt())
        #expect(payload.hasPrefix("KR1."))
        #expect(payload.split(separator: ".").count == 3)
        let parsed = try ReceiptClaimPolicy().verify(payload, key: Self.key, now: Self.issued + 60)
        #expect(parsed == Self.receipt())
        #expect(parsed.claimKey == "receipt:br-tehran-1:pos-7:R000123")
        #expect(parsed.legacyClaimKey == "receipt:pos-7:R000123")
    }

    @Test func anotherKeyDoesNotVerify() throws {
        let other = ReceiptSigner(key: try ReceiptKey(Array("another-key-entirely-0123456789!".utf8)))
        #expect(refusal(other.payload(Self.receipt())) == .badSignature)
    }

    @Test func aTamperedTotalOrMACIsABadSignature() throws {
        let payload = Self.signer.payload(Self.receipt())
        let parts = payload.split(separator: ".").map(String.init)
        let tamperedBody = Array("pos-7|R000123|br-tehran-1|\(Self.issued)|9500000|dairy:8000000,bakery:1500000".utf8)
        let forged = "KR1.\(Data(tamperedBody).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")).\(parts[2])"
        #expect(refusal(forged) == .badSignature)
        // One MAC character changed (still canonical base64url).
        var mac = Array(parts[2])
        mac[0] = mac[0] == "A" ? "B" : "A"
        #expect(refusal("KR1.\(parts[1]).\(String(mac))") == .badSignature)
    }

    @Test func linesThatDoNotAddUpToTheTotalAreRefusedEvenWhenSigned() {
        #expect(refusal(Self.signer.payload(Self.receipt(total: 3_500_001))) == .totalMismatch(total: 3_500_001, lines: 3_500_000))
        #expect(refusal(Self.signer.payload(Self.receipt(total: 0, lines: []))) != nil)
        let overflow = [ReceiptLine(productGroup: "a", amount: Int64.max), ReceiptLine(productGroup: "b", amount: 1)]
        #expect(refusal(Self.signer.payload(Self.receipt(total: 5, lines: overflow))) == .totalMismatch(total: 5, lines: nil))
    }

    @Test func theClaimWindowAndTheSkewAreEnforcedAtTheirEdges() {
        let payload = Self.signer.payload(Self.receipt())
        let policy = ReceiptClaimPolicy(window: 7 * 86_400, skew: 300)
        #expect(refusal(payload, now: Self.issued + 7 * 86_400, policy: policy) == nil)
        #expect(refusal(payload, now: Self.issued + 7 * 86_400 + 1, policy: policy) == .expired)
        #expect(refusal(payload, now: Self.issued - 300, policy: policy) == nil)
        #expect(refusal(payload, now: Self.issued - 301, policy: policy) == .fromTheFuture)
    }

    @Test func malformedPayloadsGiveTypedErrors() {
        let payload = Self.signer.payload(Self.receipt())
        let parts = payload.split(separator: ".").map(String.init)
        #expect(refusal("") == .malformed("not KR1.<body>.<mac>"))
        #expect(refusal("garbage") == .malformed("not KR1.<body>.<mac>"))
        #expect(refusal("KR2.\(parts[1]).\(parts[2])") == .unsupportedVersion("KR2"))
        #expect(refusal("KR1..\(parts[2])") == .malformed("bad body encoding"))
        #expect(refusal("KR1.\(parts[1]).") == .malformed("bad MAC encoding"))
        #expect(refusal("KR1.\(parts[1]).\(parts[2].dropLast(2))") == .malformed("bad MAC encoding"))
        #expect(refusal("KR1.\(parts[1]).\(parts[2]).x") == .malformed("not KR1.<body>.<mac>"))
        #expect(refusal("KR1.\(parts[1])=.\(parts[2])") == .malformed("bad body encoding"))
        #expect(refusal("KR1.a+b/.\(parts[2])") == .malformed("bad body encoding"))
        // Truncated anywhere: never accepted, never a crash.
        for n in 0..<payload.count {
            #expect(refusal(String(payload.prefix(n))) != nil, "prefix \(n) accepted")
        }
        #expect(refusal(String(repeating: "A", count: Receipt.maxPayloadBytes + 1)) == .tooLarge(Receipt.maxPayloadBytes + 1))
        #expect(refusal("KR1.\u{0}\u{FF}.é") != nil)
    }

    @Test func signedButMalformedBodiesGiveTypedErrors() {
        func signedBody(_ body: String) -> ReceiptError? {
            // Sign an arbitrary body the way a till would, with an independent HMAC.
            let head = "KR1." + Data(body.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            return refusal(head + "." + Self.macForTest(head))
        }
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|5|a:5") == nil)
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|5") == .malformed("the body has 5 fields, not 6"))
        #expect(signedBody("pos 7|R1|br|\(Self.issued)|5|a:5") == .malformed("bad pos"))
        #expect(signedBody("pos-7||br|\(Self.issued)|5|a:5") == .malformed("bad receipt id"))
        #expect(signedBody("pos-7|R1|br|-1|5|a:5") == .malformed("bad issue instant"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|05|a:5") == .malformed("bad total"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|99999999999999999999|a:5") == .malformed("bad total"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|9999999999999999999|a:5") == .malformed("total too large"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|5|a5") == .malformed("line 1 is not <group>:<amount>"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|5|a:5,b:0") == .malformed("amount of line 2 is zero"))
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|5|a:5.0") == .malformed("bad amount of line 1"))
        let many = (0...Receipt.maxLines).map { _ in "a:1" }.joined(separator: ",")
        #expect(signedBody("pos-7|R1|br|\(Self.issued)|\(Receipt.maxLines + 1)|\(many)") == .malformed("more than \(Receipt.maxLines) lines"))
    }

    @Test func aShortKeyIsRefused() {
        #expect(throws: ReceiptError.weakKey) { try ReceiptKey(Array("short".utf8)) }
    }

    /// HMAC-SHA256 of `head` with the test key, base64url, computed independently of the module.
    static func macForTest(_ head: String) -> String {
        HMACTest.base64url(HMACTest.mac(Array(head.utf8), key: Array("receipt-key-of-the-chain-0123456".utf8)))
    }
}
