import Foundation
import KioskCentralAPI
import KioskCore
import KioskStore

/// Applies the central's corrections as ledger entries the member sees: each one business
/// operation (`kind = correction`) committed under the correction's id as its idempotency key,
/// so fetching the same correction twice changes nothing. The cursor is kept in a file next to
/// the database; losing it only means fetching corrections again, which the keys make harmless.
public struct CorrectionSync: Sendable {
    let store: KioskStore
    let client: CentralClient
    let branch: BranchID
    let cursorPath: String

    public init(store: KioskStore, client: CentralClient, branch: BranchID, cursorPath: String) {
        self.store = store
        self.client = client
        self.branch = branch
        self.cursorPath = cursorPath
    }

    public struct Report: Sendable, Hashable {
        public var applied = 0
        public var alreadyApplied = 0
        public var cursor: Int64 = 0
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case unreachable(String)
        case invalid(String)
        case store(StoreError)
        public var description: String {
            switch self {
            case .unreachable(let m): "the central cannot be reached: \(m)"
            case .invalid(let m): "a correction is invalid: \(m)"
            case .store(let e): "\(e)"
            }
        }
    }

    public func sync() async throws(Failure) -> Report {
        var report = Report()
        report.cursor = Int64((try? String(contentsOfFile: cursorPath, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0
        while true {
            let page: Components.Schemas.Corrections
            do {
                guard case .ok(let ok) = try await client.client.listCorrections(query: .init(after: report.cursor)) else {
                    throw Failure.unreachable("the central refused the request")
                }
                page = try ok.body.json
            } catch let failure as Failure {
                throw failure
            } catch {
                throw .unreachable(CentralClient.describe(error))
            }
            guard !page.corrections.isEmpty else { break }
            for correction in page.corrections {
                if try apply(correction) { report.applied += 1 } else { report.alreadyApplied += 1 }
                report.cursor = correction.cursor
            }
            do {
                try Data(String(report.cursor).utf8).write(to: URL(fileURLWithPath: cursorPath), options: .atomic)
            } catch {
                throw .invalid("cannot write the corrections cursor to \(cursorPath): \(error)")
            }
        }
        return report
    }

    /// Commits one correction; false when it was committed before.
    func apply(_ correction: Components.Schemas.Correction) throws(Failure) -> Bool {
        guard correction.amount != 0, let account = Account(rawValue: correction.account.rawValue) else {
            throw .invalid("\(correction.id) has amount \(correction.amount) on \(correction.account.rawValue)")
        }
        let key: IdempotencyKey
        do { key = try IdempotencyKey(correction.id) } catch { throw .invalid("\(correction.id): \(error)") }
        let member = MemberID(rawValue: correction.memberID)
        let body: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            encoder.dateEncodingStrategy = .iso8601
            body = try encoder.encode(correction)
        } catch { throw .invalid("\(correction.id) cannot be encoded: \(error)") }
        let operation = BusinessOperation(
            idempotencyKey: key, kind: "correction", memberID: member, branchID: branch, occurredAt: correction.createdAt,
            request: body, result: body,
            postings: [LedgerPosting(memberID: member, account: account, amount: correction.amount)],
            audit: AuditEntry(operatorID: nil, role: nil, action: "central.correction", subject: correction.memberID),
            event: .result(type: "correction.applied"))
        do {
            return !(try store.commit(operation).replayed)
        } catch {
            throw .store(error)
        }
    }
}
