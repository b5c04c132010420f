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
//
// With --loyalty PROGRAM EVENTS DB instead of DB OPS MEMBERS, the writer replays the events file
// through the loyalty service (the engine's purchases, returns, spins, gift requests, every refusal
// recorded under its key), printing "ok I" after each line I (from 0) whose commit returned, and
// at the end "summary JSON" (the replay's report, one line) before "done".
import CPowerLossVFS
import Foundation
import KioskCore
import KioskEngine
import KioskLoyalty
import KioskReceipts
import KioskStore
import StoreCrashStream

/// Writes a line straight to stdout (no buffering: the parent must see it before a kill).
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: kiosk-crashwriter [--power-cut-after N --seed S --keep none|random|all] [--relaxed] (DB OPS MEMBERS [FILE-SIZE-LIMIT-BYTES] | --loyalty PROGRAM EVENTS DB)\n".utf8))
    exit(64)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var powerCut: (after: UInt, seed: UInt64, keep: powerloss_keep)?
var relaxed = false
var loyalty = false
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
    case "--loyalty":
        loyalty = true
    default:
        usage()
    }
}
if loyalty {
    guard arguments.count == 3 else { usage() }
    if let powerCut {
        guard powerloss_install(powerCut.after, powerCut.seed, powerCut.keep, 0) == 0 else { exit(70) }
    }
    do {
        let programData = try Data(contentsOf: URL(fileURLWithPath: arguments[0]))
        let lines = try String(contentsOfFile: arguments[1], encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let store = try KioskStore(path: arguments[2])
        if relaxed { try store.relaxDurabilityForThrowawayDatabase() }
        let start = Date(timeIntervalSince1970: 0)
        let service = try LoyaltyService(store: store, program: try ProgramLoader.load(programData), programJSON: programData, at: start)
        var replayer = try Replayer(service: service, random: SeededRandom(seed: 42), seed: 42, start: start, keepEvents: false)
        let till = try ReceiptSigningKey(id: "t1", seed: Array(repeating: 7, count: 32))
        let verifier = try ReceiptVerifier(publicKeys: [till.publicKey])
        emit("ready")
        for (index, line) in lines.enumerated() where !line.isEmpty {
            try replayer.apply(line: String(line), number: index + 1)
            // Beside the event: a till receipt claimed, an NTAG 424 DNA counter advanced
            // (LoyaltyCrashStream's rules; a counter not above the last is refused, nothing written).
            if LoyaltyCrashStream.claimsReceipt(index) {
                let number = LoyaltyCrashStream.receiptNumber(index), issued = LoyaltyCrashStream.receiptIssued(index)
                let receipt = Receipt(pos: LoyaltyCrashStream.receiptTill, receiptID: "r-\(number)", branch: LoyaltyCrashStream.receiptBranch,
                                      issuedAt: issued, total: 1_500_000 + Int64(number) * 1_000,
                                      lines: [ReceiptLine(productGroup: "dairy", amount: 1_500_000 + Int64(number) * 1_000)])
                try service.claimReceipt(try till.payload(receipt), member: MemberID(rawValue: LoyaltyCrashStream.receiptMember(index)),
                                         verifier: verifier, now: Date(timeIntervalSince1970: TimeInterval(issued + 30)))
            }
            if let (uid, counter) = LoyaltyCrashStream.sdmAdvance(index) {
                _ = try store.advanceSDMCounter(uid: uid, to: counter, identification: "crash-line-\(index)")
            }
            emit("ok \(index)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        emit("summary " + String(decoding: try encoder.encode(try replayer.report(seed: 42)), as: UTF8.self))
        emit("done")
        exit(0)
    } catch let error as StoreError {
        emit("failed \(error.code): \(error.message)")
        exit(73)
    } catch {
        emit("failed \(error)")
        exit(1)
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
