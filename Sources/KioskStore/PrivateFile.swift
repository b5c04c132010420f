import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who may read the files that hold personal data (the database, its WAL and shared memory,
/// backups and their digests): their owner only, or their owner and the service's group (for a
/// technician's tools run as another user of that group). Never anyone else.
public enum StoreFileMode: String, Sendable, CaseIterable {
    case ownerOnly = "0600"
    case serviceGroup = "0640"

    public var permissions: mode_t {
        switch self {
        case .ownerOnly: 0o600
        case .serviceGroup: 0o640
        }
    }

    /// The directory of backups that this mode's files go in.
    public var directoryPermissions: Int {
        switch self {
        case .ownerOnly: 0o700
        case .serviceGroup: 0o750
        }
    }
}

/// Files that hold personal data are created with the store's file mode, whatever the umask.
enum PrivateFile {
    /// Creates `path` empty with `mode` if it does not exist (an existing file is left as it is).
    static func create(_ path: String, mode: StoreFileMode = .ownerOnly) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode.permissions)
        if fd >= 0 {
            // The umask may have taken the group's read away (077): the mode is set exactly.
            _ = fchmod(fd, mode.permissions)
            close(fd)
            return
        }
        if errno == EEXIST { return }
        let reason = String(cString: strerror(errno))
        if errno == EACCES || errno == EPERM {
            let why = FileAccess.denial(for: path, writing: true) ?? "permission denied (\(reason))"
            throw StoreError(.permissionDenied, "cannot create \(path): \(why); nothing was written")
        }
        if errno == EROFS {
            throw StoreError(.readOnly, "cannot create \(path): the file system is read-only; nothing was written")
        }
        throw StoreError(.cannotOpen, "cannot create \(path) (\(reason))")
    }

    /// Gives the database files this process owns at `path` (the file, `-wal`, `-shm`) `mode`,
    /// so that a changed `store.file_mode`, or a database made with a looser mode, takes effect
    /// at the next open. Files of another owner are left alone (the open says if it cannot read).
    static func apply(_ mode: StoreFileMode, toDatabaseAt path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var info = stat()
            guard stat(file, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o777 != mode.permissions else { continue }
            _ = chmod(file, mode.permissions)
        }
    }
}
