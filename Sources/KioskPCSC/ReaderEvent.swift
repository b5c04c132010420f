/// Something that happened at the readers, as the status-change loop sees it.
public enum ReaderEvent: Sendable, Equatable {
    /// A reader appeared (or was there when watching began).
    case readerAdded(String)
    /// A reader went away (unplugged, or its driver stopped).
    case readerRemoved(String)
    /// A card was presented: it appeared, or was lifted and presented again between two looks
    /// (pcscd's event counter moved). A card left on the reader is presented once.
    case cardPresented(reader: String, atr: [UInt8])
    /// The card left the reader.
    case cardRemoved(reader: String)
    /// A card is there but does not answer to reset.
    case cardMute(reader: String)
}
