@preconcurrency import CrosswalkABI
import CrosswalkCore
import Foundation
import Logging

/// One live instance of a plugin, bound to one connection.
///
/// Every call runs on the instance's own thread (never the cooperative pool), one at a time.
/// Results are the plugin's JSON documents; errors are `CrosswalkError`s carrying the plugin's
/// code and message with `plugin` and `connection` context.
public final class PluginInstance: Sendable {
    public let plugin: LoadedPlugin
    public let connection: String
    private let thread: PluginThread
    private let hostTable: HostTable
    private let handle: LockedValue<OpaquePointer?>

    private init(plugin: LoadedPlugin, connection: String, thread: PluginThread, hostTable: HostTable, handle: OpaquePointer) {
        self.plugin = plugin
        self.connection = connection
        self.thread = thread
        self.hostTable = hostTable
        self.handle = LockedValue(handle)
    }

    static func create(plugin: LoadedPlugin, connection: String, settings: Data, services: HostServices, logger: Logger) async throws -> PluginInstance {
        let thread = PluginThread(name: "plugin \(plugin.id) \(connection)")
        let hostTable = HostTable(logger: logger, services: services)
        hostTable.register()
        let table = plugin.table
        let host = UnsafePointer(hostTable.pointer)
        let outcome: Result<OpaquePointer, CrosswalkError>? = await thread.run {
            var instance: OpaquePointer?
            var out = ABIBuffers.empty()
            let status = settings.withUnsafeBytes { raw in
                table.create(host, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, &instance, &out)
            }
            let detail = ABIBuffers.take(&out)
            guard status == CROSSWALK_OK, let instance else {
                return .failure(PluginInstance.error(status == CROSSWALK_OK ? CROSSWALK_E_INTERNAL : status, detail,
                                                     operation: "create", plugin: plugin.id, connection: connection))
            }
            return .success(instance)
        }
        switch outcome ?? .failure(CrosswalkError(.internalError, "the plugin thread stopped")) {
        case .success(let instance):
            return PluginInstance(plugin: plugin, connection: connection, thread: thread, hostTable: hostTable, handle: instance)
        case .failure(let error):
            hostTable.unregister()
            thread.stop()
            throw error
        }
    }

    /// The plugin's error JSON turned into a `CrosswalkError`.
    static func error(_ status: crosswalk_status, _ detail: Data, operation: String, plugin: String, connection: String) -> CrosswalkError {
        let json = (try? JSONSerialization.jsonObject(with: detail)) as? [String: Any]
        let message = json?["message"] as? String ?? "the plugin answered status \(status) without a message"
        var code = ABIStatus.code(for: status)
        if status == CROSSWALK_OK { code = .internalError }
        return CrosswalkError(code, message, context: ["plugin": plugin, "connection": connection, "operation": operation],
                              retryAfterMilliseconds: json?["retry_after_ms"] as? Int)
    }

    private func call(_ operation: String, input: Data?,
                      _ body: @escaping @Sendable (OpaquePointer, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<crosswalk_buffer_v1>) -> crosswalk_status?) async throws -> Data {
        let pluginID = plugin.id, connection = connection, handle = handle
        let destroyed = CrosswalkError(.invalidArgument, "\(operation) on an instance that was destroyed",
                                       context: ["plugin": pluginID, "connection": connection])
        // The handle is read on the plugin thread, where `destroy` also runs, so a call queued
        // before `destroy` sees a live instance and one queued after it sees none.
        let result: Result<Data, CrosswalkError>? = await thread.run {
            guard let instance = handle.withLock({ $0 }) else { return .failure(destroyed) }
            var out = ABIBuffers.empty()
            let status: crosswalk_status? = (input ?? Data()).withUnsafeBytes { raw in
                body(instance, raw.baseAddress?.assumingMemoryBound(to: CChar.self), raw.count, &out)
            }
            let data = ABIBuffers.take(&out)
            guard let status else {
                return .failure(CrosswalkError(.unsupported, "the plugin does not implement \(operation)",
                                               context: ["plugin": pluginID, "connection": connection]))
            }
            guard status == CROSSWALK_OK else {
                return .failure(PluginInstance.error(status, data, operation: operation, plugin: pluginID, connection: connection))
            }
            return .success(data)
        }
        return try (result ?? .failure(destroyed)).get()
    }

    /// `check`: result JSON `{"ok":…,"message":…}`.
    public func check() async throws -> Data {
        let f = plugin.table.check
        return try await call("check", input: nil) { i, _, _, out in f?(i, out) }
    }

    /// `discover`: objects and fields JSON.
    public func discover() async throws -> Data {
        let f = plugin.table.discover
        return try await call("discover", input: nil) { i, _, _, out in f?(i, out) }
    }

    /// `read`: one page of changes; `request` and result JSON as in `crosswalk.h`.
    public func read(_ request: Data) async throws -> Data {
        let f = plugin.table.read
        return try await call("read", input: request) { i, p, n, out in f?(i, p, n, out) }
    }

    /// `write`: a batch; per-record results JSON.
    public func write(_ request: Data) async throws -> Data {
        let f = plugin.table.write
        return try await call("write", input: request) { i, p, n, out in f?(i, p, n, out) }
    }

    /// `parse_webhook`: change events JSON.
    public func parseWebhook(_ request: Data) async throws -> Data {
        let f = plugin.table.parse_webhook
        return try await call("parse_webhook", input: request) { i, p, n, out in f?(i, p, n, out) }
    }

    /// Destroys the instance after the calls already queued; later calls throw.
    public func destroy() async {
        let f = plugin.table.destroy, handle = handle
        _ = await thread.run {
            guard let instance = handle.withLock({ h -> OpaquePointer? in defer { h = nil }; return h }) else { return }
            f?(instance)
        }
        hostTable.unregister()
        thread.stop()
    }

    /// An instance dropped without `destroy()` is destroyed on its thread, which then ends.
    deinit {
        let f = plugin.table.destroy, handle = handle, hostTable = hostTable
        thread.enqueue {
            if let instance = handle.withLock({ h -> OpaquePointer? in defer { h = nil }; return h }) { f?(instance) }
            hostTable.unregister()
        }
        thread.stop()
    }
}
