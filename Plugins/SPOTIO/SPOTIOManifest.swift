import CrosswalkPluginKit

/// The manifest (crosswalk.h, "MANIFEST"): SPOTIO's objects and how they read, its API-key auth (a bearer token
/// minted from a client id and secret), batch sizes, settings and the signed webhook deliveries.
enum SPOTIOManifest {
    /// What the DataObject search takes from the ABI's filter (`stageId` eq/in, e-mail and phone presence).
    static let filterOperators: [JSONValue] = ["eq", "in", "is_null", "and"]

    static let value: JSONValue = [
        "version": 1,
        "objects": [
            [
                "name": "Lead", "label": "Lead (DataObject)",
                "operations": ["read", "create", "update", "delete"],
                "match_keys": ["Email"], "external_id_fields": ["externalDataObjectId"],
                "read": [
                    // The search is read newest first (sortBy=-updatedAt) down to the previous run's mark.
                    "incremental": true, "order_keys": ["-updatedAt", "id"], "boundary": "exclusive", "deletes": "feed",
                    // SPOTIO searches an Elasticsearch index (Spotio.ElasticSearch.* schemas): about a second behind writes.
                    "index_lag_ms": 2000, "by_ids": true, "filter": .array(filterOperators),
                ],
            ],
            [
                "name": "Activity", "label": "Activity",
                "operations": ["read", "create", "update"],
                "match_keys": [], "external_id_fields": [],
                // The feed filters on the activity's date, not on when it changed: full reads.
                "read": ["incremental": false, "deletes": "none", "by_ids": true],
            ],
            [
                "name": "Stage", "label": "Pipeline stage", "operations": ["read"], "match_keys": ["name"], "external_id_fields": [],
                "read": ["incremental": false, "deletes": "none", "by_ids": true],
            ],
            [
                "name": "User", "label": "User", "operations": ["read"], "match_keys": ["email"],
                "external_id_fields": ["externalSystemUserId"],
                "read": ["incremental": false, "deletes": "none", "by_ids": true],
            ],
        ],
        // SPOTIO: POST /api/users/apitoken {clientId, secret} → {accessToken}, sent as a bearer token. The host
        // holds the key (token_exchange credentials) and sends the token.
        "auth": ["scheme": "api_key", "header": "Authorization", "prefix": "Bearer ", "token_url": "https://api.spotio2.com/api/users/apitoken"],
        "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2"],
        // Search pages of up to 1,000 (perPage); a write batch becomes one bulk job (NDJSON) of any size.
        "batch_limits": ["read": 1000, "write": 1000],
        // SPOTIO publishes no rate limits: keep a modest pace.
        "rate_limits": ["requests_per_second": 10, "burst": 20, "max_concurrency": 4],
        "settings": [
            ["name": "base_url", "type": "url", "required": true, "default": "https://api.spotio2.com",
             "description": "SPOTIO's API (https://api.spotio2.com; test tenants https://app-test.spotio2.com)"],
            ["name": "lead_type_id", "type": "string", "required": false,
             "description": "The DataObject type the Lead object stands for (Settings → Workflow); default: the type named Lead"],
            ["name": "settle_seconds", "type": "integer", "required": false, "default": .number(JSONNumber(SPOTIOSettings.defaultSettleSeconds)),
             "description": "Changes this close to SPOTIO's clock wait for the next run (search-index lag)"],
            ["name": "bulk_threshold", "type": "integer", "required": false, "default": .number(JSONNumber(SPOTIOSettings.defaultBulkThreshold)),
             "description": "Batches of at least this many creates or updates use one bulk job (6 calls) instead of a call per record"],
            ["name": "bulk_poll_ms", "type": "integer", "required": false, "default": 200,
             "description": "First wait between polls of a bulk job (doubled up to 5 s)"],
            ["name": "page_size", "type": "integer", "required": false, "default": 1000,
             "description": "Records per search page (perPage, at most 1,000)"],
        ],
        "webhooks": [
            // X-Signature: hex HMAC-SHA256 of the body with the account's webhook secret (Settings → Integrations → Webhooks).
            "signature": ["scheme": "hmac-sha256", "header": "X-Signature", "encoding": "hex", "signed": ["body"], "separator": ""],
        ],
    ]
}
