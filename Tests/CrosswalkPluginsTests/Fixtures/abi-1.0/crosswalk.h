/*
 * crosswalk.h — the Crosswalk connector plugin ABI, version 1.
 *
 * This header is the whole contract between the Crosswalk host and a connector plugin. A plugin is
 * a shared object (.so) that exports exactly one symbol, `crosswalk_plugin_entry`. Read this file
 * top to bottom once; sdk/README.md walks through a complete connector.
 *
 * ---------------------------------------------------------------------------------------------
 * Rules that hold for every function and struct below
 * ---------------------------------------------------------------------------------------------
 * VERSIONING
 *   - Every struct starts with `struct_size` (sizeof the struct as the side that filled it knew it)
 *     and most with `abi_major`/`abi_minor`. Structs only ever grow at the end. A reader uses a
 *     field only when `struct_size` covers it (CROSSWALK_HAS_FIELD).
 *   - The host refuses a plugin whose `abi_major` differs from its own. A higher `abi_minor` on
 *     either side is fine: the newer side does not rely on fields the older one lacks.
 *   - A struct's name carries its version (`crosswalk_host_v1`). A changed layout gets a new name
 *     (`crosswalk_host_v2`); the old name never grows in place in a way that breaks readers.
 *   - Optional services are found by a versioned string id through `get_extension`
 *     ("crosswalk.idmap/1"). An unknown id returns NULL; it never crashes.
 *
 * OWNERSHIP AND LIFETIME
 *   - Inputs (`const` pointers handed to a function) are BORROWED for the duration of the call.
 *     Copy anything you need afterwards.
 *   - Outputs are owned by the side that produced them and released by calling the `release`
 *     function that travels with them (crosswalk_buffer_v1, crosswalk_http_response_v1). Nothing
 *     is ever freed with the other side's allocator.
 *   - Strings are UTF-8. `const char *` fields in descriptors are NUL-terminated. Data passed with
 *     an explicit length (`data`, `len`) need not be NUL-terminated.
 *   - The plugin descriptor and everything it points to must stay valid for the life of the
 *     process. The host never unloads a plugin (it never calls dlclose).
 *
 * ERRORS
 *   - Nothing unwinds across the boundary: no C++ exceptions, no Swift errors, no longjmp.
 *   - Every operation returns a crosswalk_status. On failure it may fill its `out` buffer with an
 *     error JSON object: {"code":"rate_limited","message":"…","retry_after_ms":2000,"details":{…}}.
 *     `code` is the stable string of the status (see below); `message` is for a person.
 *   - A status the host does not know is treated as CROSSWALK_E_INTERNAL.
 *
 * THREADS
 *   - `crosswalk_plugin_entry` is called once, on the loading thread, before anything else.
 *   - Calls into ONE instance are never concurrent: the host serialises them. Calls into
 *     DIFFERENT instances of the same plugin may run at the same time on different threads, so
 *     plugin-wide state must be thread-safe (or absent).
 *   - The host calls plugins on threads it owns (never inside an event loop), so a plugin may
 *     block, for example inside `host->http`. Throughput comes from batches and from several
 *     instances, not from threads inside a plugin.
 *   - Host services may be called from inside any plugin call, on the thread of that call. They
 *     must not be called from threads the plugin started itself, nor after `destroy` returned.
 *
 * DOMAIN DATA
 *   - Records, schemas, cursors, webhook payloads and results are UTF-8 JSON, carried in batches
 *     so that one crossing moves hundreds of records. Each JSON document the host sends carries
 *     "version": 1; plugins should send it too.
 *   - The canonical record: {"object":"Contact","id":"<app id>","fields":{…},
 *     "modified_at":"<RFC 3339>","deleted":false}. Field names are the app's own.
 */
#ifndef CROSSWALK_H
#define CROSSWALK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------------- */
/* Versions and export                                                                          */
/* ------------------------------------------------------------------------------------------- */

/** The ABI this header describes. */
#define CROSSWALK_ABI_MAJOR 1
#define CROSSWALK_ABI_MINOR 0

/** Name of the one symbol a plugin exports. */
#define CROSSWALK_ENTRY_SYMBOL "crosswalk_plugin_entry"

/** Marks the entry function as the plugin's only exported symbol (build with -fvisibility=hidden). */
#if defined(__GNUC__) || defined(__clang__)
#define CROSSWALK_EXPORT __attribute__((visibility("default")))
#else
#define CROSSWALK_EXPORT
#endif

/** True when a struct filled by the other side is large enough to contain `field`. */
#define CROSSWALK_HAS_FIELD(ptr, type, field) \
    ((ptr) != NULL && (ptr)->struct_size >= offsetof(type, field) + sizeof(((type *)0)->field))

/**
 * The Swift compiler that built this translation unit, as MMmmpp (6.3.1 -> 60301), or 0 when the
 * header is compiled by a C compiler. Swift has no stable ABI on Linux: a plugin written in Swift
 * must be built by the same toolchain as the host, and reports this value in its descriptor.
 * (The Swift compiler's Clang importer defines __swift__ to the compiler version.)
 */
#ifdef __swift__
#define CROSSWALK_SWIFT_VERSION __swift__
#else
#define CROSSWALK_SWIFT_VERSION 0
#endif

/** The value of CROSSWALK_SWIFT_VERSION where this header was compiled (callable from Swift). */
static inline uint32_t crosswalk_swift_version(void) { return (uint32_t)CROSSWALK_SWIFT_VERSION; }

/* ------------------------------------------------------------------------------------------- */
/* Status codes                                                                                 */
/* ------------------------------------------------------------------------------------------- */

/**
 * Result of every operation. Codes 100..199 are RETRYABLE: the same call may succeed later
 * (the host retries with backoff, honouring "retry_after_ms" in the error JSON).
 * The string in parentheses is the "code" of the error JSON and of the host's logs and admin API.
 */
typedef int32_t crosswalk_status;
#define CROSSWALK_OK                 0   /* ("ok") success; `out` holds the result                    */
#define CROSSWALK_E_INVALID_ARGUMENT 1   /* ("invalid_argument") malformed request JSON or config      */
#define CROSSWALK_E_NOT_FOUND        2   /* ("not_found") unknown object, record or endpoint           */
#define CROSSWALK_E_AUTH             3   /* ("auth") the app refused the credentials (after refresh)   */
#define CROSSWALK_E_UNSUPPORTED      4   /* ("unsupported") operation or object not offered            */
#define CROSSWALK_E_CONFLICT         5   /* ("conflict") duplicate, version conflict, validation error */
#define CROSSWALK_E_INTERNAL         6   /* ("internal") a bug or an unexpected answer                 */
#define CROSSWALK_E_RATE_LIMITED     100 /* ("rate_limited") the app throttled us: retry later         */
#define CROSSWALK_E_TIMEOUT          101 /* ("timeout") no answer in time: retry                      */
#define CROSSWALK_E_UNAVAILABLE      102 /* ("unavailable") 5xx, connection refused: retry            */

/** Whether a status is worth retrying. */
#define CROSSWALK_STATUS_IS_RETRYABLE(s) ((s) >= 100 && (s) < 200)

/** Log levels for crosswalk_host_v1.log. */
#define CROSSWALK_LOG_TRACE 0
#define CROSSWALK_LOG_DEBUG 1
#define CROSSWALK_LOG_INFO  2
#define CROSSWALK_LOG_WARN  3
#define CROSSWALK_LOG_ERROR 4

/* ------------------------------------------------------------------------------------------- */
/* Buffers: bytes handed from one side to the other                                             */
/* ------------------------------------------------------------------------------------------- */

/**
 * Bytes produced by one side for the other (usually UTF-8 JSON).
 *
 * The CALLER provides a zeroed crosswalk_buffer_v1 (with struct_size set) as `out`. The CALLEE may
 * fill `data`/`len` and MUST then set `release` if the memory needs freeing. The caller reads the
 * bytes, then calls `out->release(out)` exactly once if `release` is not NULL, on any thread.
 * `data` stays valid until then. `release_ctx` is free for the callee's use.
 */
typedef struct crosswalk_buffer_v1 {
    uint32_t struct_size;                                   /* sizeof(crosswalk_buffer_v1)        */
    const char *data;                                       /* owned by the callee                */
    size_t len;                                             /* bytes at data, no NUL required      */
    void (*release)(struct crosswalk_buffer_v1 *buffer);    /* frees data; may be NULL            */
    void *release_ctx;                                      /* callee's bookkeeping               */
} crosswalk_buffer_v1;

/* ------------------------------------------------------------------------------------------- */
/* HTTP through the host                                                                        */
/* ------------------------------------------------------------------------------------------- */

/** One header line. Both strings are NUL-terminated and owned by whoever owns the array. */
typedef struct crosswalk_header_v1 {
    const char *name;
    const char *value;
} crosswalk_header_v1;

/**
 * A request a plugin asks the host to send. Everything here is BORROWED by the host for the call.
 *
 * `url` is either absolute ("https://…") or a path ("/services/data/v60.0/query?q=…"), which the
 * host resolves against the connection's base URL (setting "base_url"). The host adds
 * authentication (OAuth bearer, NetSuite TBA signature, API key, basic auth), a User-Agent,
 * retries retryable failures, applies the connection's rate and concurrency limits, and logs the
 * request with secrets redacted. A plugin never sets Authorization: the host removes it.
 */
typedef struct crosswalk_http_request_v1 {
    uint32_t struct_size;                     /* sizeof(crosswalk_http_request_v1)                */
    const char *method;                       /* "GET", "POST", "PATCH", "PUT", "DELETE"          */
    const char *url;                          /* absolute URL or path, NUL-terminated             */
    const crosswalk_header_v1 *headers;       /* may be NULL when header_count is 0               */
    size_t header_count;
    const uint8_t *body;                      /* may be NULL when body_len is 0                   */
    size_t body_len;
    uint32_t timeout_ms;                      /* 0: the connection's default                      */
    uint32_t flags;                           /* CROSSWALK_HTTP_* below                            */
} crosswalk_http_request_v1;

/** The request is safe to repeat even though its method is not idempotent (e.g. a POST query). */
#define CROSSWALK_HTTP_IDEMPOTENT 1

/**
 * The host's answer. The host fills it; the plugin reads it and calls `release(response)` once.
 * Any HTTP status (including 4xx/5xx after the host's retries) is a CROSSWALK_OK call; a status
 * code is returned only when no response arrived (timeout, refused, auth could not be obtained).
 */
typedef struct crosswalk_http_response_v1 {
    uint32_t struct_size;                     /* sizeof(crosswalk_http_response_v1)               */
    int32_t status;                           /* HTTP status, e.g. 200                             */
    const crosswalk_header_v1 *headers;       /* owned by the host; names lower-case              */
    size_t header_count;
    const uint8_t *body;                      /* owned by the host, already decompressed          */
    size_t body_len;
    void (*release)(struct crosswalk_http_response_v1 *response); /* set by the host; call once    */
    void *release_ctx;                        /* host's bookkeeping                               */
} crosswalk_http_response_v1;

/* ------------------------------------------------------------------------------------------- */
/* Host services given to plugins                                                               */
/* ------------------------------------------------------------------------------------------- */

/**
 * The host's service table.
 *
 * The host hands one table to `crosswalk_plugin_entry` (process-wide: `log` and `get_extension`
 * work, `http` answers CROSSWALK_E_UNSUPPORTED since there is no connection) and one table per
 * instance to `create` (bound to that instance's connection). Both are owned by the host. The
 * process-wide table lives forever; an instance's table lives until that instance's `destroy`
 * returns. Pass the table you were given back as the first argument of each service.
 */
typedef struct crosswalk_host_v1 {
    uint32_t struct_size;                     /* sizeof(crosswalk_host_v1)                        */
    uint16_t abi_major;                       /* CROSSWALK_ABI_MAJOR of the host                  */
    uint16_t abi_minor;
    const char *host_version;                 /* e.g. "0.1.0"                                      */
    void *host_ctx;                           /* the host's; plugins must not touch it             */

    /**
     * Writes a log line through the host, which adds plugin, instance, flow and run metadata.
     * `message` is borrowed, `len` bytes, need not be NUL-terminated. Any thread of a plugin call.
     */
    void (*log)(const struct crosswalk_host_v1 *host, int32_t level, const char *message, size_t len);

    /**
     * Sends an HTTP request on behalf of the instance's connection (see crosswalk_http_request_v1).
     * `request` is borrowed. On CROSSWALK_OK the host has filled `response` (the caller provides it
     * with struct_size set) and the caller must call `response->release(response)`. On another
     * status `response` is untouched, and `error` (may be NULL) receives an error JSON buffer to
     * release. Blocks the calling thread until the response (or the last retry) arrives.
     */
    crosswalk_status (*http)(const struct crosswalk_host_v1 *host,
                             const crosswalk_http_request_v1 *request,
                             crosswalk_http_response_v1 *response,
                             crosswalk_buffer_v1 *error);

    /**
     * Looks up an optional host service by id, e.g. "crosswalk.idmap/1" or "crosswalk.state/1".
     * Returns a pointer to that service's struct, owned by the host, valid as long as this table;
     * NULL when the host does not offer it. `id` is borrowed.
     */
    const void *(*get_extension)(const struct crosswalk_host_v1 *host, const char *id);
} crosswalk_host_v1;

/* ------------------------------------------------------------------------------------------- */
/* Host extensions                                                                               */
/* ------------------------------------------------------------------------------------------- */

/** "crosswalk.state/1": a small key-value store private to the instance's connection. */
#define CROSSWALK_EXT_STATE_V1 "crosswalk.state/1"
typedef struct crosswalk_host_state_v1 {
    uint32_t struct_size;
    /** Reads `key` (borrowed, NUL-terminated) into `out`; CROSSWALK_E_NOT_FOUND when absent. */
    crosswalk_status (*get)(const crosswalk_host_v1 *host, const char *key, crosswalk_buffer_v1 *out);
    /** Stores `len` bytes at `value` (borrowed) under `key`; durable when it returns OK. */
    crosswalk_status (*put)(const crosswalk_host_v1 *host, const char *key, const char *value, size_t len);
    /** Removes `key`; OK when it was absent too. */
    crosswalk_status (*remove)(const crosswalk_host_v1 *host, const char *key);
} crosswalk_host_state_v1;

/**
 * "crosswalk.idmap/1": looks up ids the host has mapped between this connection and others.
 * Request JSON: {"version":1,"object":"Account","ids":["001…",…],"other_connection":"ns",
 * "other_object":"customer"}. Result JSON: {"version":1,"ids":{"001…":"107",…}} (unmapped ids absent).
 */
#define CROSSWALK_EXT_IDMAP_V1 "crosswalk.idmap/1"
typedef struct crosswalk_host_idmap_v1 {
    uint32_t struct_size;
    crosswalk_status (*lookup)(const crosswalk_host_v1 *host, const char *request_json, size_t len,
                               crosswalk_buffer_v1 *out);
} crosswalk_host_idmap_v1;

/* ------------------------------------------------------------------------------------------- */
/* The plugin                                                                                    */
/* ------------------------------------------------------------------------------------------- */

/** An instance of a connector, bound to one connection. Opaque to the host; owned by the plugin. */
typedef struct crosswalk_instance crosswalk_instance;

/**
 * The plugin's descriptor, returned by crosswalk_plugin_entry. Owned by the plugin; it and every
 * string it points to must live as long as the process.
 *
 * OPERATIONS. Each takes `instance` and, where it has input, a borrowed JSON document (`request`,
 * `len` bytes). Each writes its result JSON (or, on failure, an error JSON) into `out`, which the
 * host provides zeroed with struct_size set and releases afterwards. The host never calls two
 * operations of one instance at the same time. Request and result JSON shapes are given per
 * operation; sdk/README.md has full examples.
 */
typedef struct crosswalk_plugin_v1 {
    uint32_t struct_size;                     /* sizeof(crosswalk_plugin_v1)                       */
    uint16_t abi_major;                       /* CROSSWALK_ABI_MAJOR the plugin was built against  */
    uint16_t abi_minor;                       /* CROSSWALK_ABI_MINOR the plugin was built against  */

    const char *id;                           /* reverse-DNS, unique: "com.salesforce"             */
    const char *name;                         /* for people: "Salesforce"                           */
    const char *version;                      /* the plugin's own version: "1.2.0"                 */
    const char *vendor;                       /* who ships it                                       */

    /**
     * The manifest, UTF-8 JSON, NUL-terminated:
     * {"version":1,
     *  "objects":[{"name":"Contact","operations":["read","create","update","upsert","delete"],
     *              "match_keys":["Email"],"external_id_fields":["NetSuite_Id__c"]}],
     *  "auth":{"scheme":"oauth2","authorize_url":"…","token_url":"…","scopes":["api"],
     *          "grants":["authorization_code","refresh_token","jwt_bearer"]}
     *         | {"scheme":"netsuite_tba"} | {"scheme":"api_key","header":"Authorization","prefix":"Bearer "}
     *         | {"scheme":"basic"} | {"scheme":"none"}
     *         | {"scheme":"any"} (a generic connector: whatever the connection's credentials are),
     *  "capabilities":["crosswalk.read/1","crosswalk.write/1","crosswalk.webhooks/1"],
     *  "batch_limits":{"read":2000,"write":200},
     *  "rate_limits":{"requests_per_second":10,"burst":20,"max_concurrency":5},
     *  "settings":[{"name":"base_url","type":"string","required":true}],
     *  "functions":[{"name":"sf_id18","symbol":"crosswalk_fn_sf_id18",
     *                "signature":"const char *(const char *)","pure":true}]}
     * The host validates it when loading and refuses the plugin with a clear message if it is not
     * valid JSON or misses "version", "objects", "auth" or "capabilities".
     */
    const char *manifest_json;

    /** CROSSWALK_SWIFT_VERSION where the plugin was built; 0 for plugins not written in Swift. */
    uint32_t swift_version;

    /**
     * Creates an instance for one connection. `host` is the instance's service table (see
     * crosswalk_host_v1): keep the pointer, it stays valid until destroy returns. `config` is the
     * connection's settings JSON (borrowed) — never secrets. On OK, `*instance` is set (owned by
     * the plugin until destroy). On failure, `*instance` stays NULL and `out` may hold an error.
     */
    crosswalk_status (*create)(const crosswalk_host_v1 *host, const char *config, size_t len,
                               crosswalk_instance **instance, crosswalk_buffer_v1 *out);

    /** Destroys an instance; no other call on it is running or will follow. May be NULL. */
    void (*destroy)(crosswalk_instance *instance);

    /**
     * Tests the connection (one cheap authenticated call).
     * Result: {"version":1,"ok":true,"message":"Connected to org 00D… as api@example.com"}.
     */
    crosswalk_status (*check)(crosswalk_instance *instance, crosswalk_buffer_v1 *out);

    /**
     * Lists objects and fields.
     * Result: {"version":1,"objects":[{"name":"Contact","label":"Contact","fields":[{"name":"Email",
     * "type":"string","label":"Email","required":false,"unique":false,"reference_to":null}]}]}.
     */
    crosswalk_status (*discover)(crosswalk_instance *instance, crosswalk_buffer_v1 *out);

    /**
     * Reads ONE page of changes of one object since a cursor.
     * Request: {"version":1,"object":"Contact","cursor":null|<the plugin's own JSON value>,
     *           "limit":500,"fields":["Email",…]|null,"ids":["003…"]|null}
     * `ids`, when present, asks for exactly those records (a manual "sync now").
     * Result: {"version":1,"records":[<canonical record>…],"next_cursor":<JSON value>,"has_more":true}
     * The host stores next_cursor only after the records were written downstream, and hands it back
     * unchanged. A cursor is the plugin's own format (e.g. a timestamp plus a page locator).
     */
    crosswalk_status (*read)(crosswalk_instance *instance, const char *request, size_t len,
                             crosswalk_buffer_v1 *out);

    /**
     * Writes a batch (at most batch_limits.write records).
     * Request: {"version":1,"object":"Contact","operation":"create"|"update"|"upsert"|"delete",
     *           "match_key":"Email"|null,"records":[{"ref":"r1","id":"003…"|null,"fields":{…}}]}
     * Result: {"version":1,"results":[{"ref":"r1","ok":true,"id":"003…","created":true}
     *          | {"ref":"r2","ok":false,"error":{"code":"conflict","message":"…","retryable":false}}]}
     * One result per input record, in any order, matched by "ref". Return OK when the batch was
     * processed even if some records failed; a non-OK status means nothing is known to be written
     * (the host may retry the whole batch, so writes should be idempotent where the app allows).
     */
    crosswalk_status (*write)(crosswalk_instance *instance, const char *request, size_t len,
                              crosswalk_buffer_v1 *out);

    /**
     * Turns one received webhook into change events. May be NULL if the manifest does not list
     * "crosswalk.webhooks/1". The host has already verified the signature when the app signs.
     * Request: {"version":1,"method":"POST","path":"/hooks/…","headers":{"x-…":"…"},"body":"<text>"}
     * Result: {"version":1,"events":[{"object":"Contact","id":"003…","change":"create"|"update"|"delete",
     *          "record":<canonical record>|null}],"response":{"status":200,"body":"…"}|null}
     * "response" is what the host answers the app (e.g. a SOAP Ack); null means 200 with no body.
     */
    crosswalk_status (*parse_webhook)(crosswalk_instance *instance, const char *request, size_t len,
                                      crosswalk_buffer_v1 *out);

    /**
     * Optional plugin extensions by versioned id; NULL when unknown. May itself be NULL.
     * The returned struct is owned by the plugin and lives as long as the process.
     */
    const void *(*get_extension)(const char *id);
} crosswalk_plugin_v1;

/**
 * The one exported symbol. Called once per process, on the loading thread, with the host's
 * process-wide service table (borrowed; valid for the life of the process). Returns the plugin's
 * descriptor (owned by the plugin, valid for the life of the process), or NULL when the plugin
 * cannot work in this host (it should log why through host->log first).
 */
typedef const crosswalk_plugin_v1 *(*crosswalk_plugin_entry_fn)(const crosswalk_host_v1 *host);

CROSSWALK_EXPORT const crosswalk_plugin_v1 *crosswalk_plugin_entry(const crosswalk_host_v1 *host);

#ifdef __cplusplus
}
#endif

#endif /* CROSSWALK_H */
