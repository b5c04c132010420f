/// What the reader service reports, in order.
public enum ReaderServiceEvent: Sendable, Equatable {
    /// A PC/SC context is established (at start and after pcscd came back).
    case connected
    /// pcscd is unreachable or went away; the service keeps trying.
    case disconnected(String)
    case readerAdded(String)
    case readerRemoved(String)
    /// A card was presented and read: the tap and its outcome.
    case tap(Tap)
    /// The card left the reader.
    case cardRemoved(String)
    /// Another process holds the reader; the service retries while the card stays.
    case readerBusy(String)
    /// A card was presented while the reader's last read is still stuck in the driver (its
    /// card did not answer): the new card is read once that call returns, if it is still there.
    case readerStuck(String)
    /// A card that does not answer to reset.
    case cardMute(String)
    /// The reader refused its LED/buzzer commands (why): it gets none until it is plugged again.
    case feedbackUnavailable(String, reason: String)
}
