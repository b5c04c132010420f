import Foundation
import KioskEngine
import KioskLoyalty
import KioskStore
import Synchronization

/// The loyalty program the appliance serves, with the screen mapper that labels its wheel:
/// replaced while the kiosk runs when the central activates a new program or the technician asks
/// for a reload (SIGHUP, `systemctl reload kiosk`). The session asks for the change only when it
/// is idle, so no customer or staff flow sees two programs; an operation already under way ends
/// on the program it began with.
public final class ActiveProgram: Sendable {
    private let current: Mutex<(loyalty: LoyaltyService, mapper: ScreenMapper)>

    public init(loyalty: LoyaltyService, mapper: ScreenMapper) {
        current = Mutex((loyalty, mapper))
    }

    public var loyalty: LoyaltyService { current.withLock { $0.loyalty } }
    public var mapper: ScreenMapper { current.withLock { $0.mapper } }

    /// What a reload did.
    public enum Reload: Sendable, Equatable {
        /// The new program serves from now on.
        case replaced(from: String, to: String)
        /// The source gives the program already served (same version, same text).
        case unchanged(version: String)
    }

    /// Loads the program `source` gives and, when it differs from the one served, serves it from
    /// now on (recorded in the store as any program the kiosk serves). A program that does not
    /// load, or that the store refuses, throws and leaves the served one in place.
    public func reload(from source: ProgramSource, at now: Date) throws -> Reload {
        let (program, json) = try source.load()
        let (old, mapper) = current.withLock { ($0.loyalty, $0.mapper) }
        // A program is known by its version (the store records one body per version): an edited
        // file that keeps its version is not a new program.
        if program.version == old.program.version { return .unchanged(version: program.version) }
        let loyalty = try LoyaltyService(store: old.store, program: program, programJSON: json, at: now)
        current.withLock { $0 = (loyalty, mapper.with(wheel: program.wheel)) }
        return .replaced(from: old.program.version, to: program.version)
    }
}

/// Where the served program comes from: read again at each reload.
public struct ProgramSource: Sendable {
    public let load: @Sendable () throws -> (Program, Data?)

    public init(_ load: @escaping @Sendable () throws -> (Program, Data?)) { self.load = load }
}
