import CrosswalkPluginKit

/// `discover`: each record type's fields from the metadata catalog, typed on the ABI's closed list.
extension NetSuiteConnector {
    static let operations = ["read", "create", "update", "upsert", "delete"]

    func runDiscover(_ request: DiscoverRequest) throws -> DiscoverResult {
        let names = request.objects ?? NetSuiteObject.all.map(\.name)
        return DiscoverResult(objects: try names.map { name in
            let object = try object(name)
            let schema = try schema(object)
            var fields = schema.fields.map(Self.info)
            if !fields.contains(where: { $0.name == "id" }) {
                fields.insert(FieldInfo(name: "id", type: "id", label: "Internal ID", unique: true, createable: false, updateable: false, nillable: false), at: 0)
            }
            return ObjectInfo(name: object.name, label: object.label, custom: false, operations: Self.operations, fields: fields)
        })
    }

    static func info(_ field: NetSuiteField) -> FieldInfo {
        let type: String
        var references: [String]?
        switch field.kind {
        case .text: type = field.name == "id" ? "id" : (field.picklist != nil ? "picklist" : textType(field.name))
        case .integer: type = field.name == "id" ? "id" : "integer"
        case .number: type = "number"
        case .boolean: type = "boolean"
        case .date: type = "date"
        case .datetime: type = "datetime"
        case .reference(let target):
            type = "reference"
            references = target.map { [$0] }
        case .sublist: type = "json"
        }
        let writable = !field.readOnly && field.name != "id"
        return FieldInfo(name: field.name, type: type, label: field.label, required: field.required,
                         unique: field.name == "id" || field.name == "externalId",
                         createable: writable, updateable: writable, nillable: field.nillable && !field.required,
                         externalID: field.name == "externalId", custom: field.custom, picklist: field.picklist, referenceTo: references)
    }

    /// NetSuite types e-mail, phone and web-address fields as plain strings; their names say what they hold.
    static func textType(_ name: String) -> String {
        let lower = name.lowercased()
        if lower == "email" || lower.hasSuffix("email") { return "email" }
        if lower.hasSuffix("phone") || lower == "fax" || lower == "mobilephone" { return "phone" }
        if lower == "url" { return "url" }
        return "string"
    }
}
