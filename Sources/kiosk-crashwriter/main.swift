// Commits CrashStream's operations 0..<N in order, printing "ok I" (or "replayed I") after each
// commit returns, so that the crash test can kill it with SIGKILL at any point and then check that
// every reported commit is present and nothing is half-written.
//
// usage: kiosk-crashwriter DB OPS MEMBERS [FILE-SIZE-LIMIT-BYTES]
//
// With a file size limit (RLIMIT_FSIZE), the operating system refuses writes past that size as a
// full disk does; the writer then prints "failed CODE: MESSAGE" and exits 73.
import Foundation
import KioskStore
import StoreCrashStream

/// Writes a line straight to stdout (no buffering: the parent must see it before a kill).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

let arguments = CommandLine.arguments
guard (4...5).contains(arguments.count), let count = Int(arguments[2]), let members = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: kiosk-crashwriter DB OPS MEMBERS [FILE-SIZE-LIMIT-BYTES]\n".utf8))
    exit(64)
}
if arguments.count == 5, let limit = UInt64(arguments[4]) {
    signal(SIGXFSZ, SIG_IGN)
    var rlim = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
    guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rlim) == 0 else {
        FileHandle.standardError.write(Data("kiosk-crashwriter: setrlimit failed\n".utf8))
        exit(70)
    }
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
} catch let error as StoreError {
    emit("failed \(error.code): \(error.message)")
    exit(73)
} catch {
    FileHandle.standardError.write(Data("kiosk-crashwriter: \(error)\n".utf8))
    exit(1)
}
