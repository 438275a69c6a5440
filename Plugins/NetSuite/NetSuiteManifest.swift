import CrosswalkPluginKit

/// The connector's manifest (crosswalk.h, "JSON documents"): objects with their read behaviour, auth, limits,
/// settings, the signature of change notifications and the mapping functions.
enum NetSuiteManifest {
    static let filterOperators: JSONValue = ["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "and", "or", "not"]

    static var manifest: JSONValue {
        [
            "version": 1,
            "objects": .array(NetSuiteObject.all.map(object)),
            // Token-based authentication (OAuth 1.0a HMAC-SHA256; realm = the account id) or OAuth 2.0: client
            // credentials with a certificate-signed assertion (machine to machine) or the authorization code flow.
            "auth": [
                "scheme": "netsuite_tba",
                "alternatives": [[
                    "scheme": "oauth2",
                    "authorize_url": "https://<account>.app.netsuite.com/app/login/oauth2/authorize.nl",
                    "token_url": "https://<account>.suitetalk.api.netsuite.com/services/rest/auth/oauth2/v1/token",
                    "scopes": ["rest_webservices"],
                    "grants": ["client_credentials", "authorization_code", "refresh_token"],
                ]],
            ],
            "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2", "crosswalk.functions/1"],
            "batch_limits": ["read": .number(JSONNumber(NetSuiteConnector.maxPage)), "write": .number(JSONNumber(NetSuiteConnector.writeBatch))],
            // NetSuite governs concurrency per account (REST, SOAP and RESTlets together), not a request rate:
            // 5 on the shared tier; the max_concurrency setting raises it (Tier 1: 15, +10 per SuiteCloud Plus).
            "rate_limits": ["max_concurrency": 5],
            "settings": [
                ["name": "base_url", "type": "url", "required": true,
                 "description": "The account's REST host: https://<account>.suitetalk.api.netsuite.com, the account id in lower case with - for _ (https://1234567-sb1.suitetalk.api.netsuite.com)"],
                ["name": "account_id", "type": "string", "required": false,
                 "description": "The account id as NetSuite writes it (1234567, 1234567_SB1), for messages; token-based auth takes the realm from the connection's credentials"],
                ["name": "max_concurrency", "type": "integer", "required": false, "default": 5,
                 "description": "Requests in flight at once for this account (read by the host): 5 on the shared tier, 15 on Tier 1 … 55 on Tier 5, +10 per SuiteCloud Plus licence; less when other integrations share the account"],
                ["name": "time_zone", "type": "string", "required": false, "default": .string(NetSuiteSettings.defaultTimeZone),
                 "description": "The integration user's time zone (Set Preferences > Time Zone), an IANA name: NetSuite reads and prints SuiteQL dates in it"],
                ["name": "read_lag_seconds", "type": "integer", "required": false, "default": 0,
                 "description": "Seconds taken off NetSuite's clock for a read's upper bound, for records whose save (with slow scripts) is stamped before it commits"],
            ],
            "webhooks": [
                "signature": [
                    "scheme": "hmac-sha256", "header": "X-NetSuite-Signature", "encoding": "hex", "prefix": "sha256=",
                    "signed": ["timestamp", "body"], "separator": ".",
                    "timestamp_header": "X-NetSuite-Event-Timestamp", "timestamp_unit": "s", "max_skew_s": 300,
                ],
            ],
            "functions": [
                ["name": "ns_entity_name", "symbol": "crosswalk_fn_ns_entity_name", "signature": "string(string,string)", "pure": true,
                 "description": "A person's name as NetSuite lists entities: ns_entity_name(first, last) → \"Last, First\""],
                ["name": "ns_customer_name", "symbol": "crosswalk_fn_ns_customer_name", "signature": "string(string,string,string)", "pure": true,
                 "description": "A customer's name: ns_customer_name(companyName, first, last) → the company name, or \"Last, First\" for an individual"],
            ],
            "function_support": MappingFunctions.manifestSupport,
        ]
    }

    static func object(_ object: NetSuiteObject) -> JSONValue {
        [
            "name": .string(object.name), "label": .string(object.label),
            "operations": ["read", "create", "update", "upsert", "delete"],
            "match_keys": .array(object.matchKeys.map(JSONValue.string)),
            "external_id_fields": ["externalId"],
            "read": [
                "incremental": true, "order_keys": ["lastModifiedDate", "id"], "boundary": "exclusive",
                "deletes": "feed", "index_lag_ms": 0, "by_ids": true, "filter": filterOperators,
            ],
        ]
    }
}
