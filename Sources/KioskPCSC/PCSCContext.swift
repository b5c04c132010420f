import CPCSC
import Glibc

/// A PC/SC resource manager context (`SCardEstablishContext`). One thread may wait in
/// `statusChange` while another calls `cancel()`; pcsc-lite serialises the other calls on one
/// context. When pcscd goes away, calls fail with `.noService` and the context must be
/// released and a new one established.
public final class PCSCContext: Sendable {
    let handle: SCARDCONTEXT

    /// The pseudo-reader whose state changes when readers arrive or leave.
    public static let plugAndPlayReader = "\\\\?PnP?\\Notification"

    /// Establishes a system-scope context. The corresponding C function is `SCardEstablishContext`.
    public init() throws(PCSCError) {
        var context: SCARDCONTEXT = 0
        try pcscCall("SCardEstablishContext") { SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context) }
        handle = context
    }

    deinit { SCardReleaseContext(handle) }

    /// True while pcscd still knows this context. The corresponding C function is `SCardIsValidContext`.
    public var isValid: Bool { SCardIsValidContext(handle) == SCARD_S_SUCCESS }

    /// The readers pcscd knows now (empty when there are none). The corresponding C function is
    /// `SCardListReaders`.
    public func readers() throws(PCSCError) -> [String] {
        let handle = handle
        return try Self.listReaders { buffer, length in SCardListReaders(handle, nil, buffer, &length) }
    }

    /// `SCardListReaders`' two calls (the length, then the list), again while the list grew
    /// between them: a reader plugged in between makes the second call answer
    /// `SCARD_E_INSUFFICIENT_BUFFER`, which is no reason to think pcscd lost. `list` is the C
    /// call with its buffer (nil for the length) and the length in and out.
    static func listReaders(attempts: Int = 8, _ list: (UnsafeMutablePointer<CChar>?, inout DWORD) -> LONG) throws(PCSCError) -> [String] {
        for _ in 0..<attempts {
            var length: DWORD = 0
            let first = list(nil, &length)
            if first == SCARD_E_NO_READERS_AVAILABLE { return [] }
            try pcscCall("SCardListReaders") { first }
            var buffer = [CChar](repeating: 0, count: Int(length))
            let second = buffer.withUnsafeMutableBufferPointer { list($0.baseAddress, &length) }
            if second == SCARD_E_INSUFFICIENT_BUFFER { continue }
            if second == SCARD_E_NO_READERS_AVAILABLE { return [] }
            try pcscCall("SCardListReaders") { second }
            return multiString(Array(buffer.prefix(Int(length))))
        }
        throw PCSCError(code: SCARD_E_INSUFFICIENT_BUFFER, operation: "SCardListReaders (the list kept growing)")
    }

    /// Waits up to `timeoutMilliseconds` (nil: forever) until one of `states` differs from what
    /// the caller believes (`currentState`), and returns them with `eventState` filled in.
    /// `.timeout` and `.cancelled` are thrown as errors. The corresponding C function is
    /// `SCardGetStatusChange`.
    public func statusChange(_ states: [ReaderState], timeoutMilliseconds: UInt32?) throws(PCSCError) -> [ReaderState] {
        let names = states.map { strdup($0.reader) }
        defer { names.forEach { free($0) } }
        var raw = states.enumerated().map { index, state in
            var value = SCARD_READERSTATE()
            value.szReader = UnsafePointer(names[index])
            value.dwCurrentState = DWORD(state.currentState.rawValue)
            return value
        }
        let timeout: DWORD = timeoutMilliseconds.map { DWORD($0) } ?? 0xFFFF_FFFF
        let count = DWORD(raw.count)
        try pcscCall("SCardGetStatusChange") { SCardGetStatusChange(handle, timeout, &raw, count) }
        return zip(states, raw).map { state, value in
            var atr = withUnsafeBytes(of: value.rgbAtr) { Array($0) }
            atr = Array(atr.prefix(min(Int(value.cbAtr), atr.count)))
            return ReaderState(reader: state.reader, currentState: state.currentState,
                               eventState: ReaderState.Flags(rawValue: UInt64(value.dwEventState)), atr: atr)
        }
    }

    /// Makes a `statusChange` waiting on this context return `.cancelled`. The corresponding C
    /// function is `SCardCancel`.
    public func cancel() {
        _ = SCardCancel(handle)
    }

    /// Connects to the card in `reader` (or to the reader itself with `.direct`). The
    /// corresponding C function is `SCardConnect`.
    public func connect(_ reader: String, share: ShareMode = .shared, protocols: Protocols = [.t0, .t1]) throws(PCSCError) -> PCSCCard {
        var card: SCARDHANDLE = 0
        var active: DWORD = 0
        try pcscCall("SCardConnect \"\(reader)\"") {
            SCardConnect(handle, reader, share.rawValue, DWORD(protocols.rawValue), &card, &active)
        }
        return PCSCCard(context: self, handle: card, reader: reader, activeProtocol: Protocols(rawValue: UInt32(active)))
    }

    /// Splits a pcsc-lite multi-string (names ended by NUL, the list by an empty name).
    static func multiString(_ buffer: [CChar]) -> [String] {
        var out: [String] = []
        var current: [UInt8] = []
        for char in buffer {
            if char == 0 {
                if current.isEmpty { break }
                out.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(UInt8(bitPattern: char))
            }
        }
        return out
    }
}

/// How a connection shares the card with other processes.
public enum ShareMode: Sendable {
    case exclusive, shared, direct

    var rawValue: DWORD {
        switch self {
        case .exclusive: DWORD(SCARD_SHARE_EXCLUSIVE)
        case .shared: DWORD(SCARD_SHARE_SHARED)
        case .direct: DWORD(SCARD_SHARE_DIRECT)
        }
    }
}

/// Transmission protocols.
public struct Protocols: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let t0 = Protocols(rawValue: UInt32(SCARD_PROTOCOL_T0))
    public static let t1 = Protocols(rawValue: UInt32(SCARD_PROTOCOL_T1))
    public static let raw = Protocols(rawValue: UInt32(SCARD_PROTOCOL_RAW))
}

/// What to do with the card when disconnecting.
public enum Disposition: Sendable {
    case leave, reset, unpower, eject

    var rawValue: DWORD {
        switch self {
        case .leave: DWORD(SCARD_LEAVE_CARD)
        case .reset: DWORD(SCARD_RESET_CARD)
        case .unpower: DWORD(SCARD_UNPOWER_CARD)
        case .eject: DWORD(SCARD_EJECT_CARD)
        }
    }
}
