/* The accessors are all static inline in include/cffi.h; SwiftPM needs one source file per C target. */
#include "cffi.h"
