import CrosswalkCore
import Foundation

/// A user who can own records (`/crm/v3/owners`).
struct HubSpotOwner: Codable, Sendable {
    var id: Int
    var userId: Int
    var email: String
    var firstName: String
    var lastName: String
    var createdAt: Date
    var archived = false

    var json: [String: Any] {
        ["id": String(id), "userId": userId, "userIdIncludingInactive": userId, "email": email, "firstName": firstName,
         "lastName": lastName, "type": "PERSON", "createdAt": HubSpotTime.iso(createdAt), "updatedAt": HubSpotTime.iso(createdAt),
         "archived": archived, "teams": [["id": "42", "name": "Sales", "primary": true]]]
    }
}

/// Portal-level settings a connector's `check` meets: the scopes the private app lacks, a revoked token, owners.
struct HubSpotPortalState: Codable, Sendable {
    /// Scopes the private-app token does not have: calls that need one answer 403 `MISSING_SCOPES`.
    var missingScopes: Set<String> = []
    /// The private-app token was revoked (rotated or the app uninstalled): every call answers 401.
    var privateAppRevoked = false
    var owners: [HubSpotOwner] = HubSpotPortalState.demoOwners

    static let demoOwners: [HubSpotOwner] = {
        var rng = SeededRandom(seed: 7)
        let start = Date(timeIntervalSince1970: 1_577_836_800)
        return (0..<120).map { n in
            let first = rng.pick(FakeData.firstNames), last = rng.pick(FakeData.lastNames)
            let local = "\(first).\(last).\(n)".lowercased().folding(options: .diacriticInsensitive, locale: nil).replacingOccurrences(of: " ", with: "")
            return HubSpotOwner(id: 70_000_001 + n, userId: 9_001 + n, email: "\(local)@crosswalk-demo.example.com", firstName: first,
                                lastName: last, createdAt: start.addingTimeInterval(Double(n) * 86_400 * 3), archived: n % 40 == 39)
        }
    }()
}

/// Which scope a route needs, and HubSpot's 403 when the private app lacks it.
enum HubSpotScopes {
    /// The scope `method path` needs (nil: none checked). Object routes need `crm.objects.<type>.read|write`,
    /// property and schema routes `crm.schemas.<type>.read|write`, owners `crm.objects.owners.read`, tickets `tickets`,
    /// engagements the contacts scope, products and line items `e-commerce` [doc: developers.hubspot.com/docs/apps/legacy-apps/authentication/scopes].
    static func required(method: String, template: String, parameters: [String: String]) -> String? {
        let write = method != "GET" && !template.hasSuffix("/batch/read") && !template.hasSuffix("/search")
        if template.hasPrefix("/crm/v3/owners") { return "crm.objects.owners.read" }
        if template.hasPrefix("/crm/v3/schemas") || template.hasPrefix("/crm-object-schemas") { return "crm.schemas.custom.read" }
        let name = parameters["objectType"] ?? parameters["fromObjectType"] ?? parameters["legacyType"]
        guard let name, let type = HubSpotObjectType(pathSegment: name) else { return nil }
        let schema = template.hasPrefix("/crm/v3/properties") || template.hasPrefix("/properties/")
        return scope(type, write: write, schema: schema)
    }

    static func scope(_ type: HubSpotObjectType, write: Bool, schema: Bool) -> String {
        let access = write ? "write" : "read"
        switch type {
        case .tickets: return schema ? "crm.schemas.tickets.\(access)" : "tickets"
        case .products, .lineItems: return schema ? "crm.schemas.line_items.\(access)" : "e-commerce"
        case _ where type.isEngagement: return schema ? "crm.schemas.contacts.\(access)" : "crm.objects.contacts.\(access)"
        default: return "crm.\(schema ? "schemas" : "objects").\(type.rawValue).\(access)"
        }
    }

    /// HubSpot's 403 for a call the token has no scope for [src: captured responses, HubSpot/hubspot-api-nodejs#50, #268].
    static func missing(_ scope: String) -> HubSpotError {
        var error = HubSpotError(httpStatus: 403, category: "MISSING_SCOPES",
                                 message: "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.")
        error.details = [(message: "One or more of the following scopes are required.", code: nil, in: nil)]
        error.detailContext = ["requiredGranularScopes": [scope]]
        error.links = ["scopes": "https://developers.hubspot.com/scopes"]
        return error
    }
}

/// `/crm/v3/owners`, `/crm/v3/schemas` and the legacy `/properties/v1|v2/{type}/properties` that connectors still call.
enum HubSpotPortalRoutes {
    static func owners(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let limit = try call.limit(default: 100, max: 500)
        let archived = call.request.queryValue("archived") == "true"
        var owners = state.portal.owners.filter { $0.archived == archived }
        if let email = call.request.queryValue("email") { owners = owners.filter { $0.email == email.lowercased() } }
        var start = 0
        if let after = call.request.queryValue("after") {
            guard let cursor = Int(after) else { throw .validation("after must be the cursor from paging.next.after.") }
            start = owners.firstIndex { $0.id >= cursor } ?? owners.count
        }
        let page = owners[start..<min(owners.count, start + limit)]
        var body: [String: Any] = ["results": page.map(\.json)]
        if start + limit < owners.count {
            let next = String(owners[start + limit].id)
            body["paging"] = ["next": ["after": next, "link": HubSpotObjectRoutes.nextLink(call.request, after: next)]]
        }
        return HubSpotJSONWriter.response(200, body)
    }

    static func owner(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let id = call.parameters["ownerId"] ?? ""
        let byUser = call.request.queryValue("idProperty") == "userId"
        let archived = call.request.queryValue("archived") == "true"
        guard let owner = state.portal.owners.first(where: { String(byUser ? $0.userId : $0.id) == id && $0.archived == archived }) else {
            throw .notFound("Owner \(id) not found.", id: id)
        }
        return HubSpotJSONWriter.response(200, owner.json)
    }

    /// Custom object schemas: this portal has none, so the list is empty (standard objects are not listed, as in HubSpot).
    static func schemas(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        HubSpotJSONWriter.response(200, ["results": [[String: Any]]()])
    }

    /// One object type's schema; standard types answer too.
    static func schema(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let definitions = (state.properties[type] ?? [:]).values.filter { !$0.archived }.sorted { $0.name < $1.name }
        let created = HubSpotTime.iso(definitions.map(\.createdAt).min() ?? call.now)
        let associations = HubSpotObjectType.allCases.flatMap { other in
            state.labels.types(from: type, to: other).map { definition -> [String: Any] in
                ["id": String(definition.typeId), "fromObjectTypeId": type.typeId, "toObjectTypeId": other.typeId,
                 "name": definition.v3Name.uppercased(), "createdAt": created, "updatedAt": created]
            }
        }
        return HubSpotJSONWriter.response(200, [
            "id": type.typeId, "objectTypeId": type.typeId, "name": type.rawValue, "fullyQualifiedName": type.rawValue,
            "labels": ["singular": type.labels.singular, "plural": type.labels.plural],
            "primaryDisplayProperty": type.queryProperties.first ?? "hs_object_id", "requiredProperties": [String](),
            "searchableProperties": type.queryProperties, "secondaryDisplayProperties": [String](), "archived": false,
            "properties": definitions.map { $0.json() }, "associations": associations, "createdAt": created, "updatedAt": created,
        ])
    }

    /// `GET /properties/v1|v2/{type}/properties`: a bare JSON array in the legacy shape (epoch-ms times,
    /// `readOnlyDefinition`, `deleted`…) [doc: legacydocs.hubspot.com, "Get all contact properties" (v1) and CRM properties v2].
    static func legacyProperties(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType("legacyType")
        let list = (state.properties[type] ?? [:]).values.filter { !$0.archived }.sorted { ($0.displayOrder, $0.name) < ($1.displayOrder, $1.name) }
        return HubSpotJSONWriter.response(200, list.map { definition -> [String: Any] in
            [
                "name": definition.name, "label": definition.label, "description": definition.description, "groupName": definition.groupName,
                "type": definition.type, "fieldType": definition.fieldType,
                "options": definition.options.map { ["label": $0.label, "value": $0.value, "displayOrder": $0.displayOrder, "hidden": $0.hidden,
                                                      "description": $0.description, "readOnly": definition.hubspotDefined] },
                "displayOrder": definition.displayOrder, "hidden": definition.hidden, "formField": definition.formField,
                "calculated": definition.calculated, "externalOptions": false, "deleted": false, "hubspotDefined": definition.hubspotDefined,
                "readOnlyValue": definition.readOnlyValue, "readOnlyDefinition": definition.hubspotDefined,
                "mutableDefinitionNotDeletable": definition.hubspotDefined, "hasUniqueValue": definition.hasUniqueValue,
                "favorited": false, "favoritedOrder": -1, "displayMode": "current_value", "showCurrencySymbol": false,
                "searchableInGlobalSearch": false, "isCustomizedDefault": false,
                "createdAt": HubSpotTime.millis(definition.createdAt), "updatedAt": HubSpotTime.millis(definition.updatedAt),
                "createdUserId": NSNull(), "textDisplayHint": NSNull(), "numberDisplayHint": NSNull(), "optionsAreMutable": NSNull(),
                "referencedObjectType": NSNull(), "currencyPropertyName": NSNull(),
            ]
        })
    }
}
