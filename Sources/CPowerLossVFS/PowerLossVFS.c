// The power-loss VFS: see include/CPowerLossVFS.h.
#include "CPowerLossVFS.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/// One write or truncation not yet synced.
typedef struct Pending {
    int is_truncate;
    sqlite3_int64 offset;   // the write's offset, or the truncation's new size
    int length;
    unsigned char *bytes;
    struct Pending *next;
} Pending;

/// What is pending for one file, shared by every handle open on its path.
typedef struct TrackedPath {
    char *name;             // NULL for an anonymous temporary file
    int is_wal;
    int is_main;
    Pending *head, *tail;
    struct TrackedPath *next;
} TrackedPath;

typedef struct {
    sqlite3_file base;
    TrackedPath *path;
    sqlite3_file *real;     // the default VFS's file, allocated right after this struct
} PowerLossFile;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sqlite3_vfs *real_vfs;
static sqlite3_vfs powerloss_vfs;
static TrackedPath *paths;
static unsigned long io_count, cut_after, wal_syncs, main_syncs;
static unsigned long long random_state;
static powerloss_keep keep_mode;
static int cut_exit_status;

static unsigned long long next_random(void) {
    // xorshift64*: deterministic for a seed, so a failing run can be replayed.
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    return random_state * 2685821657736338717ULL;
}

static void free_pending(TrackedPath *path) {
    Pending *p = path->head;
    while (p) {
        Pending *next = p->next;
        free(p->bytes);
        free(p);
        p = next;
    }
    path->head = path->tail = NULL;
}

static void append(TrackedPath *path, Pending *p) {
    p->next = NULL;
    if (path->tail) path->tail->next = p; else path->head = p;
    path->tail = p;
}

static TrackedPath *tracked(const char *name, int flags) {
    if (name) {
        for (TrackedPath *t = paths; t; t = t->next) {
            if (t->name && strcmp(t->name, name) == 0) return t;
        }
    }
    TrackedPath *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
    t->is_main = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    if (name) {
        t->name = strdup(name);
        t->next = paths;
        paths = t;
    }
    return t;
}

/// The power cut: keeps what the mode says of every pending write (straight to the real files),
/// then ends the process without closing anything. Called with the lock held; never returns.
static void cut_power(void) {
    for (TrackedPath *t = paths; t; t = t->next) {
        if (!t->name || !t->head) continue;
        int fd = open(t->name, O_WRONLY);
        if (fd < 0) continue;
        for (Pending *p = t->head; p; p = p->next) {
            int keep = keep_mode == powerloss_keep_all || (keep_mode == powerloss_keep_random && (next_random() >> 63));
            if (!keep) continue;
            if (p->is_truncate) {
                if (ftruncate(fd, p->offset) != 0) { /* a lost truncation is a kept-nothing truncation */ }
            } else {
                ssize_t written = pwrite(fd, p->bytes, (size_t)p->length, p->offset);
                (void)written;
            }
        }
        close(fd);
    }
    static const char line[] = "power-cut\n";
    ssize_t written = write(1, line, sizeof line - 1);
    (void)written;
    _exit(cut_exit_status);
}

/// Counts one write, truncation or sync, and cuts the power when it is the chosen one.
static void tick(void) {
    io_count += 1;
    if (cut_after != 0 && io_count >= cut_after) cut_power();
}

/// The size the file has with its pending writes and truncations applied.
static int pending_size(PowerLossFile *f, sqlite3_int64 *size) {
    int rc = f->real->pMethods->xFileSize(f->real, size);
    if (rc != SQLITE_OK) return rc;
    for (Pending *p = f->path->head; p; p = p->next) {
        if (p->is_truncate) *size = p->offset;
        else if (p->offset + p->length > *size) *size = p->offset + p->length;
    }
    return SQLITE_OK;
}

static int pl_close(sqlite3_file *file) {
    PowerLossFile *f = (PowerLossFile *)file;
    pthread_mutex_lock(&lock);
    if (!f->path->name) {
        free_pending(f->path);
        free(f->path);
    }
    f->path = NULL;
    pthread_mutex_unlock(&lock);
    return f->real->pMethods->xClose(f->real);
}

static int pl_read(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset) {
    PowerLossFile *f = (PowerLossFile *)file;
    unsigned char *out = buffer;
    pthread_mutex_lock(&lock);
    int rc = f->real->pMethods->xRead(f->real, buffer, amount, offset);
    if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) {
        pthread_mutex_unlock(&lock);
        return rc;
    }
    if (rc == SQLITE_IOERR_SHORT_READ) {
        // The real VFS zero-fills; the pending writes below may fill the rest.
    }
    sqlite3_int64 size = 0;
    rc = f->real->pMethods->xFileSize(f->real, &size);
    if (rc != SQLITE_OK) {
        pthread_mutex_unlock(&lock);
        return rc;
    }
    sqlite3_int64 end = offset + amount;
    for (Pending *p = f->path->head; p; p = p->next) {
        if (p->is_truncate) {
            size = p->offset;
            if (p->offset < end) {
                sqlite3_int64 from = p->offset > offset ? p->offset : offset;
                memset(out + (from - offset), 0, (size_t)(end - from));
            }
        } else {
            sqlite3_int64 pend = p->offset + p->length;
            if (pend > size) size = pend;
            sqlite3_int64 from = p->offset > offset ? p->offset : offset;
            sqlite3_int64 to = pend < end ? pend : end;
            if (from < to) memcpy(out + (from - offset), p->bytes + (from - p->offset), (size_t)(to - from));
        }
    }
    pthread_mutex_unlock(&lock);
    if (end > size) {
        sqlite3_int64 from = size > offset ? size : offset;
        memset(out + (from - offset), 0, (size_t)(end - from));
        return SQLITE_IOERR_SHORT_READ;
    }
    return SQLITE_OK;
}

static int pl_write(sqlite3_file *file, const void *buffer, int amount, sqlite3_int64 offset) {
    PowerLossFile *f = (PowerLossFile *)file;
    Pending *p = calloc(1, sizeof *p);
    unsigned char *bytes = malloc((size_t)amount);
    if (!p || !bytes) {
        free(p);
        free(bytes);
        return SQLITE_IOERR_NOMEM;
    }
    memcpy(bytes, buffer, (size_t)amount);
    p->offset = offset;
    p->length = amount;
    p->bytes = bytes;
    pthread_mutex_lock(&lock);
    tick();
    append(f->path, p);
    pthread_mutex_unlock(&lock);
    return SQLITE_OK;
}

static int pl_truncate(sqlite3_file *file, sqlite3_int64 size) {
    PowerLossFile *f = (PowerLossFile *)file;
    Pending *p = calloc(1, sizeof *p);
    if (!p) return SQLITE_IOERR_NOMEM;
    p->is_truncate = 1;
    p->offset = size;
    pthread_mutex_lock(&lock);
    tick();
    append(f->path, p);
    pthread_mutex_unlock(&lock);
    return SQLITE_OK;
}

static int pl_sync(sqlite3_file *file, int flags) {
    PowerLossFile *f = (PowerLossFile *)file;
    pthread_mutex_lock(&lock);
    tick();
    int rc = SQLITE_OK;
    for (Pending *p = f->path->head; p && rc == SQLITE_OK; p = p->next) {
        rc = p->is_truncate ? f->real->pMethods->xTruncate(f->real, p->offset)
                            : f->real->pMethods->xWrite(f->real, p->bytes, p->length, p->offset);
    }
    if (rc == SQLITE_OK) {
        free_pending(f->path);
        rc = f->real->pMethods->xSync(f->real, flags);
        if (f->path->is_wal) wal_syncs += 1;
        if (f->path->is_main) main_syncs += 1;
    }
    pthread_mutex_unlock(&lock);
    return rc;
}

static int pl_file_size(sqlite3_file *file, sqlite3_int64 *size) {
    PowerLossFile *f = (PowerLossFile *)file;
    pthread_mutex_lock(&lock);
    int rc = pending_size(f, size);
    pthread_mutex_unlock(&lock);
    return rc;
}

static int pl_lock(sqlite3_file *file, int level) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int pl_unlock(sqlite3_file *file, int level) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int pl_check_reserved_lock(sqlite3_file *file, int *out) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int pl_file_control(sqlite3_file *file, int op, void *arg) {
    PowerLossFile *f = (PowerLossFile *)file;
    // A size hint or chunk size would make the real VFS grow the real file behind the pending
    // writes; the file grows through the writes themselves instead.
    if (op == SQLITE_FCNTL_SIZE_HINT || op == SQLITE_FCNTL_CHUNK_SIZE) return SQLITE_OK;
    return f->real->pMethods->xFileControl(f->real, op, arg);
}

static int pl_sector_size(sqlite3_file *file) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int pl_device_characteristics(sqlite3_file *file) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int pl_shm_map(sqlite3_file *file, int page, int size, int extend, void volatile **out) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xShmMap(f->real, page, size, extend, out);
}

static int pl_shm_lock(sqlite3_file *file, int offset, int n, int flags) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void pl_shm_barrier(sqlite3_file *file) {
    PowerLossFile *f = (PowerLossFile *)file;
    f->real->pMethods->xShmBarrier(f->real);
}

static int pl_shm_unmap(sqlite3_file *file, int delete_flag) {
    PowerLossFile *f = (PowerLossFile *)file;
    return f->real->pMethods->xShmUnmap(f->real, delete_flag);
}

// Version 2: no xFetch/xUnfetch, so SQLite never memory-maps around the pending writes.
static const sqlite3_io_methods powerloss_methods = {
    2,
    pl_close, pl_read, pl_write, pl_truncate, pl_sync, pl_file_size,
    pl_lock, pl_unlock, pl_check_reserved_lock, pl_file_control,
    pl_sector_size, pl_device_characteristics,
    pl_shm_map, pl_shm_lock, pl_shm_barrier, pl_shm_unmap,
    NULL, NULL,
};

static int pl_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags) {
    (void)vfs;
    PowerLossFile *f = (PowerLossFile *)file;
    f->base.pMethods = NULL;
    f->real = (sqlite3_file *)&f[1];
    int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        return rc;
    }
    pthread_mutex_lock(&lock);
    f->path = tracked(name, flags);
    pthread_mutex_unlock(&lock);
    if (!f->path) {
        f->real->pMethods->xClose(f->real);
        return SQLITE_NOMEM;
    }
    f->base.pMethods = &powerloss_methods;
    return SQLITE_OK;
}

static int pl_delete(sqlite3_vfs *vfs, const char *name, int sync_directory) {
    (void)vfs;
    pthread_mutex_lock(&lock);
    for (TrackedPath *t = paths; t; t = t->next) {
        if (t->name && strcmp(t->name, name) == 0) free_pending(t);
    }
    pthread_mutex_unlock(&lock);
    return real_vfs->xDelete(real_vfs, name, sync_directory);
}

static int pl_access(sqlite3_vfs *vfs, const char *name, int flags, int *out) {
    (void)vfs;
    return real_vfs->xAccess(real_vfs, name, flags, out);
}

static int pl_full_pathname(sqlite3_vfs *vfs, const char *name, int size, char *out) {
    (void)vfs;
    return real_vfs->xFullPathname(real_vfs, name, size, out);
}

static int pl_randomness(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return real_vfs->xRandomness(real_vfs, size, out);
}

static int pl_sleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return real_vfs->xSleep(real_vfs, microseconds);
}

static int pl_current_time(sqlite3_vfs *vfs, double *out) {
    (void)vfs;
    return real_vfs->xCurrentTime(real_vfs, out);
}

static int pl_get_last_error(sqlite3_vfs *vfs, int size, char *out) {
    (void)vfs;
    return real_vfs->xGetLastError ? real_vfs->xGetLastError(real_vfs, size, out) : 0;
}

static int pl_current_time_int64(sqlite3_vfs *vfs, sqlite3_int64 *out) {
    (void)vfs;
    return real_vfs->xCurrentTimeInt64(real_vfs, out);
}

int powerloss_install(unsigned long cut, unsigned long long seed, powerloss_keep keep, int exit_status) {
    if (real_vfs) return SQLITE_MISUSE;
    real_vfs = sqlite3_vfs_find(NULL);
    if (!real_vfs) return SQLITE_ERROR;
    cut_after = cut;
    random_state = seed ? seed : 0x9E3779B97F4A7C15ULL;
    keep_mode = keep;
    cut_exit_status = exit_status;
    powerloss_vfs = *real_vfs;
    powerloss_vfs.iVersion = 2;
    powerloss_vfs.szOsFile = (int)sizeof(PowerLossFile) + real_vfs->szOsFile;
    powerloss_vfs.zName = "powerloss";
    powerloss_vfs.pNext = NULL;
    powerloss_vfs.pAppData = NULL;
    powerloss_vfs.xOpen = pl_open;
    powerloss_vfs.xDelete = pl_delete;
    powerloss_vfs.xAccess = pl_access;
    powerloss_vfs.xFullPathname = pl_full_pathname;
    powerloss_vfs.xRandomness = pl_randomness;
    powerloss_vfs.xSleep = pl_sleep;
    powerloss_vfs.xCurrentTime = pl_current_time;
    powerloss_vfs.xGetLastError = pl_get_last_error;
    powerloss_vfs.xCurrentTimeInt64 = pl_current_time_int64;
    return sqlite3_vfs_register(&powerloss_vfs, 1);
}

unsigned long powerloss_io_count(void) {
    pthread_mutex_lock(&lock);
    unsigned long count = io_count;
    pthread_mutex_unlock(&lock);
    return count;
}

unsigned long powerloss_sync_count(int wal) {
    pthread_mutex_lock(&lock);
    unsigned long count = wal ? wal_syncs : main_syncs;
    pthread_mutex_unlock(&lock);
    return count;
}
