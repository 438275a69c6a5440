/* The header-only ABI needs one translation unit so SwiftPM can build it as a C target. */
#include "crosswalk.h"
