import CrosswalkCore
import Foundation

/// Association labels v4: `GET|POST|PUT /crm/v4/associations/{from}/{to}/labels`, `DELETE …/labels/{associationTypeId}`
/// (also served under the spec's `/crm/associations/v4/…` spelling). The type ids a connector must read rather
/// than hard-code come from here.
enum HubSpotLabelRoutes {
    static func list(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let (from, to) = try pair(call)
        return HubSpotJSONWriter.response(200, ["results": state.labels.types(from: from, to: to).map(\.json)])
    }

    static func create(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let (from, to) = try pair(call)
        let body = try HubSpotJSON.object(call.request)
        guard let label = try HubSpotJSON.field(body, "label", as: String.self), !label.isEmpty,
              let name = try HubSpotJSON.field(body, "name", as: String.self), !name.isEmpty
        else { throw .validation("label and name are required.") }
        let inverse = try HubSpotJSON.field(body, "inverseLabel", as: String.self)
        if state.labels.types(from: from, to: to).contains(where: { $0.category == "USER_DEFINED" && $0.label == label }) {
            throw .conflict("An association label \"\(label)\" already exists between \(from.rawValue) and \(to.rawValue).")
        }
        let made = state.labels.create(from: from, to: to, name: name, label: label, inverseLabel: inverse)
        return HubSpotJSONWriter.response(200, ["results": made.map(\.json)])
    }

    static func update(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let (from, to) = try pair(call)
        let body = try HubSpotJSON.object(call.request)
        guard let typeId = try HubSpotJSON.field(body, "associationTypeId", as: Int.self),
              let label = try HubSpotJSON.field(body, "label", as: String.self), !label.isEmpty
        else { throw .validation("associationTypeId and label are required.") }
        let definition = try custom(typeId, from: from, to: to, state: state)
        let inverse = try HubSpotJSON.field(body, "inverseLabel", as: String.self)
        for index in state.labels.custom.indices {
            if state.labels.custom[index].typeId == definition.typeId { state.labels.custom[index].label = label }
            if state.labels.custom[index].typeId == definition.inverse, definition.inverse != definition.typeId {
                state.labels.custom[index].label = inverse ?? label
            }
        }
        return .empty(204)
    }

    static func archive(_ state: inout HubSpotState, _ call: inout HubSpotCall) throws(HubSpotError) -> SandboxResponse {
        let (from, to) = try pair(call)
        guard let typeId = Int(call.parameters["associationTypeId"] ?? "") else { throw .validation("associationTypeId must be an integer.") }
        let definition = try custom(typeId, from: from, to: to, state: state)
        state.associations.removeType(definition.typeId, labels: state.labels)
        state.labels.custom.removeAll { $0.typeId == definition.typeId || $0.typeId == definition.inverse }
        return .empty(204)
    }

    private static func pair(_ call: HubSpotCall) throws(HubSpotError) -> (HubSpotObjectType, HubSpotObjectType) {
        (try call.objectType("fromObjectType"), try call.objectType("toObjectType"))
    }

    /// A USER_DEFINED label of the pair; HubSpot-defined ones cannot be changed.
    private static func custom(_ typeId: Int, from: HubSpotObjectType, to: HubSpotObjectType,
                               state: HubSpotState) throws(HubSpotError) -> HubSpotAssociationType {
        guard let definition = state.labels.type(typeId, from: from, to: to) else {
            throw .notFound("No association type \(typeId) exists from \(from.rawValue) to \(to.rawValue).", id: String(typeId))
        }
        guard definition.category == "USER_DEFINED" else {
            throw .validation("Association type \(typeId) is HUBSPOT_DEFINED; only USER_DEFINED labels can be changed.")
        }
        return definition
    }
}
