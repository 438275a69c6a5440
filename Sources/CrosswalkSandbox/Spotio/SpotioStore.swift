import CrosswalkCore
import Foundation

/// One authenticated (or token-endpoint) request being answered.
struct SpotioCall {
    let request: SandboxRequest
    let params: [String: String]
    /// The token's user; empty for the token endpoints.
    let userId: String
    let now: Date

    /// A query parameter, matched case-insensitively (ASP.NET model binding ignores case).
    func query(_ name: String) -> String? {
        request.query.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// A boolean query parameter (`true`/`false`/`1`/`0`).
    func flag(_ name: String) -> Bool? {
        switch query(name)?.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: return nil
        }
    }

    /// A comma-separated query parameter as a list (empty items dropped).
    func list(_ name: String) -> [String] {
        (query(name) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// The SPOTIO emulator's state and request handling. All requests run on this actor, one at a time.
actor SpotioStore {
    var state: SpotioState
    let credentials: SpotioCredentials
    let environment: any SandboxEnvironment
    /// Every record id sorted by a search sort key (`createdAt`, `-updatedAt`…), for the `dataVersion` it was made
    /// at: searches filter this order instead of sorting (cleared on import and reset).
    var sortedOrders: [String: (version: Int, ids: [String])] = [:]
    /// Events raised while answering the current request; delivered as one batch when it completes.
    var pendingEvents: [(type: String, data: [String: Any])] = []

    init(credentials: SpotioCredentials, environment: any SandboxEnvironment) {
        self.credentials = credentials
        self.environment = environment
        self.state = SpotioStore.initialState(credentials: credentials, now: environment.now())
    }

    /// The tenant as it is before any data: workflow configuration, the API key's admin user, the webhook secret.
    static func initialState(credentials: SpotioCredentials, now: Date) -> SpotioState {
        var state = SpotioState()
        state.types = SpotioSeed.objectTypes(now: now)
        state.activityTemplates = SpotioSeed.activityTemplates
        state.webhookSecret = credentials.webhookSecret
        let admin = SpotioSeed.adminUser(email: credentials.email, now: now)
        state.users[admin.id] = admin
        state.nextUserNumber = Int(admin.id)! + 1
        return state
    }

    /// The admin user who owns the API key.
    var adminUserId: String { SpotioSeed.adminUserId }

    func handle(_ request: SandboxRequest) -> SandboxResponse {
        pendingEvents = []
        let now = environment.now()
        switch SpotioRouter.match(method: request.method, path: request.path) {
        case .notFound:
            return SpotioWire.routeNotFound
        case .methodNotAllowed:
            return .empty(405)
        case let .found(route, params):
            var userId = ""
            if route.needsAuth {
                switch authenticate(request, now: now) {
                case let .success(id): userId = id
                case let .failure(denied): return denied.response
                }
            }
            let call = SpotioCall(request: request, params: params, userId: userId, now: now)
            let response = dispatch(route.endpoint, call)
            if (200..<300).contains(response.status) { deliverPendingEvents(now: now) }
            pendingEvents = []
            return response
        }
    }

    private func dispatch(_ endpoint: SpotioEndpoint, _ call: SpotioCall) -> SandboxResponse {
        switch endpoint {
        case .apiToken: return mintApiToken(call)
        case .authToken: return login(call)
        case .createDataObject: return createDataObject(call)
        case .getDataObject: return getDataObject(call)
        case .deleteDataObject: return deleteDataObject(call)
        case .patchDataObject: return patchDataObject(call, withActivity: false)
        case .patchDataObjectWithActivity: return patchDataObject(call, withActivity: true)
        case .manyDataObjects: return manyDataObjects(call)
        case .deletedDataObjects: return deletedDataObjects(call)
        case .searchDataObjects: return searchDataObjects(call)
        case .searchDataObjectsList: return searchDataObjects(call, shape: .listItem)
        case .searchDataObjectsSimple: return searchDataObjects(call, shape: .simple)
        case let .notEmulated(reason): return SpotioWire.error(501, field: "_", "\(call.request.method) \(call.request.path) is not emulated by the Crosswalk sandbox: \(reason).")
        case .createActivity: return createActivity(call)
        case .createActivities: return createActivities(call)
        case .getActivity: return getActivity(call)
        case .replaceActivity: return updateActivity(call, merge: false)
        case .patchActivity: return updateActivity(call, merge: true)
        case .activityFeed: return activityFeed(call)
        case .allUsers: return allUsers(call)
        case .userList: return userList(call)
        case .createUser: return createUser(call)
        case .updateUser: return updateUser(call)
        case .workflow: return workflowSettings(call)
        case .objectTypes: return objectTypes(call, full: false)
        case .objectTypesFull: return objectTypes(call, full: true)
        case .objectType: return objectType(call)
        case .objectTypeStages: return objectTypeStages(call)
        case .objectTypeFields: return objectTypeFields(call)
        case .activityTemplates: return activityTemplates(call)
        case .webhookScopes: return .json(200, SpotioWebhookEvents.scopes)
        case .listWebhooks: return listWebhooks(call)
        case .createWebhook: return createWebhook(call)
        case .updateWebhook: return updateWebhook(call)
        case .deleteWebhook: return deleteWebhook(call)
        }
    }

    var render: SpotioRender { SpotioRender(state: state) }

    /// Every record id in the order of `sortKey` (descending when asked), sorted once per change to the records.
    func orderedIds(sortKey: String, descending: Bool) -> [String] {
        let name = (descending ? "-" : "") + sortKey
        if let cached = sortedOrders[name], cached.version == state.dataVersion { return cached.ids }
        let ids = SpotioSearch.sortedIds(state, render: render, key: sortKey, descending: descending)
        sortedOrders[name] = (state.dataVersion, ids)
        return ids
    }

    /// Records an event for the webhook batch of the current request.
    func raise(_ type: String, _ data: [String: Any]) {
        pendingEvents.append((type, data))
    }

    // MARK: Lifecycle

    func expireAccessTokens() {
        let past = environment.now().addingTimeInterval(-1)
        for key in state.accessTokens.keys { state.accessTokens[key]?.expiresAt = past }
    }

    /// Drops records, activities, tombstones, extra users, webhooks and cursors; keeps configuration,
    /// the admin user and issued tokens (credentials configured at start stay).
    func reset() {
        var fresh = SpotioStore.initialState(credentials: credentials, now: environment.now())
        fresh.accessTokens = state.accessTokens
        fresh.refreshTokens = state.refreshTokens
        state = fresh
        sortedOrders = [:]
    }

    func exportState() -> Data { SandboxStateCodec.encode(state) }

    func importState(_ data: Data) throws {
        state = try SandboxStateCodec.decode(SpotioState.self, from: data, app: "spotio")
        sortedOrders = [:]
    }
}
