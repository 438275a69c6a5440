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
        var signing: any HTTPClient = transport
        if let authenticator = broker.authenticator {
            // Sign each attempt (NetSuite nonces must not repeat), retry outside the signing.
            signing = AuthenticatingClient(wrapping: signing, authenticator: authenticator)
        }
        let policy = OriginPolicy(connection: connection)
        // Each attempt resolves its URL too, after the token is had (its instance URL decides where a path goes).
        let inner = ResolvingClient(inner: signing, broker: broker, policy: policy)
        let limits = manifest.rateLimits
        var rate = limits?.requestsPerSecond
        if rate == nil, let n = limits?.windowRequests, let seconds = limits?.windowSeconds, seconds > 0 { rate = Double(n) / seconds }
        let client = ResilientClient(
            wrapping: inner, connection: connection.name,
            configuration: ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 8, retryInternalServerError: true),
                                                   requestsPerSecond: rate, burst: limits?.burst ?? 10,
                                                   maxConcurrentRequests: maxConcurrency(connection, manifest: limits)),
            logger: logger)
        return ConnectionContext(connection: connection, pluginID: pluginID, broker: broker, policy: policy,
                                 client: client, store: store, logger: logger)
    }

    /// The connection's concurrency cap: its `max_concurrency` setting (an account's own limit, e.g. NetSuite's
    /// Tier 1 or SuiteCloud Plus), else the manifest's `rate_limits.max_concurrency`.
    static func maxConcurrency(_ connection: ConnectionConfig, manifest limits: ConnectorManifest.RateLimits?) -> Int? {
        if case .int(let n)? = connection.settings["max_concurrency"], n >= 1 { return n }
        return limits?.maxConcurrency
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

/// Resolves and checks a plugin's URL (``OriginPolicy``) on each attempt, inside the retries: the
/// token is fetched first, so a path goes to the instance URL it carries, and a token endpoint
/// that failed is retried like any request that never left the host.
struct ResolvingClient: HTTPClient {
    let inner: any HTTPClient
    let broker: CredentialBroker
    let policy: OriginPolicy

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var request = request
        let instanceURL: String?
        do { instanceURL = try await broker.instanceURL() } catch var error as CrosswalkError {
            error.context[CrosswalkError.notSentKey] = "true"
            throw error
        }
        request.url = try policy.resolve(request.url, instanceURL: instanceURL, credentialed: broker.isCredentialed)
        return try await inner.send(request)
    }
}
