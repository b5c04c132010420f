#ifndef CPOWERLOSSVFS_H
#define CPOWERLOSSVFS_H

/// A test VFS that simulates a power cut, in the manner of SQLite's own crash tests
/// (src/test6.c): it wraps the default VFS, keeps every write and truncation that has not been
/// synced in memory (reads see them, as they would see the page cache), applies them to the real
/// file only when the file is synced, and at the simulated power cut keeps none, a random part
/// or all of what was not synced, then ends the process at once (_exit) as a power cut would.
///
/// The "disk" is the real file: what reached it through a sync (or was kept at the cut) survives.
/// Files are tracked by path, so several connections to one database (a pool's writer and
/// readers) share what is pending, and a file closed with unsynced writes keeps them until the cut.

/// What survives of the writes not yet synced when the power is cut.
typedef enum {
    /// Nothing: the worst case for a file system without ordered writes.
    powerloss_keep_none = 0,
    /// Each pending write or truncation independently, by a seeded coin, in any order: the
    /// disk reordered and finished some of what it had been given.
    powerloss_keep_random = 1,
    /// Everything: what a killed process leaves behind (the page cache survives).
    powerloss_keep_all = 2,
} powerloss_keep;

/// Registers the power-loss VFS as SQLite's default. The power is cut at the `cut_after`-th
/// write, truncation or sync (counted over all files; 0 never cuts); at the cut the process
/// writes "power-cut\n" to file descriptor 1 and exits with `exit_status`. Returns an SQLite
/// result code.
int powerloss_install(unsigned long cut_after, unsigned long long seed, powerloss_keep keep, int exit_status);

/// How many writes, truncations and syncs went through the VFS so far.
unsigned long powerloss_io_count(void);

/// How many syncs went through the VFS so far, per kind of file: the main database and its WAL.
unsigned long powerloss_sync_count(int wal);

#endif
