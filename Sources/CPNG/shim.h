// libpng's real header, and a shim for PNG_IMAGE_VERSION and the PNG_FORMAT_* macros (Swift does not import them).
#ifndef KIOSK_CPNG_SHIM_H
#define KIOSK_CPNG_SHIM_H
#include <png.h>
static inline unsigned int kiosk_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline unsigned int kiosk_png_format_rgb(void) { return PNG_FORMAT_RGB; }
static inline unsigned int kiosk_png_format_rgba(void) { return PNG_FORMAT_RGBA; }
#endif
