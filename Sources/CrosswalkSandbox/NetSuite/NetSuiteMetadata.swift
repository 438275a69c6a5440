import CrosswalkCore
import Foundation

/// `GET /services/rest/record/v1/metadata-catalog[/{type}]`: the record types, and per type a JSON Schema
/// (`Accept: application/schema+json`) or a small OpenAPI document (`application/swagger+json`, the default).
enum NetSuiteMetadata {
    static func handle(_ request: SandboxRequest, segments: [String]) throws(NetSuiteError) -> SandboxResponse {
        guard request.method == "GET" else {
            throw NetSuiteError(status: 405, code: "INVALID_PARAMETER", detail: "HTTP method \(request.method) is not supported for this resource.")
        }
        let base = "\(request.baseURL)/services/rest/record/v1"
        let selected = request.queryValue("select").map { $0.split(separator: ",").map(String.init) } ?? NetSuiteSchema.recordTypes
        guard let type = segments.first, !type.isEmpty else {
            let items = NetSuiteSchema.recordTypes.filter(selected.contains).map { name -> [String: Any] in
                ["name": name, "links": [
                    ["rel": "canonical", "href": "\(base)/\(name)", "mediaType": "application/json"],
                    ["rel": "alternate", "href": "\(base)/metadata-catalog/\(name)", "mediaType": "application/swagger+json"],
                    ["rel": "alternate", "href": "\(base)/metadata-catalog/\(name)", "mediaType": "application/schema+json"],
                    ["rel": "describes", "href": "\(base)/\(name)", "mediaType": "application/json"],
                ]]
            }
            return .json(200, ["items": items, "links": [["rel": "self", "href": "\(base)/metadata-catalog"]]])
        }
        guard NetSuiteSchema.recordTypes.contains(type) else { throw .nonexistent(request.path) }
        let schema = jsonSchema(type)
        if (request.headers["Accept"] ?? "").contains("schema+json") {
            return .json(200, schema, headers: ["Content-Type": "application/schema+json"])
        }
        let openAPI: [String: Any] = [
            "openapi": "3.0.1", "info": ["title": "NetSuite REST Record API", "version": "v1"],
            "paths": ["/\(type)": ["get": ["summary": "Get list of records."], "post": ["summary": "Insert record."]],
                      "/\(type)/{id}": ["get": ["summary": "Get record."], "patch": ["summary": "Update record."],
                                        "delete": ["summary": "Remove record."], "put": ["summary": "Insert or update record."]]],
            "components": ["schemas": [type: schema]],
        ]
        return .json(200, openAPI, headers: ["Content-Type": "application/swagger+json"])
    }

    /// The JSON Schema of a record type with NetSuite's `x-ns-filterable` and `x-ns-custom-field` markers.
    static func jsonSchema(_ type: String) -> [String: Any] {
        var properties: [String: Any] = [:]
        for field in NetSuiteSchema.fields(type) {
            var p: [String: Any] = ["title": field.title, "nullable": true, "x-ns-filterable": true, "x-ns-custom-field": field.custom]
            switch field.type {
            case .text: p["type"] = "string"
            case .integer: p["type"] = "integer"; p["format"] = "int64"
            case .number: p["type"] = "number"; p["format"] = "double"
            case .boolean: p["type"] = "boolean"
            case .date: p["type"] = "string"; p["format"] = "date"
            case .datetime: p["type"] = "string"; p["format"] = "date-time"
            case let .reference(target):
                p["type"] = "object"
                p["properties"] = ["id": ["type": "string", "title": "Internal identifier"], "refName": ["type": "string", "title": "Reference Name"],
                                   "externalId": ["type": "string", "title": "External identifier"]]
                p["x-ns-referenced-type"] = target
            }
            if field.readOnly { p["readOnly"] = true }
            properties[field.name] = p
        }
        if type == "invoice" { properties["item"] = ["type": "object", "title": "Items", "x-ns-filterable": false] }
        return ["type": "object", "properties": properties, "x-ns-record-type": type]
    }
}
