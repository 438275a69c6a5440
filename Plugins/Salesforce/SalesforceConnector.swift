import CrosswalkABI
import CrosswalkPluginKit

/// The Salesforce connector (`com.salesforce`): REST API v60.0 by default through the host, which
/// signs with the connection's OAuth 2.0 token and sends paths to the token's `instance_url`.
///
/// - check: `limits/` and the user (actionable messages for orgs and users without API access).
/// - discover: global and per-object describe mapped onto the ABI's field types.
/// - read: keyset SOQL over (SystemModstamp, Id) with an upper bound per run, `queryAll` for
///   deletes and merges, Bulk API 2.0 for first imports of large objects, reads by ids, filters
///   pushed into `WHERE`.
/// - write: sObject Collections, 200 a call, per-record results.
/// - parse_webhook: outbound messages, checked against the connection's org.
/// - quota: every answer's `Sforce-Limit-Info`; calls stop near the daily limit.
public final class SalesforceConnector: Connector {
    public static let descriptor = ConnectorDescriptor(id: "com.salesforce", name: "Salesforce", version: "1.0.0", vendor: "Crosswalk",
                                                       manifest: SalesforceManifest.value)

    private let host: ConnectorHost
    private let settings: SalesforceSettings
    private let api: SalesforceAPI
    private let schema: SalesforceSchemaCache
    private let reader: SalesforceReader
    private let writer: SalesforceWriter
    /// The org id learned from userinfo when the host gives no connection facts.
    private var learnedOrganizationID: String?

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.host = host
        self.settings = try SalesforceSettings(settings)
        api = SalesforceAPI(host: host, settings: self.settings)
        schema = SalesforceSchemaCache(api: api)
        reader = SalesforceReader(api: api, schema: schema)
        writer = SalesforceWriter(api: api, schema: schema)
    }

    public func check() throws -> CheckResult { try SalesforceChecker(api: api).check() }

    public func discover() throws -> DiscoverResult { try SalesforceDiscoverer(schema: schema).discover(nil) }

    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult { try SalesforceDiscoverer(schema: schema).discover(request.objects) }

    public func read(_ request: ReadRequest) throws -> ReadResult { try reader.read(request) }

    public func write(_ request: WriteRequest) throws -> WriteResult { try writer.write(request) }

    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult {
        try SalesforceWebhookParser(api: api, schema: schema, organizationID: { [self] in try organizationID() }).parse(request)
    }

    /// The connection's org: the host's connection facts, else the setting, else the user's userinfo.
    private func organizationID() throws -> String? {
        if let facts = try? host.connectionFacts(), let id = facts.accountID.flatMap(SalesforceIDs.normalized) { return id }
        if let id = settings.organizationID { return id }
        if let id = learnedOrganizationID { return id }
        let who = try api.json("GET", "/services/oauth2/userinfo", idempotent: true)
        learnedOrganizationID = who["organization_id"]?.stringValue.flatMap(SalesforceIDs.normalized)
        return learnedOrganizationID
    }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(SalesforceConnector.self, host: host)
}
