import CrosswalkCore
import Foundation
import Synchronization

/// An emulated HubSpot portal: CRM objects v3 (contacts, companies, deals, invoices) with batch and search,
/// associations v4, properties v3, OAuth v1 and private-app tokens, rate limits and signed webhooks.
///
/// ```swift
/// let hubspot = HubSpotApp(environment: env)
/// await hubspot.seed(SandboxSeed(count: 20))
/// let response = await hubspot.handle(SandboxRequest(method: "GET", path: "/crm/v3/objects/contacts",
///     headers: ["Authorization": "Bearer \(HubSpotDemoCredentials.privateAppToken)"]))
/// ```
public final class HubSpotApp: SandboxApp {
    /// Budgets and lifetimes; the defaults are those of a Professional portal.
    public struct Configuration: Sendable {
        /// Calls per rolling 10 s for the private app (HubSpot: 100 Free/Starter, 190 Pro/Enterprise).
        public var burstPerTenSeconds: Int
        /// Calls per rolling 10 s for OAuth installations (HubSpot: 110).
        public var oauthBurstPerTenSeconds: Int
        /// Private-app calls per UTC day (HubSpot: 250k Free/Starter, 650k Pro, 1M Enterprise).
        public var dailyLimit: Int
        /// Search calls per second for the account (HubSpot: 5).
        public var searchPerSecond: Int
        /// OAuth access token lifetime (HubSpot: 30 min).
        public var accessTokenLifetime: TimeInterval
        /// Redirect URIs the OAuth app accepts; `nil` accepts any absolute URI.
        public var redirectURIs: [String]?
        /// Longest request target (path and query) answered; longer ones get HubSpot's 414.
        public var maxURILength: Int
        /// Largest request body answered; larger ones get 413 in HubSpot's error shape.
        public var maxBodyBytes: Int

        public init(burstPerTenSeconds: Int = 190, oauthBurstPerTenSeconds: Int = 110, dailyLimit: Int = 650_000,
                    searchPerSecond: Int = 5, accessTokenLifetime: TimeInterval = 1800, redirectURIs: [String]? = nil,
                    maxURILength: Int = 16_200, maxBodyBytes: Int = 10 << 20) {
            self.maxURILength = maxURILength
            self.maxBodyBytes = maxBodyBytes
            self.burstPerTenSeconds = burstPerTenSeconds
            self.oauthBurstPerTenSeconds = oauthBurstPerTenSeconds
            self.dailyLimit = dailyLimit
            self.searchPerSecond = searchPerSecond
            self.accessTokenLifetime = accessTokenLifetime
            self.redirectURIs = redirectURIs
        }

        func accepts(redirectURI: String) -> Bool { redirectURIs?.contains(redirectURI) ?? true }
    }

    /// The fixed demo credentials (see `HubSpotDemoCredentials`), by name.
    public static let demoCredentials = HubSpotDemoCredentials.all

    public let name = "hubspot"
    private let environment: any SandboxEnvironment
    private let configuration: Configuration
    private let runtime: Mutex<Runtime>

    private struct Runtime {
        var state: HubSpotState
        var limiter = HubSpotRateLimiter()
    }

    public init(environment: any SandboxEnvironment, configuration: Configuration = Configuration()) {
        self.environment = environment
        self.configuration = configuration
        runtime = Mutex(Runtime(state: HubSpotState(now: environment.now())))
    }

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        let now = environment.now()
        let configuration = configuration
        let (response, webhooks) = runtime.withLock { runtime -> (SandboxResponse, [SandboxWebhook]) in
            if let refused = HubSpotLimits.refuse(request, configuration: configuration) { return (refused.response, []) }
            let route: HubSpotRoute, parameters: [String: String]
            switch HubSpotRouter.resolve(method: request.method, path: request.path) {
            case let .failure(error): return (error.response, [])
            case let .success(found): (route, parameters) = found
            }
            var rateHeaders: HTTPFields = [:]
            if route.kind != .oauth {
                let identity: HubSpotIdentity
                do throws(HubSpotError) {
                    identity = try runtime.state.authenticate(request, now: now)
                    if identity == .privateApp, let scope = HubSpotScopes.required(method: request.method, template: route.template, parameters: parameters),
                       runtime.state.portal.missingScopes.contains(scope) {
                        throw HubSpotScopes.missing(scope)
                    }
                } catch { return (error.response, []) }
                if route.kind == .search {
                    guard runtime.limiter.admitSearch(now: now, perSecond: configuration.searchPerSecond) else {
                        return (HubSpotRateLimiter.limitResponse(policy: "SECONDLY"), [])
                    }
                } else {
                    switch runtime.limiter.admit(identity, now: now, configuration: configuration) {
                    case let .success(headers): rateHeaders = headers
                    case let .failure(refusal): return (HubSpotRateLimiter.limitResponse(policy: refusal.policy, headers: refusal.headers), [])
                    }
                }
            }
            var call = HubSpotCall(request: request, now: now, parameters: parameters, configuration: configuration)
            var response: SandboxResponse
            do throws(HubSpotError) { response = try route.handler(&runtime.state, &call) } catch { response = error.response }
            for field in rateHeaders { response.headers.append(field.name, field.value) }
            return (response, HubSpotWebhooks.deliveries(for: call.changes, state: &runtime.state, now: now))
        }
        for webhook in webhooks { environment.deliver(webhook) }
        return response
    }

    public func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case let .rateLimited(retryAfterSeconds):
            var headers = HubSpotRateLimiter.headers(.privateApp, max: configuration.burstPerTenSeconds, remaining: 0,
                                                     dailyRemaining: configuration.dailyLimit, configuration: configuration)
            headers["Retry-After"] = String(retryAfterSeconds)
            return HubSpotRateLimiter.limitResponse(policy: "TEN_SECONDLY_ROLLING", headers: headers)
        case .serverError:
            return HubSpotJSONWriter.response(500, ["status": "error", "message": "internal error", "correlationId": UUID().uuidString.lowercased(),
                               "category": "INTERNAL_ERROR"])
        }
    }

    public func expireAccessTokens() async {
        let now = environment.now()
        runtime.withLock { $0.state.tokens.expireAll(now: now) }
    }

    /// Drops records, custom properties, associations, labels, portal settings and subscriptions; issued OAuth tokens
    /// stay valid and the id sequence goes on.
    public func reset() async {
        let now = environment.now()
        runtime.withLock { runtime in
            let tokens = runtime.state.tokens, nextId = runtime.state.nextObjectId
            runtime.state = HubSpotState(now: now)
            runtime.state.tokens = tokens
            runtime.state.nextObjectId = nextId  // ids are never reused, not even across a reset
            runtime.limiter = HubSpotRateLimiter()
        }
    }

    public func seed(_ options: SandboxSeed) async {
        let now = environment.now()
        runtime.withLock { HubSpotSeed.seed(&$0.state, options: options, now: now) }
    }

    /// Registers a webhook target. `secret` defaults to the app's client secret (what HubSpot signs with);
    /// `events` as in `HubSpotSubscription.eventTypes`.
    public func subscribe(url: String, secret: String?, events: [String]) async {
        runtime.withLock { runtime in
            let id = runtime.state.nextSubscriptionId
            runtime.state.nextSubscriptionId += 1
            runtime.state.subscriptions.append(HubSpotSubscription(id: id, url: url, secret: secret ?? HubSpotDemoCredentials.clientSecret,
                                                                   eventTypes: events))
        }
    }

    // MARK: controls (`POST /__sandbox/app/<name>`)

    public var controlNames: [String] { HubSpotControls.names }

    public func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse? {
        let now = environment.now()
        return runtime.withLock { HubSpotControls.handle(name, request, state: &$0.state, now: now) }
    }

    public func exportState() async -> Data { SandboxStateCodec.encode(runtime.withLock { $0.state }) }

    public func importState(_ data: Data) async throws {
        let state = try SandboxStateCodec.decode(HubSpotState.self, from: data, app: name)
        runtime.withLock { $0.state = state }
    }
}
