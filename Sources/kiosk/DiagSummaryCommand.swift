import ArgumentParser
import Foundation
import KioskConfig
import KioskCore
import KioskPCSC
import KioskReaders
import KioskStore
import KioskSync

/// `kiosk diag` (and `kiosk diag all`): everything at once for a technician, with a summary
/// line and an exit status that says whether anything is wrong. It shows counts and device
/// names, never a member's data, and reads no card (a card on a reader is only said to be there).
struct DiagSummaryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Everything at once: configuration, clock, store, outbox, readers, scanners, display, central, versions.",
        discussion: """
            One line per check (ok, warn or FAIL) and a summary line. Exits 0 when nothing fails, 65 when the \
            store or the configuration is damaged, 69 when a device or the central cannot be reached. Safe \
            for the technician role: no member data, no secrets, no card is read.
            """)

    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Seconds to wait for the central.") var centralTimeout: Int = 5
    @OptionGroup var options: CommonOptions

    struct Check: Encodable {
        enum Status: String, Encodable { case ok, warn, fail }
        var name: String
        var status: Status
        var detail: String
        /// The exit status a failure of this check gives (65 data, 69 unavailable).
        var code: Int32 = 69
    }

    struct Report: Encodable {
        var summary: String
        var passed: Bool
        var checks: [Check]
    }

    func run() async throws {
        var checks: [Check] = []
        checks.append(Check(name: "version", status: .ok, detail: "kiosk \(BuildInfo.version)"))
        let configuration: KioskConfiguration
        do {
            configuration = try options.loadConfiguration()
            checks.append(Check(name: "configuration", status: .ok, detail: configuration.source ?? "built-in defaults"))
        } catch {
            checks.append(Check(name: "configuration", status: .fail, detail: "\(error)", code: 65))
            try finish(checks)
            return
        }
        checks.append(clock(configuration))
        checks += store(configuration)
        checks.append(readers(configuration))
        checks.append(scanners(configuration))
        checks.append(display(configuration))
        checks.append(await central(configuration))
        try finish(checks)
    }

    func finish(_ checks: [Check]) throws {
        let failed = checks.filter { $0.status == .fail }
        let warned = checks.filter { $0.status == .warn }
        let summary = failed.isEmpty
            ? "kiosk diag: \(checks.count) checks, all pass\(warned.isEmpty ? "" : " (\(warned.count) warning\(warned.count == 1 ? "" : "s"): \(warned.map(\.name).joined(separator: ", ")))")"
            : "kiosk diag: \(failed.count) of \(checks.count) checks fail: \(failed.map(\.name).joined(separator: ", "))"
        if json {
            try printJSON(Report(summary: summary, passed: failed.isEmpty, checks: checks))
        } else {
            for check in checks {
                let mark = switch check.status { case .ok: "ok  "; case .warn: "warn"; case .fail: "FAIL" }
                print("\(mark)  \(check.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(check.detail)")
            }
            print(summary)
        }
        if failed.contains(where: { $0.code == 65 }) { throw KioskExit.dataError }
        if !failed.isEmpty { throw KioskExit.unavailable }
    }

    func clock(_ configuration: KioskConfiguration) -> Check {
        let now = Date()
        let zone = TimeZone(identifier: configuration.kiosk.timeZone)
        let iso = ISO8601DateFormatter()
        iso.timeZone = zone ?? .gmt
        // A clock before this code was written is a clock that was never set (no RTC battery).
        guard now > Date(timeIntervalSince1970: 1_764_547_200) else {
            return Check(name: "clock", status: .fail, detail: "\(iso.string(from: now)): before 2025-12-01, the clock is not set")
        }
        guard zone != nil else {
            return Check(name: "clock", status: .warn, detail: "\(iso.string(from: now)); unknown time zone \(configuration.kiosk.timeZone)")
        }
        return Check(name: "clock", status: .ok, detail: "\(iso.string(from: now)) (\(configuration.kiosk.timeZone))")
    }

    func store(_ configuration: KioskConfiguration) -> [Check] {
        let path = configuration.store.path
        guard FileManager.default.fileExists(atPath: path) else {
            return [Check(name: "store", status: .fail, detail: "no database at \(path) (run `kiosk db migrate`)", code: 66)]
        }
        let size = ["", "-wal"].reduce(Int64(0)) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int64) ?? 0)
        }
        let store: KioskStore
        do { store = try KioskStore(path: path, mode: .readOnly) } catch {
            return [Check(name: "store", status: .fail, detail: "\(path): \(error.message)", code: 65)]
        }
        var checks: [Check] = []
        do {
            let report = try store.quickCheck()
            let megabytes = String(format: "%.1f MiB", Double(size) / 1_048_576)
            if report.isHealthy {
                checks.append(Check(name: "store", status: .ok, detail: "\(path), \(megabytes), healthy"))
            } else {
                let why = (report.integrity == ["ok"] ? [] : report.integrity.prefix(2).map { $0 })
                    + report.pendingMigrations.map { "migration \($0) pending" } + report.unknownMigrations.map { "unknown migration \($0)" }
                checks.append(Check(name: "store", status: .fail, detail: "\(path), \(megabytes): \(why.joined(separator: "; ")) (`kiosk db check`)",
                                    code: 65))
            }
            if configuration.store.maxSizeMiB > 0, size > Int64(configuration.store.maxSizeMiB) * 1_048_576 * 9 / 10 {
                checks.append(Check(name: "disk budget", status: .warn, detail: "\(megabytes) of store.max_size_mib \(configuration.store.maxSizeMiB)"))
            }
            let queue = try store.outboxQueueStatus()
            let age = queue.oldestPendingAt.map { " oldest \(Self.age(Date().timeIntervalSince($0)))" } ?? ""
            let detail = "\(queue.pending) pending\(age), \(queue.parked) parked, \(queue.delivered) delivered"
            checks.append(Check(name: "outbox", status: queue.parked > 0 ? .warn : .ok, detail: queue.parked > 0 ? detail + " (`kiosk sync parked`)" : detail))
        } catch {
            checks.append(Check(name: "store", status: .fail, detail: "\(path): \(error.message)", code: 65))
        }
        return checks
    }

    func readers(_ configuration: KioskConfiguration) -> Check {
        let context: PCSCContext
        let names: [String]
        do {
            context = try PCSCContext()
            names = try context.readers()
        } catch {
            return Check(name: "readers", status: .fail, detail: "pcscd is not reachable: \(error)")
        }
        let filter = ReaderPolicy.filter(configuration)
        let used = names.filter { filter.includes($0) }
        guard !used.isEmpty else {
            return Check(name: "readers", status: .fail,
                         detail: names.isEmpty ? "pcscd runs, no reader is plugged in" : "no reader the configuration allows (\(names.count) ignored)")
        }
        let states = (try? context.statusChange(used.map { ReaderState(reader: $0) }, timeoutMilliseconds: 0)) ?? []
        let described = used.map { name in
            let present = states.first { $0.reader == name }?.eventState.contains(.present) == true
            return name + (present ? " (card present)" : "")
        }
        return Check(name: "readers", status: .ok, detail: described.joined(separator: "; "))
    }

    func scanners(_ configuration: KioskConfiguration) -> Check {
        let candidates = DiagScannersCommand.candidates(ScannerPolicy.service(configuration), keypad: configuration.scanners.keypad)
        let used = candidates.filter { $0.use.hasPrefix("used") }
        if used.isEmpty {
            // A kiosk may run with readers only: worth a warning, not a failure.
            return Check(name: "scanners", status: .warn, detail: "no scanner in use (\(candidates.count) input devices seen; `kiosk diag scanners`)")
        }
        return Check(name: "scanners", status: .ok, detail: used.map { "\($0.name) \($0.device)" }.joined(separator: "; "))
    }

    func display(_ configuration: KioskConfiguration) -> Check {
        let device = configuration.display.framebuffer
        let backend = configuration.display.backend
        if access(device, R_OK | W_OK) == 0 {
            return Check(name: "display", status: .ok, detail: "framebuffer \(device) (backend \(backend.rawValue))")
        }
        let why = String(cString: strerror(errno))
        switch backend {
        case .framebuffer: return Check(name: "display", status: .fail, detail: "framebuffer \(device): \(why)")
        default: return Check(name: "display", status: .warn, detail: "no framebuffer (\(device): \(why)); `kiosk run` draws on its terminal")
        }
    }

    func central(_ configuration: KioskConfiguration) async -> Check {
        guard configuration.central.url != nil else {
            return Check(name: "central", status: .warn, detail: "not configured (central.url): events wait in the outbox")
        }
        do {
            var limited = configuration
            limited.central.timeoutSeconds = max(1, min(limited.central.timeoutSeconds, centralTimeout))
            let client = try CentralCommandSupport.client(limited)
            let report = await CentralDiagnosis.run(client, maxSkew: 30, now: { Date() })
            try? await client.shutdown()
            let detail = report.lines.joined(separator: "; ")
            if !report.reachable { return Check(name: "central", status: .fail, detail: detail) }
            return Check(name: "central", status: report.passed ? .ok : .fail, detail: detail, code: 65)
        } catch {
            return Check(name: "central", status: .fail, detail: "\(error)", code: 65)
        }
    }

    static func age(_ seconds: TimeInterval) -> String {
        switch seconds {
        case ..<120: "\(Int(seconds)) s"
        case ..<7_200: "\(Int(seconds / 60)) min"
        case ..<172_800: "\(Int(seconds / 3_600)) h"
        default: "\(Int(seconds / 86_400)) days"
        }
    }
}
