import Foundation
import KioskCentralServer
import KioskSync
import KioskTestSupport
import Testing

@Suite(.serialized) struct MemberLookupTests {
    @Test(arguments: Backend.available)
    func membersAreFoundByCardAndTokenAndChangesFollowTheCursor(_ backend: Backend) async throws {
        let directory = try TemporaryDirectory()
        let central = try await CentralHarness(backend, directory: directory.path)
        try await central.storage.upsert(CentralMember(id: "m-1", cards: ["uid:04A1B2C3D4E5F6"], tokens: ["tok-1"], balances: ["points": 120]))
        try await central.storage.upsert(CentralMember(id: "m-2", status: "blocked", cards: ["uid:04FFFFFFFFFFFF"]))
        try await central.start()
        let client = try central.client()
        guard case .ok(let byCard) = try await client.client.memberByCard(path: .init(card: "uid:04A1B2C3D4E5F6")) else {
            Issue.record("no member by card")
            return
        }
        #expect(try byCard.body.json.id == "m-1")
        #expect(try byCard.body.json.balances?.additionalProperties == ["points": 120])
        guard case .ok(let byToken) = try await client.client.memberByToken(path: .init(token: "tok-1")) else {
            Issue.record("no member by token")
            return
        }
        #expect(try byToken.body.json.id == "m-1")
        guard case .notFound = try await client.client.memberByCard(path: .init(card: "uid:0400000000000")) else {
            Issue.record("an unknown card was found")
            return
        }
        guard case .ok(let first) = try await client.client.memberChanges(query: .init(after: 0, limit: 1)) else {
            Issue.record("no changes")
            return
        }
        let page = try first.body.json
        #expect(page.changes.map(\.member.id) == ["m-1"])
        guard case .ok(let second) = try await client.client.memberChanges(query: .init(after: page.cursor, limit: 10)) else {
            Issue.record("no second page")
            return
        }
        #expect(try second.body.json.changes.map(\.member.id) == ["m-2"])
        #expect(try second.body.json.changes.map(\.member.status) == [.blocked])
        try await client.shutdown()
        await central.stop()
    }
}
