/* The shims are all static inline in include/ccurl.h; SwiftPM needs one source file per C target. */
#include "ccurl.h"
