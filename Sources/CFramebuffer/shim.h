// The Linux framebuffer and console ioctls; request numbers as one-line shims because some are
// function-like macros Swift does not import, and ioctl itself is variadic.
#ifndef KIOSK_CFRAMEBUFFER_SHIM_H
#define KIOSK_CFRAMEBUFFER_SHIM_H
#include <linux/fb.h>
#include <linux/kd.h>
#include <sys/ioctl.h>

static inline int kiosk_fb_get_vscreeninfo(int fd, struct fb_var_screeninfo *info) { return ioctl(fd, FBIOGET_VSCREENINFO, info); }
static inline int kiosk_fb_get_fscreeninfo(int fd, struct fb_fix_screeninfo *info) { return ioctl(fd, FBIOGET_FSCREENINFO, info); }
static inline int kiosk_fb_pan_display(int fd, struct fb_var_screeninfo *info) { return ioctl(fd, FBIOPAN_DISPLAY, info); }
static inline int kiosk_fb_wait_for_vsync(int fd) { unsigned int zero = 0; return ioctl(fd, FBIO_WAITFORVSYNC, &zero); }
static inline int kiosk_kd_get_mode(int fd, int *mode) { return ioctl(fd, KDGETMODE, mode); }
static inline int kiosk_kd_set_mode(int fd, int mode) { return ioctl(fd, KDSETMODE, mode); }
static inline int kiosk_kd_text(void) { return KD_TEXT; }
static inline int kiosk_kd_graphics(void) { return KD_GRAPHICS; }
#endif
