import CrosswalkCore
import Foundation

/// An error HubSpot answers with its JSON envelope:
/// `{"status":"error","message":…,"correlationId":…,"category":…,"context"?:…,"errors"?:[…]}`.
struct HubSpotError: Error, Sendable {
    var httpStatus: Int
    var category: String
    var message: String
    var subCategory: String?
    var context: [String: [String]] = [:]
    /// Per-field details (`errors` array): message, code, in.
    var details: [(message: String, code: String?, in: String?)] = []
    /// `context` of every `errors[]` entry (e.g. `requiredGranularScopes`).
    var detailContext: [String: [String]] = [:]
    /// `links` (e.g. `{"scopes": "https://developers.hubspot.com/scopes"}`).
    var links: [String: String] = [:]

    static func validation(_ message: String, context: [String: [String]] = [:]) -> HubSpotError {
        HubSpotError(httpStatus: 400, category: "VALIDATION_ERROR", message: message, context: context)
    }

    /// A field of the wrong JSON type, as HubSpot's deserializer reports it.
    static func invalidJSON(_ field: String, expected: String, got value: Any) -> HubSpotError {
        HubSpotError.validation("Invalid input JSON: Cannot deserialize value of type `\(expected)` from \(HubSpotJSON.kind(value)) at \"\(field)\"",
                                context: ["field": [field]])
    }

    static func notFound(_ message: String = "Object not found.  objectId are usually numeric.", id: String? = nil) -> HubSpotError {
        HubSpotError(httpStatus: 404, category: "OBJECT_NOT_FOUND", message: message, context: id.map { ["id": [$0]] } ?? [:])
    }

    static func conflict(_ message: String) -> HubSpotError {
        HubSpotError(httpStatus: 409, category: "CONFLICT", message: message)
    }

    /// The 400 for property values HubSpot refuses (unknown, read-only, badly typed).
    static func invalidProperties(_ problems: [(name: String, code: String, message: String)]) -> HubSpotError {
        let items = problems.map { problem -> String in
            let fields: [String: Any] = ["isValid": false, "message": problem.message, "error": problem.code, "name": problem.name,
                                         "localizedErrorMessage": problem.message]
            return String(decoding: (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])) ?? Data(), as: UTF8.self)
        }
        var error = HubSpotError.validation("Property values were not valid: [\(items.joined(separator: ","))]")
        error.details = problems.map { (message: $0.message, code: $0.code, in: $0.name) }
        return error
    }

    static func methodNotAllowed(_ method: String) -> HubSpotError {
        HubSpotError(httpStatus: 405, category: "VALIDATION_ERROR", message: "HTTP method \(method) is not supported by this endpoint.")
    }

    /// The JSON body HubSpot sends.
    var json: [String: Any] {
        var o: [String: Any] = ["status": "error", "message": message, "correlationId": UUID().uuidString.lowercased(), "category": category]
        if let subCategory { o["subCategory"] = subCategory }
        if !context.isEmpty { o["context"] = context }
        if !details.isEmpty {
            o["errors"] = details.map { d -> [String: Any] in
                var e: [String: Any] = ["message": d.message]
                if let code = d.code { e["code"] = code }
                if let field = d.in { e["in"] = field }
                if !detailContext.isEmpty { e["context"] = detailContext }
                return e
            }
        }
        if !links.isEmpty { o["links"] = links }
        return o
    }

    /// The same error as a batch `errors[]` entry (`StandardError`).
    var standardError: [String: Any] {
        let o: [String: Any] = ["status": "error", "category": category, "message": message, "context": context,
                                "errors": [[String: Any]](), "links": [String: String]()]
        return o
    }

    var response: SandboxResponse { HubSpotJSONWriter.response(httpStatus, json) }
}
