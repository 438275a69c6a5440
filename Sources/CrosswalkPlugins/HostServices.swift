import CrosswalkConnectors
import CrosswalkCore
import Foundation
import Logging

/// What the host offers one plugin instance: everything that is the same for every app.
///
/// The plugin reaches these through `crosswalk_host_v1`; this struct of closures is the safe
/// Swift side. They always run in the host's process, whatever the isolation: a worker forwards
/// the plugin's calls to them, so secrets, the rate limiter and the store never enter it. A
/// cancelled plugin call stops waiting for them (and their task is cancelled).
public struct HostServices: Sendable {
    /// Sends a request for the instance's connection: resolve against the base URL, authenticate,
    /// retry, rate-limit. `nil` means the instance has no connection (HTTP is refused).
    public var http: (@Sendable (HTTPRequest) async throws -> HTTPResponse)?
    /// The connection's private key-value state (`crosswalk.state/1`).
    public var state: (any PluginStateStore)?
    /// Id lookups through the host's ID map (`crosswalk.idmap/1`): request JSON to result JSON.
    public var idmap: (@Sendable (Data) async throws -> Data)?
    /// Non-secret connection facts (`crosswalk.connection/1`), read each time the plugin asks
    /// (they change after a token refresh).
    public var facts: (@Sendable () async throws -> ConnectionFacts)?

    public init(http: (@Sendable (HTTPRequest) async throws -> HTTPResponse)? = nil,
                state: (any PluginStateStore)? = nil,
                idmap: (@Sendable (Data) async throws -> Data)? = nil,
                facts: (@Sendable () async throws -> ConnectionFacts)? = nil) {
        self.http = http
        self.state = state
        self.idmap = idmap
        self.facts = facts
    }
}

/// Durable key-value state for one plugin instance.
public protocol PluginStateStore: Sendable {
    func get(_ key: String) async throws -> Data?
    func put(_ key: String, _ value: Data) async throws
    func remove(_ key: String) async throws
}
