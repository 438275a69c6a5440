import CrosswalkPluginKit
import Foundation

/// A record's fields turned into what SPOTIO's writes take: a `DataObjectRequest` / `BulkDataObjectRequest` for
/// creates and bulk lines, JSON Patch operations for a single update.
struct SPOTIOLeadFields {
    let type: SPOTIOType

    static let pinProperties: Set<String> = Set(SPOTIORecords.systemFields.filter(\.pin).map(\.name)).union(SPOTIORecords.writablePinProperties)
    static let writableSystem: Set<String> = ["stageId", "ownerId", "source", "externalDataObjectId", "territoryId", "collaboratorIds"]

    /// A `BulkDataObjectRequest` (also the `dataObject` of `POST /api/DataObjects`); `id` for bulk creates and updates.
    func request(_ fields: [String: JSONValue], id: String?, create: Bool) throws -> JSONValue {
        var out: [String: JSONValue] = ["typeId": SPOTIOJSON.id(type.id)]
        if let id { out["id"] = .string(id) }
        var pin: [String: JSONValue] = [:]
        var custom: [JSONValue] = []
        for name in fields.keys.sorted() {
            let value = fields[name] ?? .null
            if Self.writableSystem.contains(name) {
                if create && value.isNull { continue }
                switch name {
                case "stageId", "ownerId":
                    guard let text = SPOTIOJSON.string(value) else { throw invalid(name, "\(name) must be an id") }
                    if name == "stageId", !type.stages.contains(where: { $0.id == text }) {
                        throw invalid(name, "stage \(text) is not a stage of type \(type.name) (\(type.stages.map { "\($0.id) \($0.name)" }.joined(separator: ", ")))")
                    }
                    out[name] = SPOTIOJSON.id(text)
                case "collaboratorIds":
                    out[name] = .array((value.arrayValue ?? []).compactMap { SPOTIOJSON.string($0) }.map(SPOTIOJSON.id))
                default:
                    out[name] = value.isNull ? .null : .string(Self.text(value))
                }
            } else if Self.pinProperties.contains(name) {
                if create && value.isNull { continue }
                pin[name] = value
            } else if let definition = type.field(named: name) {
                if create && value.isNull { continue }
                custom.append(Self.fieldValue(definition, value))
            } else if SPOTIORecords.systemFields.contains(where: { $0.name == name }) {
                if name == "id" || name == "typeId" { continue }
                throw invalid(name, "\(name) is read-only in SPOTIO")
            } else {
                throw invalid(name, "the Lead type \"\(type.name)\" has no field \(name)")
            }
        }
        if !pin.isEmpty { out["pin"] = .object(pin) }
        if !custom.isEmpty { out["fields"] = .array(custom) }
        return .object(out)
    }

    /// JSON Patch for `PATCH /api/DataObjects/{id}/jsonp`: custom fields addressed by their id.
    func patch(_ fields: [String: JSONValue]) throws -> JSONValue {
        let request = try request(fields, id: nil, create: false)
        var ops: [JSONValue] = []
        for (name, value) in request.objectValue ?? [:] where name != "typeId" {
            switch name {
            case "pin":
                for (property, v) in value.objectValue ?? [:] {
                    ops.append(v.isNull ? ["op": "remove", "path": .string("/pin/\(property)")]
                                        : ["op": "replace", "path": .string("/pin/\(property)"), "value": v])
                }
            case "fields":
                for item in value.arrayValue ?? [] {
                    guard let id = item["fieldId"]?.stringValue else { continue }
                    let cleared = (item["value"]?.isNull ?? true) && (item["values"]?.isNull ?? true)
                    ops.append(cleared ? ["op": "remove", "path": .string("/fields/\(id)")]
                                       : ["op": "replace", "path": .string("/fields/\(id)"), "value": item])
                }
            default:
                ops.append(value.isNull ? ["op": "remove", "path": .string("/\(name)")] : ["op": "replace", "path": .string("/\(name)"), "value": value])
            }
        }
        return .array(ops)
    }

    /// `{fieldId, value}` or `{fieldId, values}` (multi-choice); null clears.
    static func fieldValue(_ definition: SPOTIOFieldDefinition, _ value: JSONValue) -> JSONValue {
        if value.isNull { return ["fieldId": .string(definition.id), "value": .null, "values": .null] }
        if definition.isMultiValue {
            let list = value.arrayValue?.map { JSONValue.string(text($0)) }
                ?? text(value).split(separator: ";").map { .string($0.trimmingCharacters(in: .whitespaces)) }
            return ["fieldId": .string(definition.id), "values": .array(list)]
        }
        return ["fieldId": .string(definition.id), "value": .string(text(value))]
    }

    /// A scalar as SPOTIO's field values carry it (text; exact numbers).
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .number(let n): n.text
        case .bool(let b): b ? "true" : "false"
        default: value.text
        }
    }

    private func invalid(_ field: String, _ message: String) -> ConnectorError {
        ConnectorError(.invalidArgument, message, fields: [field])
    }

    /// The record fields an error of SPOTIO's names: a property (`stageId`), or a custom field quoted by its label
    /// (`Field 'Email' needs an e-mail address`).
    func offendingFields(_ items: [SPOTIOErrorItem]) -> [String] {
        var out: [String] = []
        for item in items {
            let key = item.field.split(separator: ".").last.map(String.init) ?? item.field
            if key == "fields" || key == "_" {
                for definition in type.fields where item.message.contains("'\(definition.label)'") || item.message.contains("'\(definition.id)'") {
                    out.append(definition.name)
                }
            } else if key == "pin" {
                out.append(contentsOf: Self.pinProperties.filter { item.message.contains("pin.\($0)") }.sorted())
            } else {
                out.append(key)
            }
        }
        return out
    }
}

/// A fresh 24-hex ObjectId (4-byte time + 8 random bytes), given to each bulk create so its result line can be
/// matched to its record (`BulkDataObjectRequest.id`, "the ID of the data object in bson format").
enum SPOTIOObjectID {
    static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        let seconds = UInt32(truncatingIfNeeded: Int(Date().timeIntervalSince1970))
        var hex = String(format: "%08x", seconds)
        for _ in 0..<8 { hex += String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }
        return hex
    }
}
