import CrosswalkPluginKit

/// The manifest (crosswalk.h, "MANIFEST"): objects and how they read, OAuth 2.0 as Salesforce does it,
/// batch sizes of SOQL and sObject Collections, settings, outbound messages and the mapping functions.
enum SalesforceManifest {
    /// The filter operators a SOQL `WHERE` takes from the ABI's filter.
    static let filterOperators: [JSONValue] = ["eq", "ne", "lt", "le", "gt", "ge", "in", "is_null", "and", "or", "not"]

    /// The acknowledgement Salesforce expects for an outbound message (otherwise it retries for 24 hours).
    static let acknowledgement = """
    <?xml version="1.0" encoding="UTF-8"?>\
    <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">\
    <soapenv:Body><notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound"><Ack>true</Ack></notificationsResponse>\
    </soapenv:Body></soapenv:Envelope>
    """

    /// The objects every org has that the Crosswalk flows use, with their external-id fields.
    static let objects: [(name: String, label: String, matchKeys: [String], externalIDs: [String])] = [
        ("Account", "Account", ["Name"], ["NetSuite_Id__c", "Spotio_Id__c", "Aritic_Id__c"]),
        ("Contact", "Contact", ["Email"], ["NetSuite_Id__c", "Spotio_Id__c", "Aritic_Id__c"]),
        ("Lead", "Lead", ["Email"], ["Spotio_Id__c", "Aritic_Id__c"]),
        ("Opportunity", "Opportunity", ["Name"], ["NetSuite_Id__c", "Spotio_Id__c"]),
        ("Task", "Task", [], ["Spotio_Id__c"]),
    ]

    static let value: JSONValue = [
        "version": 1,
        "objects": .array(objects.map { object in
            [
                "name": .string(object.name), "label": .string(object.label),
                "operations": ["read", "create", "update", "upsert", "delete"],
                "match_keys": .array(object.matchKeys.map(JSONValue.string)),
                "external_id_fields": .array(object.externalIDs.map(JSONValue.string)),
                "read": [
                    "incremental": true, "order_keys": ["SystemModstamp", "Id"], "boundary": "exclusive", "deletes": "flag",
                    "index_lag_ms": 0, "by_ids": true, "filter": .array(filterOperators),
                ],
            ]
        }),
        "auth": [
            "scheme": "oauth2",
            "authorize_url": "https://login.salesforce.com/services/oauth2/authorize",
            "token_url": "https://login.salesforce.com/services/oauth2/token",
            "scopes": ["api", "refresh_token"],
            "grants": ["authorization_code", "refresh_token", "jwt_bearer", "client_credentials"],
        ],
        "capabilities": ["crosswalk.read/1", "crosswalk.write/1", "crosswalk.webhooks/1", "crosswalk.discover/2", "crosswalk.functions/1"],
        // SOQL answers up to 2,000 rows a batch; sObject Collections take 200 records a call.
        "batch_limits": ["read": 2000, "write": 200],
        // No per-second limit: a rolling 24-hour request quota (read from Sforce-Limit-Info on every
        // answer) and at most 25 long-running (20 s or more) requests at once per org.
        "rate_limits": ["max_concurrency": 25, "quota_header": "Sforce-Limit-Info"],
        "settings": [
            ["name": "base_url", "type": "url", "required": true, "default": "https://login.salesforce.com",
             "description": "The login host (https://login.salesforce.com, https://test.salesforce.com) or the org's My Domain; requests go to the instance_url the token carries"],
            ["name": "api_version", "type": "string", "required": false, "default": .string(SalesforceSettings.defaultAPIVersion),
             "description": "The REST API version, e.g. \"60.0\""],
            ["name": "bulk_threshold", "type": "integer", "required": false, "default": 50_000,
             "description": "Full reads of objects with more records than this use Bulk API 2.0 query jobs (0: always)"],
            ["name": "bulk_result_set_size", "type": "integer", "required": false, "default": 10_000,
             "description": "Rows fetched per Bulk API 2.0 result set (maxRecords) and served page by page"],
            ["name": "bulk_poll_ms", "type": "integer", "required": false, "default": 1_000,
             "description": "First wait between polls of a Bulk API 2.0 query job (doubled up to 10 s)"],
            ["name": "quota_stop_percent", "type": "number", "required": false, "default": 90,
             "description": "Stop calling once this share of the org's daily API requests is used; the run resumes from its cursor later"],
            ["name": "settle_seconds", "type": "integer", "required": false, "default": 2,
             "description": "Records stamped this close to the org's clock wait for the next run (writes may still land in the current second)"],
            ["name": "organization_id", "type": "string", "required": false,
             "description": "The org id (00D…) outbound messages must carry, when the host does not know it from the token"],
        ],
        "webhooks": [
            // Salesforce does not sign outbound messages: parse_webhook checks the OrganizationId instead.
            "signature": ["scheme": "none"],
            "ack": ["status": 200, "content_type": "text/xml; charset=utf-8", "body": .string(acknowledgement)],
        ],
        "functions": [
            ["name": "sf_id18", "symbol": "crosswalk_fn_sf_id18", "signature": "string(string)", "pure": true,
             "description": "The 18-character form of a 15- or 18-character Salesforce id"],
            ["name": "sf_id15", "symbol": "crosswalk_fn_sf_id15", "signature": "string(string)", "pure": true,
             "description": "The 15-character, case-sensitive form of a Salesforce id"],
        ],
        "function_support": MappingFunctions.manifestSupport,
    ]
}
