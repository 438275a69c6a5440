/* A plugin that exercises the host's extensions through the C ABI: crosswalk.state/1 and
 * crosswalk.idmap/1. Its `check` stores a value, reads it back, looks up mapped ids and an unknown
 * extension, and reports what it saw in its message. */
#include "crosswalk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MANIFEST[] = "{\"version\":1,\"objects\":[],\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.read/1\"]}";

struct crosswalk_instance { const crosswalk_host_v1 *host; };

static void release_text(crosswalk_buffer_v1 *b) { free((void *)b->data); b->data = NULL; }

static crosswalk_status create(const crosswalk_host_v1 *host, const char *c, size_t n, crosswalk_instance **out, crosswalk_buffer_v1 *e) {
    (void)c; (void)n; (void)e;
    struct crosswalk_instance *self = calloc(1, sizeof *self);
    self->host = host;
    *out = self;
    return CROSSWALK_OK;
}
static void destroy(crosswalk_instance *self) { free(self); }

static crosswalk_status check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    const crosswalk_host_v1 *host = self->host;
    const crosswalk_host_state_v1 *state = host->get_extension(host, CROSSWALK_EXT_STATE_V1);
    const crosswalk_host_idmap_v1 *idmap = host->get_extension(host, CROSSWALK_EXT_IDMAP_V1);
    const void *unknown = host->get_extension(host, "crosswalk.nonexistent/9");
    char stored[64] = "none", mapped[256] = "none";
    crosswalk_status missing = -1;
    if (state != NULL) {
        crosswalk_buffer_v1 before = {.struct_size = sizeof before};
        missing = state->get(host, "never-set", &before);
        state->put(host, "cursor", "42", 2);
        crosswalk_buffer_v1 value = {.struct_size = sizeof value};
        if (state->get(host, "cursor", &value) == CROSSWALK_OK) {
            snprintf(stored, sizeof stored, "%.*s", (int)value.len, value.data);
            if (value.release) value.release(&value);
        }
    }
    if (idmap != NULL) {
        const char *request = "{\"version\":1,\"object\":\"Contact\",\"ids\":[\"c1\",\"c2\"],\"other_connection\":\"b\"}";
        crosswalk_buffer_v1 result = {.struct_size = sizeof result};
        if (idmap->lookup(host, request, strlen(request), &result) == CROSSWALK_OK) {
            snprintf(mapped, sizeof mapped, "%.*s", (int)result.len, result.data);
            if (result.release) result.release(&result);
        }
    }
    char *text = malloc(512);
    /* The idmap answer is JSON; carry it as a nested object. */
    snprintf(text, 512, "{\"version\":1,\"ok\":true,\"message\":\"stored=%s missing=%d unknown=%s\",\"idmap\":%s}",
             stored, missing, unknown == NULL ? "null" : "set", strcmp(mapped, "none") == 0 ? "null" : mapped);
    out->data = text;
    out->len = strlen(text);
    out->release = release_text;
    return CROSSWALK_OK;
}
static crosswalk_status none(crosswalk_instance *i, crosswalk_buffer_v1 *o) { (void)i; (void)o; return CROSSWALK_OK; }
static crosswalk_status io(crosswalk_instance *i, const char *r, size_t n, crosswalk_buffer_v1 *o) { (void)i; (void)r; (void)n; (void)o; return CROSSWALK_OK; }

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1), .abi_major = CROSSWALK_ABI_MAJOR, .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.test.extensions", .name = "Extensions", .version = "1.0.0", .vendor = "tests",
    .manifest_json = MANIFEST, .create = create, .destroy = destroy, .check = check, .discover = none, .read = io, .write = io,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) { (void)host; return &DESCRIPTOR; }
