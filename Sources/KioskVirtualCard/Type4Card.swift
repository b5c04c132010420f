import KioskCards
import Synchronization

/// An NFC Forum Type 4 tag: the NDEF application with its CC file (E103) and NDEF file (E104),
/// SELECT, READ BINARY and UPDATE BINARY. With `sun`, it plays an NTAG 424 DNA whose NDEF
/// file is a SUN URL computed from its keys and read counter, which goes up by one each time
/// the NDEF file is selected (a new reading).
public final class Type4Card: VirtualCard {
    /// What an NTAG 424 DNA needs to produce genuine SUN messages.
    public struct SUN: Sendable {
        public var keys: SDMKeys
        public var baseURL: String
        public var counter: UInt32
        /// Which bytes the card's SDMMAC covers (its personalisation).
        public var layout: SDMMACInput
        /// The 5 random bytes that pad PICCData.
        public var padding: [UInt8]
        /// Random ID enabled: GET UID answers a 4-byte random ID (`08 …`) that changes per reading.
        public var randomID: Bool
        public init(keys: SDMKeys, baseURL: String, counter: UInt32, layout: SDMMACInput = .default,
                    padding: [UInt8] = [0x11, 0x22, 0x33, 0x44, 0x55], randomID: Bool = false) {
            self.keys = keys
            self.baseURL = baseURL
            self.counter = counter
            self.layout = layout
            self.padding = padding
            self.randomID = randomID
        }
    }

    private struct State {
        var ndefFile: [UInt8]
        var applicationSelected = false
        var selected: UInt16?
        var sun: SUN?
    }

    public let uid: [UInt8]
    public let fileSize: Int
    /// The NDEF file's id (E104 on most tags; another id makes readers go through the CC file).
    public let ndefFileID: UInt16
    /// False plays an ISO 14443-4 device without the NDEF application (a phone, a bare DESFire).
    public let hasNDEFApplication: Bool
    public var atr: [UInt8] { VirtualATR.iso14443_4 }
    private let state: Mutex<State>

    /// A Type 4 tag whose NDEF file (of `fileSize` bytes, NLEN included) holds `message`.
    public init(uid: [UInt8], message: NDEFMessage?, fileSize: Int = 256, ndefFileID: UInt16 = Type4.defaultNDEFFile,
                hasNDEFApplication: Bool = true) {
        self.uid = uid
        self.fileSize = fileSize
        self.ndefFileID = ndefFileID
        self.hasNDEFApplication = hasNDEFApplication
        var file = message.map { Type4.ndefFile($0) } ?? [0, 0]
        file += [UInt8](repeating: 0, count: max(0, fileSize - file.count))
        state = Mutex(State(ndefFile: file))
    }

    /// An NTAG 424 DNA producing SUN URLs.
    public convenience init(uid: [UInt8], sun: SUN) {
        self.init(uid: uid, message: nil, fileSize: 256)
        state.withLock { $0.sun = sun }
    }

    /// The SDM read counter the card will use for its next reading minus one (the last used).
    public var counter: UInt32? { state.withLock { $0.sun?.counter } }

    /// The NDEF message in the file now (nil if it does not parse).
    public var message: NDEFMessage? {
        state.withLock { s in
            let length = Int(s.ndefFile[0]) << 8 | Int(s.ndefFile[1])
            guard length > 0, 2 + length <= s.ndefFile.count else { return nil }
            return try? NDEFMessage(parsing: Array(s.ndefFile[2..<(2 + length)]))
        }
    }

    public func reset() {
        state.withLock { $0.applicationSelected = false; $0.selected = nil }
    }

    private var capabilityContainer: [UInt8] {
        [0x00, 0x0F, 0x20, 0x00, 0xFF, 0x00, 0xFF, 0x04, 0x06, UInt8(ndefFileID >> 8), UInt8(ndefFileID & 0xFF),
         UInt8(fileSize >> 8), UInt8(fileSize & 0xFF), 0x00, 0x00]
    }

    public func respond(to command: [UInt8]) -> VirtualCardAnswer {
        guard command.count >= 4 else { return .sw(0x6700) }
        let cc = capabilityContainer
        return state.withLock { s -> VirtualCardAnswer in
            switch (command[0], command[1], command[2]) {
            case (0xFF, 0xCA, _):
                if let sun = s.sun, sun.randomID {
                    return .sw(0x9000, data: [0x08, UInt8(sun.counter & 0xFF), 0x5A, UInt8(sun.counter >> 8 & 0xFF)])
                }
                return .sw(0x9000, data: uid)
            case (0x00, 0xA4, 0x04):
                guard hasNDEFApplication, command.count >= 5 + Int(command[4]),
                      Array(command[5..<(5 + Int(command[4]))]) == Type4.ndefApplication else {
                    s.applicationSelected = false
                    return .sw(0x6A82)
                }
                s.applicationSelected = true
                s.selected = nil
                return .sw(0x9000)
            case (0x00, 0xA4, 0x00):
                guard s.applicationSelected, command.count >= 7, command[4] == 2 else { return .sw(0x6A82) }
                let id = UInt16(command[5]) << 8 | UInt16(command[6])
                guard id == Type4.capabilityContainerFile || id == ndefFileID else { return .sw(0x6A82) }
                s.selected = id
                if id == ndefFileID, var sun = s.sun {
                    sun.counter += 1
                    s.sun = sun
                    let url = (try? SUNGenerator.url(base: sun.baseURL, uid: uid, counter: sun.counter,
                                                     padding: sun.padding, keys: sun.keys, layout: sun.layout)) ?? ""
                    var file = Type4.ndefFile(NDEFMessage(records: [.uri(url)]))
                    file += [UInt8](repeating: 0, count: max(0, fileSize - file.count))
                    s.ndefFile = file
                }
                return .sw(0x9000)
            case (0x00, 0xB0, _):
                guard let selected = s.selected else { return .sw(0x6986) }
                let file = selected == Type4.capabilityContainerFile ? cc : s.ndefFile
                let offset = Int(command[2]) << 8 | Int(command[3])
                let le = command.count >= 5 ? (command[4] == 0 ? 256 : Int(command[4])) : 256
                guard offset < file.count else { return .sw(0x6B00) }
                return .sw(0x9000, data: Array(file[offset..<min(file.count, offset + le)]))
            case (0x00, 0xD6, _):
                guard s.selected == ndefFileID, s.sun == nil, command.count >= 5 else { return .sw(0x6986) }
                let offset = Int(command[2]) << 8 | Int(command[3])
                let count = Int(command[4])
                guard command.count >= 5 + count, offset + count <= s.ndefFile.count else { return .sw(0x6700) }
                s.ndefFile.replaceSubrange(offset..<(offset + count), with: command[5..<(5 + count)])
                return .sw(0x9000)
            default:
                return .sw(0x6D00)
            }
        }
    }
}
