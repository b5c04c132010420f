import KioskCards
import Synchronization

/// A card that has nothing but its UID (a MIFARE Classic, whose sectors the kiosk does not
/// read): `FF CA` answers, anything else is refused.
public final class UIDOnlyCard: VirtualCard {
    public let uid: [UInt8]
    public var atr: [UInt8] { VirtualATR.mifareClassic1K }
    public init(uid: [UInt8]) { self.uid = uid }
    public func reset() {}
    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        guard command.count >= 2 else { return .sw(0x6700) }
        if command[0] == 0xFF, command[1] == 0xCA { return .sw(0x9000, data: uid) }
        return .sw(0x6982)
    }
}

/// An ISO 7816 contact card with no NDEF application (a bank or ID card on a contact slot):
/// it answers SELECT with "file not found" and reader pseudo-APDUs with "CLA not supported".
public final class ISO7816Card: VirtualCard {
    public var atr: [UInt8] { VirtualATR.contact }
    public init() {}
    public func reset() {}
    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        guard command.count >= 4 else { return .sw(0x6700) }
        if command[0] == 0xFF { return .sw(0x6E00) }
        if command[1] == 0xA4 { return .sw(0x6A82) }
        return .sw(0x6D00)
    }
}

/// A card that answers nonsense. `style` picks which.
public final class GarbageCard: VirtualCard {
    public enum Style: String, Sendable, CaseIterable {
        /// Random bytes of random length, some shorter than a status word.
        case random
        /// A single byte.
        case oneByte
        /// `6F 00` ("no precise diagnosis") to everything.
        case noDiagnosis
        /// An NTAG21x whose TLV claims more bytes than the tag holds.
        case brokenTLV
        /// An NTAG21x whose NDEF record claims a payload past the TLV's end.
        case brokenNDEF
    }

    public let style: Style
    public let uid: [UInt8]
    private let tag: NTAGCard
    private let generator = Mutex(SplitMix(seed: 0x5EED))
    public var atr: [UInt8] { VirtualATR.ultralight }

    public init(style: Style, uid: [UInt8] = [0x04, 0xBA, 0xD0, 0xBA, 0xD0, 0xBA, 0xD0]) {
        self.style = style
        self.uid = uid
        tag = NTAGCard(model: .ntag213, uid: uid, message: nil)
        switch style {
        case .brokenTLV: tag.setDataArea([0x03, 0xFF, 0x7F, 0xFF, 0xD1, 0x01])
        case .brokenNDEF: tag.setDataArea([0x03, 0x06, 0xD1, 0x01, 0x40, 0x55, 0x04, 0x61, 0xFE])
        default: break
        }
    }

    public func reset() {}

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        switch style {
        case .random:
            return generator.withLock { g in
                let count = Int(g.next() % 24)
                return .bytes((0..<count).map { _ in UInt8(truncatingIfNeeded: g.next()) })
            }
        case .oneByte: return .bytes([0x90])
        case .noDiagnosis: return .sw(0x6F00)
        case .brokenTLV, .brokenNDEF: return tag.respond(to: command)
        }
    }
}

/// Another card that is pulled from the field at its `after`-th command (counting from 1):
/// that command gets no answer and the card is gone.
public final class PulledCard: VirtualCard {
    public let inner: any VirtualCard
    public let after: Int
    private let count = Mutex(0)
    public var atr: [UInt8] { inner.atr }

    public init(_ inner: any VirtualCard, pulledAtCommand after: Int) {
        self.inner = inner
        self.after = after
    }

    public func reset() { inner.reset() }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        let n = count.withLock { $0 += 1; return $0 }
        return n >= after ? .pull : inner.respond(to: command)
    }
}

/// Another card that goes silent at its `after`-th command (counting from 1): it stays in the
/// field and never answers that command or any later one, until it is removed (a card or a
/// reader driver that hangs). With `after` 1 it is silent from the first APDU.
public final class SilentCard: VirtualCard {
    public let inner: any VirtualCard
    public let after: Int
    private let count = Mutex(0)
    public var atr: [UInt8] { inner.atr }

    public init(_ inner: any VirtualCard, silentAtCommand after: Int = 1) {
        self.inner = inner
        self.after = after
    }

    public func reset() { inner.reset() }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        let n = count.withLock { $0 += 1; return $0 }
        return n >= after ? .silent : inner.respond(to: command)
    }
}

/// A small deterministic generator, so garbage is the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Another card behind a reader (or an Ultralight variant) that refuses the Type 2 READ
/// pseudo-APDU `FF B0` with `status` (6D00: instruction not supported); the rest reaches the card.
public final class ReadRefusingCard: VirtualCard {
    public let inner: any VirtualCard
    public let status: UInt16
    public var atr: [UInt8] { inner.atr }

    public init(_ inner: any VirtualCard, status: UInt16 = 0x6D00) {
        self.inner = inner
        self.status = status
    }

    public func reset() { inner.reset() }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        if command.count >= 2, command[0] == 0xFF, command[1] == 0xB0 { return .sw(status) }
        return inner.respond(to: command)
    }
}

/// Another card that answers READ BINARY (`00 B0`) with at most `bytesPerRead` bytes, however
/// many were asked for (legal, and a way to make a reader send thousands of APDUs).
public final class TrickleCard: VirtualCard {
    public let inner: any VirtualCard
    public let bytesPerRead: Int
    public var atr: [UInt8] { inner.atr }

    public init(_ inner: any VirtualCard, bytesPerRead: Int) {
        self.inner = inner
        self.bytesPerRead = bytesPerRead
    }

    public func reset() { inner.reset() }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        let answer = inner.respond(to: command)
        guard command.count >= 2, command[0] == 0x00, command[1] == 0xB0, case .bytes(let bytes) = answer, bytes.count >= 2 else { return answer }
        return .bytes(Array(bytes.dropLast(2).prefix(bytesPerRead)) + bytes.suffix(2))
    }
}
