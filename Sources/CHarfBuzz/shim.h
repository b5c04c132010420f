// HarfBuzz's real header; the kiosk shapes with HarfBuzz's own OpenType font functions.
#ifndef KIOSK_CHARFBUZZ_SHIM_H
#define KIOSK_CHARFBUZZ_SHIM_H
#include <hb.h>
#include <hb-ot.h>
#endif
