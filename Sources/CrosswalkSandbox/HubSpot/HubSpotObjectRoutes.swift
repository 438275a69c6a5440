import CrosswalkCore
import Foundation

/// `/crm/v3/objects/{objectType}`: list, get, create, update, archive.
enum HubSpotObjectRoutes {
    static func list(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let limit = try call.limit(default: 10, max: 100)
        var after: Int?
        if let text = call.request.queryValue("after") {
            guard let cursor = Int(text) else { throw .validation("after must be the cursor from paging.next.after.") }
            after = cursor
        }
        let associated = try associationTypes(call.request)
        let page: (records: [HubSpotRecord], next: Int?) = state.tables[type]?.page(
            after: after, limit: limit, archived: call.request.queryValue("archived") == "true") ?? ([], nil)
        let results: [Any]
        if associated.isEmpty, HubSpotJSON.names(call.request, "propertiesWithHistory") == nil {
            let names = HubSpotRecordJSON.names(type, requested: state.known(type, HubSpotJSON.names(call.request, "properties")))
            results = page.records.map { HubSpotRecordJSON(record: $0, names: names) }
        } else {
            results = page.records.map { render($0, state: state, call: call, associations: associated) }
        }
        var body: [String: Any] = ["results": results]
        if let next = page.next {
            body["paging"] = ["next": ["after": String(next), "link": nextLink(call.request, after: String(next))]]
        }
        return HubSpotJSONWriter.response(200, body)
    }

    /// `paging.next.link`: the request's own URL with `after` replaced, every other parameter (`properties`,
    /// `limit`, `associations`…) kept, as HubSpot builds it.
    static func nextLink(_ request: SandboxRequest, after: String) -> String {
        var parts = request.rawQuery.split(separator: "&").filter { !$0.hasPrefix("after=") && $0 != "after" }.map(String.init)
        parts.append("after=\(after)")
        return "\(request.baseURL)\(request.path)?\(parts.joined(separator: "&"))"
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
        return HubSpotJSONWriter.response(200, render(record, state: state, call: call, associations: try associationTypes(call.request)))
    }

    static func create(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let prepared = try prepareCreate(type, from: try HubSpotJSON.object(call.request), state: state)
        let record = applyCreate(prepared, state: &state, call: &call)
        return HubSpotJSONWriter.response(201, HubSpotJSON.record(record, properties: Array(record.properties.keys)))
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let record = try state.resolve(type, id: call.parameters["objectId"] ?? "", idProperty: call.request.queryValue("idProperty"))
        let values = try prepareUpdate(record, properties: body["properties"], state: state)
        let updated = applyUpdate(record, values: values, state: &state, call: &call)
        return HubSpotJSONWriter.response(200, HubSpotJSON.record(updated, properties: Array(updated.properties.keys)))
    }

    static func archive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        archiveRecord(type, id: call.parameters["objectId"] ?? "", state: &state, call: &call)
        return .empty(204)
    }

    // MARK: shared with batch routes (validate everything first, then write: batches are all-or-nothing)

    /// A create that passed validation.
    struct PreparedCreate {
        var type: HubSpotObjectType
        var values: [String: String?]
        var links: [(edge: HubSpotEdge, typeIds: [Int])]
    }

    /// Validates one `{properties, associations}` create input against the portal as it is.
    static func prepareCreate(_ type: HubSpotObjectType, from input: [String: Any], state: HubSpotState) throws(HubSpotError) -> PreparedCreate {
        let values = try state.validatedProperties(type, input["properties"])
        try state.checkUnique(type, values, excluding: nil)
        let links = try inlineAssociations(type, input["associations"], state: state)
        return PreparedCreate(type: type, values: values, links: links)
    }

    /// Writes a prepared create and records its webhook changes.
    static func applyCreate(_ prepared: PreparedCreate, state: inout HubSpotState, call: inout HubSpotCall) -> HubSpotRecord {
        let record = state.create(prepared.type, values: prepared.values, at: call.now)
        var set: [String: String] = [:]
        for (name, value) in prepared.values { if let value { set[name] = value } }
        call.changes.append(.created(prepared.type, id: record.idText, properties: set))
        for (edge, typeIds) in prepared.links {
            state.associations.add(HubSpotEdge(from: prepared.type, fromId: record.idText, to: edge.to, toId: edge.toId), typeIds: typeIds,
                                   labels: state.labels)
        }
        return record
    }

    /// Validates `properties` for an update of `record`.
    static func prepareUpdate(_ record: HubSpotRecord, properties: Any?, state: HubSpotState) throws(HubSpotError) -> [String: String?] {
        let values = try state.validatedProperties(record.type, properties)
        try state.checkUnique(record.type, values, excluding: record.id)
        return values
    }

    /// Writes validated values to `record` and records its webhook changes.
    static func applyUpdate(_ record: HubSpotRecord, values: [String: String?], state: inout HubSpotState,
                            call: inout HubSpotCall) -> HubSpotRecord {
        let changed = state.update(record.type, id: record.id, values: values, at: call.now)
        for name in changed {
            call.changes.append(.propertyChanged(record.type, id: record.idText, name: name, value: (values[name] ?? nil) ?? ""))
        }
        return state.tables[record.type]?[record.id] ?? record
    }

    /// Refuses two inputs of one batch that would hold the same unique value (HubSpot checks within the batch too).
    static func checkUniqueWithinBatch(_ type: HubSpotObjectType, _ inputs: [[String: String?]], state: HubSpotState) throws(HubSpotError) {
        var seen: [String: Set<String>] = [:]
        for values in inputs {
            for (name, value) in values where name != "hs_object_id" && state.isIdProperty(type, name) {
                guard let value else { continue }
                let key = name == "email" ? value.lowercased() : value
                if seen[name, default: []].insert(key).inserted == false {
                    throw .validation("Duplicate \(name) values found in batch input: [\(key)]. Unique property values must be unique within a batch.",
                                      context: [name: [key]])
                }
            }
        }
    }

    /// Archives a record if it is live (archiving an unknown or archived id still succeeds, as HubSpot does).
    static func archiveRecord(_ type: HubSpotObjectType, id: String, state: inout HubSpotState, call: inout HubSpotCall) {
        if let number = Int(id), state.archive(type, id: number, at: call.now) { call.changes.append(.deleted(type, id: id)) }
    }

    /// `associations: [{to:{id}, types:[{associationCategory, associationTypeId}]}]` of a create body, checked.
    private static func inlineAssociations(_ type: HubSpotObjectType, _ raw: Any?,
                                           state: HubSpotState) throws(HubSpotError) -> [(edge: HubSpotEdge, typeIds: [Int])] {
        guard let raw, !(raw is NSNull) else { return [] }
        guard let list = raw as? [[String: Any]] else { throw .invalidJSON("associations", expected: "an array of objects", got: raw) }
        var links: [(edge: HubSpotEdge, typeIds: [Int])] = []
        for item in list {
            guard let toId = HubSpotJSON.text((item["to"] as? [String: Any])?["id"]),
                  let specs = item["types"] as? [[String: Any]], !specs.isEmpty
            else { throw .validation("Each association needs to.id and a non-empty types array.") }
            var target: HubSpotObjectType?
            var typeIds: [Int] = []
            for spec in specs {
                guard let typeId = HubSpotJSON.integer(spec["associationTypeId"]),
                      let definition = state.labels.find(typeId, from: type, category: spec["associationCategory"] as? String)
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
            let results = state.associations.targets(from: record.type, fromId: record.idText, to: target)
                .filter { state.find(target, idProperty: nil, value: $0.id) != nil }
                .flatMap { link in
                    link.typeIds.compactMap { state.labels.type($0, from: record.type, to: target) }.map { ["id": link.id, "type": $0.v3Name] }
                }
            if !results.isEmpty { associated[target.rawValue] = ["results": results] }
        }
        return HubSpotJSON.record(record, properties: state.known(record.type, HubSpotJSON.names(call.request, "properties")),
                                  history: state.known(record.type, HubSpotJSON.names(call.request, "propertiesWithHistory")),
                                  associations: associated)
    }
}
