import CrosswalkCore
import Foundation

/// Every SPOTIO operation the emulator serves.
enum SpotioEndpoint: Sendable {
    case apiToken, authToken
    case createDataObject, getDataObject, deleteDataObject, patchDataObject, patchDataObjectWithActivity
    case manyDataObjects, deletedDataObjects, searchDataObjects, searchDataObjectsList, searchDataObjectsSimple
    case createActivity, createActivities, getActivity, replaceActivity, patchActivity, activityFeed
    case allUsers, userList, createUser, updateUser
    case workflow, objectTypes, objectTypesFull, objectType, objectTypeStages, objectTypeFields, activityTemplates
    case webhookScopes, listWebhooks, createWebhook, updateWebhook, deleteWebhook
    /// An operation of the swagger the emulator does not serve (see `SpotioUnsupported`).
    case notEmulated(String)
}

/// One row of the route table: a method, a path template from the swagger (`{name}` segments) and the operation.
struct SpotioRoute: Sendable {
    var method: String
    var template: String
    var endpoint: SpotioEndpoint
    /// Whether the operation needs a bearer token (all but the two token endpoints).
    var needsAuth: Bool {
        switch endpoint {
        case .apiToken, .authToken: false
        default: true
        }
    }
}

/// Matches requests against the route table. Literal segments compare case-insensitively, as ASP.NET routing does.
enum SpotioRouter {
    /// The table; templates are spelled exactly as in `spotio-swagger.json`.
    static let routes: [SpotioRoute] = [
        .init(method: "POST", template: "/api/users/apitoken", endpoint: .apiToken),
        .init(method: "POST", template: "/api/auth/token", endpoint: .authToken),

        .init(method: "POST", template: "/api/DataObjects", endpoint: .createDataObject),
        .init(method: "GET", template: "/api/DataObjects/{dataObjectId}", endpoint: .getDataObject),
        .init(method: "DELETE", template: "/api/DataObjects/{dataObjectId}", endpoint: .deleteDataObject),
        .init(method: "PATCH", template: "/api/DataObjects/{dataObjectId}/jsonp", endpoint: .patchDataObject),
        .init(method: "PATCH", template: "/api/DataObjects/{dataObjectId}/jsonp/withActivity", endpoint: .patchDataObjectWithActivity),
        .init(method: "GET", template: "/api/DataObjects/many", endpoint: .manyDataObjects),
        .init(method: "GET", template: "/api/DataObjects/deleted", endpoint: .deletedDataObjects),
        .init(method: "GET", template: "/api/DataObjectsSearch", endpoint: .searchDataObjects),
        .init(method: "POST", template: "/api/DataObjectsSearch", endpoint: .searchDataObjects),
        .init(method: "GET", template: "/api/DataObjectsSearch/list", endpoint: .searchDataObjectsList),
        .init(method: "GET", template: "/api/DataObjectsSearch/simple", endpoint: .searchDataObjectsSimple),
        .init(method: "POST", template: "/api/DataObjectsSearch/simple", endpoint: .searchDataObjectsSimple),

        .init(method: "POST", template: "/api/ActivitiesV2", endpoint: .createActivity),
        .init(method: "POST", template: "/api/v2/activities", endpoint: .createActivity),
        .init(method: "POST", template: "/api/ActivitiesV2/many", endpoint: .createActivities),
        .init(method: "POST", template: "/api/v2/activities/many", endpoint: .createActivities),
        .init(method: "GET", template: "/api/ActivitiesV2/{activityId}", endpoint: .getActivity),
        .init(method: "GET", template: "/api/v2/activities/{activityId}", endpoint: .getActivity),
        .init(method: "PUT", template: "/api/ActivitiesV2/{activityId}", endpoint: .replaceActivity),
        .init(method: "PUT", template: "/api/v2/activities/{activityId}", endpoint: .replaceActivity),
        .init(method: "PATCH", template: "/api/ActivitiesV2/{activityId}", endpoint: .patchActivity),
        .init(method: "PATCH", template: "/api/v2/activities/{activityId}", endpoint: .patchActivity),
        .init(method: "GET", template: "/api/ActivitiesV2/feed", endpoint: .activityFeed),
        .init(method: "GET", template: "/api/v2/activities/feed", endpoint: .activityFeed),

        .init(method: "GET", template: "/api/users", endpoint: .allUsers),
        .init(method: "GET", template: "/api/users/list", endpoint: .userList),
        .init(method: "GET", template: "/api/v2/users/list", endpoint: .userList),
        .init(method: "POST", template: "/api/Users", endpoint: .createUser),
        .init(method: "PUT", template: "/api/users/{id}", endpoint: .updateUser),

        .init(method: "GET", template: "/api/workflow", endpoint: .workflow),
        .init(method: "GET", template: "/api/workflow/dataObjects", endpoint: .objectTypes),
        .init(method: "GET", template: "/api/workflow/dataObjects/full", endpoint: .objectTypesFull),
        .init(method: "GET", template: "/api/workflow/dataObjects/{id}", endpoint: .objectType),
        .init(method: "GET", template: "/api/workflow/dataObjects/{dataObjectId}/stages", endpoint: .objectTypeStages),
        .init(method: "GET", template: "/api/workflow/dataobjects/{dataObjectId}/fields", endpoint: .objectTypeFields),
        .init(method: "GET", template: "/api/workflow/activityTemplates", endpoint: .activityTemplates),

        .init(method: "GET", template: "/api/Webhooks/scopes", endpoint: .webhookScopes),
        .init(method: "GET", template: "/api/Webhooks", endpoint: .listWebhooks),
        .init(method: "POST", template: "/api/Webhooks", endpoint: .createWebhook),
        .init(method: "PUT", template: "/api/Webhooks/{id}", endpoint: .updateWebhook),
        .init(method: "DELETE", template: "/api/Webhooks/{id}", endpoint: .deleteWebhook),
    ]

    enum Match {
        case found(SpotioRoute, [String: String])
        case methodNotAllowed
        case notFound
    }

    /// The most specific route (most literal segments) whose template matches `path`.
    static func match(method: String, path: String) -> Match {
        let segments = split(path)
        var best: (route: SpotioRoute, params: [String: String], literals: Int)?
        var pathMatched = false
        for route in routes + SpotioUnsupported.routes {
            guard let (params, literals) = bind(split(route.template), to: segments) else { continue }
            pathMatched = true
            guard route.method == method else { continue }
            if best == nil || literals > best!.literals { best = (route, params, literals) }
        }
        if let best { return .found(best.route, best.params) }
        return pathMatched ? .methodNotAllowed : .notFound
    }

    private static func split(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func bind(_ template: [Substring], to segments: [Substring]) -> ([String: String], Int)? {
        guard template.count == segments.count else { return nil }
        var params: [String: String] = [:]
        var literals = 0
        for (t, s) in zip(template, segments) {
            if t.hasPrefix("{") && t.hasSuffix("}") {
                params[String(t.dropFirst().dropLast())] = String(s)
            } else if t.caseInsensitiveCompare(s) == .orderedSame {
                literals += 1
            } else {
                return nil
            }
        }
        return (params, literals)
    }
}
