// Test helper, preloaded before umockdev's library: logs every EVIOCGRAB ioctl (its argument and
// the file descriptor's target) to $GRABSPY_LOG, then passes it on. umockdev answers EVIOCGRAB in
// user space, so neither strace nor the kernel would see it; this shows the kiosk asks for the
// grab, and for its release, exactly where it should. Built by KioskInputTests with gcc.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <linux/input.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int ioctl(int fd, unsigned long request, ...) {
    static int (*next)(int, unsigned long, ...);
    if (!next) next = (int (*)(int, unsigned long, ...))dlsym(RTLD_NEXT, "ioctl");
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    const char *log = getenv("GRABSPY_LOG");
    if (request == EVIOCGRAB && log) {
        char link[64], target[512] = "";
        snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) target[n] = 0;
        FILE *f = fopen(log, "a");
        if (f) {
            fprintf(f, "EVIOCGRAB %ld %s\n", (long)arg, target);
            fclose(f);
        }
    }
    return next(fd, request, arg);
}
