#ifndef KIOSK_CINPUT_H
#define KIOSK_CINPUT_H

// The ioctl request macros Swift cannot import (function-like macros), one line each.
#include <linux/input.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <termios.h>

/// EVIOCGRAB: take (1) or release (0) an evdev device exclusively.
static inline int kiosk_eviocgrab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, (void *)(intptr_t)grab); }
/// EVIOCGNAME: the device's name.
static inline int kiosk_eviocgname(int fd, char *buf, unsigned len) { return ioctl(fd, EVIOCGNAME(len), buf); }
/// EVIOCGID: bus type, vendor, product, version.
static inline int kiosk_eviocgid(int fd, struct input_id *id) { return ioctl(fd, EVIOCGID, id); }

#endif
