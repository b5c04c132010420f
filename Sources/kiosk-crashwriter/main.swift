// Commits CrashStream's operations 0..<N in order, printing "ok I" (or "replayed I") after each
// commit returns, so that the crash test can kill it with SIGKILL at any point and then check that
// every reported commit is present and nothing is half-written.
//
// usage: kiosk-crashwriter [--power-cut-after N --seed S --keep none|random|all] [--relaxed]
//                          DB OPS MEMBERS [FILE-SIZE-LIMIT-BYTES]
//
// With a file size limit (RLIMIT_FSIZE), the operating system refuses writes past that size as a
// full disk does; the writer then prints "failed CODE: MESSAGE" and exits 73.
//
// With --power-cut-after N, SQLite runs on the power-loss VFS (CPowerLossVFS): at the N-th write,
// truncation or sync the power is "cut": of what was not synced, none, a random part (seeded by S)
// or all reaches the disk, the writer prints "power-cut" and exits 0 at once. N = 0 never cuts;
// the writer then prints "syncs wal=W db=D" before "done" (how many syncs the VFS saw).
// --relaxed turns durability off (synchronous=OFF), for the test that shows the power-loss test
// sees a writer that does not sync.
import CPowerLossVFS
import Foundation
import KioskStore
import StoreCrashStream

/// Writes a line straight to stdout (no buffering: the parent must see it before a kill).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: kiosk-crashwriter [--power-cut-after N --seed S --keep none|random|all] [--relaxed] DB OPS MEMBERS [FILE-SIZE-LIMIT-BYTES]\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var powerCut: (after: UInt, seed: UInt64, keep: powerloss_keep)?
var relaxed = false
while let first = arguments.first, first.hasPrefix("--") {
    arguments.removeFirst()
    switch first {
    case "--power-cut-after":
        guard arguments.count >= 5, let after = UInt(arguments[0]), arguments[1] == "--seed", let seed = UInt64(arguments[2]),
              arguments[3] == "--keep" else { usage() }
        let keep: powerloss_keep
        switch arguments[4] {
        case "none": keep = powerloss_keep_none
        case "random": keep = powerloss_keep_random
        case "all": keep = powerloss_keep_all
        default: usage()
        }
        powerCut = (after, seed, keep)
        arguments.removeFirst(5)
    case "--relaxed":
        relaxed = true
    default:
        usage()
    }
}
guard (3...4).contains(arguments.count), let count = Int(arguments[1]), let members = Int(arguments[2]) else { usage() }
if arguments.count == 4, let limit = UInt64(arguments[3]) {
    signal(SIGXFSZ, SIG_IGN)
    var rlim = rlimit(rlim_cur: rlim_t(limit), rlim_max: rlim_t(limit))
    guard setrlimit(Int32(RLIMIT_FSIZE.rawValue), &rlim) == 0 else {
        FileHandle.standardError.write(Data("kiosk-crashwriter: setrlimit failed\n".utf8))
        exit(70)
    }
}
if let powerCut {
    guard powerloss_install(powerCut.after, powerCut.seed, powerCut.keep, 0) == 0 else {
        FileHandle.standardError.write(Data("kiosk-crashwriter: cannot install the power-loss VFS\n".utf8))
        exit(70)
    }
}
do {
    let store = try KioskStore(path: arguments[0])
    if relaxed { try store.relaxDurabilityForThrowawayDatabase() }
    try CrashStream.prepare(store, members: members)
    emit("ready")
    for i in 0..<count {
        let receipt = try store.commit(CrashStream.operation(i, members: members))
        emit(receipt.replayed ? "replayed \(i)" : "ok \(i)")
    }
    if powerCut != nil { emit("syncs wal=\(powerloss_sync_count(1)) db=\(powerloss_sync_count(0)) io=\(powerloss_io_count())") }
    emit("done")
} catch let error as StoreError {
    emit("failed \(error.code): \(error.message)")
    exit(73)
} catch {
    FileHandle.standardError.write(Data("kiosk-crashwriter: \(error)\n".utf8))
    exit(1)
}
