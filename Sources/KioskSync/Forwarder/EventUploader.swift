import KioskStore

/// Sends one batch to the central and says what came of it. `CentralClient` is the real one;
/// it never throws: every failure is an outcome the forwarder acts on.
public protocol EventUploader: Sendable {
    func upload(_ events: [OutboxDeliveryEvent]) async -> DeliveryOutcome
}
