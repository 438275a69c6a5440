/*
 * A complete Crosswalk connector in plain C: a read-only catalogue of 7 products, paged by a
 * numeric cursor, plus a write that accepts records and assigns ids. It shows every rule of the
 * ABI: the one exported entry, size-prefixed structs, buffers released by their producer, error
 * JSON with a stable code, host logging and HTTP through the host.
 *
 * Build:  cc -shared -fPIC -fvisibility=hidden -I sdk/include example_connector.c -o libexample.so
 * Load:   put libexample.so in a plugin folder; `crosswalk plugins list` shows dev.crosswalk.example.c
 */
#include "crosswalk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MANIFEST[] =
    "{\"version\":1,"
    "\"objects\":[{\"name\":\"Product\",\"operations\":[\"read\",\"create\"],\"match_keys\":[\"sku\"]}],"
    "\"auth\":{\"scheme\":\"none\"},"
    "\"capabilities\":[\"crosswalk.read/1\",\"crosswalk.write/1\"],"
    "\"batch_limits\":{\"read\":3,\"write\":100},"
    "\"settings\":[{\"name\":\"check_url\",\"type\":\"string\",\"required\":false}]}";

static const char *const PRODUCTS[] = {"Anvil", "Rocket skates", "Giant magnet", "Bird seed",
                                       "Tornado kit", "Spring boots", "Earthquake pills"};
#define PRODUCT_COUNT 7
#define PAGE_SIZE 3

/* The instance: the host's table for this connection, plus our own state. */
struct crosswalk_instance {
    const crosswalk_host_v1 *host;
    char check_url[512];
    int next_id;
};

/* ---- buffers: we malloc, the host calls our release ------------------------------------- */

static void release_buffer(crosswalk_buffer_v1 *buffer) {
    free((void *)buffer->data);
    buffer->data = NULL;
    buffer->len = 0;
}

/* Hands `text` (a malloc'd, NUL-terminated string we give away) to the host in `out`. */
static void give(crosswalk_buffer_v1 *out, char *text) {
    if (out == NULL || out->struct_size < sizeof(crosswalk_buffer_v1)) { free(text); return; }
    out->data = text;
    out->len = strlen(text);
    out->release = release_buffer;
}

static crosswalk_status fail(crosswalk_buffer_v1 *out, crosswalk_status status, const char *code, const char *message) {
    char *text = malloc(strlen(code) + strlen(message) + 64);
    sprintf(text, "{\"version\":1,\"code\":\"%s\",\"message\":\"%s\"}", code, message);
    give(out, text);
    return status;
}

static void log_line(const crosswalk_host_v1 *host, int32_t level, const char *message) {
    if (host != NULL && host->log != NULL) host->log(host, level, message, strlen(message));
}

/* Finds "key": <integer> in a JSON text; returns `fallback` when absent. Good enough for the
 * host's well-formed requests; a real connector would use a JSON library. */
static long json_int(const char *json, size_t len, const char *key, long fallback) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", key);
    char *copy = strndup(json, len);
    char *at = strstr(copy, pattern);
    long value = fallback;
    if (at != NULL) {
        char *end = NULL;
        long parsed = strtol(at + strlen(pattern), &end, 10);
        if (end != at + strlen(pattern)) value = parsed;
    }
    free(copy);
    return value;
}

/* Copies "key":"<string>" into dst; returns 1 when found. */
static int json_string(const char *json, size_t len, const char *key, char *dst, size_t cap) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    char *copy = strndup(json, len);
    char *at = strstr(copy, pattern);
    int found = 0;
    if (at != NULL) {
        at += strlen(pattern);
        char *end = strchr(at, '"');
        if (end != NULL && (size_t)(end - at) < cap) {
            memcpy(dst, at, (size_t)(end - at));
            dst[end - at] = '\0';
            found = 1;
        }
    }
    free(copy);
    return found;
}

/* ---- operations --------------------------------------------------------------------------- */

static crosswalk_status example_create(const crosswalk_host_v1 *host, const char *config, size_t len,
                                       crosswalk_instance **instance, crosswalk_buffer_v1 *out) {
    struct crosswalk_instance *self = calloc(1, sizeof *self);
    if (self == NULL) return fail(out, CROSSWALK_E_INTERNAL, "internal", "out of memory");
    self->host = host;
    self->next_id = 1000;
    if (config != NULL) json_string(config, len, "check_url", self->check_url, sizeof self->check_url);
    *instance = self;
    log_line(host, CROSSWALK_LOG_DEBUG, "example C connector instance created");
    return CROSSWALK_OK;
}

static void example_destroy(crosswalk_instance *instance) { free(instance); }

static crosswalk_status example_check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    if (self->check_url[0] == '\0') {
        give(out, strdup("{\"version\":1,\"ok\":true,\"message\":\"7 products in the catalogue\"}"));
        return CROSSWALK_OK;
    }
    /* HTTP goes through the host, which authenticates and retries. */
    crosswalk_http_request_v1 request = {0};
    request.struct_size = sizeof request;
    request.method = "GET";
    request.url = self->check_url;
    crosswalk_http_response_v1 response = {0};
    response.struct_size = sizeof response;
    crosswalk_buffer_v1 error = {0};
    error.struct_size = sizeof error;
    crosswalk_status status = self->host->http(self->host, &request, &response, &error);
    if (status != CROSSWALK_OK) {
        if (error.release != NULL) error.release(&error);
        return fail(out, status, "unavailable", "the check URL did not answer");
    }
    char *text = malloc(128);
    snprintf(text, 128, "{\"version\":1,\"ok\":%s,\"message\":\"check URL answered HTTP %d\"}",
             response.status >= 200 && response.status < 300 ? "true" : "false", response.status);
    response.release(&response);
    give(out, text);
    return CROSSWALK_OK;
}

static crosswalk_status example_discover(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    (void)self;
    give(out, strdup("{\"version\":1,\"objects\":[{\"name\":\"Product\",\"label\":\"Product\",\"fields\":["
                     "{\"name\":\"sku\",\"type\":\"string\",\"required\":true,\"unique\":true},"
                     "{\"name\":\"name\",\"type\":\"string\",\"required\":true,\"unique\":false}]}]}"));
    return CROSSWALK_OK;
}

/* The cursor is the index of the next product; null (absent) means "from the start". */
static crosswalk_status example_read(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    (void)self;
    char object[64] = "";
    /* `request` is `len` bytes and not NUL-terminated: the helpers copy it before searching. */
    if (!json_string(request, len, "object", object, sizeof object) || strcmp(object, "Product") != 0)
        return fail(out, CROSSWALK_E_NOT_FOUND, "not_found", "this connector only offers Product");
    long start = json_int(request, len, "cursor", 0);
    if (start < 0 || start > PRODUCT_COUNT) return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "invalid_argument", "cursor out of range");
    long end = start + PAGE_SIZE < PRODUCT_COUNT ? start + PAGE_SIZE : PRODUCT_COUNT;
    size_t cap = 256 + (size_t)(end - start) * 192;
    char *text = malloc(cap);
    size_t used = (size_t)snprintf(text, cap, "{\"version\":1,\"records\":[");
    for (long i = start; i < end; i++) {
        used += (size_t)snprintf(text + used, cap - used,
                                 "%s{\"object\":\"Product\",\"id\":\"p%ld\",\"fields\":{\"sku\":\"ACME-%03ld\",\"name\":\"%s\"},"
                                 "\"modified_at\":\"2026-01-01T00:00:00Z\",\"deleted\":false}",
                                 i > start ? "," : "", i, i, PRODUCTS[i]);
    }
    snprintf(text + used, cap - used, "],\"next_cursor\":%ld,\"has_more\":%s}", end, end < PRODUCT_COUNT ? "true" : "false");
    give(out, text);
    return CROSSWALK_OK;
}

/* Accepts every record that has a "ref", assigning new ids. */
static crosswalk_status example_write(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    char *copy = strndup(request, len);
    size_t cap = 64 + len * 2;
    char *text = malloc(cap);
    size_t used = (size_t)snprintf(text, cap, "{\"version\":1,\"results\":[");
    int first = 1;
    for (char *at = strstr(copy, "\"ref\":\""); at != NULL; at = strstr(at, "\"ref\":\"")) {
        at += 7;
        char *end = strchr(at, '"');
        if (end == NULL) break;
        *end = '\0';
        used += (size_t)snprintf(text + used, cap - used, "%s{\"ref\":\"%s\",\"ok\":true,\"id\":\"p%d\",\"created\":true}",
                                 first ? "" : ",", at, self->next_id++);
        first = 0;
        at = end + 1;
    }
    snprintf(text + used, cap - used, "]}");
    free(copy);
    give(out, text);
    return CROSSWALK_OK;
}

/* ---- the descriptor and the one exported symbol ------------------------------------------ */

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1),
    .abi_major = CROSSWALK_ABI_MAJOR,
    .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.example.c",
    .name = "Example catalogue (C)",
    .version = "1.0.0",
    .vendor = "Crosswalk",
    .manifest_json = MANIFEST,
    .swift_version = 0, /* not Swift */
    .create = example_create,
    .destroy = example_destroy,
    .check = example_check,
    .discover = example_discover,
    .read = example_read,
    .write = example_write,
    .parse_webhook = NULL, /* no webhooks: the manifest does not claim crosswalk.webhooks/1 */
    .get_extension = NULL,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) {
    log_line(host, CROSSWALK_LOG_DEBUG, "example C connector loaded");
    return &DESCRIPTOR;
}
