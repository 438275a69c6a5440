/*
 * crosswalk.h — the Crosswalk connector plugin ABI, version 1.1.
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
 *     error JSON object: {"version":1,"code":"rate_limited","message":"…","retry_after_ms":2000,
 *     "fields":["Email"],"details":{…}}. `code` is the stable string of the status (see below);
 *     `message` is for a person; `fields` names offending fields; `version` is 1 (1.1: the host
 *     accepts it missing).
 *   - A status the host does not know is treated as CROSSWALK_E_INTERNAL, except that unknown
 *     statuses in 100..199 are retryable (1.1).
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
 *     One exception (1.1): `log` may be called from any thread while the table is valid.
 *   - A host service called after `destroy` returned, or with a table that is not the host's,
 *     answers CROSSWALK_E_INVALID_ARGUMENT (1.1; it never crashes the host).
 *
 * DOMAIN DATA
 *   - Records, schemas, cursors, webhook payloads and results are UTF-8 JSON, carried in batches
 *     so that one crossing moves hundreds of records. Each JSON document the host sends carries
 *     "version": 1; plugins should send it too.
 *   - The canonical record: {"object":"Contact","id":"<app id>","fields":{…},
 *     "modified_at":"<RFC 3339>","deleted":false}. Field names are the app's own. Every JSON
 *     document of the ABI is specified in the section "JSON documents" at the end of this file
 *     and pinned by the golden files in sdk/fixtures/abi-1.1/.
 *   - Numbers are exact decimal values: a host never rounds a JSON number through a double, so a
 *     plugin should not either (ids, money).
 *
 * WHAT 1.1 ADDS TO 1.0 (additive: a 1.0 plugin loads and runs unchanged in a 1.1 host)
 *   - CROSSWALK_E_CANCELLED; unknown statuses 100..199 retryable; `version` in error JSON.
 *   - Host extensions "crosswalk.cancel/1" (am I cancelled? a cancellable sleep) and
 *     "crosswalk.connection/1" (non-secret connection facts: base URL, instance URL, org id).
 *   - Plugin extension "crosswalk.discover/2" (discover with a request: chosen objects only).
 *   - JSON only: the manifest's per-object "read" block, "webhooks" block, "settings" and
 *     "functions" grammar; read requests with "filter", "start", "deadline_ms"; read results
 *     with "missing", "filter_applied", records with "change", "merged_into", "links",
 *     "modified_by"; write items with "links"; write results with "outcome", "retry_after_ms",
 *     "fields"; richer discover; webhook requests with the raw body, the public URL and the time
 *     received.
 *   - Mapping functions: plain C functions a plugin exports and names in its manifest, called by
 *     the host through libffi (see "Mapping functions").
 *   - The host checks capabilities against function pointers: "crosswalk.webhooks/1" needs
 *     parse_webhook, "crosswalk.discover/2" needs that extension, "crosswalk.functions/1" needs
 *     every named symbol.
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
#define CROSSWALK_ABI_MINOR 1

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
#define CROSSWALK_E_CANCELLED        7   /* ("cancelled") the host cancelled the call (1.1): stop, no retry */
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

/**
 * "crosswalk.cancel/1" (1.1): lets a long call notice that the host gave up on it (a run was
 * stopped, a deadline passed, the service is shutting down). Both functions may be called only on
 * the thread of a plugin call, with the instance's table.
 *   - `is_cancelled` returns 1 when the current call is cancelled, else 0. A plugin that sees 1
 *     stops, releases what it holds and returns CROSSWALK_E_CANCELLED.
 *   - `sleep` waits `ms` milliseconds (use it for the app's own backoff, never a busy loop). It
 *     returns CROSSWALK_OK after the full wait, or CROSSWALK_E_CANCELLED at once when the call is
 *     cancelled meanwhile.
 * `host->http` also returns CROSSWALK_E_CANCELLED for a cancelled call.
 */
#define CROSSWALK_EXT_CANCEL_V1 "crosswalk.cancel/1"
typedef struct crosswalk_host_cancel_v1 {
    uint32_t struct_size;
    int32_t (*is_cancelled)(const crosswalk_host_v1 *host);
    crosswalk_status (*sleep)(const crosswalk_host_v1 *host, uint32_t ms);
} crosswalk_host_cancel_v1;

/**
 * "crosswalk.connection/1" (1.1): non-secret, read-only facts about the instance's connection,
 * as the connection facts JSON of "JSON documents" (base URL, the instance URL a token carries,
 * the org or account id, the integration user's id). Facts can change during the life of an
 * instance (after a token refresh): read them when needed rather than once in `create`.
 * `out` is filled by the host; release it. Any thread of a plugin call.
 * When the connection's token carries an instance URL (Salesforce's `instance_url`), the host
 * resolves the plugin's relative HTTP paths against it rather than against `base_url`.
 */
#define CROSSWALK_EXT_CONNECTION_V1 "crosswalk.connection/1"
typedef struct crosswalk_host_connection_v1 {
    uint32_t struct_size;
    crosswalk_status (*facts)(const crosswalk_host_v1 *host, crosswalk_buffer_v1 *out);
} crosswalk_host_connection_v1;

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
     * The manifest, UTF-8 JSON, NUL-terminated, at most 1 MiB: objects and their operations,
     * match keys and read behaviour, the auth scheme, capabilities, batch and rate limits,
     * settings, webhooks and mapping functions. See MANIFEST in "JSON documents" below. The host
     * validates it when loading and refuses the plugin with a clear message if it is invalid.
     */
    const char *manifest_json;

    /** CROSSWALK_SWIFT_VERSION where the plugin was built; 0 for plugins not written in Swift. */
    uint32_t swift_version;

    /**
     * Creates an instance for one connection. `host` is the instance's service table (see
     * crosswalk_host_v1): keep the pointer, it stays valid until destroy returns. `config` is the
     * connection's settings JSON (borrowed) — never secrets. On OK, `*instance` is set (owned by
     * the plugin until destroy) and `out` is left empty (1.1: a host releases and ignores anything
     * written there on success). On failure, `*instance` stays NULL and `out` may hold an error.
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
     * Lists objects and fields: the discover result of "JSON documents". A 1.1 plugin may offer
     * "crosswalk.discover/2" to discover chosen objects only (the host then prefers it).
     */
    crosswalk_status (*discover)(crosswalk_instance *instance, crosswalk_buffer_v1 *out);

    /**
     * Reads ONE page of changes of one object since a cursor: read request and read result of
     * "JSON documents", with the cursor rules given there.
     * The host stores next_cursor only after the records were written downstream, and hands it back
     * unchanged. A cursor is the plugin's own format (e.g. a timestamp plus an id).
     */
    crosswalk_status (*read)(crosswalk_instance *instance, const char *request, size_t len,
                             crosswalk_buffer_v1 *out);

    /**
     * Writes a batch (at most batch_limits.write records): write request and write result of
     * "JSON documents". One result per input record, in any order, matched by "ref". Return OK
     * when the batch was processed even if some records failed; a non-OK status means nothing is
     * known to be written (the host may retry the whole batch, so writes should be idempotent
     * where the app allows: "ref" is stable across retries and serves as an idempotency key).
     * A connector that makes several calls for one batch reports per record, including
     * "outcome":"unknown" for records whose call got no answer.
     */
    crosswalk_status (*write)(crosswalk_instance *instance, const char *request, size_t len,
                              crosswalk_buffer_v1 *out);

    /**
     * Turns one received webhook into change events: webhook request and webhook result of
     * "JSON documents". May be NULL if the manifest does not list "crosswalk.webhooks/1" (and
     * must not be NULL if it does). The host has already verified the signature as the manifest's
     * "webhooks" block declares, with a secret only the host holds.
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

/* ------------------------------------------------------------------------------------------- */
/* Plugin extensions (looked up by the host through crosswalk_plugin_v1.get_extension)          */
/* ------------------------------------------------------------------------------------------- */

/**
 * "crosswalk.discover/2" (1.1): discover with a request, so that a mapping UI can ask for one
 * object's fields without the plugin describing a whole org. Same threading and buffers as
 * `discover`. Request: the discover request of "JSON documents" ({"version":1,"objects":["Contact"]}
 * or "objects":null for all). Result: the discover result. An unknown object is
 * CROSSWALK_E_NOT_FOUND. A plugin offering it lists "crosswalk.discover/2" in its capabilities.
 */
#define CROSSWALK_PLUGIN_EXT_DISCOVER_V2 "crosswalk.discover/2"
typedef struct crosswalk_plugin_discover_v2 {
    uint32_t struct_size;
    crosswalk_status (*discover)(crosswalk_instance *instance, const char *request, size_t len,
                                 crosswalk_buffer_v1 *out);
} crosswalk_plugin_discover_v2;

/* ------------------------------------------------------------------------------------------- */
/* Mapping functions (1.1, capability "crosswalk.functions/1")                                  */
/* ------------------------------------------------------------------------------------------- */

/*
 * A plugin may export plain C functions for the host's mapping language ("this Salesforce id in
 * its 18-character form"). They are listed in the manifest:
 *
 *   "functions":[{"name":"sf_id18","symbol":"crosswalk_fn_sf_id18","signature":"string(string)",
 *                 "pure":true,"description":"15- to 18-character Salesforce id"}],
 *   "function_support":{"release":"crosswalk_fn_release","last_error":"crosswalk_fn_last_error"}
 *
 * SIGNATURES. `signature` follows this grammar (no spaces needed, spaces allowed):
 *     signature := type "(" [ type { "," type } ] ")"
 *     type      := "int64" | "double" | "bool" | "string"
 * and maps to C types as:  int64 -> int64_t, double -> double, bool -> int32_t (0 false, else
 * true), string -> `const char *` (NUL-terminated UTF-8) as a parameter and `char *` as a result.
 * At most 8 parameters. `name` is what mappings call (`[a-z][a-z0-9_]*`, unique in the plugin; the
 * mapping language calls it as `<plugin id>.<name>` or by its bare name when unambiguous).
 * `symbol` is the exported symbol (give it default visibility).
 *
 * OWNERSHIP. String parameters are borrowed for the call. A returned string is allocated by the
 * plugin and handed to the host, which calls the "release" function named in "function_support"
 * (`void release(char *)`) exactly once when it has copied it. NULL is a valid string result: the
 * mapping's null.
 *
 * ERRORS. A function that fails sets its calling thread's last error and returns any value (NULL
 * for strings). Right after every call, on the same thread, the host calls the "last_error"
 * function named in "function_support" (`const char *last_error(void)`): NULL means success; a
 * message (owned by the plugin, valid until the next call on that thread) means failure, and the
 * mapping reports it with the record and field. Each call starts with no error set.
 *
 * THREADS. Functions belong to the plugin, not to an instance: they may be called on any host
 * thread, concurrently, before or without any instance, and never call host services. They must
 * be thread-safe and should be pure (same inputs, same result; "pure":false tells the host not to
 * cache results). They must return: under process isolation a function that crashes or hangs
 * costs the call, and the host reports it as the mapping's error.
 *
 * The host resolves every symbol when it loads the plugin and checks each signature against the
 * grammar; a plugin whose functions do not resolve is refused with a message naming the symbol.
 * The host checks arity and types when a mapping that calls a function is compiled.
 */

/* ------------------------------------------------------------------------------------------- */
/* JSON documents                                                                               */
/* ------------------------------------------------------------------------------------------- */

/*
 * Every document has "version":1. Members marked (1.1) are new in ABI 1.1: a 1.0 plugin never
 * sends them and ignores them when the host does. Unknown members are ignored by both sides.
 * The golden files in sdk/fixtures/abi-1.1/ are examples of each document that both the host's
 * tests and the Swift kit's tests read.
 *
 * MANIFEST (crosswalk_plugin_v1.manifest_json, at most 1 MiB)
 *   {"version":1,
 *    "objects":[{"name":"Contact", "label":"Contact",
 *                "operations":["read","create","update","upsert","delete"],
 *                "match_keys":["Email"], "external_id_fields":["NetSuite_Id__c"],
 *                "read":{                                                    (1.1)
 *                   "incremental":true,          reads since a cursor (false: full reads only)
 *                   "order_keys":["SystemModstamp","Id"],  the order of records in pages
 *                   "boundary":"exclusive",      the cursor's position is after (exclusive) or
 *                                                at (inclusive) the last record returned
 *                   "deletes":"flag",            "flag": deleted records come back with
 *                                                "deleted":true; "feed": from a separate feed, in
 *                                                the same read; "none": the app does not expose them
 *                   "index_lag_ms":0,            a known delay before changes become readable
 *                                                (HubSpot search: about 10 s)
 *                   "by_ids":true,               supports reads by "ids"
 *                   "filter":["eq","ne","lt","le","gt","ge","in","is_null","and","or","not"]}
 *                                                the filter operators it can push down
 *               }],
 *    "auth":{"scheme":"oauth2","authorize_url":"…","token_url":"…","scopes":["api"],
 *            "grants":["authorization_code","refresh_token","jwt_bearer","client_credentials"]}
 *         | {"scheme":"netsuite_tba"} | {"scheme":"api_key","header":"Authorization","prefix":"Bearer "}
 *         | {"scheme":"basic"} | {"scheme":"none"}
 *         | {"scheme":"any"} (a generic connector: whatever the connection's credentials are),
 *         (1.1) "alternatives":[<auth>…] other schemes the connector accepts (NetSuite: TBA or
 *         OAuth 2.0 client credentials),
 *    "capabilities":["crosswalk.read/1","crosswalk.write/1","crosswalk.webhooks/1",
 *                    "crosswalk.discover/2","crosswalk.functions/1"],
 *    "batch_limits":{"read":2000,"write":200},
 *    "rate_limits":{"requests_per_second":19,"burst":190,"max_concurrency":5,
 *                   "window_s":10, "window_requests":190},                   (1.1: window_*)
 *    "settings":[{"name":"base_url","type":"url","required":true,           (1.1: type, default,
 *                 "default":null,"description":"…"}],                          description)
 *    "webhooks":{                                                            (1.1)
 *       "signature":{"scheme":"hmac-sha256"|"hmac-sha1"|"none",
 *                    "header":"X-HubSpot-Signature-v3", "encoding":"base64"|"hex",
 *                    "prefix":"sha256=",          stripped from the header value before comparing
 *                    "signed":["method","url","body","timestamp"],  concatenated in this order
 *                    "separator":"",              between the parts
 *                    "timestamp_header":"X-HubSpot-Request-Timestamp",
 *                    "timestamp_unit":"ms"|"s", "max_skew_s":300,
 *                    "url_unescape":["%3A","%2F",…]},  percent-escapes the app decodes in the
 *                                                URL before signing (HubSpot v3); the host decodes
 *                                                the same ones before it checks; default none
 *       "ack":{"status":200,"content_type":"text/xml","body":"…"},  a static answer the host
 *                                                sends at once, before the events are processed
 *       "delivery_id":{"header":"X-Request-Id"}|{"json_pointer":"/0/eventId"}}   (1.1)
 *                                                the app's own id of a delivery, so that a retry
 *                                                or a replay is recognised; a pointer's segment "*"
 *                                                takes every element of an array (each event id of
 *                                                a batch); default: a hash of connection and body
 *    "functions":[…], "function_support":{…}}    see "Mapping functions"
 *   The host refuses a plugin whose manifest is not valid JSON, is larger than 1 MiB, or misses
 *   "version", "objects", "auth" or "capabilities".
 *
 * CHECK RESULT     {"version":1,"ok":true,"message":"Connected to org 00D… as api@example.com",
 *                   "details":{…}}
 *   "ok":false with a message a person can act on ("REST web services are not enabled: Setup >
 *   Company > Enable Features > SuiteCloud") when the account cannot be used.
 *
 * DISCOVER REQUEST (1.1, crosswalk.discover/2)   {"version":1,"objects":["Contact"]|null}
 * DISCOVER RESULT
 *   {"version":1,"objects":[{"name":"Contact","label":"Contact","custom":false,
 *     "operations":["read","create"],
 *     "fields":[{"name":"Email","label":"Email","type":"email",
 *                "required":false,        must be set on create (not nillable, no default)
 *                "createable":true,"updateable":true,"nillable":true,      (1.1)
 *                "unique":false,"external_id":false,"custom":false,        (1.1: external_id, custom)
 *                "length":80,                                              (1.1)
 *                "picklist":[{"value":"Open","label":"Open","active":true}],(1.1)
 *                "reference_to":["Account"]}]}]}   (1.1: an array; 1.0's string is still read)
 *   "type" is one of: "string","text","email","phone","url","id","reference","boolean","integer",
 *   "number","decimal","currency","percent","date","datetime","time","picklist","multipicklist",
 *   "address","json","binary" (1.1: a closed list; a plugin maps the app's own types onto it).
 *
 * READ REQUEST
 *   {"version":1,"object":"Contact",
 *    "cursor":null|<the plugin's own JSON value>,
 *    "limit":500,                 a maximum: a page may hold fewer records, even none
 *    "fields":["Email",…]|null,   the fields wanted (null: all the plugin reads)
 *    "ids":["003…"]|null,         exactly these records (a manual "sync now"); cursor ignored
 *    "start":"now"|null,          (1.1) ask for a head cursor: no records, "has_more":false and a
 *                                 "next_cursor" from which later reads return only changes made
 *                                 after now ("going forward only")
 *    "filter":<filter>|null,      (1.1) criteria the plugin may push down (see FILTER)
 *    "deadline_ms":30000}         (1.1) how long the host waits for this call (0: no deadline)
 * READ RESULT
 *   {"version":1,"records":[<record>…],"next_cursor":<JSON value>,"has_more":true,
 *    "missing":["003…"],          (1.1) for a read by ids: the ids not found
 *    "filter_applied":"full"|"partial"|"none"}   (1.1) how much of "filter" the app applied;
 *                                 absent means "none". The host applies the whole filter again
 *                                 unless "full".
 *   CURSOR RULES (1.1). A null cursor means "from the beginning". "has_more":true means "call
 *   again now with next_cursor". "has_more":false with a next_cursor means "caught up: resume
 *   from next_cursor on the next run". Records sharing one modification time across a page
 *   boundary are never lost and never repeated (use a compound cursor: modification time plus
 *   id). A read that starts from a caught-up cursor takes an upper bound (the app's "now" minus
 *   index_lag_ms) and keeps it in its cursors until caught up again, so a record changed while
 *   the run pages is read by the next run, not skipped.
 *
 * RECORD
 *   {"object":"Contact","id":"003…","fields":{…},"modified_at":"2026-11-30T10:00:00Z",
 *    "deleted":false,
 *    "change":"upsert"|"delete"|"merge",        (1.1) absent: "delete" if deleted, else "upsert"
 *    "merged_into":"003…",                      (1.1) with change "merge": the surviving record
 *    "modified_by":"005…",                      (1.1) the app user who made the change, when the
 *                                               app reports it (echo suppression)
 *    "links":[{"object":"Account","id":"001…","type":"AccountId"}]}   (1.1) related records
 *
 * FILTER (1.1) a small JSON AST of the engine's criteria
 *   {"op":"and"|"or","args":[<filter>…]} | {"op":"not","arg":<filter>}
 *   | {"op":"eq"|"ne"|"lt"|"le"|"gt"|"ge","field":"LastName","value":<scalar>}
 *   | {"op":"in","field":"Status","values":[<scalar>…]}
 *   | {"op":"is_null","field":"LastName","value":true|false}
 *   Field names are the app's own; values are JSON scalars (strings for dates and datetimes, as
 *   RFC 3339). A plugin that cannot push a part down leaves it to the host ("partial").
 *
 * WRITE REQUEST
 *   {"version":1,"object":"Contact","operation":"create"|"update"|"upsert"|"delete",
 *    "match_key":"Email"|"NetSuite_Id__c"|null,   the field an upsert matches on
 *    "deadline_ms":30000,                         (1.1)
 *    "records":[{"ref":"r1","id":"003…"|null,"fields":{…},
 *                "links":[{"object":"companies","id":"101","type":"contact_to_company"}]}]}  (1.1)
 *   "ref" is the host's reference for this record's write, stable across retries: use it as an
 *   idempotency key where the app has one.
 * WRITE RESULT
 *   {"version":1,"results":[
 *     {"ref":"r1","ok":true,"id":"003…","created":true,
 *      "outcome":"created"|"updated"|"deleted"|"unchanged"},                  (1.1: outcome)
 *     {"ref":"r2","ok":false,"outcome":"failed",
 *      "error":{"code":"conflict","message":"the app's own message","retryable":false,
 *               "fields":["Email"],"retry_after_ms":2000}},                   (1.1: fields, retry_after_ms)
 *     {"ref":"r3","ok":false,"outcome":"unknown",                             (1.1)
 *      "error":{"code":"timeout","message":"sent, no answer","retryable":true}}]}
 *   "unknown": the request was sent but no answer came; the record may or may not exist now.
 *   The host finds out (by external id or match key) before it writes that record again.
 *
 * WEBHOOK REQUEST
 *   {"version":1,"method":"POST","path":"/hooks/hubspot","query":"a=1",
 *    "url":"https://crosswalk.example.com/hooks/hubspot?a=1",   (1.1) the public URL as the app called it
 *    "headers":{"x-hubspot-signature-v3":"…"},   names lower-case
 *    "body":"<text>",                             the body as UTF-8 text (1.0)
 *    "body_base64":"…",                           (1.1) the raw bytes
 *    "received_at":"2026-11-30T10:00:00.123Z",    (1.1)
 *    "verified":true}                             (1.1) the host verified the signature
 * WEBHOOK RESULT
 *   {"version":1,"events":[{"object":"Contact","id":"003…",
 *                           "change":"create"|"update"|"delete"|"merge",
 *                           "merged_into":"003…",            (1.1)
 *                           "record":<record>|null}],
 *    "response":{"status":200,"content_type":"text/xml","body":"…"}|null}
 *   "response" is what the host answers the app when the manifest has no static "ack"; null
 *   means 200 with no body.
 *
 * CONNECTION FACTS (1.1, crosswalk.connection/1)
 *   {"version":1,"connection":"sf-prod","base_url":"https://login.salesforce.com",
 *    "instance_url":"https://na1.my.salesforce.com"|null,"account_id":"00D…"|null,
 *    "user_id":"005…"|null,"settings":{…the connection's settings…}}
 *
 * ERROR   {"version":1,"code":"conflict","message":"…","retry_after_ms":2000,
 *          "fields":["Email"],"details":{…}}
 */

#ifdef __cplusplus
}
#endif

#endif /* CROSSWALK_H */
