import CrosswalkPluginKit

/// One property definition of `/crm/v3/properties/{object}`.
struct HubSpotPropertyInfo: Sendable, Equatable {
    var name: String
    var label: String?
    /// `string`, `number`, `date`, `datetime`, `enumeration`, `bool`, `phone_number`.
    var type: String
    var fieldType: String
    var unique: Bool
    var readOnly: Bool
    var calculated: Bool
    var custom: Bool
    var hidden: Bool
    var options: [PicklistValue]

    init?(_ value: JSONValue) {
        guard let name = value["name"]?.stringValue else { return nil }
        self.name = name
        label = value["label"]?.stringValue
        type = value["type"]?.stringValue ?? "string"
        fieldType = value["fieldType"]?.stringValue ?? "text"
        unique = value["hasUniqueValue"]?.boolValue ?? false
        calculated = value["calculated"]?.boolValue ?? false
        readOnly = value["modificationMetadata"]?["readOnlyValue"]?.boolValue ?? calculated
        custom = !(value["hubspotDefined"]?.boolValue ?? false)
        hidden = value["hidden"]?.boolValue ?? false
        options = (value["options"]?.arrayValue ?? []).compactMap { option in
            guard let v = option["value"]?.stringValue else { return nil }
            return PicklistValue(value: v, label: option["label"]?.stringValue, active: !(option["hidden"]?.boolValue ?? false))
        }
    }
}

/// The portal's property definitions per object, read once per instance (`GET /crm/v3/properties/{object}`).
final class HubSpotSchema {
    let api: HubSpotAPI
    private var cache: [HubSpotKind: [HubSpotPropertyInfo]] = [:]

    init(api: HubSpotAPI) { self.api = api }

    func properties(_ kind: HubSpotKind) throws -> [HubSpotPropertyInfo] {
        if let known = cache[kind] { return known }
        let body = try api.json("GET", "/crm/v3/properties/\(kind.rawValue)?archived=false")
        let list = (body["results"]?.arrayValue ?? []).compactMap(HubSpotPropertyInfo.init)
        cache[kind] = list
        return list
    }

    /// Every property name of the object (what a read asks for when it names none).
    func names(_ kind: HubSpotKind) throws -> [String] { try properties(kind).map(\.name) }

    /// Whether `name` is a property with unique values (an upsert's `idProperty`).
    func isUnique(_ kind: HubSpotKind, _ name: String) throws -> Bool {
        if name == "hs_object_id" || (kind == .contacts && name == "email") { return true }
        return try properties(kind).contains { $0.name == name && $0.unique }
    }
}
