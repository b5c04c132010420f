import CPCSC

/// A connection to a card (or, with `.direct`, to a reader). Disconnects when released if the
/// caller did not. Calls on one connection must not overlap; use it from one task at a time.
public final class PCSCCard: @unchecked Sendable {
    /// Keeps the context alive as long as the connection.
    public let context: PCSCContext
    let handle: SCARDHANDLE
    public let reader: String
    public private(set) var activeProtocol: Protocols
    private var connected = true

    init(context: PCSCContext, handle: SCARDHANDLE, reader: String, activeProtocol: Protocols) {
        self.context = context
        self.handle = handle
        self.reader = reader
        self.activeProtocol = activeProtocol
    }

    deinit { if connected { SCardDisconnect(handle, DWORD(SCARD_LEAVE_CARD)) } }

    /// Sends a command APDU (short or extended) and returns the response with its status
    /// word. The corresponding C function is `SCardTransmit`.
    public func transmit(_ command: [UInt8], maxResponse: Int = 65538) throws(PCSCError) -> [UInt8] {
        let pci: UnsafePointer<SCARD_IO_REQUEST>
        if activeProtocol.contains(.t1) {
            pci = kiosk_scard_pci_t1()
        } else if activeProtocol.contains(.t0) {
            pci = kiosk_scard_pci_t0()
        } else {
            pci = kiosk_scard_pci_raw()
        }
        var response = [UInt8](repeating: 0, count: maxResponse)
        var length = DWORD(maxResponse)
        try pcscCall("SCardTransmit on \"\(reader)\"") {
            SCardTransmit(handle, pci, command, DWORD(command.count), nil, &response, &length)
        }
        return Array(response.prefix(Int(length)))
    }

    /// Sends a reader control (escape) command. `code` is the vendor function number that
    /// `SCARD_CTL_CODE` turns into the control code (3500 for CCID escape on ACS readers).
    /// The corresponding C function is `SCardControl`.
    public func control(function code: UInt32, _ data: [UInt8], maxResponse: Int = 1024) throws(PCSCError) -> [UInt8] {
        var response = [UInt8](repeating: 0, count: maxResponse)
        var length: DWORD = 0
        let controlCode = kiosk_scard_ctl_code(DWORD(code))
        try pcscCall("SCardControl \(code) on \"\(reader)\"") {
            SCardControl(handle, controlCode, data, DWORD(data.count), &response, DWORD(maxResponse), &length)
        }
        return Array(response.prefix(Int(length)))
    }

    /// Reads a reader attribute (`SCARD_ATTR_*`). The corresponding C function is `SCardGetAttrib`.
    public func attribute(_ id: UInt32) throws(PCSCError) -> [UInt8] {
        var length: DWORD = 0
        try pcscCall("SCardGetAttrib") { SCardGetAttrib(handle, DWORD(id), nil, &length) }
        var buffer = [UInt8](repeating: 0, count: Int(length))
        try pcscCall("SCardGetAttrib") { SCardGetAttrib(handle, DWORD(id), &buffer, &length) }
        return Array(buffer.prefix(Int(length)))
    }

    /// The card's current ATR and the reader's state. The corresponding C function is `SCardStatus`.
    public func status() throws(PCSCError) -> (atr: [UInt8], state: UInt64) {
        var atr = [UInt8](repeating: 0, count: Int(MAX_ATR_SIZE))
        var atrLength = DWORD(MAX_ATR_SIZE)
        var state: DWORD = 0
        var proto: DWORD = 0
        var nameLength: DWORD = 0
        try pcscCall("SCardStatus") { SCardStatus(handle, nil, &nameLength, &state, &proto, &atr, &atrLength) }
        return (Array(atr.prefix(Int(atrLength))), UInt64(state))
    }

    /// Reconnects after a reset or to change the share mode. The corresponding C function is
    /// `SCardReconnect`.
    public func reconnect(share: ShareMode = .shared, protocols: Protocols = [.t0, .t1], initialization: Disposition = .leave) throws(PCSCError) {
        var active: DWORD = 0
        try pcscCall("SCardReconnect") {
            SCardReconnect(handle, share.rawValue, DWORD(protocols.rawValue), initialization.rawValue, &active)
        }
        activeProtocol = Protocols(rawValue: UInt32(active))
    }

    /// Ends the connection. The corresponding C function is `SCardDisconnect`.
    public func disconnect(_ disposition: Disposition = .leave) throws(PCSCError) {
        guard connected else { return }
        connected = false
        try pcscCall("SCardDisconnect") { SCardDisconnect(handle, disposition.rawValue) }
    }
}
