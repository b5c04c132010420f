import Foundation
import KioskCards
import KioskCore
import KioskPCSC
import KioskReaders

/// Writes a new member's token to the blank card staff presented for enrollment, on the reader
/// the card lies on, and verifies it by reading it back (`CardWriter`). The token is bound to
/// the card's UID, so copying it to another card gives a card the kiosk refuses.
///
/// PC/SC calls block: `write` runs on a thread of its own (never the cooperative pool), with a
/// PC/SC context of its own, beside the reader service's (which read the card and let it go).
public struct TokenWriter: Sendable {
    public let keys: MemberTokenKeyring
    public let writer: CardWriter

    public init(keys: MemberTokenKeyring, lockNTAG: Bool = false) {
        self.keys = keys
        self.writer = CardWriter(lockNTAG: lockNTAG)
    }

    /// Why no token was written. After `.write` the card's content is unknown: the enrollment
    /// is not done, and the card may be presented again.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The card has no UID the token can be bound to (not a card the kiosk read a UID from).
        case noUID(CardID)
        /// Another card lies on the reader than the one staff presented.
        case otherCard
        case noCard(String)
        case write(CardWriter.WriteError)
        case reader(String)

        public var description: String {
            switch self {
            case .noUID(let card): "the card \(card.rawValue) has no UID to bind a token to"
            case .otherCard: "another card lies on the reader than the one presented"
            case .noCard(let reader): "no card on \(reader)"
            case .write(let error): error.description
            case .reader(let why): "reader: \(why)"
            }
        }
    }

    /// A new member id: `m-` and 16 random base-32 characters (80 bits), valid in a token.
    public static func newMemberID() -> MemberID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        var generator = SystemRandomNumberGenerator()
        return MemberID(rawValue: "m-" + String((0..<16).map { _ in alphabet[Int(generator.next() % 32)] }))
    }

    /// The UID a card id names (`uid:<hex>`), if it names one.
    public static func uid(of card: CardID) -> [UInt8]? {
        guard card.rawValue.hasPrefix("uid:") else { return nil }
        return Hex.bytes(String(card.rawValue.dropFirst(4)))
    }

    /// Writes `member`'s token, issued `at`, to `card` on `reader`, off the calling thread.
    public func write(member: MemberID, card: CardID, reader: String, at: Date) async throws(Failure) -> CardWriter.Written {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<CardWriter.Written, Failure>, Never>) in
            let thread = Thread { [self] in
                continuation.resume(returning: Result { () throws(Failure) in try writeNow(member: member, card: card, reader: reader, at: at) })
            }
            thread.name = "kiosk-token-writer"
            thread.start()
        }
        return try result.get()
    }

    /// The write itself (blocking).
    public func writeNow(member: MemberID, card: CardID, reader: String, at: Date) throws(Failure) -> CardWriter.Written {
        guard let uid = Self.uid(of: card) else { throw .noUID(card) }
        let issued = TokenDay(unixSeconds: Int64(at.timeIntervalSince1970.rounded(.down)))!
        let message = MemberToken(member: member, boundUID: uid, issued: issued).ndefMessage(key: keys.current)
        let context: PCSCContext
        let connection: PCSCCard
        let atr: [UInt8]
        do {
            context = try PCSCContext()
            let state = try context.statusChange([ReaderState(reader: reader)], timeoutMilliseconds: 0).first
            guard let state, state.eventState.contains(.present) else { throw Failure.noCard(reader) }
            atr = state.atr
            connection = try context.connect(reader)
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .reader("\(error)")
        }
        _ = context
        defer { try? connection.disconnect(.leave) }
        let written: CardWriter.Written
        // An NTAG21x swapped since the tap is caught before anything is written (a Type 4 tag's
        // token, bound to the tap's UID, would not read on another card anyway).
        do { written = try writer.write(message, atr: atr, card: connection, expectedUID: uid) } catch .otherCard {
            throw .otherCard
        } catch { throw .write(error) }
        return written
    }
}
