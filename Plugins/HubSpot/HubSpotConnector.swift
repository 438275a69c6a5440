import CrosswalkABI
import CrosswalkPluginKit

/// The HubSpot connector (`com.hubspot`): HubSpot's CRM API v3 (objects, batch, search, properties) and
/// associations v4 through the host, which sends the OAuth or private-app bearer token.
///
/// - check: one contact (`limit=1`), with a precise message for missing scopes and refused tokens.
/// - discover: `/crm/v3/properties/{object}` per object asked for.
/// - read: full reads by list paging (`after`); incremental reads by search on the object's last-modified
///   property in keyset windows of (time, id) under an upper bound taken at the run's start, with a lookback for
///   search-index lag; archived records as deletes; reads by ids (`batch/read`); filters pushed into search.
/// - write: `batch/create|update|upsert|archive` of 100, per-record results; associations v4 for links.
/// - parse_webhook: webhooks v3 deliveries (`X-HubSpot-Signature-v3`).
public final class HubSpotConnector: Connector {
    public static let descriptor = ConnectorDescriptor(id: "com.hubspot", name: "HubSpot", version: "1.0.0", vendor: "Crosswalk",
                                                       manifest: HubSpotManifest.value)

    private let settings: HubSpotSettings
    private let api: HubSpotAPI
    private let schema: HubSpotSchema

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.settings = try HubSpotSettings(settings)
        api = HubSpotAPI(host: host, settings: self.settings)
        schema = HubSpotSchema(api: api)
    }

    public func check() throws -> CheckResult { try HubSpotChecker(api: api).check() }

    public func discover() throws -> DiscoverResult { try HubSpotDiscoverer(schema: schema).discover(nil) }

    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult { try HubSpotDiscoverer(schema: schema).discover(request.objects) }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        let kind = try HubSpotKind(request.object)
        return try HubSpotReader(api: api, schema: schema, kind: kind, settings: settings).read(request)
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        let kind = try HubSpotKind(request.object)
        return try HubSpotWriter(api: api, schema: schema, kind: kind).write(request)
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult { try HubSpotWebhookParser().parse(request) }
}

/// The objects, by HubSpot's own object type names (lower-case plurals, as in `/crm/v3/objects/{objectType}`).
enum HubSpotKind: String, Sendable, CaseIterable {
    case contacts, companies, deals, invoices

    init(_ object: String) throws {
        guard let kind = HubSpotKind(rawValue: object) else { throw ConnectorError(.notFound, "HubSpot connector has no object \(object)") }
        self = kind
    }

    /// The property search filters and sorts on: contacts keep `lastmodifieddate`, the others `hs_lastmodifieddate`.
    var modifiedProperty: String { self == .contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }

    /// `contact`, as webhooks name it (`contact.creation`).
    var singular: String {
        switch self {
        case .contacts: "contact"
        case .companies: "company"
        case .deals: "deal"
        case .invoices: "invoice"
        }
    }

    /// HubSpot's object type id (`0-1`…), as `object.*` webhook events name it.
    var typeID: String {
        switch self {
        case .contacts: "0-1"
        case .companies: "0-2"
        case .deals: "0-3"
        case .invoices: "0-53"
        }
    }

    var label: String {
        switch self {
        case .contacts: "Contact"
        case .companies: "Company"
        case .deals: "Deal"
        case .invoices: "Invoice"
        }
    }

    /// The objects whose associations a read returns as links (invoices: to contacts, companies and deals).
    var linkedObjects: [HubSpotKind] { self == .invoices ? [.contacts, .companies, .deals] : [] }

    /// The match key of upserts: a property with unique values (`email` for contacts; HubSpot's record id otherwise).
    var defaultMatchKey: String? { self == .contacts ? "email" : nil }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(HubSpotConnector.self, host: host)
}
