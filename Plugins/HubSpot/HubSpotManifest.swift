import CrosswalkPluginKit

/// The manifest (crosswalk.h, "MANIFEST"): contacts, companies, deals and invoices with their read blocks, OAuth 2.0
/// (HubSpot's authorize and token URLs, CRM scopes) or a private-app token, the batch limit of 100, the rate limits
/// (190 per 10 s per private app on Professional and Enterprise; searches 4 per second), settings, webhooks v3 and
/// the `hs_date` mapping functions.
enum HubSpotManifest {
    /// What a search filter group takes from the ABI's filter (`EQ NEQ LT LTE GT GTE IN HAS_PROPERTY NOT_HAS_PROPERTY`).
    static let filterOperators: [JSONValue] = ["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "and"]

    /// Upserts need a property with unique values (`idProperty`): contacts have `email`; companies, deals and invoices
    /// have none unless the portal adds one (a custom property with `hasUniqueValue`, passed as the write's match key).
    static func object(_ kind: HubSpotKind, matchKeys: [JSONValue]) -> JSONValue {
        [
            "name": .string(kind.rawValue), "label": .string(kind.label),
            "operations": matchKeys.isEmpty ? ["read", "create", "update", "delete"] : ["read", "create", "update", "upsert", "delete"],
            "match_keys": .array(matchKeys), "external_id_fields": [],
            "read": [
                "incremental": true, "order_keys": .array([.string(kind.modifiedProperty), "hs_object_id"]), "boundary": "exclusive",
                // Archived records come from the archived list in the same read, as deleted records.
                "deletes": "feed",
                // Search sees writes "after a few moments"; runs stay settle_ms behind and look back lookback_ms.
                "index_lag_ms": 10_000, "by_ids": true, "filter": .array(filterOperators),
            ],
        ]
    }

    /// The CRM scopes the four objects, their properties and their associations need.
    static let scopes: [JSONValue] = [
        "oauth",
        "crm.objects.contacts.read", "crm.objects.contacts.write",
        "crm.objects.companies.read", "crm.objects.companies.write",
        "crm.objects.deals.read", "crm.objects.deals.write",
        "crm.objects.invoices.read", "crm.objects.invoices.write",
        "crm.schemas.contacts.read", "crm.schemas.companies.read", "crm.schemas.deals.read", "crm.schemas.invoices.read",
    ]

    static let value: JSONValue = [
        "version": 1,
        "objects": [
            object(.contacts, matchKeys: ["email"]),
            object(.companies, matchKeys: []),
            object(.deals, matchKeys: []),
            object(.invoices, matchKeys: []),
        ],
        "auth": [
            "scheme": "oauth2",
            "authorize_url": "https://app.hubspot.com/oauth/authorize",
            "token_url": "https://api.hubapi.com/oauth/v1/token",
            "scopes": .array(scopes),
            "grants": ["authorization_code", "refresh_token"],
            // A private app's access token (Settings → Integrations → Private apps), sent as a bearer token.
            "alternatives": [["scheme": "api_key", "header": "Authorization", "prefix": "Bearer "]],
        ],
        "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2", "crosswalk.functions/1"],
        // "Object API batch endpoints are limited to 100 inputs per request"; list pages hold 100, search pages 200.
        "batch_limits": ["read": 100, "write": 100],
        // 190 calls per rolling 10 s per private app (Professional/Enterprise; OAuth apps get 110). A bucket of 10
        // refilled at 18/s never passes 190 in any 10 s; the host also follows X-HubSpot-RateLimit-*. Searches have
        // their own limit (4/s per token in the older documentation, 5/s per account now): the connector paces them.
        "rate_limits": ["requests_per_second": 18, "burst": 10, "max_concurrency": 5, "window_s": 10, "window_requests": 190,
                        "search_requests_per_second": 4],
        "settings": [
            ["name": "base_url", "type": "url", "required": true, "default": "https://api.hubapi.com",
             "description": "HubSpot's API (https://api.hubapi.com)"],
            ["name": "page_size", "type": "integer", "required": false, "default": .number(JSONNumber(HubSpotSettings.defaultPageSize)),
             "description": "Records per page (list pages hold at most 100, search pages at most 200)"],
            ["name": "settle_ms", "type": "integer", "required": false, "default": .number(JSONNumber(HubSpotSettings.defaultSettleMilliseconds)),
             "description": "A run's upper bound stays this far behind HubSpot's clock"],
            ["name": "lookback_ms", "type": "integer", "required": false, "default": .number(JSONNumber(HubSpotSettings.defaultLookbackMilliseconds)),
             "description": "Each incremental run searches this far before its cursor again, for records the search index showed late"],
            ["name": "search_per_second", "type": "integer", "required": false, "default": 4,
             "description": "Searches per second (HubSpot's separate search limit)"],
            ["name": "properties", "type": "string", "required": false, "default": "all",
             "description": "Properties read when a read names none: all (every property of the portal) or default (HubSpot's default set)"],
        ],
        "webhooks": [
            // v3: base64 HMAC-SHA256, key = the app's client secret, of method + URI + body + timestamp (ms); at most 5 minutes old.
            "signature": ["scheme": "hmac-sha256", "header": "X-HubSpot-Signature-v3", "encoding": "base64",
                          "signed": ["method", "url", "body", "timestamp"], "separator": "",
                          "timestamp_header": "X-HubSpot-Request-Timestamp", "timestamp_unit": "ms", "max_skew_s": 300,
                          // HubSpot decodes these escapes in the URI before signing it (its v3 validation guide).
                          "url_unescape": ["%3A", "%2F", "%3F", "%40", "%21", "%24", "%27", "%28", "%29", "%2A", "%2C", "%3B"]],
        ],
        "functions": [
            ["name": "hs_date", "symbol": "crosswalk_fn_hs_date", "signature": "string(string)", "pure": true,
             "description": "A date (2024-05-01, an RFC 3339 time's date as written, or epoch ms) as HubSpot's date value: midnight UTC in milliseconds"],
            ["name": "hs_date_ms", "symbol": "crosswalk_fn_hs_date_ms", "signature": "int64(string)", "pure": true,
             "description": "The same as a number"],
            ["name": "hs_date_text", "symbol": "crosswalk_fn_hs_date_text", "signature": "string(string)", "pure": true,
             "description": "A HubSpot date value (midnight-UTC milliseconds) as 2024-05-01"],
        ],
        "function_support": MappingFunctions.manifestSupport,
    ]
}
