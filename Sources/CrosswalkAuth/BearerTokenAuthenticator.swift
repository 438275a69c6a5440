import CrosswalkCore
import Foundation
import Logging

/// Holds a bearer access token (OAuth 2.0, JWT bearer, token exchange), renews it shortly before
/// it expires and once after a 401, and hands every renewed credential to `persist` so the vault
/// keeps it. Concurrent callers that need a new token share one request to the token endpoint.
///
/// With `reload`, a refresh first reads the credentials the vault holds now: when another process
/// sharing the vault already refreshed (and a rotating refresh token made ours useless), its
/// token is adopted instead of spending the old refresh token.
public actor BearerTokenAuthenticator: Authenticator {
    private enum Source {
        case oauth2(OAuth2Credentials)
        case jwt(JWTCredentials)
        case tokenExchange(TokenExchangeCredentials)

        var token: OAuth2Token? {
            get {
                switch self {
                case .oauth2(let c): c.token
                case .jwt(let c): c.token
                case .tokenExchange(let c): c.token
                }
            }
            set {
                switch self {
                case .oauth2(var c): c.token = newValue; self = .oauth2(c)
                case .jwt(var c): c.token = newValue; self = .jwt(c)
                case .tokenExchange(var c): c.token = newValue; self = .tokenExchange(c)
                }
            }
        }

        init?(_ credentials: Credentials) {
            switch credentials {
            case .oauth2(let c): self = .oauth2(c)
            case .jwt(let c): self = .jwt(c)
            case .tokenExchange(let c): self = .tokenExchange(c)
            case .netsuiteTBA, .apiKey, .basic: return nil
            }
        }

        var credentials: Credentials {
            switch self {
            case .oauth2(let c): .oauth2(c)
            case .jwt(let c): .jwt(c)
            case .tokenExchange(let c): .tokenExchange(c)
            }
        }
    }

    private enum State {
        case idle
        case refreshing(Task<OAuth2Token, any Error>)
    }

    private var source: Source
    private var state = State.idle
    private let http: any HTTPClient
    private let refreshSkew: TimeInterval
    private let logger: Logger
    private let now: @Sendable () -> Date
    private let persist: @Sendable (Credentials) async throws -> Void
    private let reload: (@Sendable () async throws -> Credentials?)?

    /// - Parameters:
    ///   - credentials: `.oauth2`, `.jwt` or `.tokenExchange`.
    ///   - http: the client that reaches the token endpoint (not the authenticating one).
    ///   - refreshSkew: renew when the token expires within this many seconds.
    ///   - now: the clock (tests move it).
    ///   - persist: receives the credentials with each new token; its failure is logged, not thrown,
    ///     since the new token works for this process either way. It completes before the new token
    ///     is used, so a rotated refresh token is stored before anything can depend on it.
    ///   - reload: reads the credentials as stored now (see the type's documentation).
    /// - Throws: `CrosswalkError` `.invalidArgument` for credentials that carry no bearer token.
    public init(
        credentials: Credentials, http: any HTTPClient, logger: Logger, refreshSkew: TimeInterval = 60,
        now: @escaping @Sendable () -> Date = Date.init,
        persist: @escaping @Sendable (Credentials) async throws -> Void = { _ in },
        reload: (@Sendable () async throws -> Credentials?)? = nil
    ) throws {
        switch credentials {
        case .oauth2(let c): source = .oauth2(c)
        case .jwt(let c): source = .jwt(c)
        case .tokenExchange(let c): source = .tokenExchange(c)
        case .netsuiteTBA, .apiKey, .basic:
            throw CrosswalkError(.invalidArgument, "\(credentials.scheme) credentials do not use bearer tokens")
        }
        self.http = http
        self.logger = logger
        self.refreshSkew = refreshSkew
        self.now = now
        self.persist = persist
        self.reload = reload
    }

    /// The current token (e.g. for Salesforce's `instanceURL`), `nil` before the first.
    public var token: OAuth2Token? { source.token }

    /// The credentials with the current token, as last handed to `persist`.
    public var credentials: Credentials { source.credentials }

    /// A token that does not expire within the refresh skew, fetched when there is none.
    public func validToken() async throws -> OAuth2Token {
        if let current = source.token, !current.expires(within: refreshSkew, of: now()) { return current }
        return try await sharedRefresh(rejected: source.token?.accessToken)
    }

    public func authorize(_ request: HTTPRequest) async throws -> HTTPRequest {
        let token = try await validToken()
        var request = request
        request.headers["Authorization"] = "Bearer " + token.accessToken
        return request
    }

    public func handleUnauthorized(_ rejected: HTTPRequest) async throws -> Bool {
        let sent = rejected.headers["Authorization"].map { String($0.dropFirst("Bearer ".count)) }
        if let current = source.token?.accessToken, current != sent {
            return true // another caller already replaced the rejected token
        }
        _ = try await sharedRefresh(rejected: sent)
        return true
    }

    /// Joins the refresh in flight, or starts one.
    private func sharedRefresh(rejected: String?) async throws -> OAuth2Token {
        if case .refreshing(let task) = state { return try await task.value }
        let task = Task { try await self.refresh(rejected: rejected) }
        state = .refreshing(task)
        defer { state = .idle }
        return try await task.value
    }

    /// The credentials the vault holds now, adopted when they carry another token than ours;
    /// returns that token when it is usable (not `rejected`, not expiring).
    private func adoptStored(rejected: String?) async -> OAuth2Token? {
        guard let reload, let stored = try? await reload(), let adopted = Source(stored), adopted.token != source.token,
              adopted.token != nil else { return nil }
        source = adopted
        guard let token = adopted.token, token.accessToken != rejected, !token.expires(within: refreshSkew, of: now()) else { return nil }
        logger.debug("adopted the token another process stored")
        return token
    }

    private func refresh(rejected: String?) async throws -> OAuth2Token {
        if let adopted = await adoptStored(rejected: rejected) { return adopted }
        logger.debug("requesting a new access token", metadata: ["scheme": "\(source.credentials.scheme)"])
        let fresh: OAuth2Token
        switch source {
        case .oauth2(let c):
            let endpoint = c.tokenEndpoint(http: http, now: now)
            switch c.flow {
            case .authorizationCode:
                guard let old = c.token, let refreshToken = old.refreshToken else {
                    throw CrosswalkError(.auth, "no refresh token is stored for this connection; connect it again to authorise",
                                         context: ["token_url": c.tokenURL])
                }
                fresh = old.updated(by: try await endpoint.refresh(refreshToken: refreshToken))
            case .clientCredentials:
                fresh = try await endpoint.clientCredentials(scopes: c.scopes)
            }
        case .jwt(let c):
            fresh = try await c.fetchToken(http: http, now: now)
        case .tokenExchange(let c):
            fresh = try await c.fetchToken(http: http, now: now)
        }
        source.token = fresh
        logger.info("obtained a new access token", metadata: [
            "expires_in_s": "\(fresh.expiresAt.map { Int($0.timeIntervalSince(now())) }.map(String.init) ?? "unknown")",
        ])
        do {
            try await persist(source.credentials)
        } catch {
            logger.error("could not store the new token; it works until this process ends", metadata: ["error": "\(error)"])
        }
        return fresh
    }
}
