import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

/// The typed ``ConnectorClient`` over a plugin instance: encodes requests with exact numbers,
/// decodes results, and turns a malformed answer into a clear error naming the plugin and the
/// operation (never a Foundation error text).
///
/// The instance runs wherever its plugin's configuration says (its worker process by default,
/// or this process with `isolation: none`); this type is the same either way. Each call has a
/// deadline: the configuration's for its kind, or the one given to the `deadline:` variants. The
/// deadline is sent to the plugin as `deadline_ms` when the request does not set one.
public final class PluginConnectorClient: ConnectorClient {
    public let instance: PluginInstance
    public var connection: String { instance.connection }
    public var pluginID: String { instance.plugin.id }
    public var manifest: ConnectorManifest { instance.plugin.manifest }

    public init(instance: PluginInstance) { self.instance = instance }

    /// Creates an instance of `plugin` for a connection and wraps it.
    public static func make(plugin: LoadedPlugin, connection: String, settings: Data, services: HostServices,
                            logger: Logger) async throws -> PluginConnectorClient {
        PluginConnectorClient(instance: try await plugin.instantiate(connection: connection, settings: settings, services: services, logger: logger))
    }

    private var deadlines: PluginDeadlines { instance.plugin.configuration.deadlines }

    public func check() async throws -> CheckResult { try await check(deadline: nil) }

    /// `check` with its own deadline.
    public func check(deadline: Duration?) async throws -> CheckResult {
        try decode(CheckResult.self, try await instance.check(deadline: deadline), operation: "check")
    }

    public func discover(_ request: DiscoverRequest) async throws -> DiscoverResult { try await discover(request, deadline: nil) }

    /// `discover` with its own deadline: `crosswalk.discover/2` when the plugin offers it, else
    /// the full discover narrowed to `request.objects`.
    public func discover(_ request: DiscoverRequest, deadline: Duration?) async throws -> DiscoverResult {
        if instance.plugin.offersDiscoverV2 {
            return try decode(DiscoverResult.self, try await instance.discover(try encode(request), deadline: deadline), operation: "discover")
        }
        let result = try decode(DiscoverResult.self, try await instance.discover(deadline: deadline), operation: "discover")
        guard let wanted = request.objects else { return result }
        return DiscoverResult(objects: result.objects.filter { wanted.contains($0.name) })
    }

    public func read(_ request: ReadRequest) async throws -> ReadResult { try await read(request, deadline: nil) }

    /// `read` with its own deadline.
    public func read(_ request: ReadRequest, deadline: Duration?) async throws -> ReadResult {
        let deadline = deadline ?? deadlines.read
        var request = request
        if request.deadlineMilliseconds == nil { request.deadlineMilliseconds = Int(deadline.milliseconds) }
        return try decode(ReadResult.self, try await instance.read(try encode(request), deadline: deadline), operation: "read")
    }

    public func write(_ request: WriteRequest) async throws -> WriteResult { try await write(request, deadline: nil) }

    /// `write` with its own deadline.
    public func write(_ request: WriteRequest, deadline: Duration?) async throws -> WriteResult {
        let deadline = deadline ?? deadlines.write
        var request = request
        if request.deadlineMilliseconds == nil { request.deadlineMilliseconds = Int(deadline.milliseconds) }
        let result = try decode(WriteResult.self, try await instance.write(try encode(request), deadline: deadline), operation: "write")
        let refs = Set(request.records.map(\.ref))
        if let stray = result.results.first(where: { !refs.contains($0.ref) }) {
            throw error("write answered a result for ref \"\(stray.ref)\", which was not in the batch", operation: "write")
        }
        return result
    }

    public func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult { try await parseWebhook(request, deadline: nil) }

    /// `parse_webhook` with its own deadline.
    public func parseWebhook(_ request: WebhookRequest, deadline: Duration?) async throws -> WebhookResult {
        try decode(WebhookResult.self, try await instance.parseWebhook(try encode(request), deadline: deadline), operation: "parse_webhook")
    }

    public func close() async { await instance.destroy() }

    private func encode<T: Encodable>(_ value: T) throws -> Data { try JSONValueEncoder().encode(value) }

    private func error(_ message: String, operation: String) -> CrosswalkError {
        CrosswalkError(.internalError, "\(pluginID): \(operation) \(message)",
                       context: ["plugin": pluginID, "connection": connection, "operation": operation])
    }

    private func decode<T: Decodable>(_ type: T.Type, _ data: Data, operation: String) throws -> T {
        guard !data.isEmpty else { throw error("answered OK with no result", operation: operation) }
        let value: JSONValue
        do { value = try JSONParser.parse(data) } catch {
            throw self.error("answered a result that is not valid JSON (\(error))", operation: operation)
        }
        do { return try JSONValueDecoder().decode(T.self, from: value) } catch let e as DecodingError {
            throw error("answered a result that does not follow the ABI: \(e.crosswalkDescription)", operation: operation)
        }
    }
}
