/// What this build is.
public enum BuildInfo {
    /// The kiosk's version (semantic versioning).
    public static let version = "0.1.0"
}
