import Crypto
import Foundation
import GRDB

extension KioskStore {
    /// Copies the live database to `destination` through SQLite's online backup (safe while the
    /// kiosk runs), checks the copy's integrity, and writes its SHA-256 digest beside it
    /// (`destination.sha256`, in `sha256sum` format) for `restore` to check. The copy is left in
    /// rollback-journal mode, so that reading it never creates `-wal` / `-shm` files beside it.
    /// Refuses to overwrite an existing file, and a directory that does not exist.
    public func backup(to destination: String) throws(StoreError) {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(.alreadyExists, "\(destination) already exists; choose a new file for the backup")
        }
        let directory = (destination as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw StoreError(.cannotOpen, "the directory \(directory) does not exist; create it first (nothing was written)")
        }
        do {
            try PrivateFile.create(destination, mode: fileMode)
            let target = try DatabaseQueue(path: destination)
            try writer.backup(to: target)
            try target.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            let integrity = try target.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            try target.close()
            guard integrity == ["ok"] else {
                throw StoreError(.corrupt, "the backup failed its integrity check: \(integrity.joined(separator: "; "))")
            }
            let digest = try BackupDigest.of(fileAt: destination)
            let line = "\(digest)  \((destination as NSString).lastPathComponent)\n"
            try PrivateFile.create(BackupDigest.path(for: destination), mode: fileMode)
            try Data(line.utf8).write(to: URL(fileURLWithPath: BackupDigest.path(for: destination)))
        } catch {
            try? FileManager.default.removeItem(atPath: destination)
            try? FileManager.default.removeItem(atPath: BackupDigest.path(for: destination))
            throw StoreError.from(error, while: "backing up to \(destination)")
        }
    }
}

/// A backup's content digest: SHA-256 of the file's bytes, kept in `BACKUP.sha256`.
enum BackupDigest {
    static func path(for backup: String) -> String { backup + ".sha256" }

    static func of(fileAt path: String) throws -> String {
        hex(SHA256.hash(data: try Data(contentsOf: URL(fileURLWithPath: path))))
    }

    static func of(_ data: Data) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The digest recorded for `backup`, or nil when there is no digest file.
    static func recorded(for backup: String) throws(StoreError) -> String? {
        let path = path(for: backup)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let first = text.split(whereSeparator: { $0 == " " || $0 == "\n" }).first,
              first.count == 64, first.allSatisfy(\.isHexDigit) else {
            throw StoreError(.corrupt, "the digest file \(path) is not a SHA-256 digest; nothing was restored")
        }
        return first.lowercased()
    }
}
