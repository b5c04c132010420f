// libFuzzer harness for the scan parsers (KioskScan): every input must give a value or a typed
// error, never a crash, a trap or a hang. Built and run by Fuzz/scans (docs/scanners.md):
//   Fuzz/scans interpreter 1000000
// Targets: interpreter (ScanInterpreter with keys: member tokens, receipts, links, vouchers,
// EAN/UPC, Persian), gs1 (GS1ElementString from symbol data and from the human-readable form),
// retail (RetailCode with each kind hint), aim (SymbologyIdentifier.split).
import KioskCards
import KioskReceipts
import KioskScan

let interpreter = ScanInterpreter(
    memberKeys: try! MemberTokenKeyring(current: try! MemberTokenKey(id: "k1", Array(0..<32))),
    receipts: try! ReceiptVerifier(publicKeys: [try! ReceiptSigningKey(id: "till1", seed: Array(32..<64)).publicKey],
                                   transition: .init(key: try! ReceiptKey(Array(64..<96)), acceptedUntil: .max)))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch fuzzTarget {
    case "gs1":
        _ = try? GS1ElementString(data: bytes)
        _ = try? GS1ElementString(humanReadable: String(decoding: bytes, as: UTF8.self))
    case "retail":
        let text = String(decoding: bytes, as: UTF8.self)
        for hint in [nil, RetailCode.Kind.ean13, .ean8, .upcA, .upcE] { _ = try? RetailCode(text, kindHint: hint) }
    case "aim":
        let (id, rest) = SymbologyIdentifier.split(bytes[...])
        precondition(id == nil ? rest.count == bytes.count : rest.count == bytes.count - 3)
        _ = id?.symbology
    default:
        let meaning = interpreter.interpret(bytes)
        _ = meaning.summary
    }
    return 0
}

let fuzzTarget: String = {
    if let env = getenv("KIOSK_FUZZ_TARGET") { return String(cString: env) }
    return "interpreter"
}()

#if canImport(Glibc)
import Glibc
#endif
