import CrosswalkCore
import Foundation

/// One request being answered.
struct AriticCall {
    let request: SandboxRequest
    /// Query parameters nested the PHP way.
    let query: [String: Any]
    /// The authenticated user (0 for the OAuth endpoints).
    let userId: Int
    let now: Date
}

/// The Aritic emulator's state and request handling. All requests run on this actor, one at a time.
actor AriticStore {
    var state = AriticState()
    let credentials: AriticCredentials
    let environment: any SandboxEnvironment
    /// The instance's users: the API user and a sales user who owns some contacts.
    let users: [Int: AriticUser]
    /// Webhook events raised by the current request, sent as one post per hook when it completes.
    var pendingEvents: [(type: String, payload: AriticObject)] = []
    /// Scheme, host and port of the current request (`X-Origin-Base-URL` of webhooks).
    var currentBaseURL = ""

    init(credentials: AriticCredentials, environment: any SandboxEnvironment) {
        self.credentials = credentials
        self.environment = environment
        users = [
            1: AriticUser(id: 1, username: credentials.username, firstName: "Admin", lastName: "User", email: "admin@aritic-demo.example.com"),
            2: AriticUser(id: 2, username: "sales", firstName: "Sam", lastName: "Seller", email: "sales@aritic-demo.example.com"),
        ]
    }

    var version: String { credentials.mauticVersion }

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        pendingEvents = []
        currentBaseURL = request.baseURL
        // Mautic keeps DATETIME columns in whole seconds: so do dateAdded/dateModified here, so a
        // `where` on date_modified compares what the API shows.
        let now = Date(timeIntervalSince1970: environment.now().timeIntervalSince1970.rounded(.down))
        switch AriticRouter.match(method: request.method, path: request.path) {
        case .notFound:
            return AriticWire.error(404, "No route found for \"\(request.method) \(request.path)\"", version: nil)
        case let .methodNotAllowed(allowed):
            return AriticWire.error(405, "No route found for \"\(request.method) \(request.path)\": Method Not Allowed (Allow: \(allowed.joined(separator: ", ")))",
                                    version: nil)
        case let .found(route):
            // FOSRestBundle's body listener refuses a JSON body it cannot decode before any controller runs.
            if !request.body.isEmpty, (request.headers["Content-Type"] ?? "").lowercased().contains("json"), request.jsonBody() == nil {
                return AriticWire.error(400, "Invalid json message received", version: route.needsAuth ? version : nil)
            }
            var userId = 0
            if route.needsAuth {
                switch authenticate(request, now: now) {
                case let .success(id): userId = id
                case let .failure(denied): return denied.response
                }
            }
            let call = AriticCall(request: request, query: AriticWire.query(request), userId: userId, now: now)
            var response = dispatch(route, call)
            if route.needsAuth { response.headers["Mautic-Version"] = version }
            if (200..<300).contains(response.status) { deliverPendingEvents(now: now) }
            pendingEvents = []
            return response
        }
    }

    private func dispatch(_ route: AriticRoute, _ call: AriticCall) -> SandboxResponse {
        switch route {
        case .token: return token(call)
        case .authorize: return authorize(call)
        case let .list(kind): return list(kind, call)
        case let .get(kind, id): return get(kind, id, call)
        case let .create(kind): return create(kind, call)
        case let .edit(kind, id): return edit(kind, id, call)
        case let .delete(kind, id): return delete(kind, id, call)
        case let .batchNew(kind): return batchNew(kind, call)
        case let .batchEdit(kind): return batchEdit(kind, call)
        case let .batchDelete(kind): return batchDelete(kind, call)
        case let .companyContact(company, contact, add): return linkCompany(company, contact: contact, add: add, call)
        case let .segmentContact(segment, contact, add): return changeMembership(segment, contact: contact, add: add, call)
        case let .segmentContacts(segment): return addContacts(to: segment, call)
        case let .contactSegments(id): return contactSegments(id, call)
        case let .contactCompanies(id): return contactCompanies(id, call)
        case .userSegments: return userSegments(call)
        case let .fields(kind): return fieldList(kind)
        case .hookTriggers: return hookTriggers()
        }
    }

    var render: AriticRender { AriticRender(state: state, users: users) }

    func raise(_ type: String, _ payload: AriticObject) {
        pendingEvents.append((type, payload))
    }

    func notFound() -> SandboxResponse { AriticWire.error(404, AriticWire.notFoundMessage, version: version) }

    // MARK: Lifecycle

    func expireAccessTokens() {
        let past = environment.now().addingTimeInterval(-1)
        for key in state.accessTokens.keys { state.accessTokens[key]?.expiresAt = past }
    }

    /// Drops contacts, companies, segments, memberships and hooks; issued tokens stay valid.
    func reset() {
        var fresh = AriticState()
        fresh.accessTokens = state.accessTokens
        fresh.refreshTokens = state.refreshTokens
        state = fresh
    }

    func exportState() -> Data { SandboxStateCodec.encode(state) }

    func importState(_ data: Data) throws { state = try SandboxStateCodec.decode(AriticState.self, from: data, app: "aritic") }
}
