#ifndef KIOSK_CLIBUSB_H
#define KIOSK_CLIBUSB_H
// libusb-1.0's real header, found through pkg-config (libusb-1.0.pc adds -I…/libusb-1.0).
#include <libusb.h>
#endif
