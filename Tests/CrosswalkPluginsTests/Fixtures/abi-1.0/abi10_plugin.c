/* A plugin built against the ABI 1.0 header (crosswalk.h in this folder, as it was at commit
 * 1c11cfc), for the host's compatibility tests (written for this repository). It knows nothing
 * of 1.1: no cancel or connection extensions, no CROSSWALK_E_CANCELLED. Its check reports the
 * host's ABI and whether the 1.0 extensions answer; its read pages three notes; its write echoes. */
#include "crosswalk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if CROSSWALK_ABI_MINOR != 0
#error "this fixture must be compiled against the ABI 1.0 header"
#endif

static const char MANIFEST[] =
    "{\"version\":1,\"objects\":[{\"name\":\"Note\",\"operations\":[\"read\",\"create\"]}],"
    "\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.read/1\",\"crosswalk.write/1\"]}";

struct crosswalk_instance { const crosswalk_host_v1 *host; int next; };

static void release_text(crosswalk_buffer_v1 *b) { free((void *)b->data); b->data = NULL; b->len = 0; }
static crosswalk_status give(crosswalk_buffer_v1 *out, char *text) {
    out->data = text; out->len = strlen(text); out->release = release_text; return CROSSWALK_OK;
}

static crosswalk_status create(const crosswalk_host_v1 *host, const char *c, size_t n, crosswalk_instance **out, crosswalk_buffer_v1 *e) {
    (void)c; (void)n; (void)e;
    struct crosswalk_instance *self = calloc(1, sizeof *self);
    self->host = host;
    self->next = 1;
    *out = self;
    return CROSSWALK_OK;
}
static void destroy(crosswalk_instance *self) { free(self); }

static crosswalk_status check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    const crosswalk_host_v1 *h = self->host;
    char *text = malloc(256);
    snprintf(text, 256, "{\"version\":1,\"ok\":true,\"message\":\"host ABI %u.%u, state %s\"}", h->abi_major, h->abi_minor,
             h->get_extension(h, CROSSWALK_EXT_STATE_V1) ? "offered" : "absent");
    return give(out, text);
}

static crosswalk_status discover(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    (void)self;
    /* 1.0 style: reference_to as a string. */
    return give(out, strdup("{\"version\":1,\"objects\":[{\"name\":\"Note\",\"label\":\"Note\",\"fields\":["
                            "{\"name\":\"text\",\"type\":\"string\",\"required\":true,\"unique\":false,\"reference_to\":null}]}]}"));
}

static crosswalk_status read_op(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    (void)self;
    char *copy = strndup(request, len), *at = strstr(copy, "\"cursor\":");
    long start = at ? strtol(at + 9, NULL, 10) : 0;
    free(copy);
    if (start < 0 || start > 3) start = 3;
    char *text = malloc(512);
    size_t used = (size_t)snprintf(text, 512, "{\"version\":1,\"records\":[");
    for (long i = start; i < 3 && i < start + 2; i++)
        used += (size_t)snprintf(text + used, 512 - used, "%s{\"object\":\"Note\",\"id\":\"n%ld\",\"fields\":{\"text\":\"note %ld\"},\"deleted\":false}",
                                 i > start ? "," : "", i, i);
    long next = start + 2 < 3 ? start + 2 : 3;
    snprintf(text + used, 512 - used, "],\"next_cursor\":%ld,\"has_more\":%s}", next, next < 3 ? "true" : "false");
    return give(out, text);
}

static crosswalk_status write_op(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    char *copy = strndup(request, len), *at = strstr(copy, "\"ref\":\"");
    char ref[64] = "?";
    if (at) { at += 7; char *end = strchr(at, '"'); if (end && end - at < 63) { memcpy(ref, at, (size_t)(end - at)); ref[end - at] = 0; } }
    free(copy);
    char *text = malloc(256);
    snprintf(text, 256, "{\"version\":1,\"results\":[{\"ref\":\"%s\",\"ok\":true,\"id\":\"n%d\",\"created\":true}]}", ref, 100 + self->next++);
    return give(out, text);
}

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1), .abi_major = CROSSWALK_ABI_MAJOR, .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.test.abi10", .name = "ABI 1.0 notes", .version = "1.0.0", .vendor = "tests",
    .manifest_json = MANIFEST, .create = create, .destroy = destroy, .check = check, .discover = discover,
    .read = read_op, .write = write_op,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) { (void)host; return &DESCRIPTOR; }
