import CrosswalkABI
import CrosswalkPluginKit

/// The SPOTIO connector (`com.spotio`): SPOTIO's 2.0 REST API through the host, which mints the bearer token from
/// the connection's API key (`POST /api/users/apitoken`) and sends it.
///
/// - check: the workflow configuration (types, stages, fields), with actionable messages for refused keys.
/// - discover: the Lead object from its DataObject type; activities, stages and users.
/// - read: Leads newest first from `DataObjectsSearch` down to the last run's mark, under an upper bound fixed at the
///   run's start, then the deleted feed for the same window; reads by ids through `DataObjects/many`; stage and
///   e-mail/phone filters pushed into the search.
/// - write: bulk jobs (one NDJSON upload for the whole batch) from `bulk_threshold` records, a call per record below;
///   activities through `ActivitiesV2/many`.
/// - parse_webhook: the batched `{"payload": [...]}` deliveries, signed with `X-Signature`.
public final class SPOTIOConnector: Connector {
    public static let descriptor = ConnectorDescriptor(id: "com.spotio", name: "SPOTIO", version: "1.0.0", vendor: "Crosswalk",
                                                       manifest: SPOTIOManifest.value)

    private let settings: SPOTIOSettings
    private let api: SPOTIOAPI
    private let schema: SPOTIOSchemaCache

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.settings = try SPOTIOSettings(settings)
        api = SPOTIOAPI(host: host)
        schema = SPOTIOSchemaCache(api: api, settings: self.settings)
    }

    public func check() throws -> CheckResult { try SPOTIOChecker(schema: schema).check() }

    public func discover() throws -> DiscoverResult { try SPOTIODiscoverer(schema: schema).discover(nil) }

    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult { try SPOTIODiscoverer(schema: schema).discover(request.objects) }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        switch request.object {
        case "Lead": return try SPOTIOLeadReader(api: api, schema: schema, settings: settings).read(request)
        case "Activity": return try SPOTIOActivities(api: api).read(request)
        case "Stage": return try SPOTIOStages(schema: schema).read(request)
        case "User": return try SPOTIOUsers(api: api).read(request)
        default: throw ConnectorError(.notFound, "SPOTIO has no object \(request.object)")
        }
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        switch request.object {
        case "Lead": return try SPOTIOLeadWriter(api: api, schema: schema, settings: settings, host: api.host).write(request)
        case "Activity": return try SPOTIOActivityWriter(api: api).write(request)
        case "Stage", "User": throw ConnectorError(.unsupported, "SPOTIO's \(request.object) object is read-only in this connector")
        default: throw ConnectorError(.notFound, "SPOTIO has no object \(request.object)")
        }
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult {
        try SPOTIOWebhookParser(schema: schema).parse(request)
    }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(SPOTIOConnector.self, host: host)
}
