import CPCSC

/// An error from pcsc-lite: one of its `SCARD_E_*`, `SCARD_F_*` or `SCARD_W_*` codes, with what
/// was being done. A struct with named constants rather than an enum, so that codes a future
/// pcsc-lite adds do not break callers.
public struct PCSCError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The `LONG` return code (64-bit on 64-bit Linux).
    public let code: LONG
    /// What was being done (`SCardConnect reader "X"`); not part of equality.
    public let operation: String

    public init(code: LONG, operation: String = "") {
        self.code = code
        self.operation = operation
    }

    public static func == (lhs: PCSCError, rhs: PCSCError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// This error, saying what was being done.
    public func during(_ operation: String) -> PCSCError { PCSCError(code: code, operation: operation) }

    /// True for the codes that mean pcscd itself went away: release the context and establish
    /// a new one.
    public var meansServiceLost: Bool {
        self == .noService || self == .serviceStopped || self == .invalidHandle || self == .commError
            || self == .unknownResMng
    }

    /// True for the codes that mean the card left or was reset under us.
    public var meansCardGone: Bool {
        self == .removedCard || self == .resetCard || self == .noSmartcard || self == .unpoweredCard
            || self == .unresponsiveCard || self == .readerUnavailable
    }

    /// The constant's name and pcsc-lite's own explanation.
    public var name: String {
        switch code {
        case SCARD_F_INTERNAL_ERROR: "SCARD_F_INTERNAL_ERROR: An internal consistency check failed"
        case SCARD_E_CANCELLED: "SCARD_E_CANCELLED: The action was cancelled by an SCardCancel request"
        case SCARD_E_INVALID_HANDLE: "SCARD_E_INVALID_HANDLE: The supplied handle was invalid"
        case SCARD_E_INVALID_PARAMETER: "SCARD_E_INVALID_PARAMETER: One or more of the supplied parameters could not be properly interpreted"
        case SCARD_E_INVALID_TARGET: "SCARD_E_INVALID_TARGET: Registry startup information is missing or invalid"
        case SCARD_E_NO_MEMORY: "SCARD_E_NO_MEMORY: Not enough memory available to complete this command"
        case SCARD_F_WAITED_TOO_LONG: "SCARD_F_WAITED_TOO_LONG: An internal consistency timer has expired"
        case SCARD_E_INSUFFICIENT_BUFFER: "SCARD_E_INSUFFICIENT_BUFFER: The data buffer to receive returned data is too small for the returned data"
        case SCARD_E_UNKNOWN_READER: "SCARD_E_UNKNOWN_READER: The specified reader name is not recognized"
        case SCARD_E_TIMEOUT: "SCARD_E_TIMEOUT: The user-specified timeout value has expired"
        case SCARD_E_SHARING_VIOLATION: "SCARD_E_SHARING_VIOLATION: The smart card cannot be accessed because of other connections outstanding"
        case SCARD_E_NO_SMARTCARD: "SCARD_E_NO_SMARTCARD: The operation requires a Smart Card, but no Smart Card is currently in the device"
        case SCARD_E_UNKNOWN_CARD: "SCARD_E_UNKNOWN_CARD: The specified smart card name is not recognized"
        case SCARD_E_CANT_DISPOSE: "SCARD_E_CANT_DISPOSE: The system could not dispose of the media in the requested manner"
        case SCARD_E_PROTO_MISMATCH: "SCARD_E_PROTO_MISMATCH: The requested protocols are incompatible with the protocol currently in use with the smart card"
        case SCARD_E_NOT_READY: "SCARD_E_NOT_READY: The reader or smart card is not ready to accept commands"
        case SCARD_E_INVALID_VALUE: "SCARD_E_INVALID_VALUE: One or more of the supplied parameters values could not be properly interpreted"
        case SCARD_E_SYSTEM_CANCELLED: "SCARD_E_SYSTEM_CANCELLED: The action was cancelled by the system, presumably to log off or shut down"
        case SCARD_F_COMM_ERROR: "SCARD_F_COMM_ERROR: An internal communications error has been detected"
        case SCARD_F_UNKNOWN_ERROR: "SCARD_F_UNKNOWN_ERROR: An internal error has been detected, but the source is unknown"
        case SCARD_E_INVALID_ATR: "SCARD_E_INVALID_ATR: An ATR obtained from the registry is not a valid ATR string"
        case SCARD_E_NOT_TRANSACTED: "SCARD_E_NOT_TRANSACTED: An attempt was made to end a non-existent transaction"
        case SCARD_E_READER_UNAVAILABLE: "SCARD_E_READER_UNAVAILABLE: The specified reader is not currently available for use"
        case SCARD_E_PCI_TOO_SMALL: "SCARD_E_PCI_TOO_SMALL: The PCI Receive buffer was too small"
        case SCARD_E_READER_UNSUPPORTED: "SCARD_E_READER_UNSUPPORTED: The reader driver does not meet minimal requirements for support"
        case SCARD_E_DUPLICATE_READER: "SCARD_E_DUPLICATE_READER: The reader driver did not produce a unique reader name"
        case SCARD_E_CARD_UNSUPPORTED: "SCARD_E_CARD_UNSUPPORTED: The smart card does not meet minimal requirements for support"
        case SCARD_E_NO_SERVICE: "SCARD_E_NO_SERVICE: The Smart card resource manager is not running"
        case SCARD_E_SERVICE_STOPPED: "SCARD_E_SERVICE_STOPPED: The Smart card resource manager has shut down"
        case SCARD_E_UNEXPECTED: "SCARD_E_UNEXPECTED: An unexpected card error has occurred"
        case SCARD_E_ICC_INSTALLATION: "SCARD_E_ICC_INSTALLATION: No primary provider can be found for the smart card"
        case SCARD_E_ICC_CREATEORDER: "SCARD_E_ICC_CREATEORDER: The requested order of object creation is not supported"
        case SCARD_E_DIR_NOT_FOUND: "SCARD_E_DIR_NOT_FOUND: The identified directory does not exist in the smart card"
        case SCARD_E_FILE_NOT_FOUND: "SCARD_E_FILE_NOT_FOUND: The identified file does not exist in the smart card"
        case SCARD_E_NO_DIR: "SCARD_E_NO_DIR: The supplied path does not represent a smart card directory"
        case SCARD_E_NO_FILE: "SCARD_E_NO_FILE: The supplied path does not represent a smart card file"
        case SCARD_E_NO_ACCESS: "SCARD_E_NO_ACCESS: Access is denied to this file"
        case SCARD_E_WRITE_TOO_MANY: "SCARD_E_WRITE_TOO_MANY: The smart card does not have enough memory to store the information"
        case SCARD_E_BAD_SEEK: "SCARD_E_BAD_SEEK: There was an error trying to set the smart card file object pointer"
        case SCARD_E_INVALID_CHV: "SCARD_E_INVALID_CHV: The supplied PIN is incorrect"
        case SCARD_E_UNKNOWN_RES_MNG: "SCARD_E_UNKNOWN_RES_MNG: An unrecognized error code was returned from a layered component"
        case SCARD_E_NO_SUCH_CERTIFICATE: "SCARD_E_NO_SUCH_CERTIFICATE: The requested certificate does not exist"
        case SCARD_E_CERTIFICATE_UNAVAILABLE: "SCARD_E_CERTIFICATE_UNAVAILABLE: The requested certificate could not be obtained"
        case SCARD_E_NO_READERS_AVAILABLE: "SCARD_E_NO_READERS_AVAILABLE: Cannot find a smart card reader"
        case SCARD_E_COMM_DATA_LOST: "SCARD_E_COMM_DATA_LOST: A communications error with the smart card has been detected. Retry the operation"
        case SCARD_E_NO_KEY_CONTAINER: "SCARD_E_NO_KEY_CONTAINER: The requested key container does not exist on the smart card"
        case SCARD_E_SERVER_TOO_BUSY: "SCARD_E_SERVER_TOO_BUSY: The Smart Card Resource Manager is too busy to complete this operation"
        case SCARD_W_UNSUPPORTED_CARD: "SCARD_W_UNSUPPORTED_CARD: The reader cannot communicate with the card, due to ATR string configuration conflicts"
        case SCARD_W_UNRESPONSIVE_CARD: "SCARD_W_UNRESPONSIVE_CARD: The smart card is not responding to a reset"
        case SCARD_W_UNPOWERED_CARD: "SCARD_W_UNPOWERED_CARD: Power has been removed from the smart card, so that further communication is not possible"
        case SCARD_W_RESET_CARD: "SCARD_W_RESET_CARD: The smart card has been reset, so any shared state information is invalid"
        case SCARD_W_REMOVED_CARD: "SCARD_W_REMOVED_CARD: The smart card has been removed, so further communication is not possible"
        case SCARD_W_SECURITY_VIOLATION: "SCARD_W_SECURITY_VIOLATION: Access was denied because of a security violation"
        case SCARD_W_WRONG_CHV: "SCARD_W_WRONG_CHV: The card cannot be accessed because the wrong PIN was presented"
        case SCARD_W_CHV_BLOCKED: "SCARD_W_CHV_BLOCKED: The card cannot be accessed because the maximum number of PIN entry attempts has been reached"
        case SCARD_W_EOF: "SCARD_W_EOF: The end of the smart card file has been reached"
        case SCARD_W_CANCELLED_BY_USER: "SCARD_W_CANCELLED_BY_USER: The user pressed \"Cancel\" on a Smart Card Selection Dialog"
        case SCARD_W_CARD_NOT_AUTHENTICATED: "SCARD_W_CARD_NOT_AUTHENTICATED: No PIN was presented to the smart card"
        default: "SCARD error 0x\(String(UInt32(truncatingIfNeeded: code), radix: 16, uppercase: true))"
        }
    }

    public var description: String { operation.isEmpty ? name : "\(operation): \(name)" }

    /// An internal consistency check failed. (`SCARD_F_INTERNAL_ERROR`)
    public static let internalError = PCSCError(code: SCARD_F_INTERNAL_ERROR)
    /// The action was cancelled by an SCardCancel request. (`SCARD_E_CANCELLED`)
    public static let cancelled = PCSCError(code: SCARD_E_CANCELLED)
    /// The supplied handle was invalid. (`SCARD_E_INVALID_HANDLE`)
    public static let invalidHandle = PCSCError(code: SCARD_E_INVALID_HANDLE)
    /// One or more of the supplied parameters could not be properly interpreted. (`SCARD_E_INVALID_PARAMETER`)
    public static let invalidParameter = PCSCError(code: SCARD_E_INVALID_PARAMETER)
    /// Registry startup information is missing or invalid. (`SCARD_E_INVALID_TARGET`)
    public static let invalidTarget = PCSCError(code: SCARD_E_INVALID_TARGET)
    /// Not enough memory available to complete this command. (`SCARD_E_NO_MEMORY`)
    public static let noMemory = PCSCError(code: SCARD_E_NO_MEMORY)
    /// An internal consistency timer has expired. (`SCARD_F_WAITED_TOO_LONG`)
    public static let waitedTooLong = PCSCError(code: SCARD_F_WAITED_TOO_LONG)
    /// The data buffer to receive returned data is too small for the returned data. (`SCARD_E_INSUFFICIENT_BUFFER`)
    public static let insufficientBuffer = PCSCError(code: SCARD_E_INSUFFICIENT_BUFFER)
    /// The specified reader name is not recognized. (`SCARD_E_UNKNOWN_READER`)
    public static let unknownReader = PCSCError(code: SCARD_E_UNKNOWN_READER)
    /// The user-specified timeout value has expired. (`SCARD_E_TIMEOUT`)
    public static let timeout = PCSCError(code: SCARD_E_TIMEOUT)
    /// The smart card cannot be accessed because of other connections outstanding. (`SCARD_E_SHARING_VIOLATION`)
    public static let sharingViolation = PCSCError(code: SCARD_E_SHARING_VIOLATION)
    /// The operation requires a Smart Card, but no Smart Card is currently in the device. (`SCARD_E_NO_SMARTCARD`)
    public static let noSmartcard = PCSCError(code: SCARD_E_NO_SMARTCARD)
    /// The specified smart card name is not recognized. (`SCARD_E_UNKNOWN_CARD`)
    public static let unknownCard = PCSCError(code: SCARD_E_UNKNOWN_CARD)
    /// The system could not dispose of the media in the requested manner. (`SCARD_E_CANT_DISPOSE`)
    public static let cantDispose = PCSCError(code: SCARD_E_CANT_DISPOSE)
    /// The requested protocols are incompatible with the protocol currently in use with the smart card. (`SCARD_E_PROTO_MISMATCH`)
    public static let protoMismatch = PCSCError(code: SCARD_E_PROTO_MISMATCH)
    /// The reader or smart card is not ready to accept commands. (`SCARD_E_NOT_READY`)
    public static let notReady = PCSCError(code: SCARD_E_NOT_READY)
    /// One or more of the supplied parameters values could not be properly interpreted. (`SCARD_E_INVALID_VALUE`)
    public static let invalidValue = PCSCError(code: SCARD_E_INVALID_VALUE)
    /// The action was cancelled by the system, presumably to log off or shut down. (`SCARD_E_SYSTEM_CANCELLED`)
    public static let systemCancelled = PCSCError(code: SCARD_E_SYSTEM_CANCELLED)
    /// An internal communications error has been detected. (`SCARD_F_COMM_ERROR`)
    public static let commError = PCSCError(code: SCARD_F_COMM_ERROR)
    /// An internal error has been detected, but the source is unknown. (`SCARD_F_UNKNOWN_ERROR`)
    public static let unknownError = PCSCError(code: SCARD_F_UNKNOWN_ERROR)
    /// An ATR obtained from the registry is not a valid ATR string. (`SCARD_E_INVALID_ATR`)
    public static let invalidAtr = PCSCError(code: SCARD_E_INVALID_ATR)
    /// An attempt was made to end a non-existent transaction. (`SCARD_E_NOT_TRANSACTED`)
    public static let notTransacted = PCSCError(code: SCARD_E_NOT_TRANSACTED)
    /// The specified reader is not currently available for use. (`SCARD_E_READER_UNAVAILABLE`)
    public static let readerUnavailable = PCSCError(code: SCARD_E_READER_UNAVAILABLE)
    /// The PCI Receive buffer was too small. (`SCARD_E_PCI_TOO_SMALL`)
    public static let pciTooSmall = PCSCError(code: SCARD_E_PCI_TOO_SMALL)
    /// The reader driver does not meet minimal requirements for support. (`SCARD_E_READER_UNSUPPORTED`)
    public static let readerUnsupported = PCSCError(code: SCARD_E_READER_UNSUPPORTED)
    /// The reader driver did not produce a unique reader name. (`SCARD_E_DUPLICATE_READER`)
    public static let duplicateReader = PCSCError(code: SCARD_E_DUPLICATE_READER)
    /// The smart card does not meet minimal requirements for support. (`SCARD_E_CARD_UNSUPPORTED`)
    public static let cardUnsupported = PCSCError(code: SCARD_E_CARD_UNSUPPORTED)
    /// The Smart card resource manager is not running. (`SCARD_E_NO_SERVICE`)
    public static let noService = PCSCError(code: SCARD_E_NO_SERVICE)
    /// The Smart card resource manager has shut down. (`SCARD_E_SERVICE_STOPPED`)
    public static let serviceStopped = PCSCError(code: SCARD_E_SERVICE_STOPPED)
    /// An unexpected card error has occurred. (`SCARD_E_UNEXPECTED`)
    public static let unexpected = PCSCError(code: SCARD_E_UNEXPECTED)
    /// This smart card does not support the requested feature. (`SCARD_E_UNSUPPORTED_FEATURE`)
    public static let unsupportedFeature = PCSCError(code: SCARD_E_UNSUPPORTED_FEATURE)
    /// No primary provider can be found for the smart card. (`SCARD_E_ICC_INSTALLATION`)
    public static let iccInstallation = PCSCError(code: SCARD_E_ICC_INSTALLATION)
    /// The requested order of object creation is not supported. (`SCARD_E_ICC_CREATEORDER`)
    public static let iccCreateorder = PCSCError(code: SCARD_E_ICC_CREATEORDER)
    /// The identified directory does not exist in the smart card. (`SCARD_E_DIR_NOT_FOUND`)
    public static let dirNotFound = PCSCError(code: SCARD_E_DIR_NOT_FOUND)
    /// The identified file does not exist in the smart card. (`SCARD_E_FILE_NOT_FOUND`)
    public static let fileNotFound = PCSCError(code: SCARD_E_FILE_NOT_FOUND)
    /// The supplied path does not represent a smart card directory. (`SCARD_E_NO_DIR`)
    public static let noDir = PCSCError(code: SCARD_E_NO_DIR)
    /// The supplied path does not represent a smart card file. (`SCARD_E_NO_FILE`)
    public static let noFile = PCSCError(code: SCARD_E_NO_FILE)
    /// Access is denied to this file. (`SCARD_E_NO_ACCESS`)
    public static let noAccess = PCSCError(code: SCARD_E_NO_ACCESS)
    /// The smart card does not have enough memory to store the information. (`SCARD_E_WRITE_TOO_MANY`)
    public static let writeTooMany = PCSCError(code: SCARD_E_WRITE_TOO_MANY)
    /// There was an error trying to set the smart card file object pointer. (`SCARD_E_BAD_SEEK`)
    public static let badSeek = PCSCError(code: SCARD_E_BAD_SEEK)
    /// The supplied PIN is incorrect. (`SCARD_E_INVALID_CHV`)
    public static let invalidChv = PCSCError(code: SCARD_E_INVALID_CHV)
    /// An unrecognized error code was returned from a layered component. (`SCARD_E_UNKNOWN_RES_MNG`)
    public static let unknownResMng = PCSCError(code: SCARD_E_UNKNOWN_RES_MNG)
    /// The requested certificate does not exist. (`SCARD_E_NO_SUCH_CERTIFICATE`)
    public static let noSuchCertificate = PCSCError(code: SCARD_E_NO_SUCH_CERTIFICATE)
    /// The requested certificate could not be obtained. (`SCARD_E_CERTIFICATE_UNAVAILABLE`)
    public static let certificateUnavailable = PCSCError(code: SCARD_E_CERTIFICATE_UNAVAILABLE)
    /// Cannot find a smart card reader. (`SCARD_E_NO_READERS_AVAILABLE`)
    public static let noReadersAvailable = PCSCError(code: SCARD_E_NO_READERS_AVAILABLE)
    /// A communications error with the smart card has been detected. Retry the operation. (`SCARD_E_COMM_DATA_LOST`)
    public static let commDataLost = PCSCError(code: SCARD_E_COMM_DATA_LOST)
    /// The requested key container does not exist on the smart card. (`SCARD_E_NO_KEY_CONTAINER`)
    public static let noKeyContainer = PCSCError(code: SCARD_E_NO_KEY_CONTAINER)
    /// The Smart Card Resource Manager is too busy to complete this operation. (`SCARD_E_SERVER_TOO_BUSY`)
    public static let serverTooBusy = PCSCError(code: SCARD_E_SERVER_TOO_BUSY)
    /// The reader cannot communicate with the card, due to ATR string configuration conflicts. (`SCARD_W_UNSUPPORTED_CARD`)
    public static let unsupportedCard = PCSCError(code: SCARD_W_UNSUPPORTED_CARD)
    /// The smart card is not responding to a reset. (`SCARD_W_UNRESPONSIVE_CARD`)
    public static let unresponsiveCard = PCSCError(code: SCARD_W_UNRESPONSIVE_CARD)
    /// Power has been removed from the smart card, so that further communication is not possible. (`SCARD_W_UNPOWERED_CARD`)
    public static let unpoweredCard = PCSCError(code: SCARD_W_UNPOWERED_CARD)
    /// The smart card has been reset, so any shared state information is invalid. (`SCARD_W_RESET_CARD`)
    public static let resetCard = PCSCError(code: SCARD_W_RESET_CARD)
    /// The smart card has been removed, so further communication is not possible. (`SCARD_W_REMOVED_CARD`)
    public static let removedCard = PCSCError(code: SCARD_W_REMOVED_CARD)
    /// Access was denied because of a security violation. (`SCARD_W_SECURITY_VIOLATION`)
    public static let securityViolation = PCSCError(code: SCARD_W_SECURITY_VIOLATION)
    /// The card cannot be accessed because the wrong PIN was presented. (`SCARD_W_WRONG_CHV`)
    public static let wrongChv = PCSCError(code: SCARD_W_WRONG_CHV)
    /// The card cannot be accessed because the maximum number of PIN entry attempts has been reached. (`SCARD_W_CHV_BLOCKED`)
    public static let chvBlocked = PCSCError(code: SCARD_W_CHV_BLOCKED)
    /// The end of the smart card file has been reached. (`SCARD_W_EOF`)
    public static let eof = PCSCError(code: SCARD_W_EOF)
    /// The user pressed \"Cancel\" on a Smart Card Selection Dialog. (`SCARD_W_CANCELLED_BY_USER`)
    public static let cancelledByUser = PCSCError(code: SCARD_W_CANCELLED_BY_USER)
    /// No PIN was presented to the smart card. (`SCARD_W_CARD_NOT_AUTHENTICATED`)
    public static let cardNotAuthenticated = PCSCError(code: SCARD_W_CARD_NOT_AUTHENTICATED)
}
