import Crypto
import _CryptoExtras

/// AES-CMAC (RFC 4493, NIST SP 800-38B) built on swift-crypto's single-block AES.
public struct AESCMAC: Sendable {
    private let keyBytes: [UInt8]
    private let k1: [UInt8]
    private let k2: [UInt8]

    /// A CMAC with a 128-, 192- or 256-bit AES key.
    public init(key: [UInt8]) throws(CardCryptoError) {
        guard [16, 24, 32].contains(key.count) else { throw .badKeyLength(key.count) }
        keyBytes = key
        let l = try Self.encryptBlock([UInt8](repeating: 0, count: 16), key: SymmetricKey(data: key))
        k1 = Self.doubled(l)
        k2 = Self.doubled(k1)
    }

    /// The full 16-byte MAC of `message`.
    public func mac(_ message: [UInt8]) throws(CardCryptoError) -> [UInt8] {
        let key = SymmetricKey(data: keyBytes)
        let blockCount = max(1, (message.count + 15) / 16)
        let lastIsComplete = !message.isEmpty && message.count % 16 == 0
        var state = [UInt8](repeating: 0, count: 16)
        for block in 0..<(blockCount - 1) {
            for i in 0..<16 { state[i] ^= message[block * 16 + i] }
            state = try Self.encryptBlock(state, key: key)
        }
        let start = (blockCount - 1) * 16
        var last = Array(message[start...])
        if lastIsComplete {
            for i in 0..<16 { last[i] ^= k1[i] }
        } else {
            last.append(0x80)
            while last.count < 16 { last.append(0) }
            for i in 0..<16 { last[i] ^= k2[i] }
        }
        for i in 0..<16 { state[i] ^= last[i] }
        return try Self.encryptBlock(state, key: key)
    }

    /// AES encryption of one 16-byte block (ECB of one block).
    static func encryptBlock(_ block: [UInt8], key: SymmetricKey) throws(CardCryptoError) -> [UInt8] {
        var out = block
        do { try AES.permute(&out, key: key) } catch { throw .cipherFailed }
        return out
    }

    /// AES decryption of one 16-byte block.
    static func decryptBlock(_ block: [UInt8], key: SymmetricKey) throws(CardCryptoError) -> [UInt8] {
        var out = block
        do { try AES.inversePermute(&out, key: key) } catch { throw .cipherFailed }
        return out
    }

    /// The subkey doubling of RFC 4493 section 2.3: shift left one bit, xor 0x87 on carry.
    private static func doubled(_ block: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        var carry: UInt8 = 0
        for i in stride(from: 15, through: 0, by: -1) {
            out[i] = block[i] << 1 | carry
            carry = block[i] >> 7
        }
        if block[0] & 0x80 != 0 { out[15] ^= 0x87 }
        return out
    }
}

/// A failure of the card cryptography itself (not a verification that said no).
public enum CardCryptoError: Error, Equatable, Sendable {
    /// AES keys are 16, 24 or 32 bytes.
    case badKeyLength(Int)
    /// The block cipher refused its input (a programming error surfaced as a value).
    case cipherFailed
}
