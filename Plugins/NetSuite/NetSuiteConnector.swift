import CrosswalkABI
import CrosswalkPluginKit
import Foundation

/// The NetSuite connector: SuiteTalk REST web services of one account. Reads through SuiteQL (keyset pages on
/// `lastmodifieddate, id`) and the `DeletedRecord` feed, writes record by record through the record service
/// (`eid:` upserts), discovers through the metadata catalog. The host signs every request (token-based auth
/// or OAuth 2.0) and holds the account's concurrency limit; the connector never sees a secret.
public final class NetSuiteConnector: Connector {
    public static let descriptor = ConnectorDescriptor(
        id: "com.netsuite", name: "NetSuite", version: "1.0.0", vendor: "Crosswalk", manifest: NetSuiteManifest.manifest)

    let host: ConnectorHost
    let api: NetSuiteAPI
    let settings: NetSuiteSettings
    let clock: NetSuiteClock
    /// Record types' fields from the metadata catalog, fetched once per instance.
    var schemas: [String: NetSuiteSchema] = [:]
    /// Columns SuiteQL refused per record type ("Field … was not found"): not selected again.
    var unselectable: [String: Set<String>] = [:]

    public init(host: ConnectorHost, settings: JSONValue) throws {
        self.host = host
        api = NetSuiteAPI(host: host)
        self.settings = try NetSuiteSettings(settings)
        clock = NetSuiteClock(timeZone: self.settings.timeZone)
    }

    /// The object named `name`, or `not_found` naming the ones offered.
    func object(_ name: String) throws -> NetSuiteObject {
        guard let object = NetSuiteObject.named(name) else {
            throw ConnectorError(.notFound, "NetSuite connector has no object \"\(name)\" (it offers \(NetSuiteObject.all.map(\.name).joined(separator: ", ")))")
        }
        return object
    }

    /// The fields of `object` from the metadata catalog (`GET /record/v1/metadata-catalog/{type}`, JSON Schema).
    func schema(_ object: NetSuiteObject, deadline: NetSuiteDeadline = NetSuiteDeadline(milliseconds: nil)) throws -> NetSuiteSchema {
        if let known = schemas[object.name] { return known }
        let path = "\(NetSuiteAPI.recordPath)/metadata-catalog/\(object.name)"
        let response = try api.send("GET", path, headers: ["Accept": "application/schema+json"], deadline: deadline)
        guard response.status == 200, let body = response.jsonValue else { throw NetSuiteFailure(response).error("GET \(path)") }
        let schema = NetSuiteSchema(object: object, jsonSchema: body)
        schemas[object.name] = schema
        return schema
    }

    public func check() throws -> CheckResult { try runCheck() }
    public func discover() throws -> DiscoverResult { try discover(DiscoverRequest(objects: nil)) }
    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult { try runDiscover(request) }
    public func read(_ request: ReadRequest) throws -> ReadResult { try runRead(request) }
    public func write(_ request: WriteRequest) throws -> WriteResult { try runWrite(request) }
    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult { try runParseWebhook(request) }
}

@_cdecl("crosswalk_plugin_entry")
public func crosswalkPluginEntry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
    ConnectorExport.entry(NetSuiteConnector.self, host: host)
}
