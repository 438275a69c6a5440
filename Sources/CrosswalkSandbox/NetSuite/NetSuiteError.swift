import CrosswalkCore
import Foundation

/// An error in NetSuite's REST envelope:
/// `{"type":…,"title":…,"status":…,"o:errorDetails":[{"detail":…,"o:errorCode":…,"o:errorPath"?,…}]}`.
struct NetSuiteError: Error, Sendable {
    var status: Int
    var code: String
    var detail: String
    /// Extra detail fields: `o:errorPath`, `o:errorQueryParam`, `o:errorHeader`, `o:urlPath`.
    var extra: [String: String] = [:]
    var headers: HTTPFields = [:]
    /// The title; NetSuite's concurrency 429 really says "Bad Request".
    var title: String?

    static func badRequest(_ code: String, _ detail: String, path: String? = nil, queryParam: String? = nil) -> NetSuiteError {
        var extra: [String: String] = [:]
        if let path { extra["o:errorPath"] = path }
        if let queryParam { extra["o:errorQueryParam"] = queryParam }
        return NetSuiteError(status: 400, code: code, detail: detail, extra: extra)
    }

    static func invalidParameter(_ detail: String, queryParam: String? = nil) -> NetSuiteError {
        .badRequest("INVALID_PARAMETER", detail, queryParam: queryParam)
    }

    static func nonexistent(_ urlPath: String) -> NetSuiteError {
        NetSuiteError(status: 404, code: "NONEXISTENT_ID", detail: "The record instance does not exist. Provide a valid record instance ID.",
                      extra: ["o:urlPath": urlPath])
    }

    /// The 401 every authentication failure gets, with `WWW-Authenticate` naming the realm.
    static func invalidLogin(realm: String, bearer: Bool = false) -> NetSuiteError {
        let challenge = bearer
            ? "Bearer error=\"invalid_token\", error_description=\"Invalid login attempt.\""
            : "OAuth realm=\"\(realm)\", error=\"token_rejected\", error_description=\"Invalid login attempt.\""
        return NetSuiteError(status: 401, code: "INVALID_LOGIN",
                             detail: "Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.",
                             headers: ["WWW-Authenticate": challenge])
    }

    /// The concurrency governance answer: 429 whose title says "Bad Request", no Retry-After.
    static let concurrencyLimit = NetSuiteError(status: 429, code: "CONCURRENCY_LIMIT_EXCEEDED",
                                                detail: "Concurrent request limit exceeded. Request blocked.", title: "Bad Request")

    /// The longest request URL the emulated front end takes (NetSuite publishes none; 8 KB is the usual web-server line limit).
    static let maxURLBytes = 8192

    /// The answer to a request refused before routing: a body over the limit (413) or a URL over `maxURLBytes` (414).
    static func refusal(_ refusal: SandboxRefusal) -> NetSuiteError {
        switch refusal {
        case let .bodyTooLarge(limit):
            NetSuiteError(status: 413, code: "INVALID_REQUEST", detail: "The request body is larger than the maximum of \(limit) bytes.")
        case let .uriTooLong(limit):
            NetSuiteError(status: 414, code: "INVALID_REQUEST", detail: "The request URL is longer than the maximum of \(limit) bytes.")
        }
    }

    private static let reasons: [Int: (section: String, title: String)] = [
        400: ("15.5.1", "Bad Request"), 401: ("15.5.2", "Unauthorized"), 403: ("15.5.4", "Forbidden"), 404: ("15.5.5", "Not Found"),
        405: ("15.5.6", "Method Not Allowed"), 413: ("15.5.14", "Content Too Large"), 414: ("15.5.15", "URI Too Long"), 415: ("15.5.16", "Unsupported Media Type"), 429: ("15.5.1", "Bad Request"),
        500: ("15.6.1", "Internal Server Error"),
    ]

    var response: SandboxResponse {
        let reason = Self.reasons[status] ?? ("15.6.1", "Internal Server Error")
        var detailObject: [String: Any] = ["detail": detail, "o:errorCode": code]
        for (key, value) in extra { detailObject[key] = value }
        let body: [String: Any] = ["type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-\(reason.section)",
                                   "title": title ?? reason.title, "status": status, "o:errorDetails": [detailObject]]
        return .json(status, body, headers: headers)
    }
}
