import CrosswalkAuth
import CrosswalkConfig
import CrosswalkConnectors
import CrosswalkCore
import CrosswalkHTTP
import CrosswalkPlugins
import CrosswalkStore
import Foundation
import Logging

/// Everything one connection has once per host process, shared by every plugin instance and
/// every flow that uses it: the credential broker (one refresh at a time), the rate limiter and
/// the concurrency cap (in one ``ResilientClient``), the origin policy, and the connection facts.
///
/// Made by ``HostRuntime/context(for:)``; build plugin instances over it with ``services()``.
public final class ConnectionContext: Sendable {
    public let connection: ConnectionConfig
    public let pluginID: String
    public let broker: CredentialBroker
    public let policy: OriginPolicy
    /// Retries, rate limit and concurrency cap around the signing client.
    public let client: ResilientClient
    let store: any Store
    let logger: Logger

    /// - Parameters:
    ///   - manifest: the connection's plugin's manifest (auth scheme, rate limits).
    ///   - transport: the host's transport, shared by every connection.
    public static func make(connection: ConnectionConfig, pluginID: String, manifest: ConnectorManifest, transport: any HTTPClient,
                            vault: Vault, store: any Store, logger: Logger) async throws -> ConnectionContext {
        var logger = logger
        logger[metadataKey: "connection"] = "\(connection.name)"
        let broker = try await CredentialBroker.make(connection: connection, plugin: pluginID, auth: manifest.auth, vault: vault,
                                                     http: transport, logger: logger)
        var inner: any HTTPClient = transport
        if let authenticator = broker.authenticator {
            // Sign each attempt (NetSuite nonces must not repeat), retry outside the signing.
            inner = AuthenticatingClient(wrapping: inner, authenticator: authenticator)
        }
        let limits = manifest.rateLimits
        var rate = limits?.requestsPerSecond
        if rate == nil, let n = limits?.windowRequests, let seconds = limits?.windowSeconds, seconds > 0 { rate = Double(n) / seconds }
        let client = ResilientClient(
            wrapping: inner, connection: connection.name,
            configuration: ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 8, retryInternalServerError: true),
                                                   requestsPerSecond: rate, burst: limits?.burst ?? 10,
                                                   maxConcurrentRequests: limits?.maxConcurrency),
            logger: logger)
        return ConnectionContext(connection: connection, pluginID: pluginID, broker: broker, policy: OriginPolicy(connection: connection),
                                 client: client, store: store, logger: logger)
    }

    init(connection: ConnectionConfig, pluginID: String, broker: CredentialBroker, policy: OriginPolicy, client: ResilientClient,
         store: any Store, logger: Logger) {
        self.connection = connection
        self.pluginID = pluginID
        self.broker = broker
        self.policy = policy
        self.client = client
        self.store = store
        self.logger = logger
    }

    /// The connection's rate limiter, shared by all its requests.
    public var rateLimiter: RateLimiter { client.rateLimiter }

    /// Sends one request of the connection's plugin: resolve and check the URL, authenticate,
    /// retry, rate-limit.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        // The token is fetched first so that a path resolves against the instance URL it carries.
        let instanceURL = try await broker.instanceURL()
        request.url = try policy.resolve(request.url, instanceURL: instanceURL, credentialed: broker.isCredentialed)
        // The plugin's CROSSWALK_HTTP_IDEMPOTENT flag; otherwise the transport's own rule.
        guard request.headers[ABIHTTP.idempotentMarker] != nil else { return try await client.send(request) }
        request.headers[ABIHTTP.idempotentMarker] = nil
        return try await client.send(request, retrySafe: true)
    }

    /// Non-secret facts (`crosswalk.connection/1`), read afresh each time (a refresh may change them).
    public func facts() async -> ConnectionFacts { await broker.facts(connection: connection) }

    /// The host services for one plugin instance of this connection.
    public func services() -> HostServices {
        HostServices(
            http: { [self] in try await send($0) },
            state: StorePluginState(store: store, connection: connection.name),
            idmap: { [store, name = connection.name] in try await IDMapLookup(store: store, connection: name)($0) },
            facts: { [self] in await facts() })
    }
}
