import ArgumentParser
import Foundation
import KioskCards
import KioskCore
import KioskVirtualCard

/// `kiosk sim`: virtual hardware for development and demos.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Play virtual hardware (cards into vsmartcard's vpcd reader, scans into the development scan socket).",
        subcommands: [SimCardCommand.self, SimScanCommand.self])
}

/// `kiosk sim card`: plays one virtual card into the vpcd reader until --hold runs out or Ctrl-C.
struct SimCardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Tap a virtual card on the vpcd reader (pcscd with vsmartcard-vpcd must be running).",
        discussion: """
            Kinds: ntag213, ntag215, ntag216 (NDEF with a member token), ntag424 (NTAG 424 DNA producing \
            SUN messages from the configured SDM keys (cards.sdm_meta_key_file / cards.sdm_file_key_file or KIOSK_SDM_META_KEY / KIOSK_SDM_FILE_KEY), all-zero keys \
            otherwise), uid (UID only), iso7816 (a contact card), garbage (answers nonsense), blank (a \
            blank writable NTAG215 for enrollment), silent (an NTAG215 that stays on the reader and never answers \
            an APDU, until it is removed: the reader watchdog's case). A token is --token TEXT as is, or signed for \
            --member ID with the configured cards.token_key.
            """)

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case ntag213, ntag215, ntag216, ntag424, uid, iso7816, garbage, blank, silent
    }

    @Option(help: "The card to play: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var kind: Kind

    @Option(help: "The card UID in hex (7 bytes for NTAGs; 4 or 7 for uid).")
    var uid: String = "04A1B2C3D4E5F6"

    @Option(help: "A member token (KM2.…) to put on an NTAG as is.")
    var token: String?

    @Option(help: "Sign a member token for this member id with the configured cards.token_key.")
    var member: String?

    @Option(help: "Seconds to leave the card on the reader (default: until Ctrl-C or SIGTERM).")
    var hold: Double?

    @Option(help: "vpcd's TCP port (the first virtual reader; default $KIOSK_VPCD_PORT, else 35963, vpcd's default).")
    var port: UInt16 = UInt16(ProcessInfo.processInfo.environment["KIOSK_VPCD_PORT"] ?? "") ?? 35963

    @Option(help: "NTAG 424 DNA: the SDM read counter before this tap.")
    var counter: UInt32 = 0

    @OptionGroup var options: CommonOptions

    func run() throws {
        guard let uidBytes = Hex.bytes(uid), [4, 7].contains(uidBytes.count) else {
            throw ValidationError("--uid must be 4 or 7 bytes of hex")
        }
        let card = try makeCard(uid: uidBytes)
        let connection: VPCDConnection
        do {
            connection = try VPCDConnection(card: card, port: port, timeout: 3)
        } catch {
            throw fail("cannot reach vpcd on port \(port) (is pcscd running with vsmartcard-vpcd?): \(error)", KioskExit.unavailable)
        }
        print("card \(kind.rawValue) \(Hex.string(uidBytes)) on vpcd port \(port)")
        fflush(nil)  // seen while the card is held, also through a pipe
        // Ctrl-C or SIGTERM lifts the card off the reader; the command then ends normally.
        let signals = StopSignals { connection.remove() }
        defer { signals.cancel() }
        connection.waitUntilRemoved(timeout: hold ?? .greatestFiniteMagnitude)
        connection.remove()
        print("card removed after \(connection.commands.count) commands")
    }

    private func makeCard(uid: [UInt8]) throws -> any VirtualCard {
        let model: NTAGModel? = switch kind {
        case .ntag213: .ntag213
        case .ntag215, .blank, .silent: .ntag215
        case .ntag216: .ntag216
        default: nil
        }
        if let model {
            guard uid.count == 7 else { throw ValidationError("NTAG UIDs are 7 bytes") }
            let tag = NTAGCard(model: model, uid: uid, message: kind == .blank ? nil : try tokenMessage(uid: uid))
            return kind == .silent ? SilentCard(tag, silentAtCommand: 1) : tag
        }
        switch kind {
        case .ntag424:
            guard uid.count == 7 else { throw ValidationError("NTAG 424 DNA UIDs are 7 bytes") }
            let configuration = try options.loadConfiguration()
            let keys = try ReaderPolicy.sdmKeys(configuration) ?? .factory
            return Type4Card(uid: uid, sun: .init(keys: keys, baseURL: "https://club.example/t", counter: counter,
                                                  layout: ReaderPolicy.macInput(configuration)))
        case .uid: return UIDOnlyCard(uid: uid)
        case .iso7816: return ISO7816Card()
        default: return GarbageCard(style: .random, uid: uid.count == 7 ? uid : [0x04] + uid + [0, 0])
        }
    }

    private func tokenMessage(uid: [UInt8]) throws -> NDEFMessage? {
        if let token {
            return NDEFMessage(records: [.external(MemberToken.ndefType, Array(token.utf8))])
        }
        guard let member else { return NDEFMessage(records: [.text("no member token")]) }
        guard MemberToken.isValidMemberID(member) else { throw ValidationError("member ids are 1-64 of A-Z a-z 0-9 _ -") }
        let configuration = try options.loadConfiguration()
        let policy = try ReaderPolicy.identification(configuration, counters: ReadOnlySDMCounters(store: nil))
        guard let key = policy.tokenKeys?.current else {
            throw fail("--member needs cards.token_key (token_key_file or KIOSK_CARD_TOKEN_KEY)", KioskExit.dataError)
        }
        // The issue day is today's (the clock is read here, at the edge).
        let today = TokenDay(unixSeconds: Int64(Date().timeIntervalSince1970))!
        return MemberToken(member: MemberID(rawValue: member), boundUID: uid, issued: today).ndefMessage(key: key)
    }
}
