import CrosswalkPluginKit

/// `discover`: each object's properties from `/crm/v3/properties/{object}` (one call per object asked for): types
/// mapped onto the ABI's list, read-only and calculated properties neither createable nor updateable, enumeration
/// options as picklists, custom properties marked, unique ones marked.
struct HubSpotDiscoverer {
    let schema: HubSpotSchema

    func discover(_ objects: [String]?) throws -> DiscoverResult {
        let kinds = try (objects ?? HubSpotKind.allCases.map(\.rawValue)).map { try HubSpotKind($0) }
        return DiscoverResult(objects: try kinds.map(describe))
    }

    func describe(_ kind: HubSpotKind) throws -> ObjectInfo {
        var fields: [FieldInfo] = []
        for p in try schema.properties(kind) {
            let writable = !p.readOnly && !p.calculated && p.name != "hs_object_id"
            let type = Self.type(p)
            // HubSpot requires nothing on create but a contact's email or a company's name by convention; invoices need hs_currency.
            let required = kind == .invoices && p.name == "hs_currency"
            fields.append(FieldInfo(name: p.name, type: type, label: p.label, required: required, unique: p.unique || p.name == "hs_object_id" || (kind == .contacts && p.name == "email"),
                                    createable: writable, updateable: writable, nillable: !required, custom: p.custom,
                                    length: type == "string" || type == "text" || type == "email" ? 65_536 : nil,
                                    picklist: p.options.isEmpty ? nil : p.options))
        }
        if !fields.contains(where: { $0.name == "hs_object_id" }) {
            fields.insert(FieldInfo(name: "hs_object_id", type: "id", label: "Record ID", unique: true, createable: false, updateable: false), at: 0)
        }
        return ObjectInfo(name: kind.rawValue, label: kind.label, custom: false, operations: ["read", "create", "update", "upsert", "delete"],
                          fields: fields)
    }

    /// HubSpot's `type`/`fieldType` onto the ABI's closed list.
    static func type(_ p: HubSpotPropertyInfo) -> String {
        if p.name == "hs_object_id" { return "id" }
        if p.name == "email" || p.fieldType == "email" { return "email" }
        switch p.type {
        case "number": return p.name.contains("amount") || p.fieldType == "currency" ? "currency" : "number"
        case "date": return "date"
        case "datetime": return "datetime"
        case "bool": return "boolean"
        case "phone_number": return "phone"
        case "enumeration":
            if p.fieldType == "checkbox" { return "multipicklist" }
            if p.fieldType == "booleancheckbox" { return "boolean" }
            return p.options.isEmpty ? "string" : "picklist"
        case "json", "object_coordinates": return "json"
        default:
            if p.fieldType == "phonenumber" { return "phone" }
            if p.fieldType == "textarea" || p.fieldType == "html" { return "text" }
            if p.name == "website" { return "url" }
            return "string"
        }
    }
}
