/// A Salesforce REST error: HTTP status plus one `{"message","errorCode","fields"}` entry.
struct SalesforceError: Error, Sendable {
    var status: Int
    var code: String
    var message: String
    var fields: [String] = []

    /// The entry in a REST error array.
    var json: [String: Any] { ["message": message, "errorCode": code, "fields": fields] }
    /// The entry in a collections per-record result (`statusCode` instead of `errorCode`).
    var itemJSON: [String: Any] { ["statusCode": code, "message": message, "fields": fields] }

    /// The error as a REST response: a JSON array with one entry.
    var response: SandboxResponse { .json(status, [json]) }

    static let sessionInvalid = SalesforceError(status: 401, code: "INVALID_SESSION_ID", message: "Session expired or invalid")
    static let notFound = SalesforceError(status: 404, code: "NOT_FOUND", message: "The requested resource does not exist")
    static let entityDeleted = SalesforceError(status: 404, code: "ENTITY_IS_DELETED", message: "entity is deleted")
    static let requestLimit = SalesforceError(status: 403, code: "REQUEST_LIMIT_EXCEEDED", message: "TotalRequests Limit exceeded.")

    static func methodNotAllowed(_ method: String, allowed: [String]) -> SalesforceError {
        SalesforceError(status: 405, code: "METHOD_NOT_ALLOWED",
                        message: "HTTP Method '\(method)' not allowed. Allowed are \(allowed.joined(separator: ","))")
    }

    static func jsonParser(_ detail: String) -> SalesforceError {
        SalesforceError(status: 400, code: "JSON_PARSER_ERROR", message: detail)
    }

    static func noSuchColumn(_ field: String, on object: String) -> SalesforceError {
        SalesforceError(status: 400, code: "INVALID_FIELD", message: "No such column '\(field)' on sobject of type \(object)", fields: [])
    }

    static func malformedID(_ label: String, value: String, field: String) -> SalesforceError {
        SalesforceError(status: 400, code: "MALFORMED_ID", message: "\(label): id value of incorrect type: \(value)", fields: [field])
    }

    static func missingArgument(_ message: String) -> SalesforceError {
        SalesforceError(status: 400, code: "MISSING_ARGUMENT", message: message)
    }
}
