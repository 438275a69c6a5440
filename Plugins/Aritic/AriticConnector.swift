import CrosswalkABI
import CrosswalkPluginKit

/// The Aritic PinPoint connector (`com.aritic`): Aritic's Mautic 2.x REST API through the host, which sends the API
/// user's HTTP basic credentials.
///
/// - check: one contact list call of one record, with actionable messages for refused users.
/// - discover: contacts and companies from `/api/fields/contact` and `/api/fields/company`; contacts also have
///   `segments` when the `segments` setting names some.
/// - read: keyset pages over (dateModified, id) — and (dateAdded, id) for records never edited, whose
///   `dateModified` is null — under an upper bound fixed at the run's start; `where[]` push-down; reads by ids.
/// - parse_webhook: Mautic's grouped deliveries signed with `Webhook-Signature`.
/// - write: `/batch/new`, `/batch/edit` and `/batch/delete` at 200 a call, with per-record results.
public final class AriticConnector: Connector {
    public static let descriptor = ConnectorDescriptor(id: "com.aritic", name: "Aritic PinPoint", version: "1.0.0", vendor: "Crosswalk",
                                                       manifest: AriticManifest.value)

    private let settings: AriticSettings
    private let api: AriticAPI

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.settings = try AriticSettings(settings)
        api = AriticAPI(host: host)
    }

    public func check() throws -> CheckResult { try AriticChecker(api: api).check() }

    public func discover() throws -> DiscoverResult { try AriticDiscoverer(api: api, segments: settings.segments).discover(nil) }

    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult {
        try AriticDiscoverer(api: api, segments: settings.segments).discover(request.objects)
    }

    public func read(_ request: ReadRequest) throws -> ReadResult {
        let kind = try AriticKind(request.object)
        return try AriticReader(api: api, kind: kind, settings: settings).read(request)
    }

    public func write(_ request: WriteRequest) throws -> WriteResult {
        let kind = try AriticKind(request.object)
        return try AriticWriter(api: api, kind: kind).write(request)
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult { try AriticWebhookParser().parse(request) }
}

/// The two objects, by the names the API uses in its paths and list envelopes.
enum AriticKind: String, Sendable, CaseIterable {
    case contacts, companies

    init(_ object: String) throws {
        guard let kind = AriticKind(rawValue: object) else { throw ConnectorError(.notFound, "Aritic PinPoint has no object \(object)") }
        self = kind
    }

    /// `contact` / `company`, as `/api/fields/{object}` names them.
    var fieldObject: String { self == .contacts ? "contact" : "company" }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(AriticConnector.self, host: host)
}
