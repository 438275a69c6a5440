import CrosswalkCore
import Foundation

/// A change a request made, turned into webhook events after the request.
enum HubSpotChange: Sendable {
    case created(HubSpotObjectType, id: String, properties: [String: String])
    case propertyChanged(HubSpotObjectType, id: String, name: String, value: String)
    case deleted(HubSpotObjectType, id: String)
    case associationChanged(HubSpotEdge, typeId: Int, removed: Bool)
}

/// What a route handler sees of one request.
struct HubSpotCall {
    var request: SandboxRequest
    var now: Date
    var parameters: [String: String]
    var configuration: HubSpotApp.Configuration
    var changes: [HubSpotChange] = []

    /// The object type named by the path parameter `name`.
    func objectType(_ name: String = "objectType") throws(HubSpotError) -> HubSpotObjectType {
        let segment = parameters[name] ?? ""
        guard let type = HubSpotObjectType(pathSegment: segment) else { throw .validation("Unable to infer object type from: \(segment)") }
        return type
    }

    /// The `limit` query parameter: default when absent, capped at `max`.
    func limit(default value: Int, max: Int) throws(HubSpotError) -> Int {
        guard let text = request.queryValue("limit") else { return value }
        guard let n = Int(text), n > 0 else { throw .validation("limit must be a positive integer.") }
        return min(n, max)
    }
}

/// One route: method, path template (`{name}` segments capture), whether it needs a bearer token, and its handler.
struct HubSpotRoute: Sendable {
    enum Kind: Sendable { case oauth, api, search }
    typealias Handler = @Sendable (inout HubSpotState, inout HubSpotCall) throws(HubSpotError) -> SandboxResponse

    var method: String
    var template: String
    var kind: Kind
    var handler: Handler

    init(_ method: String, _ template: String, _ kind: Kind, _ handler: @escaping Handler) {
        self.method = method
        self.template = template
        self.kind = kind
        self.handler = handler
    }

    init(_ method: String, _ template: String, _ handler: @escaping Handler) {
        self.init(method, template, .api, handler)
    }

    /// The path parameters when `segments` fit the template.
    func match(_ segments: [Substring]) -> [String: String]? {
        let pattern = template.split(separator: "/")
        guard pattern.count == segments.count else { return nil }
        var parameters: [String: String] = [:]
        for (p, s) in zip(pattern, segments) {
            if p.hasPrefix("{") { parameters[String(p.dropFirst().dropLast())] = String(s) } else if p != s { return nil }
        }
        return parameters
    }

    var literalCount: Int { template.split(separator: "/").filter { !$0.hasPrefix("{") }.count }
}

/// The routes the HubSpot emulator serves.
enum HubSpotRouter {
    static let routes: [HubSpotRoute] = [
        HubSpotRoute("GET", "/oauth/authorize", .oauth, HubSpotAuth.authorize),
        HubSpotRoute("POST", "/oauth/v1/token", .oauth) { state, call in HubSpotAuth.token(&state, &call) },
        HubSpotRoute("GET", "/oauth/v1/access-tokens/{token}", .oauth, HubSpotAuth.accessTokenInfo),
        HubSpotRoute("GET", "/oauth/v1/refresh-tokens/{token}", .oauth, HubSpotAuth.refreshTokenInfo),
        HubSpotRoute("DELETE", "/oauth/v1/refresh-tokens/{token}", .oauth, HubSpotAuth.refreshTokenInfo),

        HubSpotRoute("GET", "/crm/v3/objects/{objectType}", HubSpotObjectRoutes.list),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}", HubSpotObjectRoutes.create),
        HubSpotRoute("GET", "/crm/v3/objects/{objectType}/{objectId}", HubSpotObjectRoutes.get),
        HubSpotRoute("PATCH", "/crm/v3/objects/{objectType}/{objectId}", HubSpotObjectRoutes.update),
        HubSpotRoute("DELETE", "/crm/v3/objects/{objectType}/{objectId}", HubSpotObjectRoutes.archive),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/batch/read", HubSpotBatchRoutes.read),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/batch/create", HubSpotBatchRoutes.create),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/batch/update", HubSpotBatchRoutes.update),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/batch/upsert", HubSpotBatchRoutes.upsert),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/batch/archive", HubSpotBatchRoutes.archive),
        HubSpotRoute("POST", "/crm/v3/objects/{objectType}/search", .search, HubSpotSearch.search),

        HubSpotRoute("PUT", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}",
                     HubSpotAssociationRoutes.createDefault),
        HubSpotRoute("PUT", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}",
                     HubSpotAssociationRoutes.createLabelled),
        HubSpotRoute("DELETE", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}/{toObjectId}",
                     HubSpotAssociationRoutes.remove),
        HubSpotRoute("GET", "/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/{toObjectType}", HubSpotAssociationRoutes.list),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read", HubSpotAssociationRoutes.batchRead),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/create", HubSpotAssociationRoutes.batchCreate),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default",
                     HubSpotAssociationRoutes.batchCreateDefault),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/archive", HubSpotAssociationRoutes.batchArchive),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/labels/archive",
                     HubSpotAssociationRoutes.batchArchiveLabels),

        HubSpotRoute("GET", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.list),
        HubSpotRoute("POST", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.create),
        HubSpotRoute("PUT", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.update),
        HubSpotRoute("DELETE", "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels/{associationTypeId}", HubSpotLabelRoutes.archive),
        HubSpotRoute("GET", "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.list),
        HubSpotRoute("POST", "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.create),
        HubSpotRoute("PUT", "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels", HubSpotLabelRoutes.update),
        HubSpotRoute("DELETE", "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels/{associationTypeId}", HubSpotLabelRoutes.archive),

        HubSpotRoute("GET", "/crm/v3/owners", HubSpotPortalRoutes.owners),
        HubSpotRoute("GET", "/crm/v3/owners/{ownerId}", HubSpotPortalRoutes.owner),
        HubSpotRoute("GET", "/crm/v3/schemas", HubSpotPortalRoutes.schemas),
        HubSpotRoute("GET", "/crm/v3/schemas/{objectType}", HubSpotPortalRoutes.schema),
        HubSpotRoute("GET", "/crm-object-schemas/v3/schemas", HubSpotPortalRoutes.schemas),
        HubSpotRoute("GET", "/crm-object-schemas/v3/schemas/{objectType}", HubSpotPortalRoutes.schema),
        HubSpotRoute("GET", "/properties/v1/{legacyType}/properties", HubSpotPortalRoutes.legacyProperties),
        HubSpotRoute("GET", "/properties/v2/{legacyType}/properties", HubSpotPortalRoutes.legacyProperties),

        HubSpotRoute("GET", "/crm/v3/properties/{objectType}", HubSpotPropertyRoutes.list),
        HubSpotRoute("POST", "/crm/v3/properties/{objectType}", HubSpotPropertyRoutes.create),
        HubSpotRoute("POST", "/crm/v3/properties/{objectType}/batch/read", HubSpotPropertyRoutes.batchRead),
        HubSpotRoute("POST", "/crm/v3/properties/{objectType}/batch/create", HubSpotPropertyRoutes.batchCreate),
        HubSpotRoute("POST", "/crm/v3/properties/{objectType}/batch/archive", HubSpotPropertyRoutes.batchArchive),
        HubSpotRoute("GET", "/crm/v3/properties/{objectType}/groups", HubSpotPropertyRoutes.listGroups),
        HubSpotRoute("POST", "/crm/v3/properties/{objectType}/groups", HubSpotPropertyRoutes.createGroup),
        HubSpotRoute("GET", "/crm/v3/properties/{objectType}/groups/{groupName}", HubSpotPropertyRoutes.getGroup),
        HubSpotRoute("PATCH", "/crm/v3/properties/{objectType}/groups/{groupName}", HubSpotPropertyRoutes.updateGroup),
        HubSpotRoute("DELETE", "/crm/v3/properties/{objectType}/groups/{groupName}", HubSpotPropertyRoutes.archiveGroup),
        HubSpotRoute("GET", "/crm/v3/properties/{objectType}/{propertyName}", HubSpotPropertyRoutes.get),
        HubSpotRoute("PATCH", "/crm/v3/properties/{objectType}/{propertyName}", HubSpotPropertyRoutes.update),
        HubSpotRoute("DELETE", "/crm/v3/properties/{objectType}/{propertyName}", HubSpotPropertyRoutes.archive),
    ]

    /// Routes that are not part of HubSpot's API specs: the consent screen (it lives on app.hubspot.com), the
    /// documented short spellings of the labels and schemas routes (`/crm/v4/associations/…/labels`, `/crm/v3/schemas`,
    /// whose spec spelling is also served), and the legacy properties API (legacydocs.hubspot.com).
    static let outsideSpec: Set<String> = [
        "GET /oauth/authorize",
        "GET /crm/v4/associations/{fromObjectType}/{toObjectType}/labels", "POST /crm/v4/associations/{fromObjectType}/{toObjectType}/labels",
        "PUT /crm/v4/associations/{fromObjectType}/{toObjectType}/labels",
        "DELETE /crm/v4/associations/{fromObjectType}/{toObjectType}/labels/{associationTypeId}",
        "GET /crm/v3/schemas", "GET /crm/v3/schemas/{objectType}",
        "GET /properties/v1/{legacyType}/properties", "GET /properties/v2/{legacyType}/properties",
    ]

    /// The route for `method` + `path` with its parameters; a 404 or 405 in HubSpot's shape otherwise.
    static func resolve(method: String, path: String) -> Result<(HubSpotRoute, [String: String]), HubSpotError> {
        let segments = path.split(separator: "/")
        let matching = routes.compactMap { route in route.match(segments).map { (route, $0) } }
        guard !matching.isEmpty else {
            return .failure(HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "No endpoint matches \(method) \(path)."))
        }
        guard let best = matching.filter({ $0.0.method == method }).max(by: { $0.0.literalCount < $1.0.literalCount }) else {
            return .failure(.methodNotAllowed(method))
        }
        return .success(best)
    }
}
