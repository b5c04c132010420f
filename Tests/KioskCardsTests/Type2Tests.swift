import KioskCards
import Testing

struct Type2Tests {
    @Test func scanFindsTheMessageAfterLockAndNullTLVs() throws {
        let message = NDEFMessage(records: [.uri("https://a.b")])
        let area: [UInt8] = [0x00, 0x01, 0x03, 0xA0, 0x10, 0x44] + Type2TLV.wrap(message.bytes) + [0, 0, 0]
        #expect(try Type2TLV.message(in: area) == message)
    }

    @Test func scanAsksForMoreWhenTheMessageIsNotAllRead() throws {
        let message = NDEFMessage(records: [.text(String(repeating: "x", count: 100))])
        let area = Type2TLV.wrap(message.bytes)
        let scan = try Type2TLV.scan(Array(area.prefix(16)), capacity: 144)
        #expect(scan == .needMore(total: area.count - 1))
        #expect(try Type2TLV.scan(area, capacity: 144) == .message(offset: 2, length: message.bytes.count))
    }

    @Test func theThreeByteLengthFormIsUsedAndRead() throws {
        let message = NDEFMessage(records: [.external("a:b", [UInt8](repeating: 7, count: 300))])
        let area = Type2TLV.wrap(message.bytes)
        #expect(area[1] == 0xFF)
        #expect(try Type2TLV.message(in: area) == message)
    }

    @Test(arguments: [
        [0x03, 0x40, 0xD1],               // length beyond the capacity
        [0x01, 0x30, 0x00],               // lock TLV beyond the capacity
        [0x03, 0xFF, 0x00, 0x10],         // three-byte form for a short length
    ] as [[UInt8]])
    func malformedTLVsAreTypedErrors(area: [UInt8]) {
        #expect(throws: NDEFError.self) { try Type2TLV.scan(area + [UInt8](repeating: 0, count: 13), capacity: 16) }
    }

    @Test func aBlankAreaHasNoMessage() throws {
        #expect(try Type2TLV.scan([0x03, 0x00, 0xFE, 0x00], capacity: 144) == .message(offset: 2, length: 0))
        #expect(try Type2TLV.scan([0xFE, 0x00, 0x00, 0x00], capacity: 144) == .noMessage)
        #expect(throws: NDEFError.noNDEFMessage) { try Type2TLV.message(in: [0xFE, 0, 0, 0]) }
    }

    @Test func writePlanCoversTheTLVInWholePagesFromPage4() throws {
        let message = NDEFMessage(records: [.text("hello")])
        let plan = try Type2WritePlan(message: message, dataAreaSize: NTAGModel.ntag213.dataAreaSize)
        #expect(plan.writes.last?.page == 4, "the page with the TLV length goes last")
        #expect(plan.writes.sorted { $0.page < $1.page }.flatMap(\.bytes) == plan.expectedDataArea)
        #expect(plan.expectedDataArea.count % 4 == 0)
        #expect(try Type2TLV.message(in: plan.expectedDataArea) == message)
        #expect(plan.lockWrites.isEmpty)
    }

    @Test func aMessageTooLargeForTheTagIsRefused() {
        let message = NDEFMessage(records: [.external("a:b", [UInt8](repeating: 1, count: 200))])
        #expect(throws: NDEFError.self) { try Type2WritePlan(message: message, dataAreaSize: 144) }
    }

    @Test func lockingIsPlannedOnlyWhenAsked() throws {
        let plan = try Type2WritePlan(message: NDEFMessage(records: [.text("x")]), dataAreaSize: 504, lock: .ntag215)
        #expect(plan.lockWrites.map(\.page) == [3, 0x82, 2])
        #expect(plan.lockWrites[0].bytes == [0xE1, 0x10, 0x3E, 0x0F])
    }

    @Test func capabilityContainersNameTheirModel() throws {
        for model in NTAGModel.allCases {
            #expect(NTAGModel(capabilityContainer: model.capabilityContainer) == model)
            #expect(try Type2CapabilityContainer(model.capabilityContainer).dataAreaSize == Int(model.capabilityContainer[2]) * 8)
        }
        #expect(throws: NDEFError.self) { try Type2CapabilityContainer([0x00, 0x00, 0x00, 0x00]) }
    }
}
