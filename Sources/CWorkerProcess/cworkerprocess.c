/* Everything is static inline in include/cworkerprocess.h; SwiftPM needs one source file per C target. */
#include "cworkerprocess.h"
