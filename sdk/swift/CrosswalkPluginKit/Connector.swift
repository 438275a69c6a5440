import Foundation

/// What a connector says about itself; becomes the C descriptor.
public struct ConnectorDescriptor: Sendable {
    public var id: String
    public var name: String
    public var version: String
    public var vendor: String
    /// The manifest (see `crosswalk.h`, `crosswalk_plugin_v1.manifest_json`).
    public var manifest: JSONValue

    public init(id: String, name: String, version: String, vendor: String, manifest: JSONValue) {
        self.id = id
        self.name = name
        self.version = version
        self.vendor = vendor
        self.manifest = manifest
    }
}

/// A connector written in Swift. One instance serves one connection.
///
/// The host never calls two methods of one instance at the same time, and calls them on threads
/// it owns, so methods may block (for example in `host.http`). Throw `ConnectorError` for
/// expected failures; any other error becomes `internal`. Never trap: a crash takes the host down.
///
/// Export the connector with one line in the plugin's module:
/// ```swift
/// @_cdecl("crosswalk_plugin_entry")
/// public func entry(_ host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
///     ConnectorExport.entry(MyConnector.self, host: host)
/// }
/// ```
public protocol Connector: AnyObject {
    /// Identity and manifest; read once when the plugin is loaded.
    static var descriptor: ConnectorDescriptor { get }
    /// Creates the instance for one connection. `settings` is the connection's settings JSON.
    init(host: ConnectorHost, settings: JSONValue) throws
    /// One cheap authenticated call that proves the connection works.
    func check() throws -> CheckResult
    /// Objects and their fields.
    func discover() throws -> DiscoverResult
    /// Chosen objects and their fields (`crosswalk.discover/2`); by default `discover()` narrowed
    /// to `request.objects`. Override it when describing one object is cheaper than describing all.
    func discover(_ request: DiscoverRequest) throws -> DiscoverResult
    /// One page of changes since `request.cursor`.
    func read(_ request: ReadRequest) throws -> ReadResult
    /// A batch of writes; one result per input record.
    func write(_ request: WriteRequest) throws -> WriteResult
    /// Turns a received webhook into change events (only with capability `crosswalk.webhooks/1`).
    func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult
}

extension Connector {
    public func discover(_ request: DiscoverRequest) throws -> DiscoverResult {
        let all = try discover()
        guard let wanted = request.objects else { return all }
        let found = all.objects.filter { wanted.contains($0.name) }
        if let missing = wanted.first(where: { name in !found.contains { $0.name == name } }) {
            throw ConnectorError(.notFound, "\(Self.descriptor.id) has no object \(missing)")
        }
        return DiscoverResult(objects: found)
    }

    public func parseWebhook(_ request: WebhookRequest) throws -> WebhookResult {
        throw ConnectorError(.unsupported, "\(Self.descriptor.id) does not parse webhooks")
    }
}
