import CrosswalkCore
import Foundation
import Synchronization

/// An emulated NetSuite account (SuiteTalk REST): record service for customer, contact, invoice and opportunity, SuiteQL,
/// token-based authentication verified for real (OAuth 1.0a HMAC-SHA256), OAuth 2.0, concurrency governance and
/// user-event style change notifications.
///
/// ```swift
/// let netsuite = NetSuiteApp(environment: env)
/// await netsuite.seed(SandboxSeed(count: 10))
/// ```
public final class NetSuiteApp: SandboxApp {
    public struct Configuration: Sendable {
        /// Requests the account may have in flight at once (NetSuite: 5 on the shared tier, 15 on tier 1, +10 per SuiteCloud Plus).
        public var concurrencyLimit: Int
        /// Time each request holds its concurrency slot, as if NetSuite were working on it (zero by default).
        public var simulatedLatency: Duration
        /// How far an `oauth_timestamp` may be from now, in seconds.
        public var timestampWindow: TimeInterval

        public init(concurrencyLimit: Int = 5, simulatedLatency: Duration = .zero, timestampWindow: TimeInterval = 300) {
            self.concurrencyLimit = concurrencyLimit
            self.simulatedLatency = simulatedLatency
            self.timestampWindow = timestampWindow
        }
    }

    /// The fixed demo credentials (see `NetSuiteDemoCredentials`), by name.
    public static let demoCredentials = NetSuiteDemoCredentials.all

    public let name = "netsuite"
    private let environment: any SandboxEnvironment
    private let configuration: Configuration
    let gate: NetSuiteConcurrencyGate
    private let runtime: Mutex<Runtime>

    private struct Runtime {
        var state = NetSuiteState()
        var settings = NetSuiteAccountSettings()
        var suiteQLOrders = NetSuiteSuiteQL.OrderCache()
        var verifier: NetSuiteTBAVerifier
        var loginAudit: [NetSuiteLoginFailure] = []
    }

    public init(environment: any SandboxEnvironment, configuration: Configuration = Configuration()) {
        self.environment = environment
        self.configuration = configuration
        gate = NetSuiteConcurrencyGate(limit: configuration.concurrencyLimit)
        var verifier = NetSuiteTBAVerifier(realm: NetSuiteDemoCredentials.accountId,
                                           consumers: [NetSuiteDemoCredentials.consumerKey: NetSuiteDemoCredentials.consumerSecret],
                                           tokens: [NetSuiteDemoCredentials.tokenId: (NetSuiteDemoCredentials.tokenSecret, NetSuiteDemoCredentials.consumerKey)])
        verifier.window = configuration.timestampWindow
        runtime = Mutex(Runtime(verifier: verifier))
    }

    public func handle(_ request: SandboxRequest) async -> SandboxResponse {
        await handle(request, delayedBy: .zero)
    }

    /// Takes a concurrency slot first and holds it for the whole request, the injected latency included: a
    /// slow request keeps its slot, and a request beyond the limit is refused at once, never queued.
    public func handle(_ request: SandboxRequest, delayedBy latency: Duration) async -> SandboxResponse {
        if request.path == NetSuiteOAuth2.tokenPath || request.path == NetSuiteOAuth2.authorizePath {
            if latency > .zero { try? await Task.sleep(for: latency) }
            let now = environment.now()
            return runtime.withLock { runtime in
                guard runtime.settings.oauth2 else { return NetSuiteOAuth2.oauthError("unauthorized_client", status: 400) }
                if request.path == NetSuiteOAuth2.authorizePath, request.method == "GET" {
                    return NetSuiteOAuth2.authorize(&runtime.state, request, now: now)
                }
                guard request.method == "POST" else { return NetSuiteOAuth2.oauthError("invalid_request", status: 405) }
                return NetSuiteOAuth2.token(&runtime.state, request, now: now)
            }
        }
        guard gate.enter() else { return NetSuiteError.concurrencyLimit.response }
        defer { gate.leave() }
        let hold = latency + configuration.simulatedLatency
        if hold > .zero { try? await Task.sleep(for: hold) }
        let now = environment.now()
        let (response, webhooks) = runtime.withLock { runtime -> (SandboxResponse, [SandboxWebhook]) in
            if let failure = Self.authenticate(request, runtime: &runtime, now: now) {
                runtime.loginAudit = Array((runtime.loginAudit + [failure]).suffix(100))
                let bearer = request.headers["Authorization"]?.lowercased().hasPrefix("bearer") == true
                return (NetSuiteError.invalidLogin(realm: NetSuiteDemoCredentials.accountId, bearer: bearer).response, [])
            }
            var changes: [NetSuiteChange] = []
            let response: SandboxResponse
            do throws(NetSuiteError) {
                try NetSuiteAccess.check(request, settings: runtime.settings)
                response = try Self.route(&runtime.state, request, settings: runtime.settings, cache: &runtime.suiteQLOrders, now: now, changes: &changes)
            } catch {
                response = error.response
            }
            return (response, NetSuiteNotifications.deliveries(for: changes, state: runtime.state, now: now, baseURL: request.baseURL))
        }
        for webhook in webhooks { environment.deliver(webhook) }
        return response
    }

    /// TBA when the header says `OAuth`, a live OAuth 2.0 token when it says `Bearer`; the failure reason otherwise.
    private static func authenticate(_ request: SandboxRequest, runtime: inout Runtime, now: Date) -> NetSuiteLoginFailure? {
        let header = request.headers["Authorization"] ?? ""
        if header.lowercased().hasPrefix("bearer ") {
            guard runtime.settings.oauth2 else { return .featureDisabled }
            return NetSuiteOAuth2.bearerValid(request, state: runtime.state, now: now) ? nil : .unknownToken
        }
        if let failure = runtime.verifier.verify(request, now: now) { return failure }
        return runtime.settings.tokenBasedAuthentication ? nil : .featureDisabled
    }

    private static func route(_ state: inout NetSuiteState, _ request: SandboxRequest, settings: NetSuiteAccountSettings,
                              cache: inout NetSuiteSuiteQL.OrderCache, now: Date,
                              changes: inout [NetSuiteChange]) throws(NetSuiteError) -> SandboxResponse {
        if request.path == "/services/rest/query/v1/suiteql" {
            guard request.method == "POST" else {
                throw NetSuiteError(status: 405, code: "INVALID_PARAMETER", detail: "HTTP method \(request.method) is not supported for this resource.")
            }
            return try NetSuiteSuiteQL.run(state, request, settings: settings, cache: &cache, now: now)
        }
        if request.path.hasPrefix(NetSuiteRecordRoutes.recordPrefix) {
            return try NetSuiteRecordRoutes.handle(&state, request, settings: settings, now: now, changes: &changes)
        }
        throw NetSuiteError(status: 404, code: "INVALID_PARAMETER", detail: "The requested resource \(request.path) does not exist.")
    }

    /// Why recent token-based logins were refused, oldest first (NetSuite's Login Audit Trail).
    public func loginAuditTrail() -> [String] { runtime.withLock { $0.loginAudit.map(\.rawValue) } }

    public func faultResponse(_ fault: SandboxFault) -> SandboxResponse {
        switch fault {
        case .rateLimited: NetSuiteError.concurrencyLimit.response
        case .serverError:
            NetSuiteError(status: 500, code: "UNEXPECTED_ERROR",
                          detail: "An unexpected error occurred. Error ID: \(UUID().uuidString.lowercased().prefix(18))").response
        }
    }

    /// Expires OAuth 2.0 access tokens (refresh tokens stay valid). TBA tokens do not expire in NetSuite.
    public func expireAccessTokens() async {
        let now = environment.now()
        runtime.withLock { $0.state.oauth2.expireAll(now: now) }
    }

    /// Drops records and subscriptions and restores the default account settings and concurrency limit;
    /// issued OAuth 2.0 tokens stay valid.
    public func reset() async {
        gate.limit = configuration.concurrencyLimit
        runtime.withLock { runtime in
            runtime.settings = NetSuiteAccountSettings()
            let oauth2 = runtime.state.oauth2
            runtime.state = NetSuiteState()
            runtime.state.oauth2 = oauth2
        }
    }

    public func seed(_ options: SandboxSeed) async {
        let now = environment.now()
        runtime.withLock { NetSuiteSeed.seed(&$0.state, options: options, now: now) }
    }

    /// Registers a change-notification target; `events` like `contact.create`, `customer.*`; `secret` signs deliveries.
    public func subscribe(url: String, secret: String?, events: [String]) async {
        runtime.withLock { $0.state.subscriptions.append(NetSuiteSubscription(url: url, secret: secret, events: events)) }
    }

    public var controlNames: [String] { NetSuiteControls.names }

    public func control(_ name: String, _ request: SandboxRequest) async -> SandboxResponse? {
        NetSuiteControls.handle(name, request, gate: gate, settings: { update in runtime.withLock { update(&$0.settings) } })
    }

    public func refusal(_ refusal: SandboxRefusal) -> SandboxResponse { NetSuiteError.refusal(refusal).response }

    public var maxURLBytes: Int? { NetSuiteError.maxURLBytes }

    public func exportState() async -> Data { SandboxStateCodec.encode(runtime.withLock { $0.state }) }

    public func importState(_ data: Data) async throws {
        let state = try SandboxStateCodec.decode(NetSuiteState.self, from: data, app: name)
        runtime.withLock { $0.state = state }
    }
}
