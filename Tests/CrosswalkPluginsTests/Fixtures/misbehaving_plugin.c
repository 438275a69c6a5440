/* A plugin that misbehaves on request, for the isolation tests (written for this repository).
 *
 * Build-time (-D) behaviours of the entry: CRASH_IN_ENTRY (SIGSEGV), HANG_IN_ENTRY (never returns).
 * Per instance, the connection settings choose what each operation does:
 *   {"check":"ok"|"crash"|"hang"|"cooperative"|"status42"|"status150"|"cancelled_http"|"facts"|"stale",
 *    "read":"ok"|"crash"|"exit"|"huge"|"null_data"|"bad_utf8"|"bad_json"|"slow"|"echo_deadline",
 *    "remember_host":true}
 * "cooperative" waits through crosswalk.cancel/1 until the host cancels the call; "cancelled_http"
 * calls host->http until it answers CROSSWALK_E_CANCELLED; "facts" returns crosswalk.connection/1's
 * document as its details; "slow" sleeps 30 s (through cancel/1), long enough to be killed mid-call on a loaded machine.
 * With "remember_host", destroy keeps the host table; a later instance's check with "stale" calls
 * services with that stale table and with a copy of its own (a table that is not the host's). */
#include "crosswalk.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char MANIFEST[] =
    "{\"version\":1,\"objects\":[{\"name\":\"Thing\",\"operations\":[\"read\"]}],"
    "\"auth\":{\"scheme\":\"none\"},\"capabilities\":[\"crosswalk.read/1\"]}";

struct crosswalk_instance {
    const crosswalk_host_v1 *host;
    char check[32];
    char read[32];
    int remember;
};

static const crosswalk_host_v1 *stale_host = NULL;

static void release_text(crosswalk_buffer_v1 *b) { free((void *)b->data); b->data = NULL; b->len = 0; }
static void release_nothing(crosswalk_buffer_v1 *b) { (void)b; }

static crosswalk_status give(crosswalk_buffer_v1 *out, const char *text) {
    out->data = strdup(text);
    out->len = strlen(text);
    out->release = release_text;
    return CROSSWALK_OK;
}

static void setting(const char *config, size_t len, const char *key, char *dst, size_t cap) {
    char pattern[64], *copy = strndup(config ? config : "", config ? len : 0);
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    char *at = strstr(copy, pattern);
    strcpy(dst, "ok");
    if (at) {
        at += strlen(pattern);
        char *end = strchr(at, '"');
        if (end && (size_t)(end - at) < cap) { memcpy(dst, at, (size_t)(end - at)); dst[end - at] = 0; }
    }
    free(copy);
}

static void crash(void) { volatile int *p = NULL; *p = 42; }

static crosswalk_status create(const crosswalk_host_v1 *host, const char *config, size_t len, crosswalk_instance **out, crosswalk_buffer_v1 *e) {
    struct crosswalk_instance *self = calloc(1, sizeof *self);
    self->host = host;
    setting(config, len, "check", self->check, sizeof self->check);
    setting(config, len, "read", self->read, sizeof self->read);
    self->remember = config && len && strstr(config, "\"remember_host\":true") != NULL;
    *out = self;
    /* On success the host releases and ignores what create writes (ABI 1.1). */
    give(e, "{\"version\":1,\"note\":\"ignored\"}");
    return CROSSWALK_OK;
}

static void destroy(crosswalk_instance *self) {
    if (self->remember) stale_host = self->host;
    free(self);
}

static const crosswalk_host_cancel_v1 *cancel_ext(const crosswalk_host_v1 *host) {
    return host->get_extension ? host->get_extension(host, CROSSWALK_EXT_CANCEL_V1) : NULL;
}

static crosswalk_status stale_check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    crosswalk_status http_stale = -1, http_foreign = -1, state_stale = -1;
    const void *ext_stale = (const void *)1;
    crosswalk_http_request_v1 request = {.struct_size = sizeof request, .method = "GET", .url = "/x"};
    crosswalk_http_response_v1 response = {.struct_size = sizeof response};
    crosswalk_buffer_v1 error = {.struct_size = sizeof error};
    if (stale_host) {
        http_stale = stale_host->http(stale_host, &request, &response, &error);
        stale_host->log(stale_host, CROSSWALK_LOG_ERROR, "after destroy", 13);
        ext_stale = stale_host->get_extension(stale_host, CROSSWALK_EXT_STATE_V1);
        const crosswalk_host_state_v1 *state = self->host->get_extension(self->host, CROSSWALK_EXT_STATE_V1);
        if (state) state_stale = state->put(stale_host, "k", "v", 1);
    }
    crosswalk_host_v1 foreign = *self->host; /* a copy: not a table the host handed out */
    http_foreign = foreign.http(&foreign, &request, &response, &error);
    char text[256];
    snprintf(text, sizeof text, "{\"version\":1,\"ok\":true,\"message\":\"stale http=%d ext=%s state=%d foreign http=%d\"}",
             http_stale, ext_stale == NULL ? "null" : "set", state_stale, http_foreign);
    return give(out, text);
}

static crosswalk_status check(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    const crosswalk_host_cancel_v1 *cancel = cancel_ext(self->host);
    if (strcmp(self->check, "crash") == 0) crash();
    if (strcmp(self->check, "hang") == 0) for (;;) pause();
    if (strcmp(self->check, "stale") == 0) return stale_check(self, out);
    if (strcmp(self->check, "facts") == 0) {
        const crosswalk_host_connection_v1 *c = self->host->get_extension(self->host, CROSSWALK_EXT_CONNECTION_V1);
        if (c == NULL) return give(out, "{\"version\":1,\"ok\":false,\"message\":\"no connection facts\"}");
        crosswalk_buffer_v1 facts = {.struct_size = sizeof facts};
        crosswalk_status s = c->facts(self->host, &facts);
        char *text = malloc(facts.len + 128);
        sprintf(text, "{\"version\":1,\"ok\":true,\"message\":\"facts %d\",\"details\":%.*s}", s, (int)facts.len, facts.data ? facts.data : "null");
        if (facts.release) facts.release(&facts);
        give(out, text);
        free(text);
        return CROSSWALK_OK;
    }
    if (strcmp(self->check, "status42") == 0) { give(out, "{\"version\":1,\"code\":\"odd\",\"message\":\"odd status\"}"); return 42; }
    if (strcmp(self->check, "status150") == 0) { give(out, "{\"code\":\"busy\",\"message\":\"try later\"}"); return 150; }
    if (strcmp(self->check, "cooperative") == 0) {
        if (cancel == NULL) return give(out, "{\"version\":1,\"ok\":false,\"message\":\"no cancel extension\"}");
        self->host->log(self->host, CROSSWALK_LOG_INFO, "cooperative check started", 25);
        while (!cancel->is_cancelled(self->host)) {
            if (cancel->sleep(self->host, 60000) == CROSSWALK_E_CANCELLED) break;
        }
        self->host->log(self->host, CROSSWALK_LOG_WARN, "cooperative check saw the cancellation", 38);
        return CROSSWALK_E_CANCELLED;
    }
    if (strcmp(self->check, "cancelled_http") == 0) {
        crosswalk_http_request_v1 request = {.struct_size = sizeof request, .method = "GET", .url = "/poll"};
        for (int i = 0; i < 100000; i++) {
            crosswalk_http_response_v1 response = {.struct_size = sizeof response};
            crosswalk_buffer_v1 error = {.struct_size = sizeof error};
            crosswalk_status s = self->host->http(self->host, &request, &response, &error);
            if (s == CROSSWALK_OK) { response.release(&response); continue; }
            if (error.release) error.release(&error);
            if (s == CROSSWALK_E_CANCELLED) {
                self->host->log(self->host, CROSSWALK_LOG_WARN, "http answered cancelled", 23);
                return CROSSWALK_E_CANCELLED;
            }
            return s;
        }
        return CROSSWALK_E_INTERNAL;
    }
    return give(out, "{\"version\":1,\"ok\":true,\"message\":\"fine\"}");
}

static crosswalk_status discover(crosswalk_instance *self, crosswalk_buffer_v1 *out) {
    (void)self;
    return give(out, "{\"version\":1,\"objects\":[{\"name\":\"Thing\",\"fields\":[{\"name\":\"n\",\"type\":\"integer\"}]}]}");
}

static crosswalk_status read_op(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    if (strcmp(self->read, "crash") == 0) crash();
    if (strcmp(self->read, "exit") == 0) exit(3);
    if (strcmp(self->read, "huge") == 0) {
        size_t size = 100u << 20; /* 100 MiB, never touched: the host must not copy it */
        out->data = malloc(size);
        out->len = size;
        out->release = release_text;
        return CROSSWALK_OK;
    }
    if (strcmp(self->read, "null_data") == 0) { out->data = NULL; out->len = 12; out->release = release_nothing; return CROSSWALK_OK; }
    if (strcmp(self->read, "bad_utf8") == 0) return give(out, "{\"version\":1,\"records\":[],\"next_cursor\":\"\xff\xfe\",\"has_more\":false}");
    if (strcmp(self->read, "bad_json") == 0) return give(out, "{\"version\":1,\"records\":[");
    if (strcmp(self->read, "slow") == 0) {
        const crosswalk_host_cancel_v1 *cancel = cancel_ext(self->host);
        self->host->log(self->host, CROSSWALK_LOG_INFO, "slow read started", 17);
        if (cancel) cancel->sleep(self->host, 30000); else usleep(30000000);
    }
    if (strcmp(self->read, "echo_deadline") == 0) {
        char *copy = strndup(request, len), *at = strstr(copy, "\"deadline_ms\":");
        long ms = at ? strtol(at + 14, NULL, 10) : -1;
        free(copy);
        char text[160];
        snprintf(text, sizeof text, "{\"version\":1,\"records\":[],\"next_cursor\":%ld,\"has_more\":false}", ms);
        return give(out, text);
    }
    return give(out, "{\"version\":1,\"records\":[{\"object\":\"Thing\",\"id\":\"t1\",\"fields\":{\"n\":1}}],\"next_cursor\":1,\"has_more\":false}");
}

static crosswalk_status write_op(crosswalk_instance *self, const char *request, size_t len, crosswalk_buffer_v1 *out) {
    (void)self; (void)request; (void)len;
    return give(out, "{\"version\":1,\"results\":[]}");
}

static const crosswalk_plugin_v1 DESCRIPTOR = {
    .struct_size = sizeof(crosswalk_plugin_v1), .abi_major = CROSSWALK_ABI_MAJOR, .abi_minor = CROSSWALK_ABI_MINOR,
#ifdef PLUGIN_ID
    .id = PLUGIN_ID,
#else
    .id = "com.example.bad",
#endif
    .name = "Misbehaving", .version = "1.0.0", .vendor = "tests",
    .manifest_json = MANIFEST, .create = create, .destroy = destroy, .check = check, .discover = discover,
    .read = read_op, .write = write_op,
};

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host) {
    (void)host;
#ifdef CRASH_IN_ENTRY
    crash();
#endif
#ifdef HANG_IN_ENTRY
    for (;;) pause();
#endif
    return &DESCRIPTOR;
}
