// CInput is header-only (static inline shims in include/CInput.h); SwiftPM wants one source file.
#include "CInput.h"
