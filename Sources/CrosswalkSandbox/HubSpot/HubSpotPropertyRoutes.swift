import CrosswalkCore
import Foundation

/// `/crm/v3/properties/{objectType}`: definitions (built-in and custom) and groups.
enum HubSpotPropertyRoutes {
    static let types: Set<String> = ["string", "number", "date", "datetime", "enumeration", "bool", "phone_number"]
    static let fieldTypes: Set<String> = ["booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html", "number",
                                          "phonenumber", "radio", "select", "text", "textarea"]

    static func list(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let archived = call.request.queryValue("archived") == "true"
        let results = (state.properties[type] ?? [:]).values.filter { $0.archived == archived }
            .sorted { ($0.displayOrder, $0.name) < ($1.displayOrder, $1.name) }.map { $0.json() }
        return HubSpotJSONWriter.response(200, ["results": results])
    }

    static func get(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        HubSpotJSONWriter.response(200, try property(state, call).json())
    }

    static func create(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        return HubSpotJSONWriter.response(201, try createProperty(type, try HubSpotJSON.object(call.request), state: &state, now: call.now).json())
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        var definition = try property(state, call)
        guard !definition.hubspotDefined || definition.type == "enumeration" else {
            throw .validation("\(definition.name) is a HubSpot-defined property; its definition is read-only.")
        }
        let body = try HubSpotJSON.object(call.request)
        if let label = body["label"] as? String { definition.label = label }
        if let description = body["description"] as? String { definition.description = description }
        if let group = body["groupName"] as? String {
            guard state.groups[type]?[group] != nil else { throw .validation("Property group \(group) does not exist.") }
            definition.groupName = group
        }
        if let hidden = body["hidden"] as? Bool { definition.hidden = hidden }
        if let order = HubSpotJSON.integer(body["displayOrder"]) { definition.displayOrder = order }
        if let formField = body["formField"] as? Bool { definition.formField = formField }
        if body["options"] != nil { definition.options = try options(body["options"]) }
        definition.updatedAt = call.now
        state.properties[type]?[definition.name] = definition
        return HubSpotJSONWriter.response(200, definition.json())
    }

    static func archive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        try archiveProperty(type, name: call.parameters["propertyName"] ?? "", state: &state, now: call.now)
        return .empty(204)
    }

    static func batchRead(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        let archived = body["archived"] as? Bool ?? false
        var results: [[String: Any]] = []
        var missing: [String] = []
        for input in try HubSpotJSON.inputs(body, limit: 1000) {
            guard let name = input["name"] as? String else { throw .validation("Each input needs a name.") }
            if let definition = state.properties[type]?[name], definition.archived == archived { results.append(definition.json()) } else { missing.append(name) }
        }
        let errors = missing.isEmpty ? [] : [HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Some properties do not exist.",
                                                          context: ["names": missing])]
        return HubSpotJSONWriter.response(errors.isEmpty ? 200 : 207, HubSpotJSON.batch(results, errors: errors, startedAt: call.now, completedAt: call.now))
    }

    static func batchCreate(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        var draft = state
        var results: [[String: Any]] = []
        for input in try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 1000) {
            results.append(try createProperty(type, input, state: &draft, now: call.now).json())
        }
        state = draft
        return HubSpotJSONWriter.response(201, HubSpotJSON.batch(results, startedAt: call.now, completedAt: call.now))
    }

    static func batchArchive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        var draft = state
        for input in try HubSpotJSON.inputs(try HubSpotJSON.object(call.request), limit: 1000) {
            try archiveProperty(type, name: input["name"] as? String ?? "", state: &draft, now: call.now)
        }
        state = draft
        return .empty(204)
    }

    // MARK: groups

    static func listGroups(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let results = (state.groups[type] ?? [:]).values.filter { !$0.archived }.sorted { ($0.displayOrder, $0.name) < ($1.displayOrder, $1.name) }
        return HubSpotJSONWriter.response(200, ["results": results.map(\.json)])
    }

    static func createGroup(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        let body = try HubSpotJSON.object(call.request)
        guard let name = body["name"] as? String, !name.isEmpty, let label = body["label"] as? String else {
            throw .validation("name and label are required.")
        }
        guard state.groups[type]?[name].map({ $0.archived }) ?? true else { throw .conflict("A property group named '\(name)' already exists.") }
        let group = HubSpotPropertyGroup(name: name, label: label, displayOrder: HubSpotJSON.integer(body["displayOrder"]) ?? -1)
        state.groups[type]?[name] = group
        return HubSpotJSONWriter.response(201, group.json)
    }

    static func getGroup(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        HubSpotJSONWriter.response(200, try group(state, call).json)
    }

    static func updateGroup(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        var group = try group(state, call)
        let body = try HubSpotJSON.object(call.request)
        if let label = body["label"] as? String { group.label = label }
        if let order = HubSpotJSON.integer(body["displayOrder"]) { group.displayOrder = order }
        state.groups[type]?[group.name] = group
        return HubSpotJSONWriter.response(200, group.json)
    }

    static func archiveGroup(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let type = try call.objectType()
        var group = try group(state, call)
        group.archived = true
        state.groups[type]?[group.name] = group
        return .empty(204)
    }

    // MARK: helpers

    private static func property(_ state: HubSpotState, _ call: HubSpotCall) throws(HubSpotError) -> HubSpotProperty {
        let type = try call.objectType()
        let name = call.parameters["propertyName"] ?? ""
        let archived = call.request.queryValue("archived") == "true"
        guard let definition = state.properties[type]?[name], definition.archived == archived else {
            throw HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Property \(name) does not exist", context: ["name": [name]])
        }
        return definition
    }

    private static func group(_ state: HubSpotState, _ call: HubSpotCall) throws(HubSpotError) -> HubSpotPropertyGroup {
        let type = try call.objectType()
        let name = call.parameters["groupName"] ?? ""
        guard let group = state.groups[type]?[name], !group.archived else {
            throw HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Property group \(name) does not exist")
        }
        return group
    }

    /// Validates a `PropertyCreate` body and stores the new custom property.
    static func createProperty(_ type: HubSpotObjectType, _ body: [String: Any], state: inout HubSpotState, now: Date) throws(HubSpotError) -> HubSpotProperty {
        guard let name = body["name"] as? String, !name.isEmpty, let label = body["label"] as? String,
              let kind = body["type"] as? String, let fieldType = body["fieldType"] as? String, let group = body["groupName"] as? String
        else { throw .validation("name, label, type, fieldType and groupName are required.") }
        guard name.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }), name.first?.isLetter == true else {
            throw .validation("Property name \(name) is invalid: use lower-case letters, digits and underscores, starting with a letter.")
        }
        guard types.contains(kind) else { throw .validation("type \(kind) is not one of \(types.sorted().joined(separator: ", ")).") }
        guard fieldTypes.contains(fieldType) else { throw .validation("fieldType \(fieldType) is not one of \(fieldTypes.sorted().joined(separator: ", ")).") }
        guard state.groups[type]?[group].map({ !$0.archived }) == true else { throw .validation("Property group \(group) does not exist.") }
        if let existing = state.properties[type]?[name], !existing.archived || existing.hubspotDefined {
            throw .conflict("A property named '\(name)' already exists.")
        }
        let options = try options(body["options"])
        if kind == "enumeration", options.isEmpty, fieldType != "booleancheckbox" { throw .validation("Enumeration properties need options.") }
        var definition = HubSpotProperty(name: name, label: label, type: kind, fieldType: fieldType, groupName: group,
                                         description: body["description"] as? String ?? "", options: options,
                                         displayOrder: HubSpotJSON.integer(body["displayOrder"]) ?? -1,
                                         hasUniqueValue: body["hasUniqueValue"] as? Bool ?? false, hidden: body["hidden"] as? Bool ?? false,
                                         formField: body["formField"] as? Bool ?? false, hubspotDefined: false, createdAt: now, updatedAt: now)
        definition.calculated = false
        state.properties[type]?[name] = definition
        if definition.hasUniqueValue { state.tables[type]?.indexUnique(name) }
        return definition
    }

    private static func archiveProperty(_ type: HubSpotObjectType, name: String, state: inout HubSpotState, now: Date) throws(HubSpotError) {
        guard var definition = state.properties[type]?[name], !definition.archived else {
            throw HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: "Property \(name) does not exist")
        }
        guard !definition.hubspotDefined else { throw .validation("\(name) is a HubSpot-defined property and cannot be archived.") }
        definition.archived = true
        definition.archivedAt = now
        state.properties[type]?[name] = definition
    }

    private static func options(_ raw: Any?) throws(HubSpotError) -> [HubSpotPropertyOption] {
        guard let raw, !(raw is NSNull) else { return [] }
        guard let list = raw as? [[String: Any]] else { throw .validation("options must be an array of {label, value}.") }
        var result: [HubSpotPropertyOption] = []
        for (index, option) in list.enumerated() {
            guard let label = option["label"] as? String, let value = option["value"] as? String else { throw .validation("Each option needs label and value.") }
            result.append(HubSpotPropertyOption(label: label, value: value, displayOrder: HubSpotJSON.integer(option["displayOrder"]) ?? index,
                                                hidden: option["hidden"] as? Bool ?? false, description: option["description"] as? String ?? ""))
        }
        return result
    }
}
