import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
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
        let resolution = URLResolution(connection: connection)
        return HostServices(
            http: { request in
                var request = request
                request.url = try resolution.resolve(request.url)
                // The plugin's CROSSWALK_HTTP_IDEMPOTENT flag; otherwise the transport's own rule.
                guard request.headers[ABIHTTP.idempotentMarker] != nil else { return try await resilient.send(request) }
                request.headers[ABIHTTP.idempotentMarker] = nil
                return try await resilient.send(request, retrySafe: true)
            },
            state: StorePluginState(store: store, connection: connection.name),
            idmap: { [store, name = connection.name] in try await IDMapLookup(store: store, connection: name)($0) })
    }

    /// A live plugin instance for `connection`.
    public func instantiate(connection: ConnectionConfig, plugin: LoadedPlugin) async throws -> PluginInstance {
        let services = try await services(connection: connection, plugin: plugin)
        return try await plugin.instantiate(connection: connection.name, settings: Data(connection.settings.jsonData()),
                                            services: services, logger: logger)
    }
}

/// Where a connection's plugin may send requests, and so the connection's credentials.
///
/// A path resolves against the `base_url` setting. An absolute URL must have the origin (scheme,
/// host, port) of `base_url` or of one of the `allowed_origins` setting: a response body or a stored
/// cursor must never be able to send the connection's credentials elsewhere.
struct URLResolution: Sendable {
    let connection: String
    let base: String?
    let origins: Set<String>

    init(connection: ConnectionConfig) {
        self.connection = connection.name
        base = connection.settings["base_url"]?.stringValue.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        var origins = Set(base.flatMap(Self.origin).map { [$0] } ?? [])
        if case .array(let extra)? = connection.settings["allowed_origins"] {
            origins.formUnion(extra.compactMap { $0.stringValue.flatMap(Self.origin) })
        }
        self.origins = origins
    }

    /// `https://host:port` of a URL (default ports made explicit), or `nil` when it is not http(s).
    static func origin(_ url: String) -> String? {
        guard let c = URLComponents(string: url), let scheme = c.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = c.host?.lowercased(), !host.isEmpty else { return nil }
        return "\(scheme)://\(host):\(c.port ?? (scheme == "https" ? 443 : 80))"
    }

    func resolve(_ url: String) throws -> String {
        let context = ["connection": connection]
        if url.hasPrefix("https://") || url.hasPrefix("http://") {
            guard let origin = Self.origin(url), origins.contains(origin) else {
                throw CrosswalkError(.invalidArgument, "the plugin asked for \(Self.origin(url) ?? "an invalid URL"), which is neither this connection's base_url nor in its allowed_origins; credentials are sent only there",
                                     context: context)
            }
            return url
        }
        guard let base, !base.isEmpty else {
            throw CrosswalkError(.invalidArgument, "the plugin asked for a path, but connection \(connection) has no base_url setting", context: context)
        }
        return base + (url.hasPrefix("/") ? url : "/" + url)
    }
}
