import ArgumentParser
import KioskConfig
import KioskStore

/// The kiosk's exit codes, after sysexits(3). Documented in `kiosk --help` and docs/cli.md.
enum KioskExit {
    static let success = ExitCode(0)
    static let usage = ExitCode(64)
    static let dataError = ExitCode(65)
    static let noInput = ExitCode(66)
    static let unavailable = ExitCode(69)
    static let software = ExitCode(70)
    static let cannotCreate = ExitCode(73)
    static let ioError = ExitCode(74)
    /// A temporary failure worth retrying (a card that did not answer in time).
    static let tempFail = ExitCode(75)
    /// The operating system's permissions forbid it (a file or directory of another user).
    static let noPermission = ExitCode(77)

    static func code(for error: StoreError) -> ExitCode {
        switch error.code {
        case .readOnly, .diskFull, .alreadyExists: cannotCreate
        case .permissionDenied: noPermission
        case .unfinishedWrite: dataError
        case .inUse: unavailable
        case .io: ioError
        case .busy: unavailable
        case .cannotOpen: noInput
        case .corrupt, .newerSchema, .idempotencyConflict, .constraint, .invalidOperation, .notFound: dataError
        default: software
        }
    }
}

/// Prints an error for people on stderr and exits with its code.
func fail(_ message: String, _ code: ExitCode) -> ExitCode {
    printError("kiosk: \(message)")
    return code
}

func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

import Foundation
