// GNU FriBidi's real header, and one-line shims for the paragraph-direction macros Swift does not import.
#ifndef KIOSK_CFRIBIDI_SHIM_H
#define KIOSK_CFRIBIDI_SHIM_H
#include <fribidi.h>
static inline FriBidiParType kiosk_fribidi_par_ltr(void) { return FRIBIDI_PAR_LTR; }
static inline FriBidiParType kiosk_fribidi_par_rtl(void) { return FRIBIDI_PAR_RTL; }
static inline FriBidiParType kiosk_fribidi_par_on(void) { return FRIBIDI_PAR_ON; }
static inline int kiosk_fribidi_par_is_rtl(FriBidiParType t) { return FRIBIDI_IS_RTL(t) ? 1 : 0; }
static inline FriBidiFlags kiosk_fribidi_flags_arabic(void) { return FRIBIDI_FLAGS_ARABIC; }
#endif
