// pcsc-lite's real headers, and one-line shims for the function-like macros and the
// address-of-global macros that Swift does not import.
#ifndef KIOSK_CPCSC_SHIM_H
#define KIOSK_CPCSC_SHIM_H

#include <PCSC/winscard.h>
#include <PCSC/reader.h>

/// `SCARD_CTL_CODE(code)`: the control code for an escape command (e.g. 3500 for ACS readers).
static inline DWORD kiosk_scard_ctl_code(DWORD code) { return SCARD_CTL_CODE(code); }

/// `SCARD_PCI_T0`, `SCARD_PCI_T1`, `SCARD_PCI_RAW`: the protocol control information for transmit.
static inline const SCARD_IO_REQUEST *kiosk_scard_pci_t0(void) { return SCARD_PCI_T0; }
static inline const SCARD_IO_REQUEST *kiosk_scard_pci_t1(void) { return SCARD_PCI_T1; }
static inline const SCARD_IO_REQUEST *kiosk_scard_pci_raw(void) { return SCARD_PCI_RAW; }

#endif
