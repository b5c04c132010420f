// Commits CrashStream's operations 0..<N in order, printing "ok I" (or "replayed I") after each
// commit returns, so that the crash test can kill it with SIGKILL at any point and then check that
// every reported commit is present and nothing is half-written.
//
// usage: kiosk-crashwriter DB OPS MEMBERS
import Foundation
import KioskStore
import StoreCrashStream

/// Writes a line straight to stdout (no buffering: the parent must see it before a kill).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let count = Int(arguments[2]), let members = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: kiosk-crashwriter DB OPS MEMBERS\n".utf8))
    exit(64)
}
do {
    let store = try KioskStore(path: arguments[1])
    try CrashStream.prepare(store, members: members)
    emit("ready")
    for i in 0..<count {
        let receipt = try store.commit(CrashStream.operation(i, members: members))
        emit(receipt.replayed ? "replayed \(i)" : "ok \(i)")
    }
    emit("done")
} catch {
    FileHandle.standardError.write(Data("kiosk-crashwriter: \(error)\n".utf8))
    exit(1)
}
