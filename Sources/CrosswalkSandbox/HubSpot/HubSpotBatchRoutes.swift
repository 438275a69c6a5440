import CrosswalkCore
import Foundation

/// `/crm/v3/objects/{objectType}/batch/*`: up to 100 inputs per call. Writes are all-or-nothing on
/// validation errors; unknown ids in read/update are reported per input with a 207.
enum HubSpotBatchRoutes {
    static func read(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let inputs = try HubSpotJSON.inputs(body)
        let idProperty = try HubSpotJSON.field(body, "idProperty", as: String.self)
        if let idProperty, !state.isIdProperty(type, idProperty) { throw .validation("\(idProperty) is not a unique property of \(type.rawValue).") }
        let archived = call.request.queryValue("archived") == "true"
        let properties = state.known(type, try HubSpotJSON.field(body, "properties", as: [String].self).flatMap { $0.isEmpty ? nil : $0 })
        let history = state.known(type, try HubSpotJSON.field(body, "propertiesWithHistory", as: [String].self))
        if let history, !history.isEmpty, inputs.count > 50 {
            throw .validation("The maximum number of inputs supported in a batch request for property histories is 50", context: ["limit": ["50"]])
        }
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
        var prepared: [HubSpotObjectRoutes.PreparedCreate] = []
        prepared.reserveCapacity(inputs.count)
        for input in inputs { prepared.append(try HubSpotObjectRoutes.prepareCreate(type, from: input, state: state)) }
        try HubSpotObjectRoutes.checkUniqueWithinBatch(type, prepared.map(\.values), state: state)
        let results = zip(prepared, inputs).map { item, input -> [String: Any] in
            let record = HubSpotObjectRoutes.applyCreate(item, state: &state, call: &call)
            return traced(HubSpotJSON.record(record, properties: Array(record.properties.keys)), input)
        }
        return HubSpotJSONWriter.response(201, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        let ids = inputs.compactMap { HubSpotJSON.text($0["id"]) }
        guard ids.count == inputs.count else { throw .validation("Each input needs an id.") }
        try refuseDuplicateIds(ids)
        var prepared: [(record: HubSpotRecord, values: [String: String?], input: [String: Any])] = []
        var missing: [String] = []
        for (input, id) in zip(inputs, ids) {
            let idProperty = try HubSpotJSON.field(input, "idProperty", as: String.self)
            if let idProperty, !state.isIdProperty(type, idProperty) { throw .validation("\(idProperty) is not a unique property of \(type.rawValue).") }
            guard let record = state.find(type, idProperty: idProperty, value: id) else { missing.append(id); continue }
            prepared.append((record, try HubSpotObjectRoutes.prepareUpdate(record, properties: input["properties"], state: state), input))
        }
        try HubSpotObjectRoutes.checkUniqueWithinBatch(type, prepared.map(\.values), state: state)
        let results = prepared.map { item -> [String: Any] in
            let updated = HubSpotObjectRoutes.applyUpdate(item.record, values: item.values, state: &state, call: &call)
            return traced(HubSpotJSON.record(updated, properties: Array(updated.properties.keys)), item.input)
        }
        return respond(results, missing: missing, type: type, verb: "update", call: call, status: 200)
    }

    static func upsert(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let inputs = try HubSpotJSON.inputs(try HubSpotJSON.object(call.request))
        enum Step { case update(HubSpotRecord, [String: String?]), create(HubSpotObjectRoutes.PreparedCreate) }
        var steps: [Step] = []
        var keys: [String] = []
        for input in inputs {
            guard let id = HubSpotJSON.text(input["id"]) else { throw .validation("Each input needs an id.") }
            let idProperty = try HubSpotJSON.field(input, "idProperty", as: String.self) ?? "hs_object_id"
            guard state.isIdProperty(type, idProperty) else {
                throw .validation("\(idProperty) is not a unique property of \(type.rawValue); upsert needs email (contacts) or a property with hasUniqueValue.")
            }
            keys.append("\(idProperty)=\(idProperty == "email" ? id.lowercased() : id)")
            if let existing = state.find(type, idProperty: idProperty, value: id) {
                steps.append(.update(existing, try HubSpotObjectRoutes.prepareUpdate(existing, properties: input["properties"], state: state)))
            } else {
                guard idProperty != "hs_object_id" else { throw .notFound("No \(type.singular) with id \(id) exists; upsert by record id can only update.", id: id) }
                var properties = try HubSpotJSON.field(input, "properties", as: [String: Any].self) ?? [:]
                properties[idProperty] = id
                steps.append(.create(try HubSpotObjectRoutes.prepareCreate(type, from: ["properties": properties], state: state)))
            }
        }
        try refuseDuplicateIds(keys)
        try HubSpotObjectRoutes.checkUniqueWithinBatch(type, steps.map { step in
            switch step {
            case let .update(_, values): values
            case let .create(prepared): prepared.values
            }
        }, state: state)
        let results = zip(steps, inputs).map { step, input -> [String: Any] in
            var object: [String: Any]
            switch step {
            case let .update(record, values):
                let updated = HubSpotObjectRoutes.applyUpdate(record, values: values, state: &state, call: &call)
                object = HubSpotJSON.record(updated, properties: Array(updated.properties.keys))
                object["new"] = false
            case let .create(prepared):
                let created = HubSpotObjectRoutes.applyCreate(prepared, state: &state, call: &call)
                object = HubSpotJSON.record(created, properties: Array(created.properties.keys))
                object["new"] = true
            }
            return traced(object, input)
        }
        return HubSpotJSONWriter.response(200, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    /// A batch result carrying its input's `objectWriteTraceId` (spec `SimplePublicObjectBatchInput*` →
    /// `SimplePublicObject.objectWriteTraceId`): clients match results to inputs by it, as HubSpot does not promise
    /// results in input order.
    private static func traced(_ object: [String: Any], _ input: [String: Any]) -> [String: Any] {
        guard let trace = input["objectWriteTraceId"] as? String, !trace.isEmpty else { return object }
        var out = object
        out["objectWriteTraceId"] = trace
        return out
    }

    /// HubSpot's 400 for an id given twice in one batch.
    private static func refuseDuplicateIds(_ ids: [String]) throws(HubSpotError) {
        var seen: Set<String> = [], duplicates: Set<String> = []
        for id in ids where !seen.insert(id).inserted { duplicates.insert(id) }
        guard duplicates.isEmpty else {
            throw .validation("Duplicate IDs found in batch input: [\(duplicates.sorted().joined(separator: ", "))]. IDs must be unique")
        }
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
        guard !missing.isEmpty else { return HubSpotJSONWriter.response(status, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now)) }
        let error = HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND",
                                 message: "Could not \(verb) some \(type.singular.uppercased()) objects, they may be deleted or not exist. Check that ids are valid.",
                                 context: ["ids": missing])
        return HubSpotJSONWriter.response(207, HubSpotJSON.batch(results, errors: [error], startedAt: call.now, completedAt: call.now))
    }
}
