import CrosswalkPluginKit
import Foundation

/// A custom field of a DataObject type (`GET /api/workflow/dataObjects/full` → `fields`).
struct SPOTIOFieldDefinition: Sendable {
    var id: String
    /// The label people see ("First Name").
    var label: String
    /// SPOTIO's `CustomFieldType`: `Text`, `MultiLine`, `Email`, `Phone`, `Number`, `Currency`, `SingleChoice`, `MultiChoice`, `Date`…
    var type: String
    var systemRole: String?
    var options: [String]
    /// The field's name in records: its system role (`Email`, `FirstName`, `Company`…) when it has one, else `field_<id>`.
    var name: String

    var isMultiValue: Bool { type == "MultiChoice" }
    var isNumeric: Bool { type == "Number" || type == "Currency" }

    /// The ABI's type for SPOTIO's field type.
    var abiType: String {
        switch type {
        case "Email": "email"
        case "Phone": "phone"
        case "Number": "number"
        case "Currency": "currency"
        case "SingleChoice": "picklist"
        case "MultiChoice": "multipicklist"
        case "Date": "date"
        case "DateTime": "datetime"
        case "MultiLine": "text"
        case "Url", "Link": "url"
        case "Checkbox", "Boolean": "boolean"
        default: "string"
        }
    }
}

/// A pipeline stage of a type; `group` is `active`, `won` or `lost`.
struct SPOTIOStage: Sendable {
    var id: String
    var name: String
    var group: String
    var typeID: String
}

/// A tenant-defined DataObject type (Lead, Customer…) with its fields and pipeline.
struct SPOTIOType: Sendable {
    var id: String
    var name: String
    var fields: [SPOTIOFieldDefinition]
    var stages: [SPOTIOStage]

    func field(named name: String) -> SPOTIOFieldDefinition? { fields.first { $0.name == name } }
    func field(id: String) -> SPOTIOFieldDefinition? { fields.first { $0.id == id } }

    init(id: String, name: String, fields: [SPOTIOFieldDefinition], stages: [SPOTIOStage]) {
        self.id = id
        self.name = name
        self.fields = fields
        self.stages = stages
    }

    /// A `Settings.DataObjectDefinition` of `GET /api/workflow/dataObjects/full`.
    init?(_ value: JSONValue) {
        guard let id = SPOTIOJSON.string(value["id"]) else { return nil }
        self.id = id
        name = value["name"]?.stringValue ?? id
        var used = Set<String>()
        fields = (value["fields"]?.arrayValue ?? []).compactMap { f in
            guard let fid = SPOTIOJSON.string(f["id"]) else { return nil }
            let role = f["systemRole"]?.stringValue
            var name = "field_\(fid)"
            if let role, !role.isEmpty, role != "None", !used.contains(role) { name = role }
            used.insert(name)
            return SPOTIOFieldDefinition(id: fid, label: f["name"]?.stringValue ?? fid, type: f["type"]?.stringValue ?? "Text",
                                         systemRole: role, options: f["activeOptions"]?.arrayValue?.compactMap(\.stringValue) ?? [], name: name)
        }
        var stages: [SPOTIOStage] = []
        for group in ["active", "won", "lost"] {
            for s in value["stages"]?[group]?["stages"]?.arrayValue ?? [] {
                guard let sid = SPOTIOJSON.string(s["id"]) else { continue }
                stages.append(SPOTIOStage(id: sid, name: s["name"]?.stringValue ?? sid, group: group, typeID: id))
            }
        }
        self.stages = stages
    }
}

/// The tenant's workflow configuration, fetched once per instance (one call).
final class SPOTIOSchemaCache {
    private let api: SPOTIOAPI
    private let settings: SPOTIOSettings
    private var cached: [SPOTIOType]?

    init(api: SPOTIOAPI, settings: SPOTIOSettings) {
        self.api = api
        self.settings = settings
    }

    /// Every DataObject type with its fields and stages.
    func types() throws -> [SPOTIOType] {
        if let cached { return cached }
        let value = try api.json("GET", "/api/workflow/dataObjects/full")
        let types = (value.arrayValue ?? []).compactMap(SPOTIOType.init)
        cached = types
        return types
    }

    /// The type the `Lead` object stands for: the `lead_type_id` setting, else the type named "Lead", else the first.
    func leadType() throws -> SPOTIOType {
        let all = try types()
        if let id = settings.leadTypeID {
            guard let type = all.first(where: { $0.id == id }) else {
                throw ConnectorError(.notFound, "setting lead_type_id is \(id), but SPOTIO has no DataObject type \(id) (types: \(all.map { "\($0.name) (\($0.id))" }.joined(separator: ", ")))")
            }
            return type
        }
        guard let type = all.first(where: { $0.name.caseInsensitiveCompare("Lead") == .orderedSame }) ?? all.first else {
            throw ConnectorError(.notFound, "SPOTIO has no DataObject types (Settings → Workflow)")
        }
        return type
    }

    /// Every stage of every type.
    func stages() throws -> [SPOTIOStage] { try types().flatMap(\.stages) }
}

/// Small readers over SPOTIO's JSON, where ids come as strings or integers.
enum SPOTIOJSON {
    /// A string, or an integer written out.
    static func string(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let s)?: s
        case .number(let n)?: n.text
        default: nil
        }
    }

    /// An id as SPOTIO's request schemas type it: an integer when it is one (`stageId`, `ownerId`, `typeId` are int32).
    static func id(_ text: String) -> JSONValue {
        if let n = Int(text) { return .number(JSONNumber(n)) }
        return .string(text)
    }
}
