import CrosswalkCore
import Foundation

/// Associations v4: `/crm/v4/objects/…/associations/…` and `/crm/v4/associations/{from}/{to}/batch/*`.
enum HubSpotAssociationRoutes {
    /// `PUT …/associations/default/{toObjectType}/{toObjectId}`: the unlabeled type, both directions.
    static func createDefault(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let edge = try pathEdge(state, call)
        let results = try associateDefault(edge, state: &state, call: &call)
        return HubSpotJSONWriter.response(200, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    /// `PUT …/associations/{toObjectType}/{toObjectId}` with `[{associationCategory, associationTypeId}]`.
    static func createLabelled(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let edge = try pathEdge(state, call)
        guard let specs = call.request.jsonBody() as? [[String: Any]] else {
            throw .validation("The body must be an array of {associationCategory, associationTypeId}.")
        }
        let pair = try associate(edge, specs: specs, state: &state, call: &call)
        return HubSpotJSONWriter.response(201, pair)
    }

    /// `DELETE …/associations/{toObjectType}/{toObjectId}`: removes every type between the two records.
    static func remove(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let edge = try pathEdge(state, call, requireRecords: false)
        unlink(edge, typeIds: nil, state: &state, call: &call)
        return .empty(204)
    }

    /// `GET /crm/v4/objects/{type}/{id}/associations/{toType}?limit&after`.
    static func list(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        let id = call.parameters["fromObjectId"] ?? ""
        guard state.find(from, idProperty: nil, value: id) != nil else { throw .notFound(id: id) }
        let limit = try call.limit(default: 500, max: 500)
        let after = try call.request.queryValue("after").map { text throws(HubSpotError) -> Int in
            guard let n = Int(text) else { throw .validation("after must be the cursor from paging.next.after.") }
            return n
        }
        let (page, next) = targets(state, from: from, id: id, to: to, after: after, limit: limit)
        var body: [String: Any] = ["results": page]
        if let next { body["paging"] = ["next": ["after": next, "link": "\(call.request.baseURL)\(call.request.path)?after=\(next)"]] }
        return HubSpotJSONWriter.response(200, body)
    }

    /// `batch/read {inputs:[{id, after?}]}`: ids with no associations are reported in a 207.
    static func batchRead(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 1000)
        var results: [[String: Any]] = []
        var errors: [HubSpotError] = []
        for input in inputs {
            guard let id = HubSpotJSON.text(input["id"]) else { throw .validation("Each input needs an id.") }
            let (page, next) = targets(state, from: from, id: id, to: to, after: HubSpotJSON.integer(input["after"]), limit: 500)
            if page.isEmpty {
                errors.append(HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND",
                                           message: "No \(to.singular) is associated with \(from.singular) \(id).", context: ["fromObjectId": [id]]))
                continue
            }
            var result: [String: Any] = ["from": ["id": id], "to": page]
            if let next { result["paging"] = ["next": ["after": next]] }
            results.append(result)
        }
        let body = HubSpotJSON.batch(results, errors: errors, startedAt: call.now, completedAt: call.now)
        return HubSpotJSONWriter.response(errors.isEmpty ? 200 : 207, body)
    }

    /// `batch/create {inputs:[{from:{id}, to:{id}, types:[…]}]}`.
    static func batchCreate(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 2000)
        var draft = state, draftCall = call
        var results: [[String: Any]] = []
        for input in inputs {
            let edge = try inputEdge(input, from: from, to: to, state: draft)
            guard let specs = input["types"] as? [[String: Any]] else { throw .validation("Each input needs a types array.") }
            results.append(try associate(edge, specs: specs, state: &draft, call: &draftCall))
        }
        state = draft
        call = draftCall
        return HubSpotJSONWriter.response(201, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    /// `batch/associate/default {inputs:[{from:{id}, to:{id}}]}`.
    static func batchCreateDefault(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 2000)
        var draft = state, draftCall = call
        var results: [[String: Any]] = []
        for input in inputs { results += try associateDefault(try inputEdge(input, from: from, to: to, state: draft), state: &draft, call: &draftCall) }
        state = draft
        call = draftCall
        return HubSpotJSONWriter.response(200, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    /// `batch/archive {inputs:[{from:{id}, to:[{id}]}]}`: removes all types between each pair.
    static func batchArchive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        for input in try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 2000) {
            guard let fromId = HubSpotJSON.text((input["from"] as? [String: Any])?["id"]), let targets = input["to"] as? [[String: Any]] else {
                throw .validation("Each input needs from.id and a to array of {id}.")
            }
            for target in targets {
                guard let toId = HubSpotJSON.text(target["id"]) else { throw .validation("Each to entry needs an id.") }
                unlink(HubSpotEdge(from: from, fromId: fromId, to: to, toId: toId), typeIds: nil, state: &state, call: &call)
            }
        }
        return .empty(204)
    }

    /// `batch/labels/archive {inputs:[{from:{id}, to:{id}, types:[…]}]}`: removes only the given types.
    static func batchArchiveLabels(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let from = try call.objectType("fromObjectType"), to = try call.objectType("toObjectType")
        for input in try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 2000) {
            guard let fromId = HubSpotJSON.text((input["from"] as? [String: Any])?["id"]),
                  let toId = HubSpotJSON.text((input["to"] as? [String: Any])?["id"]),
                  let specs = input["types"] as? [[String: Any]]
            else { throw .validation("Each input needs from.id, to.id and types.") }
            let edge = HubSpotEdge(from: from, fromId: fromId, to: to, toId: toId)
            unlink(edge, typeIds: try typeIds(specs, edge: edge, state: state), state: &state, call: &call)
        }
        return .empty(204)
    }

    // MARK: helpers

    private static func pathEdge(_ state: HubSpotState, _ call: HubSpotCall, requireRecords: Bool = true) throws(HubSpotError) -> HubSpotEdge {
        let edge = HubSpotEdge(from: try call.objectType("fromObjectType"), fromId: call.parameters["fromObjectId"] ?? "",
                               to: try call.objectType("toObjectType"), toId: call.parameters["toObjectId"] ?? "")
        if requireRecords { try checkRecords(edge, state) }
        return edge
    }

    private static func inputEdge(_ input: [String: Any], from: HubSpotObjectType, to: HubSpotObjectType,
                                  state: HubSpotState) throws(HubSpotError) -> HubSpotEdge {
        guard let fromId = HubSpotJSON.text((input["from"] as? [String: Any])?["id"]),
              let toId = HubSpotJSON.text((input["to"] as? [String: Any])?["id"])
        else { throw .validation("Each input needs from.id and to.id.") }
        let edge = HubSpotEdge(from: from, fromId: fromId, to: to, toId: toId)
        try checkRecords(edge, state)
        return edge
    }

    private static func checkRecords(_ edge: HubSpotEdge, _ state: HubSpotState) throws(HubSpotError) {
        for (type, id) in [(edge.from, edge.fromId), (edge.to, edge.toId)] where state.find(type, idProperty: nil, value: id) == nil {
            throw .notFound("No \(type.singular) with id \(id) exists.", id: id)
        }
    }

    private static func typeIds(_ specs: [[String: Any]], edge: HubSpotEdge, state: HubSpotState) throws(HubSpotError) -> [Int] {
        var ids: [Int] = []
        for spec in specs {
            guard let typeId = HubSpotJSON.integer(spec["associationTypeId"]), let type = state.labels.find(typeId),
                  type.from == edge.from, type.to == edge.to, type.category == spec["associationCategory"] as? String
            else {
                throw .validation("\(spec["associationCategory"] as? String ?? "?") \(HubSpotJSON.text(spec["associationTypeId"]) ?? "?") is not a valid association type from \(edge.from.rawValue) to \(edge.to.rawValue).")
            }
            ids.append(typeId)
        }
        guard !ids.isEmpty else { throw .validation("At least one association type is required.") }
        return ids
    }

    private static func associate(_ edge: HubSpotEdge, specs: [[String: Any]], state: inout HubSpotState,
                                  call: inout HubSpotCall) throws(HubSpotError) -> [String: Any] {
        let ids = try typeIds(specs, edge: edge, state: state)
        link(edge, typeIds: ids, state: &state, call: &call)
        return labelsBetween(edge, state)
    }

    private static func associateDefault(_ edge: HubSpotEdge, state: inout HubSpotState, call: inout HubSpotCall) throws(HubSpotError) -> [[String: Any]] {
        guard let type = state.labels.defaultType(from: edge.from, to: edge.to) else {
            throw .validation("\(edge.from.rawValue) and \(edge.to.rawValue) cannot be associated.")
        }
        link(edge, typeIds: [type.typeId], state: &state, call: &call)
        func entry(_ e: HubSpotEdge, _ typeId: Int) -> [String: Any] {
            ["from": ["id": e.fromId], "to": ["id": e.toId], "associationSpec": ["associationCategory": "HUBSPOT_DEFINED", "associationTypeId": typeId]]
        }
        return [entry(edge, type.typeId), entry(edge.reversed, type.inverse)]
    }

    private static func link(_ edge: HubSpotEdge, typeIds: [Int], state: inout HubSpotState, call: inout HubSpotCall) {
        let before = Set(state.associations.types(edge))
        state.associations.add(edge, typeIds: typeIds, labels: state.labels)
        for typeId in typeIds where !before.contains(typeId) { call.changes.append(.associationChanged(edge, typeId: typeId, removed: false)) }
    }

    private static func unlink(_ edge: HubSpotEdge, typeIds: [Int]?, state: inout HubSpotState, call: inout HubSpotCall) {
        let before = state.associations.types(edge)
        state.associations.remove(edge, typeIds: typeIds, labels: state.labels)
        let after = Set(state.associations.types(edge))
        for typeId in before where !after.contains(typeId) { call.changes.append(.associationChanged(edge, typeId: typeId, removed: true)) }
    }

    /// `LabelsBetweenObjectPair` for the current types between two records.
    private static func labelsBetween(_ edge: HubSpotEdge, _ state: HubSpotState) -> [String: Any] {
        let labels = state.associations.types(edge).compactMap { state.labels.find($0)?.label }
        return ["fromObjectTypeId": edge.from.typeId, "fromObjectId": edge.fromId, "toObjectTypeId": edge.to.typeId,
                "toObjectId": edge.toId, "labels": labels]
    }

    /// One page of `MultiAssociatedObjectWithLabel` (live targets only) and the next cursor.
    private static func targets(_ state: HubSpotState, from: HubSpotObjectType, id: String, to: HubSpotObjectType,
                                after: Int?, limit: Int) -> ([[String: Any]], String?) {
        var links = state.associations.targets(from: from, fromId: id, to: to).filter { state.find(to, idProperty: nil, value: $0.id) != nil }
        if let after { links = links.filter { (Int($0.id) ?? 0) >= after } }
        let page = links.prefix(limit).map { link -> [String: Any] in
            ["toObjectId": link.id, "associationTypes": link.typeIds.compactMap { state.labels.find($0)?.json }]
        }
        return (Array(page), links.count > limit ? links[limit].id : nil)
    }
}
