import Foundation
import KioskCentralAPI

/// The contract's limits that the generated server does not check (lengths, ranges, patterns):
/// a request past one is a 400 naming the first problem, and nothing of it is stored.
enum ContractLimits {
    struct Violation: Error { var message: String }

    static func check(_ value: String, _ name: String, _ range: ClosedRange<Int>) throws(Violation) {
        let length = value.unicodeScalars.count
        guard range.contains(length) else {
            throw Violation(message: "\(name) must be \(range.lowerBound)–\(range.upperBound) characters long, not \(length)")
        }
    }

    static func check(_ batch: Components.Schemas.EventBatch) throws(Violation) {
        guard (1...1000).contains(batch.events.count) else {
            throw Violation(message: "a batch holds 1–1000 events, not \(batch.events.count)")
        }
        for (index, event) in batch.events.enumerated() {
            let at = "events[\(index)]"
            try check(event.id, "\(at).id", 1...200)
            try check(event._type, "\(at).type", 1...100)
            guard event.sequence >= 1 else { throw Violation(message: "\(at).sequence must be at least 1") }
            if let version = event.programVersion { try check(version, "\(at).programVersion", 0...100) }
            if let member = event.memberID { try check(member, "\(at).memberID", 0...200) }
            let claims = event.claims ?? []
            guard claims.count <= 10 else { throw Violation(message: "\(at).claims holds at most 10") }
            for (c, claim) in claims.enumerated() {
                try check(claim.key, "\(at).claims[\(c)].key", 1...200)
                guard claim.reversal.count <= 20 else { throw Violation(message: "\(at).claims[\(c)].reversal holds at most 20") }
                for posting in claim.reversal where !(-1_000_000_000_000...1_000_000_000_000).contains(posting.amount) {
                    throw Violation(message: "\(at).claims[\(c)].reversal amount \(posting.amount) is out of range")
                }
            }
        }
    }

    static func check(_ claim: Components.Schemas.ClaimRequest) throws(Violation) {
        try check(claim.key, "key", 1...200)
        try check(claim.eventID, "eventID", 1...200)
        try check(claim.memberID, "memberID", 1...200)
    }

    static func check(_ sun: Components.Schemas.SunCheck) throws(Violation) {
        guard sun.cardUID.count == 14, sun.cardUID.allSatisfy({ ("0"..."9").contains($0) || ("A"..."F").contains($0) }) else {
            throw Violation(message: "cardUID must be 14 upper-case hexadecimal digits")
        }
        guard (0...0xFF_FFFF).contains(sun.counter) else { throw Violation(message: "counter must be 0–16777215") }
    }

    static func checkKey(_ key: String?, _ name: String) throws(Violation) {
        if let key { try check(key, name, 1...200) }
    }
}
