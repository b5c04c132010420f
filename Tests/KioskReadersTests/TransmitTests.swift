import Foundation
import KioskCards
import KioskPCSC
import KioskVirtualCard
import Testing
import VirtualCardRig

/// A card that answers every command with its data, reversed, and `90 00`.
final class EchoCard: VirtualCard {
    var atr: [UInt8] { VirtualATR.iso14443_4 }
    func reset() {}
    func respond(to command: [UInt8]) -> VirtualCardAnswer {
        .bytes(Array(command.reversed()) + [0x90, 0x00])
    }
}

extension ReaderIntegrationTests {
/// The thin PC/SC wrapper against the real pcscd: short and extended APDUs, control, errors.
@Suite struct TransmitTests {
    let rig: TestPCSCD

    init() throws { rig = try TestPCSCD.shared() }

    func connectedCard() async throws -> PCSCCard {
        let reader = try rig.readerNames()[0]
        let context = try PCSCContext()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let card = try? context.connect(reader) { return card }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw RigError.environment("no card in \(reader)")
    }

    @Test(arguments: [4, 200, 1000])
    func shortAndExtendedAPDUsRoundTrip(dataLength: Int) async throws {
        let connection = try rig.insert(EchoCard())
        defer { connection.remove() }
        let card = try await connectedCard()
        let data = (0..<dataLength).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let command = CommandAPDU(cla: 0x80, ins: 0x10, p1: 0, p2: 0, data: data, le: dataLength > 255 ? 65536 : 256)
        #expect(command.isExtended == (dataLength > 255))
        let answer = try card.transmit(command.bytes)
        #expect(answer == Array(command.bytes.reversed()) + [0x90, 0x00])
        #expect(connection.commands.last == command.bytes)
    }

    @Test func aControlCommandTheDriverDoesNotKnowIsATypedError() async throws {
        let connection = try rig.insert(EchoCard())
        defer { connection.remove() }
        let card = try await connectedCard()
        #expect(throws: PCSCError.self) { try card.control(function: 3500, [0xE0, 0x00, 0x00, 0x18, 0x00]) }
    }

    @Test func aPulledCardGivesACardGoneError() async throws {
        let connection = try rig.insert(EchoCard())
        let card = try await connectedCard()
        connection.remove()
        #expect(connection.waitUntilRemoved(timeout: 5))
        var lastError: PCSCError?
        let deadline = Date().addingTimeInterval(5)
        while lastError == nil, Date() < deadline {
            do { _ = try card.status() } catch { lastError = error }
            try await Task.sleep(for: .milliseconds(50))
        }
        let error = try #require(lastError)
        #expect(error.meansCardGone, "got \(error)")
    }

    @Test func reconnectLeavingTheCardKeepsItsStateAndResettingStartsItOver() async throws {
        let connection = try rig.insert(Type4Card(uid: Fixture.uid, message: NDEFMessage(records: [.uri("https://club.example/m")])))
        defer { connection.remove() }
        let card = try await connectedCard()
        let selectApplication: [UInt8] = [0x00, 0xA4, 0x04, 0x00, 0x07, 0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01, 0x00]
        let selectCapabilityContainer: [UInt8] = [0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x03]
        let readBinary: [UInt8] = [0x00, 0xB0, 0x00, 0x00, 0x0F]
        #expect(try card.transmit(selectApplication).suffix(2) == [0x90, 0x00])
        #expect(try card.transmit(selectCapabilityContainer).suffix(2) == [0x90, 0x00])
        #expect(try card.transmit(readBinary).suffix(2) == [0x90, 0x00])

        try card.reconnect(initialization: .leave)
        #expect(try card.transmit(readBinary).suffix(2) == [0x90, 0x00], "the selected file survives a reconnect that leaves the card")

        try card.reconnect(initialization: .reset)
        #expect(!card.activeProtocol.isEmpty)
        #expect(try card.transmit(readBinary) == [0x69, 0x86], "after a reset no file is selected")
        #expect(try card.transmit(selectApplication).suffix(2) == [0x90, 0x00], "the connection is usable after the reset")
    }

    @Test func connectingToAnEmptyReaderIsATypedError() throws {
        try rig.waitUntilEmpty(reader: 1)
        let reader = try rig.readerNames()[1]
        #expect(throws: PCSCError.noSmartcard) { try PCSCContext().connect(reader) }
        #expect(throws: PCSCError.unknownReader) { try PCSCContext().connect("No Such Reader 00 00") }
    }
}
}
