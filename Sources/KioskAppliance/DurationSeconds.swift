extension Duration {
    /// The duration in seconds, as `Date` arithmetic takes it.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
