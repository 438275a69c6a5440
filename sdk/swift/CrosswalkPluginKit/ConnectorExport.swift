import CrosswalkABI
import Foundation

/// Turns a `Connector` type into the C descriptor. Owns every `@_cdecl`-facing shim: each one
/// catches every thrown error and turns it into a status code plus error JSON, so nothing unwinds
/// across the boundary.
public enum ConnectorExport {
    /// The connector type this shared object exports (one per plugin), set once by `entry`.
    nonisolated(unsafe) private static var connectorType: (any Connector.Type)?
    nonisolated(unsafe) private static var descriptor: UnsafeMutablePointer<crosswalk_plugin_v1>?
    private static let lock = NSLock()

    /// The body of a plugin's `crosswalk_plugin_entry`: builds the descriptor once and returns it.
    /// - Parameters:
    ///   - type: the connector type.
    ///   - host: the host's process-wide service table (unused by the kit; kept for logging).
    /// - Returns: the descriptor, valid for the life of the process.
    public static func entry(_ type: any Connector.Type, host: UnsafePointer<crosswalk_host_v1>?) -> UnsafePointer<crosswalk_plugin_v1>? {
        lock.lock()
        defer { lock.unlock() }
        if let descriptor { return UnsafePointer(descriptor) }
        connectorType = type
        let d = type.descriptor
        let manifest = String(decoding: JSONWriter.bytes(d.manifest, sortedKeys: true), as: UTF8.self)
        let p = UnsafeMutablePointer<crosswalk_plugin_v1>.allocate(capacity: 1)
        p.initialize(to: crosswalk_plugin_v1(
            struct_size: UInt32(MemoryLayout<crosswalk_plugin_v1>.size),
            abi_major: UInt16(CROSSWALK_ABI_MAJOR), abi_minor: UInt16(CROSSWALK_ABI_MINOR),
            id: UnsafePointer(strdup(d.id)), name: UnsafePointer(strdup(d.name)),
            version: UnsafePointer(strdup(d.version)), vendor: UnsafePointer(strdup(d.vendor)),
            manifest_json: UnsafePointer(strdup(manifest)),
            swift_version: crosswalk_swift_version(),
            create: createShim, destroy: destroyShim, check: checkShim, discover: discoverShim,
            read: readShim, write: writeShim, parse_webhook: parseWebhookShim, get_extension: extensionShim))
        descriptor = p
        return UnsafePointer(p)
    }

    /// Encodes results: exact numbers, compact.
    static func encode(_ value: any Encodable) throws -> Data { try JSONValueEncoder().encode(value) }

    /// The live connector behind a `crosswalk_instance *`.
    final class Box {
        let connector: any Connector
        init(_ connector: any Connector) { self.connector = connector }
    }

    static func box(_ instance: OpaquePointer?) -> Box? {
        guard let instance else { return nil }
        return Unmanaged<Box>.fromOpaque(UnsafeRawPointer(instance)).takeUnretainedValue()
    }

    /// Runs `body`, writes its encoded result or the error JSON into `out`, returns the status.
    static func guarded(_ out: UnsafeMutablePointer<crosswalk_buffer_v1>?, _ body: () throws -> any Encodable) -> crosswalk_status {
        do {
            let value = try body()
            Buffers.give(try encode(value), to: out)
            return CROSSWALK_OK
        } catch let error as ConnectorError {
            Buffers.give(error.json.data(), to: out)
            return error.code.status
        } catch let error as DecodingError {
            let e = ConnectorError(.invalidArgument, "malformed request JSON: \(describe(error))")
            Buffers.give(e.json.data(), to: out)
            return e.code.status
        } catch {
            let e = ConnectorError(.internalError, String(describing: error))
            Buffers.give(e.json.data(), to: out)
            return e.code.status
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ p: UnsafePointer<CChar>?, _ len: Int) throws -> T {
        guard let p else { throw ConnectorError(.invalidArgument, "missing request JSON") }
        let bytes = UnsafeRawBufferPointer(start: p, count: len)
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw ConnectorError(.invalidArgument, "malformed request JSON: \(error)")
        }
        return try JSONValueDecoder().decode(T.self, from: value)
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let c): return "missing \(path(c.codingPath + [key]))"
        case .typeMismatch(_, let c), .valueNotFound(_, let c): return "\(path(c.codingPath)): \(c.debugDescription)"
        case .dataCorrupted(let c): return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: ["."])
    }

    static let createShim: @convention(c) (UnsafePointer<crosswalk_host_v1>?, UnsafePointer<CChar>?, Int,
                                            UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        host, config, len, instance, out in
        guard let host, let instance, let type = connectorType else { return CROSSWALK_E_INVALID_ARGUMENT }
        var created: Box?
        let status = guarded(out) {
            let settings = config == nil || len == 0 ? JSONValue.object([:]) : try decode(JSONValue.self, config, len)
            created = Box(try type.init(host: ConnectorHost(host), settings: settings))
            return JSONValue.object(["version": 1])
        }
        if let created { instance.pointee = OpaquePointer(Unmanaged.passRetained(created).toOpaque()) }
        return status
    }

    static let destroyShim: @convention(c) (OpaquePointer?) -> Void = { instance in
        guard let instance else { return }
        Unmanaged<Box>.fromOpaque(UnsafeRawPointer(instance)).release()
    }

    static let checkShim: @convention(c) (OpaquePointer?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = { instance, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.check() }
    }

    /// Plugin extensions: "crosswalk.discover/2".
    static let extensionShim: @convention(c) (UnsafePointer<CChar>?) -> UnsafeRawPointer? = { id in
        guard let id, String(cString: id) == CROSSWALK_PLUGIN_EXT_DISCOVER_V2 else { return nil }
        return UnsafeRawPointer(discoverV2)
    }

    nonisolated(unsafe) static let discoverV2: UnsafeMutablePointer<crosswalk_plugin_discover_v2> = {
        let p = UnsafeMutablePointer<crosswalk_plugin_discover_v2>.allocate(capacity: 1)
        p.initialize(to: crosswalk_plugin_discover_v2(struct_size: UInt32(MemoryLayout<crosswalk_plugin_discover_v2>.size),
                                                      discover: discoverV2Shim))
        return p
    }()

    static let discoverV2Shim: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        instance, request, len, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.discover(try decode(DiscoverRequest.self, request, len)) }
    }

    static let discoverShim: @convention(c) (OpaquePointer?, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = { instance, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.discover() }
    }

    static let readShim: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        instance, request, len, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.read(try decode(ReadRequest.self, request, len)) }
    }

    static let writeShim: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        instance, request, len, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.write(try decode(WriteRequest.self, request, len)) }
    }

    static let parseWebhookShim: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>?) -> crosswalk_status = {
        instance, request, len, out in
        guard let b = box(instance) else { return CROSSWALK_E_INVALID_ARGUMENT }
        return guarded(out) { try b.connector.parseWebhook(try decode(WebhookRequest.self, request, len)) }
    }
}
