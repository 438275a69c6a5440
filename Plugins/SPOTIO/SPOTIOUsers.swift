import CrosswalkPluginKit
import Foundation

/// Users (`GET /api/v2/users/list`, 1,000 a page) and pipeline stages (from the workflow configuration): full reads.
struct SPOTIOUsers {
    let api: SPOTIOAPI

    static let fields: [FieldInfo] = [
        FieldInfo(name: "id", type: "id", label: "Id", createable: false, updateable: false, nillable: false),
        FieldInfo(name: "firstName", type: "string", label: "First name", createable: false, updateable: false),
        FieldInfo(name: "lastName", type: "string", label: "Last name", createable: false, updateable: false),
        FieldInfo(name: "email", type: "email", label: "E-mail", unique: true, createable: false, updateable: false),
        FieldInfo(name: "role", type: "picklist", label: "Role", createable: false, updateable: false,
                  picklist: ["Admin", "Manager", "Sales Rep"].map { PicklistValue(value: $0, label: $0) }),
        FieldInfo(name: "status", type: "picklist", label: "Status", createable: false, updateable: false,
                  picklist: ["Active", "Invited", "Blocked"].map { PicklistValue(value: $0, label: $0) }),
        FieldInfo(name: "externalSystemUserId", type: "string", label: "External user id", createable: false, updateable: false,
                  externalID: true),
        FieldInfo(name: "visible", type: "boolean", label: "Visible", createable: false, updateable: false),
    ]

    static func record(_ value: JSONValue) -> Record? {
        guard let id = SPOTIOJSON.string(value["id"]) else { return nil }
        var out: [String: JSONValue] = [:]
        for f in fields where f.name != "id" { out[f.name] = value[f.name] ?? .null }
        out["id"] = .string(id)
        return Record(object: "User", id: id, fields: out)
    }

    func read(_ request: ReadRequest) throws -> ReadResult {
        if let ids = request.ids {
            // userIds filters the list: one call per 200 ids.
            var records: [Record] = []
            for chunk in stride(from: 0, to: ids.count, by: 200).map({ Array(ids[$0..<min($0 + 200, ids.count)]) }) {
                let page = try api.json("GET", "/api/v2/users/list?pageSize=1000&userIds=\(SPOTIOQuery.list(chunk))")
                records += (page["items"]?.arrayValue ?? []).compactMap(Self.record)
            }
            let found = Set(records.map(\.id))
            return ReadResult(records: records, nextCursor: nil, hasMore: false, missing: ids.filter { !found.contains($0) })
        }
        var path = "/api/v2/users/list?pageSize=\(min(max(request.limit ?? 1000, 1), 1000))"
        if let scroll = request.cursor?["scrollId"]?.stringValue { path += "&scrollId=\(SPOTIOQuery.encode(scroll))" }
        let page = try api.json("GET", path)
        let records = (page["items"]?.arrayValue ?? []).compactMap(Self.record)
        let next = page["scrollId"]?.stringValue
        return ReadResult(records: records, nextCursor: next.map { ["scrollId": .string($0)] }, hasMore: next != nil)
    }
}

/// Pipeline stages of every DataObject type, one record each (the workflow configuration is one call).
struct SPOTIOStages {
    let schema: SPOTIOSchemaCache

    func read(_ request: ReadRequest) throws -> ReadResult {
        let types = try schema.types()
        var records: [Record] = []
        for type in types {
            for stage in type.stages {
                records.append(Record(object: "Stage", id: stage.id, fields: [
                    "id": .string(stage.id), "name": .string(stage.name), "group": .string(stage.group),
                    "typeId": .string(type.id), "typeName": .string(type.name),
                ]))
            }
        }
        if let ids = request.ids {
            let wanted = Set(ids)
            let found = records.filter { wanted.contains($0.id) }
            return ReadResult(records: found, nextCursor: nil, hasMore: false, missing: ids.filter { id in !found.contains { $0.id == id } })
        }
        return ReadResult(records: records, nextCursor: nil, hasMore: false)
    }
}

/// Query-string encoding.
enum SPOTIOQuery {
    /// Percent-encodes a query value (RFC 3986 unreserved characters stay).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// A comma-separated list, each item encoded.
    static func list(_ items: [String]) -> String { items.map(encode).joined(separator: ",") }
}
