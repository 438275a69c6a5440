import CrosswalkPluginKit

/// A DataObject property the `Lead` object exposes as a field (custom fields come from the type's definition).
struct SPOTIOSystemField: Sendable {
    var name: String
    var type: String
    var label: String
    var createable: Bool
    var updateable: Bool
    var reference: String?
    /// Where the value sits in a DataObject: a top-level property, or one of the pin's.
    var pin: Bool = false
}

/// DataObjects ⇄ canonical records of the `Lead` object.
enum SPOTIORecords {
    static let object = "Lead"

    /// The DataObject properties every type has, as the record names them (the API's own property names;
    /// the pin's `address`, `lat`, `lng`, `zip` and `placeId` flattened, as search answers carry them).
    static let systemFields: [SPOTIOSystemField] = [
        .init(name: "id", type: "id", label: "Id", createable: false, updateable: false),
        .init(name: "typeId", type: "string", label: "Type", createable: false, updateable: false),
        .init(name: "name", type: "string", label: "Name", createable: false, updateable: false),
        .init(name: "stageId", type: "reference", label: "Stage", createable: true, updateable: true, reference: "Stage"),
        .init(name: "ownerId", type: "reference", label: "Owner", createable: true, updateable: true, reference: "User"),
        .init(name: "source", type: "string", label: "Source", createable: true, updateable: true),
        .init(name: "externalDataObjectId", type: "string", label: "External id", createable: true, updateable: true),
        .init(name: "territoryId", type: "string", label: "Territory", createable: false, updateable: true),
        .init(name: "collaboratorIds", type: "json", label: "Collaborators", createable: true, updateable: true),
        .init(name: "address", type: "string", label: "Address", createable: true, updateable: true, pin: true),
        .init(name: "lat", type: "number", label: "Latitude", createable: true, updateable: true, pin: true),
        .init(name: "lng", type: "number", label: "Longitude", createable: true, updateable: true, pin: true),
        .init(name: "zip", type: "string", label: "ZIP", createable: true, updateable: true, pin: true),
        .init(name: "placeId", type: "string", label: "Place id", createable: true, updateable: true, pin: true),
        .init(name: "createdAt", type: "datetime", label: "Created", createable: false, updateable: false),
        .init(name: "updatedAt", type: "datetime", label: "Updated", createable: false, updateable: false),
        .init(name: "createdById", type: "reference", label: "Created by", createable: false, updateable: false, reference: "User"),
        .init(name: "updatedById", type: "reference", label: "Updated by", createable: false, updateable: false, reference: "User"),
        .init(name: "stageUpdatedAt", type: "datetime", label: "Stage changed", createable: false, updateable: false),
        .init(name: "visitsCount", type: "integer", label: "Visits", createable: false, updateable: false),
        .init(name: "lastVisitDate", type: "datetime", label: "Last visit", createable: false, updateable: false),
        .init(name: "lastVisitResultId", type: "string", label: "Last visit result", createable: false, updateable: false),
    ]

    /// Pin properties a write may also set (search answers do not carry them, so reads leave them out).
    static let writablePinProperties: Set<String> = ["street", "houseNumber", "city", "state", "country", "shortAddress"]

    static let dateFields: Set<String> = ["createdAt", "updatedAt", "stageUpdatedAt", "lastVisitDate"]

    /// The record of a DataObject (a `DataObject`, a `SearchDataObjectDto` or a webhook's `data`).
    static func record(_ value: JSONValue, type: SPOTIOType) -> Record? {
        guard let id = value["id"]?.stringValue else { return nil }
        var fields: [String: JSONValue] = [:]
        let pin = value["pin"]
        for f in systemFields {
            let raw = f.pin ? pin?[f.name] : value[f.name]
            guard let raw else { continue }
            if dateFields.contains(f.name), let text = raw.stringValue, let ms = SPOTIOTime.milliseconds(text) {
                fields[f.name] = .string(SPOTIOTime.text(milliseconds: ms))
            } else if f.type == "reference" || f.name == "typeId" || f.name == "territoryId" {
                fields[f.name] = SPOTIOJSON.string(raw).map(JSONValue.string) ?? .null
            } else {
                fields[f.name] = raw
            }
        }
        for definition in type.fields { fields[definition.name] = .null }
        for item in value["fields"]?.arrayValue ?? [] {
            guard let fid = SPOTIOJSON.string(item["fieldId"]), let definition = type.field(id: fid) else { continue }
            fields[definition.name] = fieldValue(item, definition)
        }
        let modified = value["updatedAt"]?.stringValue.flatMap(SPOTIOTime.milliseconds).map { SPOTIOTime.text(milliseconds: $0) }
        var links: [RecordLink] = []
        if let owner = SPOTIOJSON.string(value["ownerId"]) { links.append(RecordLink(object: "User", id: owner, type: "ownerId")) }
        if let stage = SPOTIOJSON.string(value["stageId"]) { links.append(RecordLink(object: "Stage", id: stage, type: "stageId")) }
        return Record(object: object, id: id, fields: fields, modifiedAt: modified,
                      modifiedBy: SPOTIOJSON.string(value["updatedById"]), links: links)
    }

    /// A custom field's value as the record holds it: numbers as exact JSON numbers, multi-choice as an array.
    static func fieldValue(_ item: JSONValue, _ definition: SPOTIOFieldDefinition) -> JSONValue {
        if definition.isMultiValue {
            let values = item["values"]?.arrayValue ?? item["value"].flatMap { $0.stringValue.map { [JSONValue.string($0)] } } ?? []
            return values.isEmpty ? .null : .array(values)
        }
        guard let text = SPOTIOJSON.string(item["value"]) ?? item["values"]?.arrayValue?.first?.stringValue else { return .null }
        if definition.isNumeric, let number = try? JSONNumber(text: text) { return .number(number) }
        return .string(text)
    }

    /// The modification key of a DataObject: `updatedAt` in milliseconds and its id.
    static func key(_ value: JSONValue) -> SPOTIOKey? {
        guard let id = value["id"]?.stringValue, let text = value["updatedAt"]?.stringValue,
              let ms = SPOTIOTime.milliseconds(text) else { return nil }
        return SPOTIOKey(time: ms, id: id)
    }
}

/// A position in modification order: `updatedAt` (ms) then id.
struct SPOTIOKey: Sendable, Comparable, Hashable {
    var time: Int64
    var id: String

    static func < (a: SPOTIOKey, b: SPOTIOKey) -> Bool {
        a.time != b.time ? a.time < b.time : a.id.utf8.lexicographicallyPrecedes(b.id.utf8)
    }

    var json: JSONValue { ["t": .number(JSONNumber(time)), "id": .string(id)] }

    init(time: Int64, id: String) {
        self.time = time
        self.id = id
    }

    init?(_ value: JSONValue?) {
        guard let value, let t = value["t"]?.int64Value, let id = value["id"]?.stringValue else { return nil }
        self.init(time: t, id: id)
    }
}
