/* Deliberately broken plugins, one per -D flag, for the loader's refusal tests. */
#include "crosswalk.h"
#include <string.h>

#ifndef MANIFEST
#define MANIFEST "{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.read/1\"]}"
#endif
#ifndef PLUGIN_ID
#define PLUGIN_ID "dev.crosswalk.test.bad"
#endif
#ifndef ABI_MAJOR
#define ABI_MAJOR CROSSWALK_ABI_MAJOR
#endif
#ifndef SWIFT_VERSION
#define SWIFT_VERSION 0
#endif
#ifndef STRUCT_SIZE
#define STRUCT_SIZE sizeof(crosswalk_plugin_v1)
#endif

static crosswalk_status ok_create(const crosswalk_host_v1 *h, const char *c, size_t n, crosswalk_instance **i, crosswalk_buffer_v1 *o) {
    (void)h; (void)c; (void)n; (void)o;
    static int dummy;
    *i = (crosswalk_instance *)&dummy;
    return CROSSWALK_OK;
}
static void ok_destroy(crosswalk_instance *i) { (void)i; }
static crosswalk_status ok_op(crosswalk_instance *i, crosswalk_buffer_v1 *o) { (void)i; (void)o; return CROSSWALK_OK; }
static crosswalk_status ok_io(crosswalk_instance *i, const char *r, size_t n, crosswalk_buffer_v1 *o) { (void)i; (void)r; (void)n; (void)o; return CROSSWALK_OK; }

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = STRUCT_SIZE, .abi_major = ABI_MAJOR, .abi_minor = 0,
    .id = PLUGIN_ID, .name = "Bad", .version = "0.0.1", .vendor = "tests",
    .manifest_json = MANIFEST, .swift_version = SWIFT_VERSION,
    .create = ok_create, .destroy = ok_destroy, .check = ok_op, .discover = ok_op,
#ifndef NO_READ
    .read = ok_io,
#endif
    .write = ok_io,
};

#ifndef NO_ENTRY
CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) {
#ifdef LOG_AND_REFUSE
    host->log(host, CROSSWALK_LOG_ERROR, "needs a newer host", strlen("needs a newer host"));
    return NULL;
#else
    (void)host;
    return &DESCRIPTOR;
#endif
}
#else
CROSSWALK_EXPORT int some_other_symbol(void) { return DESCRIPTOR.abi_major; }
#endif
