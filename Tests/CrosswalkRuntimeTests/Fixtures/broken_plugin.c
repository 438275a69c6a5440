/*
 * A connector that breaks the ABI's rules on purpose, for `crosswalk plugins check`: its caught-up
 * cursor repeats records, one record names another object, a modified_at is not RFC 3339,
 * start:"now" answers records, and its write answers a result for a ref it was not given.
 */
#include "crosswalk.h"

#include <stdlib.h>
#include <string.h>

static const char MANIFEST[] =
    "{\"version\":1,\"objects\":[{\"name\":\"Item\",\"operations\":[\"read\",\"create\"],"
    "\"read\":{\"incremental\":true,\"order_keys\":[\"n\"],\"boundary\":\"exclusive\",\"deletes\":\"none\",\"by_ids\":false}}],"
    "\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.read/1\",\"crosswalk.write/1\"]}";

struct crosswalk_instance { int unused; };

static void release_buffer(crosswalk_buffer_v1 *b) { free((void *)b->data); }

static crosswalk_status answer(crosswalk_buffer_v1 *out, const char *text) {
    out->data = strdup(text);
    out->len = strlen(text);
    out->release = release_buffer;
    return CROSSWALK_OK;
}

static crosswalk_status create(const crosswalk_host_v1 *host, const char *config, size_t len, crosswalk_instance **instance,
                               crosswalk_buffer_v1 *out) {
    (void)host; (void)config; (void)len; (void)out;
    *instance = calloc(1, sizeof(struct crosswalk_instance));
    return CROSSWALK_OK;
}

static void destroy(crosswalk_instance *instance) { free(instance); }

static crosswalk_status check(crosswalk_instance *i, crosswalk_buffer_v1 *out) {
    (void)i;
    return answer(out, "{\"version\":1,\"ok\":true,\"message\":\"always fine\"}");
}

static crosswalk_status discover(crosswalk_instance *i, crosswalk_buffer_v1 *out) {
    (void)i;
    return answer(out, "{\"version\":1,\"objects\":[{\"name\":\"Item\",\"fields\":[{\"name\":\"n\",\"type\":\"integer\"},"
                       "{\"name\":\"title\",\"type\":\"string\",\"required\":true}]}]}");
}

static int contains(const char *request, size_t len, const char *needle) {
    char *copy = strndup(request, len);
    int found = strstr(copy, needle) != NULL;
    free(copy);
    return found;
}

static crosswalk_status read(crosswalk_instance *i, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    (void)i;
    if (contains(request, len, "\"start\":\"now\""))
        return answer(out, "{\"version\":1,\"records\":[{\"object\":\"Item\",\"id\":\"1\",\"fields\":{}}],\"next_cursor\":9,\"has_more\":false}");
    if (contains(request, len, "\"cursor\":1"))
        return answer(out, "{\"version\":1,\"records\":[{\"object\":\"Other\",\"id\":\"2\",\"fields\":{},\"modified_at\":\"yesterday\"}],"
                           "\"next_cursor\":2,\"has_more\":false}");
    if (contains(request, len, "\"cursor\":2") || contains(request, len, "\"cursor\":9"))
        /* "caught up", yet the same records again */
        return answer(out, "{\"version\":1,\"records\":[{\"object\":\"Item\",\"id\":\"1\",\"fields\":{}}],\"next_cursor\":2,\"has_more\":false}");
    return answer(out, "{\"version\":1,\"records\":[{\"object\":\"Item\",\"id\":\"1\",\"fields\":{},\"modified_at\":\"2026-01-01T00:00:00Z\"}],"
                       "\"next_cursor\":1,\"has_more\":true}");
}

static crosswalk_status write(crosswalk_instance *i, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    (void)i; (void)request; (void)len;
    return answer(out, "{\"version\":1,\"results\":[{\"ref\":\"not-a-ref-of-the-batch\",\"ok\":true,\"id\":\"7\"}]}");
}

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1), .abi_major = CROSSWALK_ABI_MAJOR, .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.test.broken", .name = "Broken on purpose", .version = "0.0.1", .vendor = "Crosswalk tests",
    .manifest_json = MANIFEST, .create = create, .destroy = destroy, .check = check, .discover = discover,
    .read = read, .write = write,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) {
    (void)host;
    return &DESCRIPTOR;
}
