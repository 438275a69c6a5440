import CrosswalkPluginKit

/// `discover`: each object's fields from `/api/fields/contact|company` (one call per object asked for), plus the
/// entity's own properties (`id`, `dateAdded`, `dateModified`).
struct AriticDiscoverer {
    let api: AriticAPI
    /// The `segments` setting: contacts then have a `segments` field.
    var segments: [String] = []

    func discover(_ objects: [String]?) throws -> DiscoverResult {
        let kinds = try (objects ?? AriticKind.allCases.map(\.rawValue)).map { try AriticKind($0) }
        return DiscoverResult(objects: try kinds.map(describe))
    }

    func describe(_ kind: AriticKind) throws -> ObjectInfo {
        let body = try api.json("GET", "/api/fields/\(kind.fieldObject)")
        var fields: [FieldInfo] = [
            FieldInfo(name: "id", type: "id", label: "ID", required: false, unique: true, createable: false, updateable: false),
            FieldInfo(name: "dateAdded", type: "datetime", label: "Date added", createable: false, updateable: false),
            FieldInfo(name: "dateModified", type: "datetime", label: "Date modified", createable: false, updateable: false, nillable: true),
        ]
        for entry in body["fields"]?.arrayValue ?? [] {
            guard let alias = entry["alias"]?.stringValue else { continue }
            let type = Self.type(entry["type"]?.stringValue ?? "text")
            let picklist = Self.choices(entry["properties"])
            fields.append(FieldInfo(name: alias, type: picklist == nil && type == "picklist" ? "string" : type,
                                    label: entry["label"]?.stringValue, required: entry["isRequired"]?.boolValue ?? false,
                                    unique: entry["isUniqueIdentifier"]?.boolValue ?? false, createable: true, updateable: true,
                                    nillable: !(entry["isRequired"]?.boolValue ?? false),
                                    custom: entry["isFixed"]?.boolValue.map { !$0 }, picklist: picklist))
        }
        if kind == .contacts, !segments.isEmpty { fields.append(AriticSegments(api: api, aliases: segments).fieldInfo) }
        return ObjectInfo(name: kind.rawValue, label: kind == .contacts ? "Contact" : "Company", custom: false,
                          operations: ["read", "create", "update", "upsert", "delete"], fields: fields)
    }

    /// Mautic's field types to the ABI's closed list.
    static func type(_ mautic: String) -> String {
        switch mautic {
        case "email": "email"
        case "tel": "phone"
        case "url": "url"
        case "number": "number"
        case "boolean": "boolean"
        case "date": "date"
        case "datetime": "datetime"
        case "time": "time"
        case "select", "country", "region", "locale", "timezone": "picklist"
        case "multiselect": "multipicklist"
        case "textarea": "text"
        default: "string"
        }
    }

    /// `properties.list` of select fields: `[{label, value}]` or a `label|value` string list.
    static func choices(_ properties: JSONValue?) -> [PicklistValue]? {
        guard let list = properties?["list"] else { return nil }
        let values: [PicklistValue]
        switch list {
        case .array(let items):
            values = items.compactMap { item in
                if let value = item["value"]?.stringValue { return PicklistValue(value: value, label: item["label"]?.stringValue) }
                return item.stringValue.map { PicklistValue(value: $0, label: $0) }
            }
        case .object(let map):
            values = map.keys.sorted().map { PicklistValue(value: $0, label: map[$0]?.stringValue) }
        default:
            values = []
        }
        return values.isEmpty ? nil : values
    }
}
