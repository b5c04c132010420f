import Foundation
import KioskConfig
import KioskReceipts

/// The receipt settings of a configuration, for the receipt commands (and the scan flow).
enum ReceiptPolicy {
    /// The verifier: the tills' public keys (`receipts.public_key_files`, or the files given),
    /// and the KR1 HMAC key until `receipts.hmac_accepted_until`.
    static func verifier(_ configuration: KioskConfiguration, publicKeyFiles: [String]? = nil) throws -> ReceiptVerifier {
        let keys = try (publicKeyFiles ?? configuration.receipts.publicKeyFiles).map(publicKey)
        var transition: ReceiptVerifier.HMACTransition?
        if let secret = configuration.receipts.key, let until = configuration.receipts.hmacAcceptedUntil {
            guard let bytes = secret.keyBytes(), let key = try? ReceiptKey(bytes) else {
                throw fail("receipts.key (\(secret.origin)) must be 32 random bytes; \(KeyMaterial.howToMake)", KioskExit.dataError)
            }
            transition = .init(key: key, acceptedUntil: until)
        }
        do { return try ReceiptVerifier(publicKeys: keys, transition: transition) } catch {
            throw fail("receipt public keys: \(error)", KioskExit.dataError)
        }
    }

    /// A public key file: 32 bytes in hex or base64; its name without `.pub` is the key id.
    static func publicKey(_ path: String) throws -> ReceiptPublicKey {
        let id = keyID(path, suffix: ".pub")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("cannot read the receipt public key \(path)", KioskExit.noInput)
        }
        guard let raw = KeyMaterial.bytes32(String(decoding: data, as: UTF8.self)), let key = try? ReceiptPublicKey(id: id, raw: raw) else {
            throw fail("\(path) is not a receipt public key (32 bytes in hex or base64, named <key id>.pub with an id of "
                       + "1 to 16 of A-Z a-z 0-9 _ -)", KioskExit.dataError)
        }
        return key
    }

    /// A private key file (mode 600): the 32-byte Ed25519 seed in hex or base64; its name
    /// without `.key` is the key id unless one is given.
    static func signingKey(_ path: String, id: String?) throws -> ReceiptSigningKey {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let data = FileManager.default.contents(atPath: path) else {
            throw fail("cannot read the receipt private key \(path)", KioskExit.noInput)
        }
        if let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0 {
            throw fail("the receipt private key \(path) is readable by others (mode \(String(mode, radix: 8))); chmod 600 it",
                       KioskExit.dataError)
        }
        let keyID = id ?? keyID(path, suffix: ".key")
        guard let seed = KeyMaterial.bytes32(String(decoding: data, as: UTF8.self)), let key = try? ReceiptSigningKey(id: keyID, seed: seed) else {
            throw fail("\(path) is not a receipt private key (32 bytes in hex or base64, with a key id of 1 to 16 of "
                       + "A-Z a-z 0-9 _ -); make a pair with `kiosk receipt keygen`", KioskExit.dataError)
        }
        return key
    }

    private static func keyID(_ path: String, suffix: String) -> String {
        let name = (path as NSString).lastPathComponent
        return name.hasSuffix(suffix) ? String(name.dropLast(suffix.count)) : name
    }
}
