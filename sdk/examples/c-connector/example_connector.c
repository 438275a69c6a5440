/*
 * A complete, authenticated Crosswalk connector in plain C: contacts of Aritic PinPoint (the
 * Mautic 2.x REST API, `GET /api/contacts`, `POST /api/contacts/new`…), which `crosswalk sandbox`
 * emulates. It shows what a real connector does:
 *   - every request goes through host->http: the host adds the basic-auth credentials (the plugin
 *     never sees them), retries 429/5xx, keeps the rate limit, resolves paths against base_url;
 *   - answers are parsed with cJSON (Debian: libcjson-dev) and every document it sends is printed
 *     by cJSON, so every string is escaped;
 *   - incremental reads with a compound cursor (modification time + id, an upper bound taken at
 *     the start of a run, exclusive boundaries), reads by ids with "missing", start:"now";
 *   - writes per record (create, update, upsert on email, delete) with per-record outcomes,
 *     "unknown" when a create got no answer, retry_after_ms, offending fields;
 *   - ABI 1.1: deadline_ms honoured, the "crosswalk.cancel/1" extension asked between calls.
 * sdk/README.md walks through it.
 *
 * Build:  cc -shared -fPIC -fvisibility=hidden -I sdk/include example_connector.c -lcjson -o libexample.so
 * Load:   put libexample.so in a plugin folder; `crosswalk plugins list` shows dev.crosswalk.example.c
 */
#define _GNU_SOURCE /* strptime, timegm */
#include "crosswalk.h"

#include <cjson/cJSON.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char MANIFEST[] =
    "{\"version\":1,"
    "\"objects\":[{\"name\":\"Contact\",\"label\":\"Contact\","
    "\"operations\":[\"read\",\"create\",\"update\",\"upsert\",\"delete\"],\"match_keys\":[\"email\"],"
    "\"read\":{\"incremental\":true,\"order_keys\":[\"dateModified\",\"id\"],\"boundary\":\"exclusive\","
    "\"deletes\":\"none\",\"index_lag_ms\":0,\"by_ids\":true,\"filter\":[]}}],"
    "\"auth\":{\"scheme\":\"basic\"},"
    "\"capabilities\":[\"crosswalk.read/1\",\"crosswalk.write/1\"],"
    "\"batch_limits\":{\"read\":200,\"write\":50},"
    "\"rate_limits\":{\"requests_per_second\":10,\"burst\":20,\"max_concurrency\":4},"
    "\"settings\":[{\"name\":\"base_url\",\"type\":\"url\",\"required\":true,"
    "\"description\":\"the instance, e.g. https://acme.ariticapp.com/ma\"},"
    "{\"name\":\"page_size\",\"type\":\"integer\",\"required\":false,\"default\":30,"
    "\"description\":\"records per page when a read gives no limit (at most 200)\"}]}";

#define MAX_PAGE 200
#define CURSOR_VERSION 1
/* A modification time before any record: where a read from the beginning starts. */
#define EPOCH "1970-01-01T00:00:00+00:00"

/* The instance: the host's table for this connection, plus our own state (no globals). */
struct crosswalk_instance {
    const crosswalk_host_v1 *host;
    const crosswalk_host_cancel_v1 *cancel; /* NULL when the host does not offer it */
    int page_size;
};

/* ---- buffers and documents ---------------------------------------------------------------- */

static void release_buffer(crosswalk_buffer_v1 *buffer) {
    free((void *)buffer->data);
    buffer->data = NULL;
    buffer->len = 0;
}

/* Hands `text` (malloc'd, NUL-terminated, ours to give) to the host in `out`. */
static void give_text(crosswalk_buffer_v1 *out, char *text) {
    if (text == NULL) return;
    if (out == NULL || out->struct_size < sizeof(crosswalk_buffer_v1)) { free(text); return; }
    out->data = text;
    out->len = strlen(text);
    out->release = release_buffer;
}

/* Prints `doc` (escaped by cJSON) into `out` and frees it. */
static void give(crosswalk_buffer_v1 *out, cJSON *doc) {
    give_text(out, cJSON_PrintUnformatted(doc));
    cJSON_Delete(doc);
}

static const char *status_code(crosswalk_status status) {
    switch (status) {
    case CROSSWALK_E_INVALID_ARGUMENT: return "invalid_argument";
    case CROSSWALK_E_NOT_FOUND: return "not_found";
    case CROSSWALK_E_AUTH: return "auth";
    case CROSSWALK_E_UNSUPPORTED: return "unsupported";
    case CROSSWALK_E_CONFLICT: return "conflict";
    case CROSSWALK_E_CANCELLED: return "cancelled";
    case CROSSWALK_E_RATE_LIMITED: return "rate_limited";
    case CROSSWALK_E_TIMEOUT: return "timeout";
    case CROSSWALK_E_UNAVAILABLE: return "unavailable";
    default: return "internal";
    }
}

/* The error document of a failing operation. */
static crosswalk_status fail(crosswalk_buffer_v1 *out, crosswalk_status status, const char *message) {
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON_AddStringToObject(doc, "code", status_code(status));
    cJSON_AddStringToObject(doc, "message", message);
    give(out, doc);
    return status;
}

static void log_line(const crosswalk_host_v1 *host, int32_t level, const char *message) {
    if (host != NULL && host->log != NULL) host->log(host, level, message, strlen(message));
}

/* ---- time, deadlines, cancellation --------------------------------------------------------- */

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A call's deadline ("deadline_ms" of its request, 0: none) as a monotonic time. */
typedef struct { long long at; } deadline;

static deadline deadline_from(const cJSON *request) {
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(request, "deadline_ms");
    deadline d = {0};
    if (cJSON_IsNumber(ms) && ms->valuedouble > 0) d.at = now_ms() + (long long)ms->valuedouble;
    return d;
}

/* Milliseconds left (a little kept back for our own answer), or -1 when there is no deadline. */
static long long remaining(deadline d) {
    if (d.at == 0) return -1;
    long long left = d.at - now_ms() - 50;
    return left > 0 ? left : 0;
}

static int cancelled(const struct crosswalk_instance *self) {
    return self->cancel != NULL && self->cancel->is_cancelled != NULL && self->cancel->is_cancelled(self->host);
}

/* ISO 8601 UTC as Aritic writes it: 2026-11-30T10:00:00+00:00. */
static void format_time(time_t t, char *dst, size_t cap) {
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(dst, cap, "%Y-%m-%dT%H:%M:%S+00:00", &tm);
}

/* ---- HTTP through the host ------------------------------------------------------------------ */

typedef struct {
    crosswalk_status status; /* CROSSWALK_OK when a response arrived */
    int http;                /* its HTTP status */
    cJSON *json;             /* the parsed body, NULL when it is not JSON */
    time_t date;             /* the response's Date header: the app's clock; 0 when absent */
    long retry_after_ms;     /* from Retry-After, 0 when absent */
    char message[512];       /* why, when status != OK or http is not 2xx */
} reply;

static void reply_free(reply *r) { cJSON_Delete(r->json); }

/* Mautic's error envelope: {"errors":[{"message":"…","details":{…}}]}. */
static const char *reply_error(const reply *r) {
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
    const cJSON *first = cJSON_IsArray(errors) ? cJSON_GetArrayItem(errors, 0) : NULL;
    const cJSON *message = cJSON_GetObjectItemCaseSensitive(first, "message");
    return cJSON_IsString(message) ? message->valuestring : NULL;
}

/* Sends one request through the host. `body` (may be NULL) is JSON. */
static reply send_request(struct crosswalk_instance *self, const char *method, const char *url, const cJSON *body, deadline d) {
    reply r = {0};
    if (cancelled(self)) {
        r.status = CROSSWALK_E_CANCELLED;
        snprintf(r.message, sizeof r.message, "the host cancelled the call");
        return r;
    }
    long long left = remaining(d);
    if (left == 0) {
        r.status = CROSSWALK_E_TIMEOUT;
        snprintf(r.message, sizeof r.message, "the call's deadline passed before %s %s", method, url);
        return r;
    }
    char *text = body != NULL ? cJSON_PrintUnformatted(body) : NULL;
    crosswalk_header_v1 headers[2] = {{"Accept", "application/json"}, {"Content-Type", "application/json"}};
    crosswalk_http_request_v1 request = {0};
    request.struct_size = sizeof request;
    request.method = method;
    request.url = url;
    request.headers = headers;
    request.header_count = text != NULL ? 2 : 1;
    request.body = (const uint8_t *)text;
    request.body_len = text != NULL ? strlen(text) : 0;
    request.timeout_ms = left > 0 ? (uint32_t)left : 0;
    /* GETs and DELETEs are idempotent by their method; a POST to /new is not (the host will not resend it blindly). */
    crosswalk_http_response_v1 response = {0};
    response.struct_size = sizeof response;
    crosswalk_buffer_v1 error = {0};
    error.struct_size = sizeof error;
    r.status = self->host->http(self->host, &request, &response, &error);
    free(text);
    if (r.status != CROSSWALK_OK) {
        cJSON *e = error.data != NULL ? cJSON_ParseWithLength(error.data, error.len) : NULL;
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "message");
        snprintf(r.message, sizeof r.message, "%s %s: %s", method, url, cJSON_IsString(m) ? m->valuestring : status_code(r.status));
        cJSON_Delete(e);
        if (error.release != NULL) error.release(&error);
        return r;
    }
    r.http = response.status;
    for (size_t i = 0; i < response.header_count; i++) {
        const crosswalk_header_v1 *h = &response.headers[i];
        if (strcmp(h->name, "date") == 0) {
            struct tm tm = {0};
            if (strptime(h->value, "%a, %d %b %Y %H:%M:%S GMT", &tm) != NULL) r.date = timegm(&tm);
        } else if (strcmp(h->name, "retry-after") == 0) {
            r.retry_after_ms = strtol(h->value, NULL, 10) * 1000;
        }
    }
    r.json = response.body_len > 0 ? cJSON_ParseWithLength((const char *)response.body, response.body_len) : NULL;
    response.release(&response);
    if (r.http < 200 || r.http >= 300) {
        const char *why = reply_error(&r);
        snprintf(r.message, sizeof r.message, "%s %s answered HTTP %d%s%s", method, url, r.http, why ? ": " : "", why ? why : "");
    }
    return r;
}

/* The ABI status for an app's HTTP status. */
static crosswalk_status status_for_http(int http) {
    if (http == 401 || http == 403) return CROSSWALK_E_AUTH;
    if (http == 404) return CROSSWALK_E_NOT_FOUND;
    if (http == 429) return CROSSWALK_E_RATE_LIMITED;
    if (http == 400 || http == 409 || http == 422) return CROSSWALK_E_CONFLICT;
    if (http >= 500) return CROSSWALK_E_UNAVAILABLE;
    return CROSSWALK_E_INTERNAL;
}

/* Percent-encodes a query value (RFC 3986 unreserved characters kept). */
static void encode(const char *value, char *dst, size_t cap) {
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)value; *p != '\0' && n + 4 < cap; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~", *p) != NULL) {
            dst[n++] = (char)*p;
        } else {
            dst[n++] = '%';
            dst[n++] = hex[*p >> 4];
            dst[n++] = hex[*p & 15];
        }
    }
    dst[n] = '\0';
}

/* Appends `&where[i][col]=…&where[i][expr]=…[&where[i][val]=…]` (brackets encoded) to `url`. */
static void add_where(char *url, size_t cap, int i, const char *column, const char *expr, const char *value) {
    char encoded[256] = "";
    size_t used = strlen(url);
    used += (size_t)snprintf(url + used, cap - used, "&where%%5B%d%%5D%%5Bcol%%5D=%s&where%%5B%d%%5D%%5Bexpr%%5D=%s", i, column, i, expr);
    if (value != NULL) {
        encode(value, encoded, sizeof encoded);
        snprintf(url + used, cap - used, "&where%%5B%d%%5D%%5Bval%%5D=%s", i, encoded);
    }
}

/* ---- records ------------------------------------------------------------------------------- */

/* A Mautic contact as a canonical record: fields.all without "id", modified_at = dateModified
 * (or dateAdded for a contact never edited). `wanted` (may be NULL) narrows the fields. */
static cJSON *record_from(const cJSON *contact, const cJSON *wanted) {
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(contact, "id");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(contact, "fields"), "all");
    const cJSON *modified = cJSON_GetObjectItemCaseSensitive(contact, "dateModified");
    if (!cJSON_IsString(modified)) modified = cJSON_GetObjectItemCaseSensitive(contact, "dateAdded");
    cJSON *record = cJSON_CreateObject();
    cJSON_AddStringToObject(record, "object", "Contact");
    char id_text[32];
    snprintf(id_text, sizeof id_text, "%.0f", cJSON_IsNumber(id) ? id->valuedouble : 0);
    cJSON_AddStringToObject(record, "id", id_text);
    cJSON *out = cJSON_AddObjectToObject(record, "fields");
    const cJSON *field;
    cJSON_ArrayForEach(field, fields) {
        if (strcmp(field->string, "id") == 0) continue;
        if (cJSON_IsArray(wanted)) {
            int keep = 0;
            const cJSON *w;
            cJSON_ArrayForEach(w, wanted) if (cJSON_IsString(w) && strcmp(w->valuestring, field->string) == 0) keep = 1;
            if (!keep) continue;
        }
        cJSON_AddItemToObject(out, field->string, cJSON_Duplicate(field, 1));
    }
    if (cJSON_IsString(modified)) cJSON_AddStringToObject(record, "modified_at", modified->valuestring);
    cJSON_AddBoolToObject(record, "deleted", 0);
    return record;
}

/* The contacts of a list answer ({"total":"…","contacts":{"<id>":{…}}}, or [] when empty), in order. */
static const cJSON *contacts_of(const reply *r) {
    const cJSON *contacts = cJSON_GetObjectItemCaseSensitive(r->json, "contacts");
    return cJSON_IsObject(contacts) ? contacts : NULL;
}

/* GET one list page. */
static reply list(struct crosswalk_instance *self, const char *url, deadline d) {
    return send_request(self, "GET", url, NULL, d);
}

/* ---- operations ---------------------------------------------------------------------------- */

static crosswalk_status example_create(const crosswalk_host_v1 *host, const char *config, size_t len,
                                       crosswalk_instance **instance, crosswalk_buffer_v1 *out) {
    cJSON *settings = config != NULL && len > 0 ? cJSON_ParseWithLength(config, len) : cJSON_CreateObject();
    if (settings == NULL) return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "the connection's settings are not JSON");
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(settings, "base_url");
    const cJSON *page = cJSON_GetObjectItemCaseSensitive(settings, "page_size");
    if (!cJSON_IsString(base) || base->valuestring[0] == '\0') {
        cJSON_Delete(settings);
        return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "the setting base_url is required (the instance's URL)");
    }
    struct crosswalk_instance *self = calloc(1, sizeof *self);
    if (self == NULL) {
        cJSON_Delete(settings);
        return fail(out, CROSSWALK_E_INTERNAL, "out of memory");
    }
    self->host = host;
    self->page_size = cJSON_IsNumber(page) && page->valueint > 0 ? (page->valueint < MAX_PAGE ? page->valueint : MAX_PAGE) : 30;
    /* An optional host service: NULL when the host does not offer it, and the plugin copes. */
    if (host->get_extension != NULL) self->cancel = host->get_extension(host, CROSSWALK_EXT_CANCEL_V1);
    cJSON_Delete(settings);
    *instance = self;
    log_line(host, CROSSWALK_LOG_DEBUG, "Aritic contacts connector instance created");
    return CROSSWALK_OK;
}

static void example_destroy(crosswalk_instance *instance) { free(instance); }

static crosswalk_status example_check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    deadline none = {0};
    reply r = send_request(self, "GET", "/api/contacts?limit=1&minimal=1", NULL, none);
    if (r.status != CROSSWALK_OK) {
        crosswalk_status s = r.status;
        reply_free(&r);
        return fail(out, s, r.message);
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    const cJSON *total = cJSON_GetObjectItemCaseSensitive(r.json, "total");
    char message[1024];
    if (r.http == 200) {
        snprintf(message, sizeof message, "Connected to Aritic PinPoint: %s contacts", cJSON_IsString(total) ? total->valuestring : "?");
    } else if (r.http == 401 || r.http == 403) {
        snprintf(message, sizeof message, "The app refused the credentials (%s); check the user name and password, and that the API and basic auth are enabled in Configuration > API Settings", r.message);
    } else {
        snprintf(message, sizeof message, "%s", r.message);
    }
    cJSON_AddBoolToObject(doc, "ok", r.http == 200);
    cJSON_AddStringToObject(doc, "message", message);
    reply_free(&r);
    give(out, doc);
    return CROSSWALK_OK;
}

/* Mautic field types onto the ABI's closed list. */
static const char *field_type(const char *mautic) {
    static const char *const map[][2] = {
        {"text", "string"}, {"textarea", "text"}, {"email", "email"}, {"tel", "phone"}, {"url", "url"},
        {"number", "number"}, {"boolean", "boolean"}, {"date", "date"}, {"datetime", "datetime"}, {"time", "time"},
        {"select", "picklist"}, {"multiselect", "multipicklist"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) if (strcmp(mautic, map[i][0]) == 0) return map[i][1];
    return "string"; /* lookup, country, region, locale, timezone: text with suggestions */
}

static crosswalk_status example_discover(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    deadline none = {0};
    reply r = send_request(self, "GET", "/api/fields/contact", NULL, none);
    if (r.status != CROSSWALK_OK || r.http != 200) {
        crosswalk_status s = r.status != CROSSWALK_OK ? r.status : status_for_http(r.http);
        reply_free(&r);
        return fail(out, s, r.message);
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON *object = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(doc, "objects"), object);
    cJSON_AddStringToObject(object, "name", "Contact");
    cJSON_AddStringToObject(object, "label", "Contact");
    cJSON_AddBoolToObject(object, "custom", 0);
    cJSON *ops = cJSON_AddArrayToObject(object, "operations");
    const char *const operations[] = {"read", "create", "update", "upsert", "delete"};
    for (size_t i = 0; i < 5; i++) cJSON_AddItemToArray(ops, cJSON_CreateString(operations[i]));
    cJSON *fields = cJSON_AddArrayToObject(object, "fields");
    cJSON *id = cJSON_CreateObject();
    cJSON_AddStringToObject(id, "name", "id");
    cJSON_AddStringToObject(id, "label", "ID");
    cJSON_AddStringToObject(id, "type", "id");
    cJSON_AddBoolToObject(id, "required", 0);
    cJSON_AddBoolToObject(id, "createable", 0);
    cJSON_AddBoolToObject(id, "updateable", 0);
    cJSON_AddBoolToObject(id, "unique", 1);
    cJSON_AddItemToArray(fields, id);
    const cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(r.json, "fields")) {
        const cJSON *alias = cJSON_GetObjectItemCaseSensitive(f, "alias");
        const cJSON *label = cJSON_GetObjectItemCaseSensitive(f, "label");
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(f, "type");
        if (!cJSON_IsString(alias)) continue;
        cJSON *field = cJSON_CreateObject();
        cJSON_AddStringToObject(field, "name", alias->valuestring);
        if (cJSON_IsString(label)) cJSON_AddStringToObject(field, "label", label->valuestring);
        cJSON_AddStringToObject(field, "type", field_type(cJSON_IsString(type) ? type->valuestring : "text"));
        cJSON_AddBoolToObject(field, "required", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isRequired")));
        cJSON_AddBoolToObject(field, "createable", 1);
        cJSON_AddBoolToObject(field, "updateable", 1);
        cJSON_AddBoolToObject(field, "nillable", !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isRequired")));
        cJSON_AddBoolToObject(field, "unique", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isUniqueIdentifier")));
        cJSON_AddBoolToObject(field, "custom", !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, "isFixed")) &&
                                                   cJSON_GetObjectItemCaseSensitive(f, "isFixed") != NULL);
        cJSON_AddItemToArray(fields, field);
    }
    reply_free(&r);
    give(out, doc);
    return CROSSWALK_OK;
}

/*
 * THE CURSOR (our own JSON; the host stores it and hands it back unchanged):
 *   {"v":1, "phase":"new"|"modified", "new_id":N, "mod_t":"<time>", "mod_id":N|null, "upper":"<time>"|null}
 * A run reads in two phases, each ordered so that a position is exact:
 *   "new"      contacts never edited (dateModified is null, as Mautic leaves it until the first
 *              edit), by id: position new_id, exclusive (id > new_id). Ids only grow.
 *   "modified" edited contacts by (dateModified, id): position (mod_t, mod_id), exclusive. A page
 *              first finishes the contacts sharing mod_t (dateModified = mod_t and id > mod_id),
 *              then goes on with dateModified > mod_t, so contacts that share one modification
 *              time across a page boundary are never lost nor repeated. mod_id null means every
 *              contact of mod_t was read.
 * "upper" is the app's clock minus one second, taken when a run starts (from a caught-up cursor):
 * the modified phase reads dateModified <= upper only, so a contact edited while the run pages
 * (its dateModified > upper, since Mautic's times have whole seconds) is left for the next run,
 * never skipped. When the modified phase runs out, the run is caught up: the cursor keeps
 * new_id, sets mod_t = upper, mod_id = null, upper = null, and has_more is false.
 */
typedef struct {
    int modified_phase;
    double new_id;
    char mod_t[40];
    double mod_id; /* < 0: null */
    char upper[40]; /* "": null */
} cursor;

static int parse_cursor(const cJSON *value, cursor *c) {
    memset(c, 0, sizeof *c);
    snprintf(c->mod_t, sizeof c->mod_t, "%s", EPOCH);
    c->mod_id = -1;
    if (value == NULL || cJSON_IsNull(value)) return 1; /* from the beginning */
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(value, "v");
    if (!cJSON_IsNumber(v) || v->valueint != CURSOR_VERSION) return 0;
    const cJSON *phase = cJSON_GetObjectItemCaseSensitive(value, "phase");
    const cJSON *new_id = cJSON_GetObjectItemCaseSensitive(value, "new_id");
    const cJSON *mod_t = cJSON_GetObjectItemCaseSensitive(value, "mod_t");
    const cJSON *mod_id = cJSON_GetObjectItemCaseSensitive(value, "mod_id");
    const cJSON *upper = cJSON_GetObjectItemCaseSensitive(value, "upper");
    if (!cJSON_IsString(phase) || !cJSON_IsNumber(new_id) || !cJSON_IsString(mod_t)) return 0;
    c->modified_phase = strcmp(phase->valuestring, "modified") == 0;
    c->new_id = new_id->valuedouble;
    snprintf(c->mod_t, sizeof c->mod_t, "%s", mod_t->valuestring);
    c->mod_id = cJSON_IsNumber(mod_id) ? mod_id->valuedouble : -1;
    if (cJSON_IsString(upper)) snprintf(c->upper, sizeof c->upper, "%s", upper->valuestring);
    return 1;
}

static cJSON *cursor_json(const cursor *c) {
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "v", CURSOR_VERSION);
    cJSON_AddStringToObject(doc, "phase", c->modified_phase ? "modified" : "new");
    cJSON_AddNumberToObject(doc, "new_id", c->new_id);
    cJSON_AddStringToObject(doc, "mod_t", c->mod_t);
    if (c->mod_id >= 0) cJSON_AddNumberToObject(doc, "mod_id", c->mod_id); else cJSON_AddNullToObject(doc, "mod_id");
    if (c->upper[0] != '\0') cJSON_AddStringToObject(doc, "upper", c->upper); else cJSON_AddNullToObject(doc, "upper");
    return doc;
}

/* The app's "now" minus one second, from the Date header of a cheap request. */
static crosswalk_status app_upper_bound(struct crosswalk_instance *self, deadline d, char *dst, size_t cap, char *why, size_t why_cap) {
    reply r = send_request(self, "GET", "/api/contacts?limit=1&minimal=1&orderBy=id&orderByDir=DESC", NULL, d);
    crosswalk_status s = r.status != CROSSWALK_OK ? r.status : (r.http == 200 ? CROSSWALK_OK : status_for_http(r.http));
    if (s != CROSSWALK_OK) snprintf(why, why_cap, "%s", r.message);
    format_time((r.date != 0 ? r.date : time(NULL)) - 1, dst, cap);
    reply_free(&r);
    return s;
}

/* Adds the contacts of `r` to `records`; updates *last_id and *last_t (the last one's position). */
static void add_contacts(const reply *r, cJSON *records, const cJSON *wanted, double *last_id, char *last_t, size_t cap) {
    const cJSON *contact;
    cJSON_ArrayForEach(contact, contacts_of(r)) {
        cJSON *record = record_from(contact, wanted);
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(contact, "id");
        const cJSON *modified = cJSON_GetObjectItemCaseSensitive(contact, "dateModified");
        if (cJSON_IsNumber(id)) *last_id = id->valuedouble;
        if (last_t != NULL && cJSON_IsString(modified)) snprintf(last_t, cap, "%s", modified->valuestring);
        cJSON_AddItemToArray(records, record);
    }
}

/* Reads by ids: `search=ids:1,2,3`; ids Aritic cannot have (not numbers) are missing at once. */
static crosswalk_status read_ids(struct crosswalk_instance *self, const cJSON *ids, const cJSON *wanted, deadline d, crosswalk_buffer_v1 *out) {
    char list_text[4096] = "";
    size_t used = 0;
    int asked = 0;
    const cJSON *id;
    cJSON_ArrayForEach(id, ids) {
        if (!cJSON_IsString(id) || id->valuestring[0] == '\0' || strspn(id->valuestring, "0123456789") != strlen(id->valuestring)) continue;
        if (used + strlen(id->valuestring) + 2 >= sizeof list_text) return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "too many ids in one read");
        used += (size_t)snprintf(list_text + used, sizeof list_text - used, "%s%s", asked++ ? "," : "", id->valuestring);
    }
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON *records = cJSON_AddArrayToObject(doc, "records");
    if (asked > 0) {
        char search[4200], url[8100];
        snprintf(search, sizeof search, "ids:%s", list_text);
        char encoded[8000];
        encode(search, encoded, sizeof encoded);
        snprintf(url, sizeof url, "/api/contacts?limit=0&minimal=1&search=%s", encoded);
        reply r = list(self, url, d);
        if (r.status != CROSSWALK_OK || r.http != 200) {
            crosswalk_status s = r.status != CROSSWALK_OK ? r.status : status_for_http(r.http);
            cJSON_Delete(doc);
            reply_free(&r);
            return fail(out, s, r.message);
        }
        double ignored = 0;
        add_contacts(&r, records, wanted, &ignored, NULL, 0);
        reply_free(&r);
    }
    cJSON *missing = cJSON_AddArrayToObject(doc, "missing");
    cJSON_ArrayForEach(id, ids) {
        int found = 0;
        const cJSON *record;
        cJSON_ArrayForEach(record, records) {
            const cJSON *rid = cJSON_GetObjectItemCaseSensitive(record, "id");
            if (cJSON_IsString(id) && strcmp(rid->valuestring, id->valuestring) == 0) found = 1;
        }
        if (!found && cJSON_IsString(id)) cJSON_AddItemToArray(missing, cJSON_CreateString(id->valuestring));
    }
    cJSON_AddNullToObject(doc, "next_cursor");
    cJSON_AddBoolToObject(doc, "has_more", 0);
    give(out, doc);
    return CROSSWALK_OK;
}

static crosswalk_status example_read(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    /* `request` is `len` bytes and not NUL-terminated: parse it with its length. */
    cJSON *req = cJSON_ParseWithLength(request, len);
    if (req == NULL) return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "the read request is not JSON");
    const cJSON *object = cJSON_GetObjectItemCaseSensitive(req, "object");
    if (!cJSON_IsString(object) || strcmp(object->valuestring, "Contact") != 0) {
        cJSON_Delete(req);
        return fail(out, CROSSWALK_E_NOT_FOUND, "this connector offers the object Contact only");
    }
    deadline d = deadline_from(req);
    const cJSON *wanted = cJSON_GetObjectItemCaseSensitive(req, "fields");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(req, "ids");
    if (cJSON_IsArray(ids)) {
        crosswalk_status s = read_ids(self, ids, wanted, d, out);
        cJSON_Delete(req);
        return s;
    }
    const cJSON *limit_item = cJSON_GetObjectItemCaseSensitive(req, "limit");
    int limit = cJSON_IsNumber(limit_item) && limit_item->valueint > 0 ? limit_item->valueint : self->page_size;
    if (limit > MAX_PAGE) limit = MAX_PAGE;
    const cJSON *start = cJSON_GetObjectItemCaseSensitive(req, "start");
    cursor c;
    if (!parse_cursor(cJSON_GetObjectItemCaseSensitive(req, "cursor"), &c)) {
        cJSON_Delete(req);
        return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "the cursor is not one this connector wrote");
    }
    char why[512] = "";
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON *records = cJSON_AddArrayToObject(doc, "records");
    int has_more = 0;

    if (cJSON_IsString(start) && strcmp(start->valuestring, "now") == 0) {
        /* A head cursor: the newest id, and now as the modified position. */
        reply r = list(self, "/api/contacts?limit=1&minimal=1&orderBy=id&orderByDir=DESC", d);
        crosswalk_status s = r.status != CROSSWALK_OK ? r.status : (r.http == 200 ? CROSSWALK_OK : status_for_http(r.http));
        if (s != CROSSWALK_OK) {
            cJSON_Delete(doc);
            cJSON_Delete(req);
            crosswalk_status failed = fail(out, s, r.message);
            reply_free(&r);
            return failed;
        }
        cJSON *scratch = cJSON_CreateArray();
        add_contacts(&r, scratch, NULL, &c.new_id, NULL, 0);
        cJSON_Delete(scratch);
        format_time((r.date != 0 ? r.date : time(NULL)) - 1, c.mod_t, sizeof c.mod_t);
        reply_free(&r);
        c.modified_phase = 0;
        c.mod_id = -1;
        c.upper[0] = '\0';
    } else {
        if (c.upper[0] == '\0') {
            /* A run starts: take its upper bound from the app's clock. */
            crosswalk_status s = app_upper_bound(self, d, c.upper, sizeof c.upper, why, sizeof why);
            if (s != CROSSWALK_OK) {
                cJSON_Delete(doc);
                cJSON_Delete(req);
                return fail(out, s, why);
            }
            c.modified_phase = 0;
        }
        char url[2048], value[64];
        if (!c.modified_phase) {
            snprintf(url, sizeof url, "/api/contacts?limit=%d&minimal=1&orderBy=id&orderByDir=ASC", limit);
            snprintf(value, sizeof value, "%.0f", c.new_id);
            add_where(url, sizeof url, 0, "id", "gt", value);
            add_where(url, sizeof url, 1, "date_modified", "isnull", NULL);
            reply r = list(self, url, d);
            if (r.status != CROSSWALK_OK || r.http != 200) {
                crosswalk_status s = r.status != CROSSWALK_OK ? r.status : status_for_http(r.http);
                cJSON_Delete(doc);
                cJSON_Delete(req);
                crosswalk_status failed = fail(out, s, r.message);
                reply_free(&r);
                return failed;
            }
            add_contacts(&r, records, wanted, &c.new_id, NULL, 0);
            reply_free(&r);
            /* A short page ends the phase; the next call reads the edited contacts. */
            if (cJSON_GetArraySize(records) < limit) c.modified_phase = 1;
            has_more = 1;
        } else {
            int got = 0;
            if (c.mod_id >= 0) {
                /* Finish the contacts that share mod_t. */
                snprintf(url, sizeof url, "/api/contacts?limit=%d&minimal=1&orderBy=id&orderByDir=ASC", limit);
                add_where(url, sizeof url, 0, "date_modified", "eq", c.mod_t);
                snprintf(value, sizeof value, "%.0f", c.mod_id);
                add_where(url, sizeof url, 1, "id", "gt", value);
                reply r = list(self, url, d);
                if (r.status != CROSSWALK_OK || r.http != 200) {
                    crosswalk_status s = r.status != CROSSWALK_OK ? r.status : status_for_http(r.http);
                    cJSON_Delete(doc);
                    cJSON_Delete(req);
                    crosswalk_status failed = fail(out, s, r.message);
                    reply_free(&r);
                    return failed;
                }
                add_contacts(&r, records, wanted, &c.mod_id, NULL, 0);
                reply_free(&r);
                got = cJSON_GetArraySize(records);
            }
            if (got < limit) {
                snprintf(url, sizeof url, "/api/contacts?limit=%d&minimal=1&orderBy=date_modified,id&orderByDir=ASC", limit - got);
                add_where(url, sizeof url, 0, "date_modified", "gt", c.mod_t);
                add_where(url, sizeof url, 1, "date_modified", "lte", c.upper);
                reply r = list(self, url, d);
                if (r.status != CROSSWALK_OK || r.http != 200) {
                    crosswalk_status s = r.status != CROSSWALK_OK ? r.status : status_for_http(r.http);
                    cJSON_Delete(doc);
                    cJSON_Delete(req);
                    crosswalk_status failed = fail(out, s, r.message);
                    reply_free(&r);
                    return failed;
                }
                int before = cJSON_GetArraySize(records);
                add_contacts(&r, records, wanted, &c.mod_id, c.mod_t, sizeof c.mod_t);
                int added = cJSON_GetArraySize(records) - before;
                reply_free(&r);
                got += added;
                if (added < limit - (got - added)) {
                    /* Caught up: every contact edited up to `upper` was read. */
                    snprintf(c.mod_t, sizeof c.mod_t, "%s", c.upper);
                    c.mod_id = -1;
                    c.upper[0] = '\0';
                    c.modified_phase = 0;
                }
            }
            has_more = c.upper[0] != '\0';
        }
    }
    cJSON_AddItemToObject(doc, "next_cursor", cursor_json(&c));
    cJSON_AddBoolToObject(doc, "has_more", has_more);
    cJSON_AddStringToObject(doc, "filter_applied", "none");
    cJSON_Delete(req);
    give(out, doc);
    return CROSSWALK_OK;
}

/* One record's result. `error_code` NULL means success with `outcome`. */
static cJSON *result(const char *ref, const char *id, const char *outcome, const char *error_code, const char *message,
                     int retryable, long retry_after_ms, const cJSON *fields) {
    cJSON *r = cJSON_CreateObject();
    cJSON_AddStringToObject(r, "ref", ref);
    cJSON_AddBoolToObject(r, "ok", error_code == NULL);
    if (id != NULL) cJSON_AddStringToObject(r, "id", id);
    if (error_code == NULL) cJSON_AddBoolToObject(r, "created", strcmp(outcome, "created") == 0);
    cJSON_AddStringToObject(r, "outcome", outcome);
    if (error_code != NULL) {
        cJSON *e = cJSON_AddObjectToObject(r, "error");
        cJSON_AddStringToObject(e, "code", error_code);
        cJSON_AddStringToObject(e, "message", message);
        cJSON_AddBoolToObject(e, "retryable", retryable);
        if (retry_after_ms > 0) cJSON_AddNumberToObject(e, "retry_after_ms", (double)retry_after_ms);
        if (fields != NULL && cJSON_GetArraySize(fields) > 0) cJSON_AddItemToObject(e, "fields", cJSON_Duplicate(fields, 1));
    }
    return r;
}

/* The offending fields of a Mautic validation error: the keys of errors[0].details. */
static cJSON *offending_fields(const reply *r) {
    cJSON *fields = cJSON_CreateArray();
    const cJSON *errors = cJSON_GetObjectItemCaseSensitive(r->json, "errors");
    const cJSON *details = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(errors, 0), "details");
    const cJSON *d;
    cJSON_ArrayForEach(d, details) if (d->string != NULL) cJSON_AddItemToArray(fields, cJSON_CreateString(d->string));
    return fields;
}

/* Writes one record and answers its result. */
static cJSON *write_one(struct crosswalk_instance *self, const char *operation, const cJSON *item, deadline d) {
    const cJSON *ref = cJSON_GetObjectItemCaseSensitive(item, "ref");
    const char *ref_text = cJSON_IsString(ref) ? ref->valuestring : "";
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
    const cJSON *fields = cJSON_GetObjectItemCaseSensitive(item, "fields");
    int creates = strcmp(operation, "create") == 0 || strcmp(operation, "upsert") == 0;
    char url[512];
    const char *method;
    if (creates) {
        if (strcmp(operation, "upsert") == 0 && !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(fields, "email"))) {
            cJSON *f = cJSON_CreateArray();
            cJSON_AddItemToArray(f, cJSON_CreateString("email"));
            cJSON *r = result(ref_text, NULL, "failed", "invalid_argument", "an upsert matches on email, and this record has none", 0, 0, f);
            cJSON_Delete(f);
            return r;
        }
        method = "POST";
        snprintf(url, sizeof url, "/api/contacts/new");
    } else {
        if (!cJSON_IsString(id) || id->valuestring[0] == '\0' || strspn(id->valuestring, "0123456789") != strlen(id->valuestring))
            return result(ref_text, NULL, "failed", "invalid_argument", "an update or delete needs the contact's numeric id", 0, 0, NULL);
        method = strcmp(operation, "delete") == 0 ? "DELETE" : "PATCH";
        snprintf(url, sizeof url, strcmp(operation, "delete") == 0 ? "/api/contacts/%s/delete" : "/api/contacts/%s/edit", id->valuestring);
    }
    reply r = send_request(self, method, url, strcmp(method, "DELETE") == 0 ? NULL : fields, d);
    cJSON *answer;
    if (r.status != CROSSWALK_OK) {
        /* No answer: a create may or may not exist now ("unknown"); the host finds out before writing it again. */
        int sent = r.status == CROSSWALK_E_TIMEOUT || r.status == CROSSWALK_E_UNAVAILABLE;
        answer = result(ref_text, NULL, creates && sent ? "unknown" : "failed", status_code(r.status), r.message,
                        CROSSWALK_STATUS_IS_RETRYABLE(r.status) || r.status == CROSSWALK_E_CANCELLED, 0, NULL);
    } else if (r.http == 200 || r.http == 201) {
        const cJSON *contact = cJSON_GetObjectItemCaseSensitive(r.json, "contact");
        const cJSON *new_id = cJSON_GetObjectItemCaseSensitive(contact, "id");
        char id_text[32] = "";
        if (cJSON_IsNumber(new_id)) snprintf(id_text, sizeof id_text, "%.0f", new_id->valuedouble);
        else if (cJSON_IsString(id)) snprintf(id_text, sizeof id_text, "%s", id->valuestring); /* a deleted contact comes back with id null */
        const char *outcome = strcmp(method, "DELETE") == 0 ? "deleted" : (r.http == 201 ? "created" : "updated");
        answer = result(ref_text, id_text, outcome, NULL, NULL, 0, 0, NULL);
    } else {
        cJSON *offending = offending_fields(&r);
        crosswalk_status s = status_for_http(r.http);
        answer = result(ref_text, NULL, "failed", status_code(s), r.message, CROSSWALK_STATUS_IS_RETRYABLE(s), r.retry_after_ms, offending);
        cJSON_Delete(offending);
    }
    reply_free(&r);
    return answer;
}

static crosswalk_status example_write(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    cJSON *req = cJSON_ParseWithLength(request, len);
    if (req == NULL) return fail(out, CROSSWALK_E_INVALID_ARGUMENT, "the write request is not JSON");
    const cJSON *object = cJSON_GetObjectItemCaseSensitive(req, "object");
    const cJSON *operation = cJSON_GetObjectItemCaseSensitive(req, "operation");
    const cJSON *match_key = cJSON_GetObjectItemCaseSensitive(req, "match_key");
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(req, "records");
    crosswalk_status refused = CROSSWALK_OK;
    const char *why = NULL;
    if (!cJSON_IsString(object) || strcmp(object->valuestring, "Contact") != 0) {
        refused = CROSSWALK_E_NOT_FOUND;
        why = "this connector offers the object Contact only";
    } else if (!cJSON_IsString(operation) || (strcmp(operation->valuestring, "create") != 0 && strcmp(operation->valuestring, "update") != 0 &&
                                               strcmp(operation->valuestring, "upsert") != 0 && strcmp(operation->valuestring, "delete") != 0)) {
        refused = CROSSWALK_E_INVALID_ARGUMENT;
        why = "operation must be create, update, upsert or delete";
    } else if (cJSON_IsString(match_key) && strcasecmp(match_key->valuestring, "email") != 0) {
        refused = CROSSWALK_E_UNSUPPORTED;
        why = "an upsert matches on email only (Aritic's duplicate check)";
    } else if (!cJSON_IsArray(items)) {
        refused = CROSSWALK_E_INVALID_ARGUMENT;
        why = "records must be an array";
    } else if (cancelled(self)) {
        refused = CROSSWALK_E_CANCELLED;
        why = "the host cancelled the call";
    }
    if (refused != CROSSWALK_OK) {
        cJSON_Delete(req);
        return fail(out, refused, why);
    }
    deadline d = deadline_from(req);
    cJSON *doc = cJSON_CreateObject();
    cJSON_AddNumberToObject(doc, "version", 1);
    cJSON *results = cJSON_AddArrayToObject(doc, "results");
    const cJSON *item;
    cJSON_ArrayForEach(item, items) {
        /* One result per record, whatever happens: a batch cut short reports the rest as not written. */
        cJSON_AddItemToArray(results, write_one(self, operation->valuestring, item, d));
    }
    cJSON_Delete(req);
    give(out, doc);
    return CROSSWALK_OK;
}

/* ---- the descriptor and the one exported symbol ------------------------------------------ */

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1),
    .abi_major = CROSSWALK_ABI_MAJOR,
    .abi_minor = CROSSWALK_ABI_MINOR,
    .id = "dev.crosswalk.example.c",
    .name = "Aritic PinPoint contacts (C example)",
    .version = "2.0.0",
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
    log_line(host, CROSSWALK_LOG_DEBUG, "Aritic contacts connector (C) loaded");
    return &DESCRIPTOR;
}
