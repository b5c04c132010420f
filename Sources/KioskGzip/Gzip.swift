import CZlib
import Foundation

/// Gzip (RFC 1952) through zlib, for batch bodies on the wire (`Content-Encoding: gzip`).
public enum Gzip {
    public struct Failure: Error, Sendable, CustomStringConvertible, Equatable {
        public var description: String
    }

    /// Compresses `data` at `level` (1 fastest … 9 smallest).
    public static func compress(_ data: Data, level: Int32 = 6) throws(Failure) -> Data {
        var stream = z_stream()
        guard czlib_deflate_init_gzip(&stream, level) == Z_OK else { throw Failure(description: "deflateInit2 failed") }
        defer { deflateEnd(&stream) }
        var output = Data(count: Int(deflateBound(&stream, uLong(data.count))) + 32)
        var input = data
        let status: Int32 = input.withUnsafeMutableBytes { (inBytes: UnsafeMutableRawBufferPointer) in
            output.withUnsafeMutableBytes { (outBytes: UnsafeMutableRawBufferPointer) in
                stream.next_in = inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(inBytes.count)
                stream.next_out = outBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(outBytes.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Failure(description: "deflate failed (\(status))") }
        output.count = Int(stream.total_out)
        return output
    }

    /// Decompresses a gzip stream, refusing one that inflates past `limit` bytes (a zip bomb) or
    /// that is truncated or damaged.
    public static func decompress(_ data: Data, limit: Int) throws(Failure) -> Data {
        var stream = z_stream()
        guard czlib_inflate_init_gzip(&stream) == Z_OK else { throw Failure(description: "inflateInit2 failed") }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = data
        var status: Int32 = Z_OK
        input.withUnsafeMutableBytes { (inBytes: UnsafeMutableRawBufferPointer) in
            stream.next_in = inBytes.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = uInt(inBytes.count)
            while status == Z_OK {
                let produced: Int = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: chunk[0..<produced])
                if output.count > limit { status = Z_MEM_ERROR; break }
                if status == Z_BUF_ERROR && stream.avail_in == 0 { break }
            }
        }
        if output.count > limit { throw Failure(description: "the body inflates past \(limit) bytes") }
        guard status == Z_STREAM_END else { throw Failure(description: "the gzip body is truncated or damaged (\(status))") }
        return output
    }
}
