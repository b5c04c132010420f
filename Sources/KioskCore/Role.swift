/// The roles staff act in. Each is allowed only its own actions.
public enum Role: String, CaseIterable, Sendable, Codable, Hashable {
    case cashier
    case enroller
    case manager
    case technician
}
