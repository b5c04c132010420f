import ArgumentParser
import Crypto
import Foundation
import KioskEngine
import KioskStore

extension EngineCommand {
    /// `kiosk engine verify-spin`: anyone can check that a spin was drawn as its record says.
    struct VerifySpin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify-spin",
            abstract: "Check a spin's audit record: the random words give its roll, the roll its segment.",
            discussion: """
                Reads the audit record (JSON, as the prize screen's code and the store keep it) from FILE, or standard \
                input, or with --last the kiosk's last spin from its store (whose SHA-256, recorded in the same \
                transaction, is checked too). Recomputes the draw: the weights of the segments in the draw add up to \
                its total, the random words give its roll, the roll lands on its segment, and a voucher prize's code \
                follows from the next word. Exits 0 when the record holds, 65 when it does not or cannot be read.
                """)

        @OptionGroup var options: CommonOptions
        @Argument(help: ArgumentHelp("The audit record (JSON); - or none: standard input.", valueName: "FILE")) var file: String?
        @Flag(help: "Verify the last spin in the kiosk's store.") var last = false
        @Flag(help: "Print JSON.") var json = false

        struct Verdict: Encodable {
            var fair: Bool
            var problem: String?
            var segment: String
            var roll: Int64
            var total: Int64
            var eligible: Int
            var program: String
            var at: Date
        }

        func run() throws {
            let data: Data
            var stored: (audit: Data, sha: String)?
            if last {
                let configuration = try options.loadConfiguration()
                let store = try options.openStore(configuration, mode: .readOnly, migrate: false)
                let spin: CommittedSpin?
                do { spin = try store.lastSpin(since: .distantPast) } catch { throw fail(error.message, KioskExit.code(for: error)) }
                guard let spin else { throw fail("no spin in the store", KioskExit.noInput) }
                let sha: String?
                do { sha = try store.spinAuditSHA256(key: spin.key) } catch { throw fail(error.message, KioskExit.code(for: error)) }
                data = spin.audit
                stored = (spin.audit, sha ?? "")
            } else if let file, file != "-" {
                guard let contents = FileManager.default.contents(atPath: file) else { throw fail("cannot read \(file)", KioskExit.noInput) }
                data = contents
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            guard let audit = Self.decode(data) else { throw fail("not a spin's audit record (JSON)", KioskExit.dataError) }
            var problem = LoyaltyEngine.verify(audit)
            if problem == nil, let stored {
                let sha = SHA256.hash(data: stored.audit).map { String(format: "%02x", $0) }.joined()
                if sha != stored.sha { problem = "the record's SHA-256 is not the one committed with the spin" }
            }
            let verdict = Verdict(fair: problem == nil, problem: problem, segment: audit.segment, roll: audit.roll, total: audit.total,
                                  eligible: audit.eligible.count, program: audit.programVersion, at: audit.at)
            if json {
                try printJSON(verdict)
            } else if let problem {
                printError("NOT verified: \(problem)")
            } else {
                print("verified: roll \(audit.roll) of \(audit.total) over \(audit.eligible.count) segments lands on \(audit.segment) "
                      + "(program \(audit.programVersion))")
            }
            if problem != nil { throw KioskExit.dataError }
        }

        /// The record as the store keeps it (dates as seconds) or as the screen's code carries it (ISO 8601).
        static func decode(_ data: Data) -> SpinAudit? {
            let plain = JSONDecoder()
            if let audit = try? plain.decode(SpinAudit.self, from: data) { return audit }
            let iso = JSONDecoder()
            iso.dateDecodingStrategy = .iso8601
            return try? iso.decode(SpinAudit.self, from: data)
        }
    }
}
