/* A plugin exporting mapping functions (crosswalk.h, "Mapping functions"), for the host's libffi
 * tests (written for this repository):
 *   sf_id18 string(string)      a 15-character Salesforce id in its 18-character form; error otherwise
 *   add     int64(int64,int64)
 *   half    double(double)
 *   is_even bool(int64)
 *   nothing string(string)      always NULL (the mapping's null)
 *   crash   string(string)      dereferences NULL (process isolation must survive it)
 * -DMISSING_SYMBOL names a symbol that is not exported, which the host must refuse. */
#include "crosswalk.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef MISSING_SYMBOL
#define EXTRA ",{\"name\":\"ghost\",\"symbol\":\"crosswalk_fn_ghost\",\"signature\":\"int64()\"}"
#else
#define EXTRA ""
#endif

static const char MANIFEST[] =
    "{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.functions/1\"],"
    "\"functions\":["
    "{\"name\":\"sf_id18\",\"symbol\":\"crosswalk_fn_sf_id18\",\"signature\":\"string(string)\",\"pure\":true},"
    "{\"name\":\"add\",\"symbol\":\"crosswalk_fn_add\",\"signature\":\"int64(int64, int64)\"},"
    "{\"name\":\"half\",\"symbol\":\"crosswalk_fn_half\",\"signature\":\"double(double)\"},"
    "{\"name\":\"is_even\",\"symbol\":\"crosswalk_fn_is_even\",\"signature\":\"bool(int64)\"},"
    "{\"name\":\"nothing\",\"symbol\":\"crosswalk_fn_nothing\",\"signature\":\"string(string)\"},"
    "{\"name\":\"crash\",\"symbol\":\"crosswalk_fn_crash\",\"signature\":\"string(string)\"}" EXTRA "],"
    "\"function_support\":{\"release\":\"crosswalk_fn_release\",\"last_error\":\"crosswalk_fn_last_error\"}}";

static __thread const char *last_error = NULL;

CROSSWALK_EXPORT void crosswalk_fn_release(char *p) { free(p); }
CROSSWALK_EXPORT const char *crosswalk_fn_last_error(void) { return last_error; }

CROSSWALK_EXPORT char *crosswalk_fn_sf_id18(const char *id) {
    last_error = NULL;
    if (id == NULL) return NULL;
    size_t n = strlen(id);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)id[i])) { last_error = "a Salesforce id has only letters and digits"; return NULL; }
    if (n == 18) return strdup(id);
    if (n != 15) { last_error = "a Salesforce id has 15 or 18 characters"; return NULL; }
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    char *out = malloc(19);
    memcpy(out, id, 15);
    for (int chunk = 0; chunk < 3; chunk++) {
        int bits = 0;
        for (int i = 0; i < 5; i++)
            if (isupper((unsigned char)id[chunk * 5 + i])) bits |= 1 << i;
        out[15 + chunk] = alphabet[bits];
    }
    out[18] = 0;
    return out;
}

CROSSWALK_EXPORT int64_t crosswalk_fn_add(int64_t a, int64_t b) { last_error = NULL; return a + b; }
CROSSWALK_EXPORT double crosswalk_fn_half(double x) { last_error = NULL; return x / 2; }
CROSSWALK_EXPORT int32_t crosswalk_fn_is_even(int64_t x) { last_error = NULL; return x % 2 == 0; }
CROSSWALK_EXPORT char *crosswalk_fn_nothing(const char *x) { (void)x; last_error = NULL; return NULL; }
CROSSWALK_EXPORT char *crosswalk_fn_crash(const char *x) { (void)x; volatile char *p = NULL; *p = 1; return NULL; }

struct crosswalk_instance { int unused; };
static crosswalk_status create(const crosswalk_host_v1 *h, const char *c, size_t n, crosswalk_instance **i, crosswalk_buffer_v1 *o) {
    (void)h; (void)c; (void)n; (void)o;
    *i = calloc(1, sizeof **i);
    return CROSSWALK_OK;
}
static void destroy(crosswalk_instance *i) { free(i); }
static crosswalk_status none(crosswalk_instance *i, crosswalk_buffer_v1 *o) { (void)i; (void)o; return CROSSWALK_E_UNSUPPORTED; }
static crosswalk_status io(crosswalk_instance *i, const char *r, size_t n, crosswalk_buffer_v1 *o) { (void)i; (void)r; (void)n; (void)o; return CROSSWALK_E_UNSUPPORTED; }

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1), .abi_major = CROSSWALK_ABI_MAJOR, .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.test.functions", .name = "Functions", .version = "1.0.0", .vendor = "tests",
    .manifest_json = MANIFEST, .create = create, .destroy = destroy, .check = none, .discover = none, .read = io, .write = io,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) { (void)host; return &DESCRIPTOR; }
