import KioskCards
import Testing

struct ATRTests {
    @Test(arguments: [
        ("3B8F8001804F0CA0000003060300030000000068", CardKind.ultralightOrNTAG),
        ("3B8F8001804F0CA000000306030001000000006A", CardKind.mifareClassic),
        ("3B8F8001804F0CA0000003060300020000000069", CardKind.mifareClassic),
        ("3B8180018080", CardKind.iso14443_4),
        ("3B8A8001006404110101000000007A", CardKind.iso14443_4),
        ("3B6800000073C84012009000", CardKind.iso7816Contact),
        ("3BDB960080B1FE451F830031C064C7FC100001900074", CardKind.iso7816Contact),
        ("", CardKind.unknown),
        ("3B", CardKind.unknown),
        ("3B8F80", CardKind.unknown),                // TD2 missing
        ("3B8180018081", CardKind.unknown),          // bad TCK
        ("3B8F8001804F0CA000000306030003", CardKind.unknown), // historical bytes cut short
        ("00112233", CardKind.unknown),
    ])
    func atrsAreClassified(hex: String, kind: CardKind) {
        #expect(ATR(Hex.bytes(hex)!).kind == kind)
    }

    @Test func randomATRsNeverCrash() {
        for _ in 0..<5000 {
            let bytes = (0..<Int.random(in: 0..<34)).map { _ in UInt8.random(in: 0...255) }
            let atr = ATR(bytes)
            #expect(atr.historicalBytes.count <= bytes.count)
        }
    }
}
