import CrosswalkCore
import Foundation
import Logging

/// One live instance of a plugin, bound to one connection.
///
/// Its calls run in the plugin's worker process (process isolation) or on the instance's own
/// thread in this process (`isolation: none`); either way one at a time, never on Swift's
/// cooperative pool. Results are the plugin's JSON documents; errors are `CrosswalkError`s
/// carrying the plugin's code and message with `plugin`, `connection` and `operation` context.
///
/// Every call has a deadline (the configuration's for its kind unless given): past it the call
/// fails with `.timeout`, and the plugin sees the call cancelled (`crosswalk.cancel/1`, and
/// `host->http` answers CROSSWALK_E_CANCELLED). Cancelling the caller's task cancels the call the
/// same way, failing it with `.cancelled`.
public final class PluginInstance: Sendable {
    public let plugin: LoadedPlugin
    public let connection: String
    let backend: any InstanceBackend

    init(plugin: LoadedPlugin, connection: String, backend: any InstanceBackend) {
        self.plugin = plugin
        self.connection = connection
        self.backend = backend
    }

    private func call(_ call: PluginCall, _ input: Data?, deadline: Duration?) async throws -> Data {
        try await backend.call(call, input: input, deadline: deadline ?? plugin.configuration.deadlines[call.operation])
    }

    /// `check`: result JSON `{"ok":…,"message":…}`.
    public func check(deadline: Duration? = nil) async throws -> Data { try await call(.check, nil, deadline: deadline) }

    /// `discover`: objects and fields JSON.
    public func discover(deadline: Duration? = nil) async throws -> Data { try await call(.discover, nil, deadline: deadline) }

    /// `crosswalk.discover/2`: the objects a discover request names.
    /// - Throws: `.unsupported` when the plugin does not offer it (see `LoadedPlugin.offersDiscoverV2`).
    public func discover(_ request: Data, deadline: Duration? = nil) async throws -> Data {
        guard plugin.offersDiscoverV2 else {
            throw PluginErrors.host(.unsupported, plugin: plugin.id, connection: connection, operation: "discover",
                                    "is not offered with a request (no crosswalk.discover/2)")
        }
        return try await call(.discover2, request, deadline: deadline)
    }

    /// `read`: one page of changes; `request` and result JSON as in `crosswalk.h`.
    public func read(_ request: Data, deadline: Duration? = nil) async throws -> Data { try await call(.read, request, deadline: deadline) }

    /// `write`: a batch; per-record results JSON.
    public func write(_ request: Data, deadline: Duration? = nil) async throws -> Data { try await call(.write, request, deadline: deadline) }

    /// `parse_webhook`: change events JSON.
    public func parseWebhook(_ request: Data, deadline: Duration? = nil) async throws -> Data {
        guard plugin.supportsWebhooks else {
            throw PluginErrors.host(.unsupported, plugin: plugin.id, connection: connection, operation: "parse_webhook",
                                    "is not implemented by the plugin")
        }
        return try await call(.parseWebhook, request, deadline: deadline)
    }

    /// Destroys the instance after the calls already queued; later calls throw.
    public func destroy() async { await backend.destroy() }
}

/// The calls of an instance, as backends and the worker protocol name them.
enum PluginCall: String, Sendable, CaseIterable {
    case check, discover
    /// `crosswalk.discover/2`.
    case discover2
    case read, write
    case parseWebhook = "parse_webhook"

    var operation: PluginOperation {
        switch self {
        case .check: .check
        case .discover, .discover2: .discover
        case .read: .read
        case .write: .write
        case .parseWebhook: .parseWebhook
        }
    }
}

/// Where an instance's calls run: this process, or the plugin's worker.
protocol InstanceBackend: Sendable {
    func call(_ call: PluginCall, input: Data?, deadline: Duration) async throws -> Data
    func destroy() async
}
