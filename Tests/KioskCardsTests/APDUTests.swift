import KioskCards
import Testing

struct APDUTests {
    @Test func shortCasesEncode() {
        #expect(CommandAPDU.getUID.bytes == [0xFF, 0xCA, 0x00, 0x00, 0x00])
        #expect(CommandAPDU.readPages(from: 4).bytes == [0xFF, 0xB0, 0x00, 0x04, 0x10])
        #expect(CommandAPDU.selectFile(0xE104).bytes == [0x00, 0xA4, 0x00, 0x0C, 0x02, 0xE1, 0x04])
        #expect(CommandAPDU.selectApplication(Type4.ndefApplication).bytes
            == [0x00, 0xA4, 0x04, 0x00, 0x07, 0xD2, 0x76, 0x00, 0x00, 0x85, 0x01, 0x01, 0x00])
        #expect(CommandAPDU(cla: 0, ins: 0x84, p1: 0, p2: 0).bytes == [0, 0x84, 0, 0])
    }

    @Test func extendedCasesEncode() {
        let long = CommandAPDU(cla: 0, ins: 0xD6, p1: 0, p2: 0, data: [UInt8](repeating: 1, count: 300))
        #expect(Array(long.bytes.prefix(7)) == [0, 0xD6, 0, 0, 0x00, 0x01, 0x2C])
        #expect(long.bytes.count == 7 + 300)
        let read = CommandAPDU.readBinary(offset: 2, count: 1000)
        #expect(read.bytes == [0x00, 0xB0, 0x00, 0x02, 0x00, 0x03, 0xE8])
        let both = CommandAPDU(cla: 0, ins: 1, p1: 2, p2: 3, data: [9], le: 65536)
        #expect(both.bytes == [0, 1, 2, 3, 0, 0, 1, 9, 0, 0])
    }

    @Test func responsesSplitDataAndStatus() throws {
        let answer = try ResponseAPDU([0x04, 0xDE, 0x90, 0x00])
        #expect(answer.data == [0x04, 0xDE])
        #expect(try answer.successData() == [0x04, 0xDE])
        #expect(throws: APDUError.status(.noPreciseDiagnosis)) { try ResponseAPDU([0x6F, 0x00]).successData() }
        #expect(throws: APDUError.tooShort(1)) { try ResponseAPDU([0x90]) }
        #expect(throws: APDUError.tooShort(0)) { try ResponseAPDU([]) }
    }

    @Test func type4CapabilityContainerParses() throws {
        let cc = try Type4.CapabilityContainer(Hex.bytes("000F20003A00340406E10400FF0000")!)
        #expect(cc.ndefFile == 0xE104)
        #expect(cc.ndefFileSize == 0xFF)
        #expect(cc.writable)
        #expect(throws: NDEFError.self) { try Type4.CapabilityContainer([0x00, 0x0F]) }
        #expect(throws: NDEFError.self) { try Type4.CapabilityContainer(Hex.bytes("000F20003A00340506E10400FF0000")!) }
    }
}
