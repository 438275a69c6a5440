import CrosswalkPluginKit

/// The manifest (crosswalk.h, "MANIFEST"): contacts and companies with their read blocks, HTTP basic auth (Mautic's
/// API user), Mautic's batch limit of 200 (`api_batch_max_limit`) and the `base_url` setting.
enum AriticManifest {
    /// What `where[]` takes from the ABI's filter (Mautic's `eq neq lt lte gt gte in isNull` and `andX`/`orX`).
    static let filterOperators: [JSONValue] = ["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "and", "or"]

    static func object(_ name: String, _ label: String, matchKeys: [JSONValue]) -> JSONValue {
        [
            "name": .string(name), "label": .string(label),
            "operations": ["read", "create", "update", "upsert", "delete"],
            "match_keys": .array(matchKeys), "external_id_fields": [],
            "read": [
                // dateModified is null until a record's first edit: never-edited records are read by dateAdded.
                "incremental": true, "order_keys": ["dateModified", "id"], "boundary": "exclusive",
                // Mautic's API has no deleted-records feed: deletes arrive by webhook (lead_post_delete, company_post_delete).
                "deletes": "none", "index_lag_ms": 0, "by_ids": true, "filter": .array(filterOperators),
            ],
        ]
    }

    static let value: JSONValue = [
        "version": 1,
        "objects": [
            object("contacts", "Contact", matchKeys: ["email"]),
            object("companies", "Company", matchKeys: ["companyname"]),
        ],
        // Mautic: Configuration → API Settings → "Enable HTTP basic auth"; the host holds the API user's password.
        "auth": ["scheme": "basic"],
        "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2"],
        // Mautic's api_batch_max_limit (200) bounds every batch endpoint.
        "batch_limits": ["read": 200, "write": 200],
        // Mautic's API rate limiter is off by default and Aritic publishes none: keep a modest pace.
        "rate_limits": ["requests_per_second": 10, "burst": 20, "max_concurrency": 2],
        "settings": [
            ["name": "base_url", "type": "url", "required": true,
             "description": "The Aritic PinPoint instance, e.g. https://<tenant>.ariticapp.com/ma"],
            ["name": "page_size", "type": "integer", "required": false, "default": .number(JSONNumber(AriticSettings.defaultPageSize)),
             "description": "Records per list page (limit)"],
            ["name": "segments", "type": "array", "required": false,
             "description": "Segment aliases whose membership contacts carry in a `segments` field (e.g. a Salesforce inclusion list); one call per segment and 200 contacts read"],
        ],
        "webhooks": [
            // Webhook-Signature: base64 HMAC-SHA256 of the exact body with the hook's secret (Settings → Webhooks).
            "signature": ["scheme": "hmac-sha256", "header": "Webhook-Signature", "encoding": "base64", "signed": ["body"], "separator": ""],
        ],
    ]
}
