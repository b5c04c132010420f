import KioskCards
import KioskPCSC

/// Writes an NDEF message (a member token, for enrollment) to a blank NTAG21x or a Type 4 tag,
/// and verifies it by reading it back. A card pulled mid-write gives `.cardLeft`: the caller
/// must not record the enrollment as done.
public struct CardWriter: Sendable {
    /// Make an NTAG21x read-only forever after a verified write (a configuration choice).
    public var lockNTAG: Bool

    public init(lockNTAG: Bool = false) { self.lockNTAG = lockNTAG }

    /// What a successful write did.
    public struct Written: Sendable, Equatable {
        public let uid: [UInt8]?
        public let kind: CardKind
        public let bytes: Int
        public let locked: Bool
    }

    /// Why a write failed. After any of these the card's content is unknown.
    public enum WriteError: Error, Equatable, Sendable, CustomStringConvertible {
        case cardLeft
        case notWritable
        case tooLarge(NDEFError)
        case unsupportedCard(CardKind)
        case verifyMismatch
        /// The card's UID is not the one expected (another card than the one presented).
        case otherCard
        case cardError(String)
        case reader(PCSCErrorCode)

        public var description: String {
            switch self {
            case .cardLeft: "card left the reader during the write: enrollment not done"
            case .notWritable: "card is read-only"
            case .tooLarge(let e): e.description
            case .unsupportedCard(let kind): "cannot write a \(kind.rawValue) card"
            case .verifyMismatch: "read-back differs from what was written"
            case .otherCard: "another card lies on the reader than the one presented"
            case .cardError(let why): "card refused: \(why)"
            case .reader(let code): "reader error \(code.name)"
            }
        }
    }

    /// Writes `message` to the card on `card`'s connection. With `expectedUID`, an NTAG21x whose
    /// UID differs is refused before anything is written (`.otherCard`).
    public func write(_ message: NDEFMessage, atr: [UInt8], card: PCSCCard, expectedUID: [UInt8]? = nil) throws(WriteError) -> Written {
        let kind = ATR(atr).kind
        do {
            switch kind {
            case .ultralightOrNTAG: return try writeType2(message, card: card, expectedUID: expectedUID)
            case .iso14443_4: return try writeType4(message, card: card)
            default: throw WriteError.unsupportedCard(kind)
            }
        } catch let error as WriteError {
            throw error
        } catch let error as PCSCError {
            let failure = CardIdentifier.failure(error)
            throw failure == .cardLeft ? .cardLeft : .reader(PCSCErrorCode(error))
        } catch {
            throw .cardError("\(error)")
        }
    }

    private func send(_ command: CommandAPDU, _ card: PCSCCard, _ what: String) throws -> [UInt8] {
        let raw = try card.transmit(command.bytes)
        if raw.count < 2 { try card.throwIfGone() }
        guard let response = try? ResponseAPDU(raw) else { throw WriteError.cardError("\(what): no status word") }
        guard response.status.isSuccess else { throw WriteError.cardError("\(what): status \(response.status)") }
        return response.data
    }

    private func writeType2(_ message: NDEFMessage, card: PCSCCard, expectedUID: [UInt8]?) throws -> Written {
        let head = try send(.readPages(from: 0), card, "READ page 0")
        guard head.count == 16 else { throw WriteError.cardError("READ page 0 gave \(head.count) bytes") }
        let uid = Array(head[0..<3] + head[4..<8])
        if let expectedUID, expectedUID != uid { throw WriteError.otherCard }
        let cc: Type2CapabilityContainer
        do { cc = try Type2CapabilityContainer(Array(head[12..<16])) } catch { throw WriteError.cardError("no NDEF capability container") }
        guard cc.isWritable, head[10] == 0, head[11] == 0 else { throw WriteError.notWritable }
        let model = NTAGModel(capabilityContainer: Array(head[12..<16]))
        let plan: Type2WritePlan
        do {
            plan = try Type2WritePlan(message: message, dataAreaSize: cc.dataAreaSize, lock: lockNTAG ? model : nil)
        } catch { throw WriteError.tooLarge(error) }
        if lockNTAG, model == nil { throw WriteError.cardError("unknown NTAG model: cannot plan the lock") }
        for write in plan.writes {
            _ = try send(.writePage(write.page, write.bytes), card, "WRITE page \(write.page)")
        }
        var readBack: [UInt8] = []
        while readBack.count < plan.expectedDataArea.count {
            let chunk = try send(.readPages(from: UInt8(4 + readBack.count / 4)), card, "READ back")
            guard chunk.count == 16 else { throw WriteError.cardError("READ back gave \(chunk.count) bytes") }
            readBack += chunk
        }
        guard Array(readBack.prefix(plan.expectedDataArea.count)) == plan.expectedDataArea else { throw WriteError.verifyMismatch }
        for write in plan.lockWrites {
            _ = try send(.writePage(write.page, write.bytes), card, "LOCK page \(write.page)")
        }
        return Written(uid: uid, kind: .ultralightOrNTAG, bytes: plan.expectedDataArea.count, locked: !plan.lockWrites.isEmpty)
    }

    private func writeType4(_ message: NDEFMessage, card: PCSCCard) throws -> Written {
        _ = try send(.selectApplication(Type4.ndefApplication), card, "SELECT NDEF application")
        _ = try send(.selectFile(Type4.capabilityContainerFile), card, "SELECT CC")
        let cc: Type4.CapabilityContainer
        do { cc = try Type4.CapabilityContainer(try send(.readBinary(offset: 0, count: 15), card, "READ CC")) } catch let error as NDEFError {
            throw WriteError.cardError(error.description)
        }
        guard cc.writable else { throw WriteError.notWritable }
        let file = Type4.ndefFile(message)
        guard file.count <= cc.ndefFileSize else { throw WriteError.tooLarge(.tooLarge(size: file.count, capacity: cc.ndefFileSize)) }
        _ = try send(.selectFile(cc.ndefFile), card, "SELECT NDEF file")
        // NLEN 0 first, the message, then the real NLEN: a pulled card leaves an empty tag,
        // never a half message that parses.
        _ = try send(.updateBinary(offset: 0, [0, 0]), card, "UPDATE NLEN")
        let chunkSize = max(1, min(cc.maxWriteLength, 0xF0))
        var offset = 2
        while offset < file.count {
            let end = min(file.count, offset + chunkSize)
            _ = try send(.updateBinary(offset: offset, Array(file[offset..<end])), card, "UPDATE NDEF")
            offset = end
        }
        _ = try send(.updateBinary(offset: 0, Array(file[0..<2])), card, "UPDATE NLEN")
        var readBack: [UInt8] = []
        while readBack.count < file.count {
            let chunk = try send(.readBinary(offset: readBack.count, count: min(0xF0, file.count - readBack.count)), card, "READ back")
            guard !chunk.isEmpty else { throw WriteError.cardError("empty READ back") }
            readBack += chunk
        }
        guard Array(readBack.prefix(file.count)) == file else { throw WriteError.verifyMismatch }
        return Written(uid: nil, kind: .iso14443_4, bytes: file.count, locked: false)
    }
}
