import CrosswalkPluginKit

/// An error answer in NetSuite's REST envelope:
/// `{"type":…,"title":…,"status":…,"o:errorDetails":[{"detail":…,"o:errorCode":…,"o:errorPath"?,…}]}`.
struct NetSuiteFailure: Error, Sendable {
    var status: Int
    /// `o:errorCode` of the first detail (`USER_ERROR`, `INVALID_LOGIN`, `CONCURRENCY_LIMIT_EXCEEDED`…).
    var code: String?
    /// NetSuite's own message (every detail, joined).
    var detail: String
    /// `o:errorPath`: the offending field (`companyName`, `item.items[0].item`).
    var path: String?
    var queryParam: String?
    /// `WWW-Authenticate` of a 401 (`OAuth realm=…` for token-based auth, `Bearer …` for OAuth 2.0).
    var challenge: String?

    init(_ response: ConnectorHost.Response) {
        status = response.status
        challenge = response.headers["www-authenticate"]
        let body = response.jsonValue
        let details = body?["o:errorDetails"]?.arrayValue ?? []
        code = details.first?["o:errorCode"]?.stringValue
        let texts = details.compactMap { $0["detail"]?.stringValue }
        detail = texts.isEmpty
            ? (body?["title"]?.stringValue ?? String(decoding: response.body.prefix(300), as: UTF8.self))
            : texts.joined(separator: " ")
        path = details.lazy.compactMap { $0["o:errorPath"]?.stringValue }.first
        queryParam = details.first?["o:errorQueryParam"]?.stringValue
        if detail.isEmpty { detail = "HTTP \(status)" }
    }

    /// The offending top-level field: `item.items[0].item` → `item`.
    var field: String? {
        guard let path, !path.isEmpty else { return nil }
        return String(path.prefix { $0 != "." && $0 != "[" })
    }

    /// Whether NetSuite refused the request for its concurrency limit (nothing was processed).
    var isConcurrencyRefusal: Bool { status == 429 || code == "CONCURRENCY_LIMIT_EXCEEDED" || code == "SSS_REQUEST_LIMIT_EXCEEDED" }

    /// When to try a refused request again: NetSuite sends no `Retry-After`; a slot frees when a request ends.
    static let concurrencyRetryMilliseconds = 1000

    /// The ABI error for this answer: `what` says what was asked (`POST /record/v1/customer`).
    func error(_ what: String) -> ConnectorError {
        let message = "\(what): \(code.map { "\($0): " } ?? "")\(detail)"
        let fields = field.map { [$0] }
        let details: JSONValue = ["status": .number(JSONNumber(status)), "code": code.map(JSONValue.string) ?? .null]
        if isConcurrencyRefusal {
            return ConnectorError(.rateLimited, message, retryAfterMilliseconds: Self.concurrencyRetryMilliseconds, details: details)
        }
        switch status {
        case 401, 403: return ConnectorError(.auth, message, fields: fields, details: details)
        case 404: return ConnectorError(.notFound, message, fields: fields, details: details)
        case 405: return ConnectorError(.unsupported, message, details: details)
        case 413, 414: return ConnectorError(.invalidArgument, message, details: details)
        case 500...: return ConnectorError(.unavailable, message, details: details)
        default: return ConnectorError(.conflict, message, fields: fields, details: details)
        }
    }
}
