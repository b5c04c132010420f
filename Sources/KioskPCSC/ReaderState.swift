import CPCSC

/// One reader's state for `SCardGetStatusChange`: what the caller believes, what pcscd says.
public struct ReaderState: Sendable, Equatable {
    public var reader: String
    /// What the caller believes (pass the last `eventState`, or `.unaware` the first time).
    public var currentState: Flags
    /// What pcscd reported; the upper 16 bits count card insertions and removals.
    public var eventState: Flags
    /// The card's ATR when one is present.
    public var atr: [UInt8]

    public init(reader: String, currentState: Flags = .unaware, eventState: Flags = .unaware, atr: [UInt8] = []) {
        self.reader = reader
        self.currentState = currentState
        self.eventState = eventState
        self.atr = atr
    }

    /// `SCARD_STATE_*` flags (the low 16 bits) and the event counter (the high 16 bits).
    public struct Flags: OptionSet, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: UInt64
        public init(rawValue: UInt64) { self.rawValue = rawValue }

        public static let unaware = Flags([])
        public static let ignore = Flags(rawValue: UInt64(SCARD_STATE_IGNORE))
        public static let changed = Flags(rawValue: UInt64(SCARD_STATE_CHANGED))
        public static let unknown = Flags(rawValue: UInt64(SCARD_STATE_UNKNOWN))
        public static let unavailable = Flags(rawValue: UInt64(SCARD_STATE_UNAVAILABLE))
        public static let empty = Flags(rawValue: UInt64(SCARD_STATE_EMPTY))
        public static let present = Flags(rawValue: UInt64(SCARD_STATE_PRESENT))
        public static let atrMatch = Flags(rawValue: UInt64(SCARD_STATE_ATRMATCH))
        public static let exclusive = Flags(rawValue: UInt64(SCARD_STATE_EXCLUSIVE))
        public static let inUse = Flags(rawValue: UInt64(SCARD_STATE_INUSE))
        public static let mute = Flags(rawValue: UInt64(SCARD_STATE_MUTE))
        public static let unpowered = Flags(rawValue: UInt64(SCARD_STATE_UNPOWERED))

        /// The count of card events pcscd keeps per reader (the high 16 bits of the state).
        public var eventCount: UInt16 { UInt16(truncatingIfNeeded: rawValue >> 16) }

        /// The flags without `changed` (what to pass as `currentState` next time).
        public var withoutChanged: Flags { subtracting(.changed) }

        public var description: String {
            let names: [(Flags, String)] = [(.ignore, "ignore"), (.changed, "changed"), (.unknown, "unknown"),
                (.unavailable, "unavailable"), (.empty, "empty"), (.present, "present"), (.atrMatch, "atrmatch"),
                (.exclusive, "exclusive"), (.inUse, "inuse"), (.mute, "mute"), (.unpowered, "unpowered")]
            let set = names.filter { contains($0.0) }.map(\.1)
            return (set.isEmpty ? "unaware" : set.joined(separator: ",")) + (eventCount > 0 ? "#\(eventCount)" : "")
        }
    }
}
