import CrosswalkPluginKit

/// `discover`: the Lead object from its DataObject type (custom fields with their choices, stages as a picklist),
/// and the fixed shapes of activities, stages and users.
struct SPOTIODiscoverer {
    let schema: SPOTIOSchemaCache

    static let objectNames = ["Lead", "Activity", "Stage", "User"]

    func discover(_ wanted: [String]?) throws -> DiscoverResult {
        let names = wanted ?? Self.objectNames
        if let unknown = names.first(where: { !Self.objectNames.contains($0) }) {
            throw ConnectorError(.notFound, "SPOTIO has no object \(unknown); the connector offers \(Self.objectNames.joined(separator: ", "))")
        }
        return DiscoverResult(objects: try names.map(object))
    }

    private func object(_ name: String) throws -> ObjectInfo {
        switch name {
        case "Lead": return try lead()
        case "Activity":
            return ObjectInfo(name: "Activity", label: "Activity", custom: false, operations: ["read", "create", "update"],
                              fields: SPOTIOActivities.fields)
        case "Stage":
            return ObjectInfo(name: "Stage", label: "Pipeline stage", custom: false, operations: ["read"], fields: [
                FieldInfo(name: "id", type: "id", label: "Id", createable: false, updateable: false, nillable: false),
                FieldInfo(name: "name", type: "string", label: "Name", createable: false, updateable: false),
                FieldInfo(name: "group", type: "picklist", label: "Group", createable: false, updateable: false,
                          picklist: ["active", "won", "lost"].map { PicklistValue(value: $0, label: $0) }),
                FieldInfo(name: "typeId", type: "string", label: "DataObject type", createable: false, updateable: false),
                FieldInfo(name: "typeName", type: "string", label: "DataObject type name", createable: false, updateable: false),
            ])
        default:
            return ObjectInfo(name: "User", label: "User", custom: false, operations: ["read"], fields: SPOTIOUsers.fields)
        }
    }

    private func lead() throws -> ObjectInfo {
        let type = try schema.leadType()
        var fields = SPOTIORecords.systemFields.map { f in
            FieldInfo(name: f.name, type: f.type, label: f.label, createable: f.createable, updateable: f.updateable,
                      nillable: f.name != "id", externalID: f.name == "externalDataObjectId", custom: false,
                      picklist: f.name == "stageId" ? type.stages.map { PicklistValue(value: $0.id, label: $0.name) } : nil,
                      referenceTo: f.reference.map { [$0] })
        }
        for f in type.fields {
            fields.append(FieldInfo(name: f.name, type: f.abiType, label: f.label, createable: true, updateable: true, nillable: true,
                                    externalID: false, custom: true,
                                    picklist: f.options.isEmpty ? nil : f.options.map { PicklistValue(value: $0, label: $0) }))
        }
        return ObjectInfo(name: "Lead", label: type.name, custom: false, operations: ["read", "create", "update", "delete"], fields: fields)
    }
}
