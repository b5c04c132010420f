import Foundation
import KioskCards

/// Parsing a chunked NDEF record: the joined payload must grow in place, not be copied once per
/// chunk (1-byte chunks of 1 MiB were 420 ms). Baseline in the same run: the same payload as one
/// record; and 256 KiB against 1 MiB of chunks, which a linear join keeps near 4x.
enum NDEFJoinBenchmark {
    static func message(payload: Int, chunk: Int) -> [UInt8] {
        let data = (0..<payload).map { UInt8(truncatingIfNeeded: $0) }
        if chunk >= payload {
            let n = UInt32(payload)
            return [0xC2, 3, UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)] + Array("a/b".utf8) + data
        }
        var out: [UInt8] = [0xB2, 3, UInt8(chunk)] + Array("a/b".utf8) + data[0..<chunk]
        out.reserveCapacity(payload / chunk * (3 + chunk) + 16)
        var offset = chunk
        while offset < payload {
            let end = min(payload, offset + chunk)
            out += [end == payload ? 0x56 : 0x36, 0, UInt8(end - offset)]
            out += data[offset..<end]
            offset = end
        }
        return out
    }

    static func median(_ bytes: [UInt8], rounds: Int) -> Double {
        var samples: [UInt64] = []
        for _ in 0..<rounds {
            let start = DispatchTime.now().uptimeNanoseconds
            let parsed = try! NDEFMessage(parsing: bytes)
            samples.append(DispatchTime.now().uptimeNanoseconds - start)
            precondition(!parsed.records.isEmpty)
        }
        return Double(samples.sorted()[rounds / 2]) / 1e6
    }

    static func run(rounds: Int = 7) {
        print("\nNDEF parse, chunked payloads (median of \(rounds)):")
        let whole = median(message(payload: 1 << 20, chunk: 1 << 20), rounds: rounds)
        let quarter = median(message(payload: 1 << 18, chunk: 1), rounds: rounds)
        let full = median(message(payload: 1 << 20, chunk: 1), rounds: rounds)
        print(String(format: "  1 MiB, one record            %8.2f ms (baseline)", whole))
        print(String(format: "  256 KiB in 1-byte chunks      %8.2f ms", quarter))
        print(String(format: "  1 MiB in 1-byte chunks        %8.2f ms  (%.1fx the 256 KiB run: 4x is linear)", full, full / quarter))
    }
}
