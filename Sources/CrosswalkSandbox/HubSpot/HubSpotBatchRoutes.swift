import CrosswalkCore
import Foundation

/// `/crm/v3/objects/{objectType}/batch/*`: up to 100 inputs per call. Writes are all-or-nothing on
/// validation errors; unknown ids in read/update are reported per input with a 207.
enum HubSpotBatchRoutes {
    static func read(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let inputs = try HubSpotJSON.inputs(body)
        let idProperty = body["idProperty"] as? String
        if let idProperty, !state.isIdProperty(type, idProperty) { throw .validation("\(idProperty) is not a unique property of \(type.rawValue).") }
        let archived = call.request.queryValue("archived") == "true"
        let properties = state.known(type, (body["properties"] as? [String]).flatMap { $0.isEmpty ? nil : $0 })
        let history = state.known(type, body["propertiesWithHistory"] as? [String])
        var results: [[String: Any]] = []
        var missing: [String] = []
        for input in inputs {
            guard let id = HubSpotJSON.text(input["id"]) else { throw .validation("Each input needs an id.") }
            let record = archived ? state.record(type, id).flatMap { $0.archived ? $0 : nil } : state.find(type, idProperty: idProperty, value: id)
            if let record { results.append(HubSpotJSON.record(record, properties: properties, history: history)) } else { missing.append(id) }
        }
        return respond(results, missing: missing, type: type, verb: "get", call: call, status: 200)
    }

    static func create(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        var draft = state, draftCall = call
        var results: [[String: Any]] = []
        for input in inputs {
            let record = try HubSpotObjectRoutes.createRecord(type, from: input, state: &draft, call: &draftCall)
            results.append(HubSpotJSON.record(record, properties: Array(record.properties.keys)))
        }
        state = draft
        call = draftCall
        return .json(201, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        let ids = inputs.compactMap { HubSpotJSON.text($0["id"]) }
        guard ids.count == inputs.count else { throw .validation("Each input needs an id.") }
        let duplicates = Set(ids.filter { id in ids.filter { $0 == id }.count > 1 })
        guard duplicates.isEmpty else {
            throw .validation("Duplicate IDs found in batch input: [\(duplicates.sorted().joined(separator: ", "))]. IDs must be unique")
        }
        var draft = state, draftCall = call
        var results: [[String: Any]] = []
        var missing: [String] = []
        for (input, id) in zip(inputs, ids) {
            let idProperty = input["idProperty"] as? String
            if let idProperty, !draft.isIdProperty(type, idProperty) { throw .validation("\(idProperty) is not a unique property of \(type.rawValue).") }
            guard let record = draft.find(type, idProperty: idProperty, value: id) else { missing.append(id); continue }
            let updated = try HubSpotObjectRoutes.updateRecord(record, properties: input["properties"], state: &draft, call: &draftCall)
            results.append(HubSpotJSON.record(updated, properties: Array(updated.properties.keys)))
        }
        state = draft
        call = draftCall
        return respond(results, missing: missing, type: type, verb: "update", call: call, status: 200)
    }

    static func upsert(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        var draft = state, draftCall = call
        var results: [[String: Any]] = []
        for input in inputs {
            guard let id = HubSpotJSON.text(input["id"]) else { throw .validation("Each input needs an id.") }
            let idProperty = (input["idProperty"] as? String) ?? "hs_object_id"
            guard draft.isIdProperty(type, idProperty) else {
                throw .validation("\(idProperty) is not a unique property of \(type.rawValue); upsert needs email (contacts) or a property with hasUniqueValue.")
            }
            var object: [String: Any]
            if let existing = draft.find(type, idProperty: idProperty, value: id) {
                let updated = try HubSpotObjectRoutes.updateRecord(existing, properties: input["properties"], state: &draft, call: &draftCall)
                object = HubSpotJSON.record(updated, properties: Array(updated.properties.keys))
                object["new"] = false
            } else {
                guard idProperty != "hs_object_id" else { throw .notFound("No \(type.singular) with id \(id) exists; upsert by record id can only update.", id: id) }
                var properties = (input["properties"] as? [String: Any]) ?? [:]
                properties[idProperty] = id
                let created = try HubSpotObjectRoutes.createRecord(type, from: ["properties": properties], state: &draft, call: &draftCall)
                object = HubSpotJSON.record(created, properties: Array(created.properties.keys))
                object["new"] = true
            }
            results.append(object)
        }
        state = draft
        call = draftCall
        return .json(200, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    static func archive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        let ids = inputs.compactMap { HubSpotJSON.text($0["id"]) }
        guard ids.count == inputs.count else { throw .validation("Each input needs an id.") }
        for id in ids { HubSpotObjectRoutes.archiveRecord(type, id: id, state: &state, call: &call) }
        return .empty(204)
    }

    /// 200/201 with results, or 207 with one OBJECT_NOT_FOUND error naming the missing ids.
    private static func respond(_ results: [[String: Any]], missing: [String], type: HubSpotObjectType, verb: String,
                                call: HubSpotCall, status: Int) -> SandboxResponse {
        guard !missing.isEmpty else { return .json(status, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now)) }
        let error = HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND",
                                 message: "Could not \(verb) some \(type.singular.uppercased()) objects, they may be deleted or not exist. Check that ids are valid.",
                                 context: ["ids": missing])
        return .json(207, HubSpotJSON.batch(results, errors: [error], startedAt: call.now, completedAt: call.now))
    }
}
