import CrosswalkAuth
import CrosswalkConfig
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkStore
import Foundation
import Logging

/// Turns a configured connection into a live plugin instance with the host's services:
/// credentials from the vault, authentication for the plugin's auth scheme, retries, rate and
/// concurrency limits from its manifest, private state and ID-map lookups from the store.
///
/// The plugin never sees a secret: its HTTP requests reach `http` without credentials and leave
/// the host signed.
public struct ConnectionHost: Sendable {
    public let transport: any HTTPClient
    public let vault: Vault
    public let store: any Store
    public let logger: Logger

    public init(transport: any HTTPClient, vault: Vault, store: any Store, logger: Logger) {
        self.transport = transport
        self.vault = vault
        self.store = store
        self.logger = logger
    }

    /// Which stored credential schemes satisfy a manifest's auth scheme.
    static let acceptedSchemes: [String: Set<String>] = [
        "oauth2": ["oauth2", "jwt", "token_exchange"],
        "netsuite_tba": ["netsuite_tba", "oauth2", "jwt"],
        "api_key": ["api_key", "token_exchange"],
        "basic": ["basic"],
    ]

    /// The authenticator for a connection, or `nil` when its plugin needs none.
    /// - Throws: `.auth` when credentials are missing or of a scheme the plugin cannot use.
    public func authenticator(connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> (any Authenticator)? {
        let scheme = plugin.manifest.auth.scheme
        let context = ["connection": connection.name, "plugin": plugin.id]
        let stored = try await vault.credentials(name: connection.credentials)
        if scheme == "none" { return nil }
        guard let credentials = stored else {
            if scheme == "any" { return nil }
            throw CrosswalkError(.auth, "connection \(connection.name) has no credentials in the vault (entry \"\(connection.credentials)\"); add them with `crosswalk connections add \(connection.name)`", context: context)
        }
        if let accepted = Self.acceptedSchemes[scheme], !accepted.contains(credentials.scheme) {
            throw CrosswalkError(.auth, "\(plugin.id) needs \(scheme) credentials, but the vault entry \"\(connection.credentials)\" holds \(credentials.scheme)", context: context)
        }
        let vault = self.vault, name = connection.credentials
        return try credentials.makeAuthenticator(http: transport, logger: logger, persist: { try await vault.store($0, name: name) })
    }

    /// The host services for one connection's plugin instance.
    public func services(connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> HostServices {
        var client: any HTTPClient = transport
        if let authenticator = try await authenticator(connection: connection, plugin: plugin) {
            // Sign each attempt (NetSuite nonces must not repeat), retry outside the signing.
            client = AuthenticatingClient(wrapping: client, authenticator: authenticator)
        }
        let limits = plugin.manifest.rateLimits
        let resilient = ResilientClient(
            wrapping: client, connection: connection.name,
            configuration: ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 8, retryInternalServerError: true),
                                                   requestsPerSecond: limits?.requestsPerSecond, burst: limits?.burst ?? 10,
                                                   maxConcurrentRequests: limits?.maxConcurrency),
            logger: logger)
        let baseURL = connection.settings["base_url"]?.stringValue
        let name = connection.name
        return HostServices(
            http: { request in
                var request = request
                request.url = try URLResolution.resolve(request.url, against: baseURL, connection: name)
                let retrySafe = request.isIdempotent || request.headers["X-Crosswalk-Idempotent"] != nil
                request.headers["X-Crosswalk-Idempotent"] = nil
                return try await resilient.send(request, retrySafe: retrySafe)
            },
            state: StorePluginState(store: store, connection: connection.name),
            idmap: { [store] in try await IDMapLookup(store: store, connection: name)($0) })
    }

    /// A live plugin instance for `connection`.
    public func instantiate(connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> PluginInstance {
        let services = try await services(connection: connection, plugin: plugin)
        return try await plugin.instantiate(connection: connection.name, settings: Data(connection.settings.jsonData()),
                                            services: services, logger: logger)
    }
}

/// Resolving a plugin's URL (absolute, or a path on the connection's `base_url`).
enum URLResolution {
    static func resolve(_ url: String, against base: String?, connection: String) throws -> String {
        if url.hasPrefix("https://") || url.hasPrefix("http://") { return url }
        guard let base, !base.isEmpty else {
            throw CrosswalkError(.invalidArgument, "the plugin asked for \(url), a path, but connection \(connection) has no base_url setting",
                                 context: ["connection": connection])
        }
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        return trimmed + (url.hasPrefix("/") ? url : "/" + url)
    }
}
