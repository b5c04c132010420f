// Declarations only (include/CFuzzerDriver.h); libFuzzer provides the definition when the
// harness is built with -sanitize=fuzzer.
#include "CFuzzerDriver.h"
