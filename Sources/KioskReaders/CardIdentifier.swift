import KioskCards
import KioskCore
import KioskPCSC

/// Identifies the card on a reader with as few APDUs as its kind needs:
///
/// - NTAG21x / Ultralight: one READ of pages 0–3 (UID and capability container), then READs of
///   the data area until the NDEF TLV is complete (one more for a typical token).
/// - ISO 14443-4 (NTAG 424 DNA, Type 4): SELECT the NDEF application, SELECT file E104 (the CC
///   file only if that fails), READ BINARY; the UID only when a token is bound to one or as the
///   bare-UID fallback.
/// - MIFARE Classic and other storage cards: the UID.
/// - Contact cards and unknown ATRs: nothing is sent.
///
/// Every answer is checked; garbage, a pulled card or a reader error ends the read as a
/// failure, never a half identification.
public struct CardIdentifier: Sendable {
    public let policy: IdentificationPolicy

    public init(policy: IdentificationPolicy) { self.policy = policy }

    /// Stops a read: the answer was not what the command can produce.
    struct Garbage: Error { let why: String }

    /// The most APDUs one identification may send: more than any genuine card needs (a Type 2
    /// tag's 1 KiB data area is 1 + 64 READs; a Type 4 NDEF file of 16 KiB, 4 + 68 READ BINARY
    /// of 240 bytes), far fewer than a card answering READ BINARY a byte at a time would draw
    /// (4 + NLEN, up to 32,769).
    public static let maxAPDUs = 72

    public func identify(reader: String, atr bytes: [UInt8], channel: some APDUChannel) -> Tap {
        let atr = ATR(bytes)
        var tap = Tap(reader: reader, atr: bytes, kind: atr.kind, outcome: .refused(.noCredential), apdus: 0)
        var counting = CountingChannel(inner: channel, limit: Self.maxAPDUs)
        do {
            switch atr.kind {
            case .ultralightOrNTAG:
                try readType2(&tap, &counting)
            case .iso14443_4:
                try readType4(&tap, &counting)
            case .mifareClassic, .otherStorageCard:
                let uid = try getUID(&counting)
                tap.uid = uid
                tap.outcome = bareUIDOutcome(uid)
            case .iso7816Contact, .unknown:
                tap.outcome = .refused(.unsupportedCard(atr.kind))
            }
        } catch let error as PCSCError {
            tap.outcome = .failed(Self.failure(error))
        } catch let garbage as Garbage {
            tap.outcome = .failed(.garbage(garbage.why))
        } catch is CountingChannel.OverBudget {
            tap.outcome = .refused(.tooManyAPDUs(Self.maxAPDUs))
        } catch {
            tap.outcome = .failed(.garbage("\(error)"))
        }
        tap.apdus = counting.sent
        return tap
    }

    /// What a pcsc-lite error during a read means for the tap.
    static func failure(_ error: PCSCError) -> ReadFailure {
        if error.meansCardGone || error == .notTransacted || error == .commDataLost { return .cardLeft }
        if error == .sharingViolation { return .sharingViolation }
        return .reader(PCSCErrorCode(error))
    }

    // MARK: Type 2

    private func readType2(_ tap: inout Tap, _ channel: inout CountingChannel) throws {
        // Readers without the READ pseudo-APDU, and some Ultralight variants, refuse it (6D00,
        // 6A81, …): the card is still known by its UID.
        guard let first = try channel.transmit(.readPages(from: 0)) else { throw Garbage(why: "READ page 0: answer shorter than a status word") }
        guard first.status.isSuccess else {
            let uid = try getUID(&channel)
            tap.uid = uid
            tap.outcome = bareUIDOutcome(uid)
            return
        }
        guard first.data.count == 16 else { throw Garbage(why: "READ page 0 gave \(first.data.count) bytes") }
        let head = first.data
        let uid = Array(head[0..<3] + head[4..<8])
        tap.uid = uid
        guard let cc = try? Type2CapabilityContainer(Array(head[12..<16])) else {
            tap.outcome = bareUIDOutcome(uid)
            return
        }
        let capacity = min(cc.dataAreaSize, 1024)
        var area: [UInt8] = []
        while true {
            let scan: Type2TLV.Scan
            do { scan = try Type2TLV.scan(area, capacity: capacity) } catch {
                tap.outcome = .refused(.badNDEF(error))
                return
            }
            switch scan {
            case .noMessage:
                tap.outcome = bareUIDOutcome(uid)
                return
            case .message(let offset, let length):
                if length == 0 {
                    tap.outcome = bareUIDOutcome(uid)
                    return
                }
                try conclude(&tap, ndef: Array(area[offset..<(offset + length)]), knownUID: uid, &channel)
                return
            case .needMore:
                guard area.count < capacity, 4 + area.count / 4 <= 255 else { throw Garbage(why: "NDEF runs past the tag") }
                let chunk = try read16(page: UInt8(4 + area.count / 4), &channel)
                area += chunk.prefix(capacity - area.count)
            }
        }
    }

    private func read16(page: UInt8, _ channel: inout CountingChannel) throws -> [UInt8] {
        let data = try expectSuccess(channel.transmit(.readPages(from: page)), "READ page \(page)")
        guard data.count == 16 else { throw Garbage(why: "READ page \(page) gave \(data.count) bytes") }
        return data
    }

    // MARK: Type 4

    private func readType4(_ tap: inout Tap, _ channel: inout CountingChannel) throws {
        guard let selected = try channel.transmit(.selectApplication(Type4.ndefApplication)) else {
            throw Garbage(why: "SELECT answer shorter than a status word")
        }
        guard selected.status.isSuccess else {
            // Not an NDEF tag (a phone without the app, a DESFire without NDEF): UID only.
            let uid = try getUID(&channel)
            tap.uid = uid
            tap.outcome = bareUIDOutcome(uid)
            return
        }
        var file = Type4.defaultNDEFFile
        var selectedFile = try channel.transmit(.selectFile(file))
        if selectedFile?.status.isSuccess != true {
            _ = try expectSuccess(channel.transmit(.selectFile(Type4.capabilityContainerFile)), "SELECT CC")
            let ccBytes = try expectSuccess(channel.transmit(.readBinary(offset: 0, count: 15)), "READ CC")
            let cc: Type4.CapabilityContainer
            do { cc = try Type4.CapabilityContainer(ccBytes) } catch {
                tap.outcome = .refused(.badNDEF(error))
                return
            }
            file = cc.ndefFile
            selectedFile = try channel.transmit(.selectFile(file))
        }
        _ = try expectSuccess(selectedFile, "SELECT NDEF file")
        var content = try expectSuccess(channel.transmit(.readBinary(offset: 0, count: 128)), "READ NDEF")
        guard content.count >= 2 else { throw Garbage(why: "NDEF file read gave \(content.count) bytes") }
        let length = Int(content[0]) << 8 | Int(content[1])
        guard length <= 0x7FFD else { throw Garbage(why: "NLEN \(length)") }
        if length == 0 {
            let uid = try getUID(&channel)
            tap.uid = uid
            tap.outcome = bareUIDOutcome(uid)
            return
        }
        while content.count < length + 2 {
            let chunk = try expectSuccess(channel.transmit(.readBinary(offset: content.count, count: min(0xF0, length + 2 - content.count))), "READ NDEF")
            guard !chunk.isEmpty else { throw Garbage(why: "empty READ BINARY") }
            content += chunk
        }
        try conclude(&tap, ndef: Array(content[2..<(2 + length)]), knownUID: nil, &channel)
    }

    // MARK: Credentials

    private func conclude(_ tap: inout Tap, ndef: [UInt8], knownUID: [UInt8]?, _ channel: inout CountingChannel) throws {
        let message: NDEFMessage
        do { message = try NDEFMessage(parsing: ndef) } catch {
            tap.outcome = .refused(.badNDEF(error))
            return
        }
        tap.ndef = message.records.compactMap { try? $0.content() }
        var uid = knownUID
        for content in tap.ndef {
            switch content {
            case .external(MemberToken.ndefType, let payload):
                tap.outcome = try tokenOutcome(String(decoding: payload, as: UTF8.self), uid: &uid, &channel)
                tap.uid = uid
                return
            case .uri(let url) where url.contains("picc_data="):
                tap.outcome = try sunOutcome(url, tap: tap, knownUID: uid, &channel)
                switch tap.outcome {
                case .identified(.sun(let sunUID, _, _)): tap.uid = sunUID
                case .refused(.badSUN(.uidMismatch(let cardUID, _))): tap.uid = cardUID
                default: break
                }
                return
            case .uri(let url):
                if let token = Self.tokenQueryItem(url) {
                    tap.outcome = try tokenOutcome(token, uid: &uid, &channel)
                    tap.uid = uid
                    return
                }
            default:
                continue
            }
        }
        if uid == nil { uid = try getUID(&channel) }
        tap.uid = uid
        tap.outcome = bareUIDOutcome(uid!)
    }

    private func tokenOutcome(_ text: String, uid: inout [UInt8]?, _ channel: inout CountingChannel) throws -> TapOutcome {
        guard let keys = policy.tokenKeys else { return .refused(.notConfigured("cards.token_key")) }
        do {
            return .identified(try credential(for: MemberToken.verify(text, keys: keys, cardUID: uid)))
        } catch .wrongCard where uid == nil {
            // Bound to a UID not read yet: read it and check again.
            uid = try getUID(&channel)
            do { return .identified(try credential(for: MemberToken.verify(text, keys: keys, cardUID: uid))) } catch {
                return .refused(.badToken(error))
            }
        } catch {
            return .refused(.badToken(error))
        }
    }

    private func credential(for token: MemberToken) -> CardCredential {
        let card = token.boundUID.map(CardCredential.uidCardID) ?? CardID(rawValue: "token:" + token.member.rawValue)
        return .memberToken(token.member, card: card)
    }

    /// A SUN message counts only from an ISO 14443-4 card whose UID is the one inside PICCData
    /// (unless its batch uses Random ID): a URL read off a member's card and written onto an
    /// NTAG21x, or played by a phone, is refused without consuming the card's counter.
    private func sunOutcome(_ url: String, tap: Tap, knownUID: [UInt8]?, _ channel: inout CountingChannel) throws -> TapOutcome {
        guard !policy.sdmBatches.isEmpty else { return .refused(.notConfigured("NTAG 424 DNA SDM keys")) }
        guard let counters = policy.counters else { return .refused(.notConfigured("SDM counter store")) }
        guard tap.kind == .iso14443_4 else { return .refused(.badSUN(.notFromNTAG424(tap.kind))) }
        let verified: SDMVerifier.Verified
        let batch: SDMBatch
        do { (verified, batch) = try SDMVerifier.verify(url: url, batches: policy.sdmBatches) } catch { return .refused(.badSUN(error)) }
        if !batch.randomID {
            let cardUID = try knownUID ?? getUID(&channel)
            guard ConstantTime.equal(cardUID, verified.uid) else {
                return .refused(.badSUN(.uidMismatch(card: cardUID, piccData: verified.uid)))
            }
        }
        let uidHex = Hex.string(verified.uid)
        do {
            if let last = try counters.advanceSDMCounter(uid: uidHex, to: verified.counter, identification: tap.identification) {
                return .refused(.badSUN(.replayed(counter: verified.counter, last: last)))
            }
        } catch {
            return .failed(.garbage("SDM counter store: \(error)"))
        }
        return .identified(.sun(uid: verified.uid, counter: verified.counter, card: CardID(rawValue: "ntag424:" + uidHex)))
    }

    private func bareUIDOutcome(_ uid: [UInt8]) -> TapOutcome {
        policy.acceptBareUID ? .identified(.bareUID(uid, card: CardCredential.uidCardID(uid))) : .refused(.bareUIDNotAccepted)
    }

    private func getUID(_ channel: inout CountingChannel) throws -> [UInt8] {
        let uid = try expectSuccess(channel.transmit(.getUID), "GET UID")
        guard (4...10).contains(uid.count) else { throw Garbage(why: "UID of \(uid.count) bytes") }
        return uid
    }

    private func expectSuccess(_ response: ResponseAPDU?, _ what: String) throws -> [UInt8] {
        guard let response else { throw Garbage(why: "\(what): answer shorter than a status word") }
        guard response.status.isSuccess else { throw Garbage(why: "\(what): status \(response.status)") }
        return response.data
    }

    /// The `t` query item of a member URL (`https://…/m?t=KM2.…`).
    static func tokenQueryItem(_ url: String) -> String? {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first else { return nil }
        for item in query.split(separator: "&") where item.hasPrefix("t=") {
            return String(item.dropFirst(2))
        }
        return nil
    }
}

/// Counts the APDUs an identification sends, and stops it past `limit`.
struct CountingChannel {
    /// The identification needs more APDUs than the limit: nothing more is sent.
    struct OverBudget: Error {}

    let inner: any APDUChannel
    let limit: Int
    var sent = 0

    mutating func transmit(_ command: CommandAPDU) throws -> ResponseAPDU? {
        guard sent < limit else { throw OverBudget() }
        sent += 1
        return try inner.transmit(command)
    }
}
