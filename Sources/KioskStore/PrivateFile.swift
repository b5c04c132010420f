import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that hold personal data (the database, its WAL, backups) are created readable by their
/// owner only.
enum PrivateFile {
    /// Creates `path` empty with mode 0600 if it does not exist (an existing file is left as it is).
    static func create(_ path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
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
}
