import CrosswalkCore
import Foundation

/// One option of an enumeration property.
struct HubSpotPropertyOption: Codable, Sendable, Equatable {
    var label: String
    var value: String
    var displayOrder: Int
    var hidden: Bool
    var description: String

    var json: [String: Any] {
        ["label": label, "value": value, "displayOrder": displayOrder, "hidden": hidden, "description": description]
    }
}

/// A property definition as `/crm/v3/properties/{objectType}` describes it.
struct HubSpotProperty: Codable, Sendable, Equatable {
    var name: String
    var label: String
    /// `string`, `number`, `date`, `datetime`, `enumeration`, `bool`, `phone_number`.
    var type: String
    /// `text`, `textarea`, `number`, `select`, `radio`, `checkbox`, `booleancheckbox`, `date`, `phonenumber`…
    var fieldType: String
    var groupName: String
    var description: String = ""
    var options: [HubSpotPropertyOption] = []
    var displayOrder: Int = -1
    var hasUniqueValue = false
    var hidden = false
    var formField = false
    var calculated = false
    var hubspotDefined = true
    var readOnlyValue = false
    var createdAt: Date
    var updatedAt: Date
    var archived = false
    var archivedAt: Date?

    /// The JSON HubSpot answers for this definition.
    func json() -> [String: Any] {
        var o: [String: Any] = [
            "name": name, "label": label, "type": type, "fieldType": fieldType, "groupName": groupName,
            "description": description, "options": options.map(\.json), "displayOrder": displayOrder,
            "hasUniqueValue": hasUniqueValue, "hidden": hidden, "formField": formField, "calculated": calculated,
            "externalOptions": false, "archived": archived,
            "createdAt": HubSpotTime.iso(createdAt), "updatedAt": HubSpotTime.iso(updatedAt),
            "modificationMetadata": ["archivable": !hubspotDefined, "readOnlyDefinition": hubspotDefined,
                                     "readOnlyValue": readOnlyValue, "readOnlyOptions": hubspotDefined && type != "enumeration"],
        ]
        if hubspotDefined { o["hubspotDefined"] = true }
        if let archivedAt { o["archivedAt"] = HubSpotTime.iso(archivedAt) }
        return o
    }

    /// The most characters a single-line or multi-line text property holds [doc: knowledge.hubspot.com, "Property field types"].
    static let maxTextLength = 65_536

    /// Checks a value a client wants to store; returns the normalised value or the reason it is refused.
    func validate(_ value: String) -> (value: String, error: (code: String, message: String)?) {
        switch type {
        case "number":
            if Double(value) == nil {
                return (value, ("INVALID_DECIMAL", "\(value) was not a valid number."))
            }
        case "enumeration" where !options.isEmpty:  // no options: values come from elsewhere (owners, teams, folders)
            let allowed = options.map(\.value)
            let chosen = fieldType == "checkbox" ? value.split(separator: ";").map(String.init) : [value]
            if let bad = chosen.first(where: { !allowed.contains($0) }) {
                return (value, ("INVALID_OPTION", "\(bad) was not one of the allowed options: [\(allowed.joined(separator: ", "))]"))
            }
        case "bool":
            guard ["true", "false"].contains(value.lowercased()) else {
                return (value, ("INVALID_BOOLEAN", "\(value) was not a valid boolean. Use true or false."))
            }
            return (value.lowercased(), nil)
        case "date", "datetime":
            guard let date = HubSpotTime.parse(value) else {
                return (value, ("INVALID_DATE", "\(value) was not a valid date. Use an ISO 8601 date or a millisecond timestamp."))
            }
            if type == "date", Int64(date.timeIntervalSince1970 * 1000) % 86_400_000 != 0 {
                return (value, ("INVALID_DATE", "\(value) is not at midnight UTC, as date properties require."))
            }
            return (type == "date" ? HubSpotTime.day(date) : HubSpotTime.iso(date), nil)
        default:
            if value.count > Self.maxTextLength {
                return (value, ("INVALID_PROPERTY_VALUE",
                                "\(name) has \(value.count) characters; text property values hold at most \(Self.maxTextLength) characters."))
            }
        }
        return (name == "email" ? value.lowercased() : value, nil)
    }
}

/// A property group (`/crm/v3/properties/{objectType}/groups`).
struct HubSpotPropertyGroup: Codable, Sendable, Equatable {
    var name: String
    var label: String
    var displayOrder: Int
    var archived = false

    var json: [String: Any] { ["name": name, "label": label, "displayOrder": displayOrder, "archived": archived] }
}
