import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What SQLite's locks say about a database file, read without opening it through SQLite.
enum DatabaseLocks {
    /// Whether another process has the database open: every SQLite connection to a WAL database
    /// holds a shared lock on the "DMS" byte of its `-shm` file (offset 128) while it is open,
    /// and a connection to a rollback-journal database holds the SHARED range of the file while
    /// it reads. `F_GETLK` asks whether a write lock would conflict. (Locks of this process do
    /// not count: POSIX locks are per process.)
    static func isInUse(_ path: String) -> Bool {
        wouldConflict(path + "-shm", offset: 128, length: 1) || wouldConflict(path, offset: 0x4000_0000, length: 512)
    }

    private static func wouldConflict(_ path: String, offset: off_t, length: off_t) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = offset
        lock.l_len = length
        guard fcntl(fd, F_GETLK, &lock) == 0 else { return false }
        return lock.l_type != Int16(F_UNLCK)
    }

    /// Syncs the directory holding `path`, so that a rename in it survives a power cut.
    static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
