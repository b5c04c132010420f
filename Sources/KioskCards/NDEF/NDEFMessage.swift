/// An NDEF message: one or more records. `parse` accepts short and long records, ids and
/// chunked records; `bytes` encodes with short records where they fit and no chunks.
public struct NDEFMessage: Sendable, Equatable {
    public var records: [NDEFRecord]

    public init(records: [NDEFRecord]) { self.records = records }

    /// The largest payload accepted (one chunked record joined), against memory exhaustion.
    public static let maximumPayload = 1 << 20

    /// Parses a whole message; trailing bytes after the ME record are an error.
    public init(parsing bytes: [UInt8]) throws(NDEFError) {
        var reader = ByteReader(bytes)
        var records: [NDEFRecord] = []
        // A chunked record being joined: its first chunk's TNF, type and id, and the payload so
        // far, appended in place (one copy per byte, not one copy of the whole per chunk).
        var chunked: NDEFRecord?
        var joined: [UInt8] = []
        var sawEnd = false
        while !reader.atEnd {
            guard !sawEnd else { throw .badMessageBoundaries(offset: reader.offset) }
            let start = reader.offset
            let header = try reader.byte()
            let mb = header & 0x80 != 0, me = header & 0x40 != 0, cf = header & 0x20 != 0
            let sr = header & 0x10 != 0, il = header & 0x08 != 0
            let tnfRaw = header & 0x07
            guard mb == (start == 0) else { throw .badMessageBoundaries(offset: start) }
            guard let tnf = NDEFRecord.TypeNameFormat(rawValue: tnfRaw) else {
                throw .badTypeNameFormat(offset: start, tnf: tnfRaw)
            }
            let typeLength = Int(try reader.byte())
            let payloadLength = sr ? Int(try reader.byte()) : Int(try reader.uint32())
            let idLength = il ? Int(try reader.byte()) : 0
            guard payloadLength <= Self.maximumPayload else {
                throw .truncated(offset: start, needed: payloadLength, available: reader.remaining)
            }
            if tnf == .empty, typeLength != 0 || idLength != 0 || payloadLength != 0 {
                throw .badTypeNameFormat(offset: start, tnf: tnfRaw)
            }
            if tnf == .unknown || tnf == .unchanged, typeLength != 0 {
                throw .badTypeNameFormat(offset: start, tnf: tnfRaw)
            }
            // (No allocation for the empty type and id of every continuation chunk.)
            let type = typeLength == 0 ? [] : try reader.bytes(typeLength, recordStart: start)
            let id = idLength == 0 ? [] : try reader.bytes(idLength, recordStart: start)
            if var partial = chunked {
                // A middle or last chunk: TNF unchanged, no id.
                guard tnf == .unchanged, !il else { throw .badChunk(offset: start) }
                guard joined.count + payloadLength <= Self.maximumPayload else {
                    throw .badChunk(offset: start)
                }
                try reader.append(payloadLength, to: &joined, recordStart: start)
                if !cf {
                    partial.payload = joined
                    records.append(partial)
                    chunked = nil
                    joined = []
                }
            } else {
                guard tnf != .unchanged else { throw .badChunk(offset: start) }
                // An empty record has no payload, so it cannot be the first of chunks that carry one.
                guard !(cf && tnf == .empty) else { throw .badChunk(offset: start) }
                let payload = try reader.bytes(payloadLength, recordStart: start)
                if cf {
                    chunked = NDEFRecord(tnf: tnf, type: type, id: id, payload: [])
                    joined = payload
                } else {
                    records.append(NDEFRecord(tnf: tnf, type: type, id: id, payload: payload))
                }
            }
            if me {
                guard chunked == nil else { throw .badChunk(offset: start) }
                sawEnd = true
            }
        }
        guard chunked == nil else { throw .badChunk(offset: reader.offset) }
        guard !records.isEmpty else { throw .empty }
        guard sawEnd else { throw .badMessageBoundaries(offset: reader.offset) }
        self.records = records
    }

    /// The encoded message.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        for (index, record) in records.enumerated() {
            let short = record.payload.count < 256
            var header = record.tnf.rawValue
            if index == 0 { header |= 0x80 }
            if index == records.count - 1 { header |= 0x40 }
            if short { header |= 0x10 }
            if !record.id.isEmpty { header |= 0x08 }
            out.append(header)
            out.append(UInt8(record.type.count))
            if short {
                out.append(UInt8(record.payload.count))
            } else {
                let n = UInt32(record.payload.count)
                out += [UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            }
            if !record.id.isEmpty { out.append(UInt8(record.id.count)) }
            out += record.type + record.id + record.payload
        }
        return out
    }
}

/// Reads bytes front to back and throws instead of reading past the end.
struct ByteReader {
    private let bytes: [UInt8]
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { offset >= bytes.count }
    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(NDEFError) -> UInt8 {
        guard offset < bytes.count else { throw .truncated(offset: offset, needed: 1, available: 0) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(NDEFError) -> UInt32 {
        let four = try bytes(4, recordStart: offset)
        return four.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func append(_ count: Int, to out: inout [UInt8], recordStart: Int) throws(NDEFError) {
        guard count >= 0, count <= remaining else {
            throw .truncated(offset: recordStart, needed: count, available: remaining)
        }
        out.append(contentsOf: bytes[offset..<(offset + count)])
        offset += count
    }

    mutating func bytes(_ count: Int, recordStart: Int) throws(NDEFError) -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw .truncated(offset: recordStart, needed: count, available: remaining)
        }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }
}
