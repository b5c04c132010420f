import ArgumentParser
import Foundation
import KioskReceipts

/// `kiosk receipt`: Ed25519 receipt keys, signing (as a till does) and verifying (as a kiosk does).
struct ReceiptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "receipt",
        abstract: "Receipt QR payloads: make a till key pair, sign a receipt as a till, verify one as a kiosk.",
        discussion: """
            Receipts are KR2: signed by a till's Ed25519 private key, verified with public keys only, so a \
            kiosk cannot forge what it verifies. KR1 (the old shared HMAC key) is read until \
            receipts.hmac_accepted_until, then refused. See docs/receipts.md.
            """,
        subcommands: [ReceiptKeygenCommand.self, ReceiptSignCommand.self, ReceiptVerifyCommand.self])
}

/// `kiosk receipt keygen ID --out DIR`: a new key pair, `ID.key` (mode 600) and `ID.pub`.
struct ReceiptKeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a till's Ed25519 key pair: DIR/ID.key (private, mode 600, for the till) and DIR/ID.pub (for the kiosks).")

    @Argument(help: "The key id (1 to 16 of A-Z a-z 0-9 _ -), written in every receipt the key signs.")
    var id: String

    @Option(help: "The directory to write the two files to.")
    var out: String = "."

    func run() throws {
        let privatePath = out + "/" + id + ".key", publicPath = out + "/" + id + ".pub"
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw fail("\(path) exists; not overwriting a key", KioskExit.cannotCreate)
        }
        // Any 32 random bytes are an Ed25519 seed; the system's generator is the kernel's.
        var generator = SystemRandomNumberGenerator()
        let seed = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let key: ReceiptSigningKey
        do { key = try ReceiptSigningKey(id: id, seed: seed) } catch {
            throw ValidationError("a key id is 1 to 16 of A-Z a-z 0-9 _ -")
        }
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() + "\n" }
        guard FileManager.default.createFile(atPath: privatePath, contents: Data(hex(seed).utf8), attributes: [.posixPermissions: 0o600]),
              FileManager.default.createFile(atPath: publicPath, contents: Data(hex(key.publicKey.raw).utf8)) else {
            throw fail("cannot write the key files in \(out)", KioskExit.cannotCreate)
        }
        print("wrote \(privatePath) (the till's; keep it secret) and \(publicPath) (for receipts.public_key_files)")
    }
}

/// `kiosk receipt sign --key FILE …`: a KR2 payload, as a till prints it in its QR code.
struct ReceiptSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a receipt as a till does and print its KR2 payload (tests, demos, the tills' reference).")

    @Option(help: "The till's private key file (mode 600; 32 bytes in hex or base64; made by `kiosk receipt keygen`).")
    var key: String

    @Option(help: "The key id (default: the key file's name without .key).")
    var keyID: String?

    @Option var pos: String
    @Option var receipt: String
    @Option var branch: String

    @Option(help: "The instant of issue, seconds since 1970 (default: now).")
    var issued: Int64?

    @Option(name: .customLong("line"), help: "A line GROUP:RIAL (repeat for each line); the total is their sum.")
    var lines: [String]

    func run() throws {
        let signingKey = try ReceiptPolicy.signingKey(key, id: keyID)
        var parsed: [ReceiptLine] = []
        for line in lines {
            let pair = line.split(separator: ":")
            guard pair.count == 2, let amount = Int64(pair[1]), amount > 0 else { throw ValidationError("--line is GROUP:RIAL, not \(line)") }
            parsed.append(ReceiptLine(productGroup: String(pair[0]), amount: amount))
        }
        let total = parsed.reduce(Int64(0)) { $0 + $1.amount }
        let receipt = Receipt(pos: pos, receiptID: self.receipt, branch: branch,
                              issuedAt: issued ?? Int64(Date().timeIntervalSince1970), total: total, lines: parsed)
        print(try signingKey.payload(receipt))
    }
}

/// `kiosk receipt verify PAYLOAD`: what a kiosk concludes from a receipt QR code.
struct ReceiptVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a receipt payload with the public keys (receipts.public_key_files, or --public-key) and the claim rules.",
        discussion: "Exit status 0 when genuine and claimable now, 65 when refused (the reason's code is printed).")

    @Argument(help: "The payload (KR2.… or, during the transition, KR1.…).")
    var payload: String

    @Option(name: .customLong("public-key"), help: "A public key file <key id>.pub (repeat; default: receipts.public_key_files).")
    var publicKeys: [String] = []

    @Option(help: "Check at this instant, seconds since 1970 (default: now).")
    var now: Int64?

    @OptionGroup var options: CommonOptions

    func run() throws {
        let configuration = try options.loadConfiguration()
        let verifier = try ReceiptPolicy.verifier(configuration, publicKeyFiles: publicKeys.isEmpty ? nil : publicKeys)
        let policy = ReceiptClaimPolicy(window: Int64(configuration.receipts.claimWindowDays) * 86_400)
        do {
            let receipt = try policy.verify(payload, verifier: verifier, now: now ?? Int64(Date().timeIntervalSince1970))
            print("genuine: \(receipt.pos) \(receipt.receiptID) at \(receipt.branch), issued \(receipt.issuedAt), total \(receipt.total) Rial, "
                  + "\(receipt.lines.count) line(s); claim key \(receipt.claimKey)")
        } catch {
            throw fail("refused: \(error.code): \(error.description)", KioskExit.dataError)
        }
    }
}
