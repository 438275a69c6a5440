import CrosswalkCore
import Foundation

/// JSON Patch (RFC 6902 `add` / `replace` / `remove`) over a DataObject, as `PATCH /api/DataObjects/{id}/jsonp` takes it.
///
/// Paths: `/stageId`, `/ownerId`, `/externalDataObjectId`, `/source`, `/territoryId`, `/collaboratorIds`, `/textOptedIn`,
/// `/pin` or `/pin/<property>`, `/fields` (the whole list), `/fields/-` (add one `{fieldId, value|values}`),
/// `/fields/<fieldId>` and `/fields/<fieldId>/value|values` (one field by its numeric id).
struct SpotioPatch {
    let input: SpotioInput

    /// The operations of a body that is either a bare array or `{"operations": [...]}`.
    static func operations(_ body: Any?) -> [[String: Any]]? {
        if let object = body as? [String: Any] { return object["operations"].flatMap(operations) }
        guard let array = body as? [Any] else { return nil }
        let ops = array.compactMap { $0 as? [String: Any] }
        return ops.count == array.count ? ops : nil
    }

    func apply(_ operations: [[String: Any]], to record: inout SpotioDataObject) throws(SpotioInput.Invalid) {
        guard let type = input.state.type(record.typeId) else { throw SpotioInput.Invalid("typeId", "Unknown type.") }
        for operation in operations {
            guard let op = operation.spotioString("op")?.lowercased(), let path = operation.spotioString("path") else {
                throw SpotioInput.Invalid("operations", "Each operation needs op and path.")
            }
            guard ["add", "replace", "remove"].contains(op) else {
                throw SpotioInput.Invalid("operations", "Operation '\(op)' is not supported; use add, replace or remove.")
            }
            let value: Any? = op == "remove" ? nil : operation["value"]
            let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
            guard let head = segments.first else { throw SpotioInput.Invalid("path", "Path '\(path)' is empty.") }
            switch (head.lowercased(), segments.count) {
            case ("stageid", 1):
                guard let stage = try input.stageId(value, type: type) else { throw SpotioInput.Invalid("stageId", "stageId cannot be removed.") }
                record.stageId = stage
            case ("ownerid", 1):
                guard let owner = try input.userId(value, field: "ownerId") else { throw SpotioInput.Invalid("ownerId", "ownerId cannot be removed.") }
                record.ownerId = owner
            case ("externaldataobjectid", 1): record.externalDataObjectId = value.flatMap { ["v": $0].spotioString("v") }
            case ("source", 1): record.source = value.flatMap { ["v": $0].spotioString("v") }
            case ("territoryid", 1): record.territoryId = value.flatMap { ["v": $0].spotioString("v") }
            case ("textoptedin", 1): record.textOptedIn = value.flatMap { ["v": $0].spotioBool("v") } ?? false
            case ("collaboratorids", 1):
                record.collaboratorIds = try (value as? [Any] ?? []).map { item throws(SpotioInput.Invalid) in
                    try input.userId(item, field: "collaboratorIds") ?? ""
                }
            case ("pin", 1):
                guard value != nil else { throw SpotioInput.Invalid("pin", "pin cannot be removed.") }
                record.pin = try input.pin(value, over: SpotioPin(id: record.pin.id, lat: 0, lng: 0))
            case ("pin", 2):
                try input.setPinProperty(&record.pin, segments[1], value)
            case ("fields", 1):
                record.fields = try input.fields(value ?? [Any](), type: type)
            case ("fields", 2) where segments[1] == "-":
                guard let object = value as? [String: Any], let fieldId = object.spotioString("fieldId") else {
                    throw SpotioInput.Invalid("fields", "Adding to /fields/- needs {fieldId, value}.")
                }
                try setField(&record, fieldId, value: object["value"], values: object["values"], type: type)
            case ("fields", 2):
                let object = value as? [String: Any]
                let single = object == nil ? value : object?["value"]
                let multiple = object == nil ? value : object?["values"]
                try setField(&record, segments[1], value: single, values: multiple, type: type)
            case ("fields", 3) where ["value", "values"].contains(segments[2]):
                try setField(&record, segments[1], value: value, values: value, type: type)
            case ("typeid", 1), ("id", 1):
                throw SpotioInput.Invalid("path", "'\(path)' cannot be changed.")
            default:
                throw SpotioInput.Invalid("path", "Path '\(path)' is not a patchable DataObject property.")
            }
        }
    }

    private func setField(_ record: inout SpotioDataObject, _ fieldId: String, value: Any?, values: Any?,
                          type: SpotioObjectType) throws(SpotioInput.Invalid) {
        let newValue = try input.fieldValue(fieldId: fieldId, value: value, values: values, type: type)
        record.fields.removeAll { $0.fieldId == fieldId }
        if let newValue { record.fields.append(newValue) }
    }
}
