import CrosswalkCore
import Foundation

/// `/crm/v3/objects/{objectType}`: list, get, create, update, archive.
enum HubSpotObjectRoutes {
    static func list(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let limit = try call.limit(default: 10, max: 100)
        var records = state.liveRecords(type, archived: call.request.queryValue("archived") == "true")
        if let after = call.request.queryValue("after") {
            guard let cursor = Int(after) else { throw .validation("after must be the cursor from paging.next.after.") }
            records = records.filter { (Int($0.id) ?? 0) >= cursor }
        }
        let associated = try associationTypes(call.request)
        var body: [String: Any] = ["results": records.prefix(limit).map { render($0, state: state, call: call, associations: associated) }]
        if records.count > limit {
            let next = records[limit].id
            body["paging"] = ["next": ["after": next, "link": "\(call.request.baseURL)\(call.request.path)?after=\(next)&limit=\(limit)"]]
        }
        return .json(200, body)
    }

    static func get(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let id = call.parameters["objectId"] ?? ""
        let idProperty = call.request.queryValue("idProperty")
        let record: HubSpotRecord
        if call.request.queryValue("archived") == "true", idProperty == nil || idProperty == "hs_object_id" {
            guard let archived = state.record(type, id), archived.archived else { throw .notFound(id: id) }
            record = archived
        } else {
            record = try state.resolve(type, id: id, idProperty: idProperty)
        }
        return .json(200, render(record, state: state, call: call, associations: try associationTypes(call.request)))
    }

    static func create(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let record = try createRecord(type, from: try HubSpotJSON.object(call.request), state: &state, call: &call)
        return .json(201, HubSpotJSON.record(record, properties: Array(record.properties.keys)))
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let record = try state.resolve(type, id: call.parameters["objectId"] ?? "", idProperty: call.request.queryValue("idProperty"))
        let updated = try updateRecord(record, properties: body["properties"], state: &state, call: &call)
        return .json(200, HubSpotJSON.record(updated, properties: Array(updated.properties.keys)))
    }

    static func archive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        archiveRecord(type, id: call.parameters["objectId"] ?? "", state: &state, call: &call)
        return .empty(204)
    }

    // MARK: shared with batch routes

    /// Validates and creates one record from `{properties, associations}`.
    static func createRecord(_ type: HubSpotObjectType, from input: [String: Any], state: inout HubSpotState,
                             call: inout HubSpotCall) throws(HubSpotError) -> HubSpotRecord {
        let values = try state.validatedProperties(type, input["properties"])
        try state.checkUnique(type, values, excluding: nil)
        let links = try inlineAssociations(type, input["associations"], state: state)
        let record = state.create(type, values: values, at: call.now)
        var set: [String: String] = [:]
        for (name, value) in values { if let value { set[name] = value } }
        call.changes.append(.created(type, id: record.id, properties: set))
        for (edge, typeIds) in links {
            let placed = HubSpotEdge(from: type, fromId: record.id, to: edge.to, toId: edge.toId)
            state.associations.add(placed, typeIds: typeIds)
        }
        return record
    }

    /// Validates and applies `properties` to an existing record.
    static func updateRecord(_ record: HubSpotRecord, properties: Any?, state: inout HubSpotState,
                             call: inout HubSpotCall) throws(HubSpotError) -> HubSpotRecord {
        let values = try state.validatedProperties(record.type, properties)
        try state.checkUnique(record.type, values, excluding: record.id)
        let changed = state.update(record.type, id: record.id, values: values, at: call.now)
        for name in changed {
            call.changes.append(.propertyChanged(record.type, id: record.id, name: name, value: (values[name] ?? nil) ?? ""))
        }
        return state.record(record.type, record.id) ?? record
    }

    /// Archives a record if it is live (archiving an unknown or archived id still succeeds, as HubSpot does).
    static func archiveRecord(_ type: HubSpotObjectType, id: String, state: inout HubSpotState, call: inout HubSpotCall) {
        if state.archive(type, id: id, at: call.now) { call.changes.append(.deleted(type, id: id)) }
    }

    /// `associations: [{to:{id}, types:[{associationCategory, associationTypeId}]}]` of a create body, checked.
    private static func inlineAssociations(_ type: HubSpotObjectType, _ raw: Any?,
                                           state: HubSpotState) throws(HubSpotError) -> [(edge: HubSpotEdge, typeIds: [Int])] {
        guard let raw else { return [] }
        guard let list = raw as? [[String: Any]] else { throw .validation("associations must be an array.") }
        var links: [(edge: HubSpotEdge, typeIds: [Int])] = []
        for item in list {
            guard let toId = HubSpotJSON.text((item["to"] as? [String: Any])?["id"]),
                  let specs = item["types"] as? [[String: Any]], !specs.isEmpty
            else { throw .validation("Each association needs to.id and a non-empty types array.") }
            var target: HubSpotObjectType?
            var typeIds: [Int] = []
            for spec in specs {
                guard let typeId = HubSpotJSON.integer(spec["associationTypeId"]), let definition = HubSpotAssociationType.find(typeId),
                      definition.from == type, definition.category == (spec["associationCategory"] as? String)
                else {
                    throw .validation("association type \(HubSpotJSON.text(spec["associationTypeId"]) ?? "?") (\(spec["associationCategory"] as? String ?? "?")) is not a valid association from \(type.rawValue).")
                }
                guard target == nil || target == definition.to else { throw .validation("All types of one association must point at the same object type.") }
                target = definition.to
                typeIds.append(typeId)
            }
            guard let target, state.find(target, idProperty: nil, value: toId) != nil else {
                throw .validation("Cannot associate with \(target?.singular ?? "object") \(toId): it does not exist.", context: ["toObjectId": [toId]])
            }
            links.append((HubSpotEdge(from: type, fromId: "", to: target, toId: toId), typeIds))
        }
        return links
    }

    // MARK: rendering

    /// The object types asked for with `associations=`.
    static func associationTypes(_ request: SandboxRequest) throws(HubSpotError) -> [HubSpotObjectType] {
        var types: [HubSpotObjectType] = []
        for name in HubSpotJSON.names(request, "associations") ?? [] {
            guard let type = HubSpotObjectType(pathSegment: name) else { throw .validation("Unable to infer object type from: \(name)") }
            types.append(type)
        }
        return types
    }

    /// A record as list/get answer it, with the requested properties, history and v3 associations.
    static func render(_ record: HubSpotRecord, state: HubSpotState, call: HubSpotCall, associations: [HubSpotObjectType]) -> [String: Any] {
        var associated: [String: Any] = [:]
        for target in associations {
            let results = state.associations.targets(from: record.type, fromId: record.id, to: target)
                .filter { state.find(target, idProperty: nil, value: $0.id) != nil }
                .flatMap { link in link.typeIds.compactMap { HubSpotAssociationType.find($0) }.map { ["id": link.id, "type": $0.v3Name] } }
            if !results.isEmpty { associated[target.rawValue] = ["results": results] }
        }
        return HubSpotJSON.record(record, properties: state.known(record.type, HubSpotJSON.names(call.request, "properties")),
                                  history: state.known(record.type, HubSpotJSON.names(call.request, "propertiesWithHistory")),
                                  associations: associated)
    }
}
