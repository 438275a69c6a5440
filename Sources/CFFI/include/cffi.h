/*
 * cffi.h — libffi (Debian: libffi-dev) for Swift, as the module `CFFI`.
 *
 * libffi's type descriptors are mutable globals, which Swift 6 cannot touch without warnings;
 * the accessors below hand out their addresses. Only the types of crosswalk.h's mapping-function
 * grammar are needed: int64 -> int64_t, double -> double, bool -> int32_t, string -> pointer.
 */
#ifndef CFFI_H
#define CFFI_H

#include <ffi.h>

static inline ffi_type *cffi_type_sint64(void) { return &ffi_type_sint64; }
static inline ffi_type *cffi_type_double(void) { return &ffi_type_double; }
static inline ffi_type *cffi_type_sint32(void) { return &ffi_type_sint32; }
static inline ffi_type *cffi_type_pointer(void) { return &ffi_type_pointer; }

/** FFI_DEFAULT_ABI is an enum constant that depends on the platform. */
static inline ffi_abi cffi_default_abi(void) { return FFI_DEFAULT_ABI; }

/** sizeof(ffi_arg): the smallest return buffer ffi_call may write. */
static inline size_t cffi_arg_size(void) { return sizeof(ffi_arg); }

#endif /* CFFI_H */
