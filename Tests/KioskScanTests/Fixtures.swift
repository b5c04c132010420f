import KioskCards
import KioskCore
import KioskReceipts
@testable import KioskScan

enum Fixtures {
    static let memberKey = try! MemberTokenKey(id: "k1", Array(0..<32))
    /// Another key under the same id: a token it signs does not verify.
    static let otherMemberKey = try! MemberTokenKey(id: "k1", Array(100..<132))
    static let memberKeys = try! MemberTokenKeyring(current: memberKey)
    static let issued = TokenDay(year: 2026, month: 11, day: 20)!
    static let receiptSigningKey = try! ReceiptSigningKey(id: "till7", seed: Array(32..<64))
    /// The old shared HMAC key, read until `kr1AcceptedUntil`.
    static let receiptKey = try! ReceiptKey(Array(64..<96))
    static let kr1AcceptedUntil: Int64 = 1_796_000_000
    static let receipts = try! ReceiptVerifier(publicKeys: [receiptSigningKey.publicKey],
                                               transition: .init(key: receiptKey, acceptedUntil: kr1AcceptedUntil))
    static let interpreter = ScanInterpreter(memberKeys: memberKeys, receipts: receipts)

    static func token(_ member: String = "M-1001", uid: [UInt8]? = nil, key: MemberTokenKey = memberKey) -> String {
        MemberToken(member: MemberID(rawValue: member), boundUID: uid, issued: issued).signed(with: key)
    }

    /// The token a reader gets from the same signed text (KioskCards' own verification).
    static func member(_ id: String = "M-1001") -> MemberToken {
        try! MemberToken.verify(token(id), keys: memberKeys, cardUID: nil)
    }

    static let receipt = Receipt(pos: "pos-7", receiptID: "R000123", branch: "br-tehran-1", issuedAt: 1_795_000_000,
                                 total: 8_000_000, lines: [ReceiptLine(productGroup: "dairy", amount: 2_000_000),
                                                           ReceiptLine(productGroup: "bakery", amount: 6_000_000)])
    static var receiptPayload: String { try! receiptSigningKey.payload(receipt) }
    static var kr1Payload: String { ReceiptSigner(key: receiptKey).payload(receipt) }
}
