import Foundation

/// `members.json` in the configuration directory: an array of members to load at start.
public enum MembersFile {
    public static func load(directory: String, into storage: any CentralStorage) async throws {
        guard let data = FileManager.default.contents(atPath: directory + "/members.json") else { return }
        for member in try JSONDecoder().decode([CentralMember].self, from: data) {
            try await storage.upsert(member)
        }
    }
}
