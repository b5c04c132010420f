import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Why this process may not reach a database file, in words a technician can act on: which
/// directory or file, whose it is, its mode, and which user the kiosk runs as. The store asks
/// only after an open or a create failed, so that "no database" or "read-only" is never said
/// when the cause is permissions.
enum FileAccess {
    /// A sentence naming the first path on the way to `path` that this process may not enter,
    /// read (or, `writing`, write), or nil when permissions are not what stops it.
    static func denial(for path: String, writing: Bool) -> String? {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let parts = absolute.split(separator: "/").map(String.init)
        var directory = ""
        for part in parts.dropLast() {
            directory += "/" + part
            if access(directory, X_OK) != 0 && errno == EACCES {
                return sentence(directory, "cannot be entered")
            }
        }
        let parent = directory.isEmpty ? "/" : directory
        if access(absolute, F_OK) == 0 {
            if access(absolute, R_OK) != 0 && errno == EACCES { return sentence(absolute, "cannot be read") }
            if writing && access(absolute, W_OK) != 0 && errno == EACCES { return sentence(absolute, "cannot be written") }
            // A WAL database needs its -shm (and -wal) beside it: created in the directory.
            if writing && access(parent, W_OK) != 0 && errno == EACCES {
                return sentence(parent, "does not let it create the database's -wal and -shm files")
            }
            return nil
        }
        if writing && access(parent, W_OK) != 0 && errno == EACCES {
            return sentence(parent, "does not let it create files")
        }
        return nil
    }

    /// "permission denied: PATH (owner root, group root, mode 0700) cannot be read by kiosk (uid 999), the user this kiosk runs as".
    private static func sentence(_ path: String, _ what: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "permission denied: \(path) \(what) by \(processUser)" }
        let mode = String(info.st_mode & 0o7777, radix: 8)
        return "permission denied: \(path) (owner \(userName(info.st_uid)), group \(groupName(info.st_gid)), mode 0\(mode)) "
            + "\(what) by \(processUser), the user this kiosk runs as"
    }

    private static var processUser: String {
        let uid = geteuid()
        return "\(userName(uid)) (uid \(uid))"
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    private static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "gid \(gid)" }
        return String(cString: name)
    }

    /// Whether `path` exists as far as this process can tell (false also when a directory on the
    /// way cannot be entered: ask `denial` first).
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// The size of a file, or nil when it does not exist.
    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
