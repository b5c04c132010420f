/// The largest amounts the kiosk accepts, far from Int64's limits so that no sum of them can
/// overflow: a ledger posting (and an imported opening balance) is at most 10^15 in magnitude
/// (10^15 Rial is 10^14 Toman), a balance at most 10^18 (Int64.max is about 9.2 × 10^18, so a
/// bounded balance plus a bounded posting always fits).
public enum AmountLimits {
    /// The largest magnitude of one ledger posting or imported amount: 10^15.
    public static let maxPosting: Int64 = 1_000_000_000_000_000
    /// The largest magnitude of one balance: 10^18.
    public static let maxBalance: Int64 = 1_000_000_000_000_000_000

    /// Whether a single posting or imported amount is within bounds.
    public static func isValidPosting(_ amount: Int64) -> Bool {
        amount >= -maxPosting && amount <= maxPosting
    }
}
