import CrosswalkConnectors
import CrosswalkCore
import Foundation

/// The typed ``ConnectorClient`` over a plugin instance: encodes requests with exact numbers,
/// decodes results, and turns a malformed answer into a clear error naming the plugin and the
/// operation (never a Foundation error text).
public final class PluginConnectorClient: ConnectorClient {
    public let instance: PluginInstance
    public var connection: String { instance.connection }
    public var pluginID: String { instance.plugin.id }
    public var manifest: ConnectorManifest { instance.plugin.manifest }

    public init(instance: PluginInstance) { self.instance = instance }

    public func check() async throws -> CheckResult {
        try decode(CheckResult.self, try await instance.check(), operation: "check")
    }

    public func discover(_ request: DiscoverRequest) async throws -> DiscoverResult {
        let result = try decode(DiscoverResult.self, try await instance.discover(), operation: "discover")
        guard let wanted = request.objects else { return result }
        return DiscoverResult(objects: result.objects.filter { wanted.contains($0.name) })
    }

    public func read(_ request: ReadRequest) async throws -> ReadResult {
        try decode(ReadResult.self, try await instance.read(try encode(request)), operation: "read")
    }

    public func write(_ request: WriteRequest) async throws -> WriteResult {
        let result = try decode(WriteResult.self, try await instance.write(try encode(request)), operation: "write")
        let refs = Set(request.records.map(\.ref))
        if let stray = result.results.first(where: { !refs.contains($0.ref) }) {
            throw error("write answered a result for ref \"\(stray.ref)\", which was not in the batch", operation: "write")
        }
        return result
    }

    public func parseWebhook(_ request: WebhookRequest) async throws -> WebhookResult {
        try decode(WebhookResult.self, try await instance.parseWebhook(try encode(request)), operation: "parse_webhook")
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
