import CrosswalkPluginKit
import Foundation

/// How long an operation may still take (`deadline_ms` of a read or write request).
struct Deadline: Sendable {
    let end: Date?

    init(milliseconds: Int?) {
        end = milliseconds.flatMap { $0 > 0 ? Date().addingTimeInterval(Double($0) / 1000) : nil }
    }

    /// Milliseconds left (at least 1), or `nil` without a deadline.
    var remaining: UInt32? {
        guard let end else { return nil }
        return UInt32(max(1, min(Double(UInt32.max), end.timeIntervalSinceNow * 1000)))
    }

    /// Whether less than `milliseconds` is left.
    func isShort(of milliseconds: Double) -> Bool {
        guard let end else { return false }
        return end.timeIntervalSinceNow * 1000 < milliseconds
    }
}

/// One error of Salesforce's error array: `[{"message":"…","errorCode":"NOT_FOUND","fields":[]}]`
/// (item results of sObject Collections call the code `statusCode`).
struct SalesforceErrorItem: Sendable {
    var code: String
    var message: String
    var fields: [String]

    init(code: String, message: String, fields: [String] = []) {
        self.code = code
        self.message = message
        self.fields = fields
    }

    init?(_ value: JSONValue) {
        guard let code = value["errorCode"]?.stringValue ?? value["statusCode"]?.stringValue else { return nil }
        self.code = code
        message = value["message"]?.stringValue ?? code
        fields = value["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// `REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]`
    var text: String { "\(code): \(message)" }

    /// The ABI code for this Salesforce code.
    var abiCode: ConnectorError.Code {
        switch code {
        case "REQUEST_LIMIT_EXCEEDED", "TXN_SECURITY_METERING_ERROR": .rateLimited
        case "UNABLE_TO_LOCK_ROW", "SERVER_UNAVAILABLE", "ALL_OR_NONE_OPERATION_ROLLED_BACK", "QUERY_TIMEOUT", "UNKNOWN_EXCEPTION": .unavailable
        case "INVALID_SESSION_ID", "API_DISABLED_FOR_ORG", "API_CURRENTLY_DISABLED", "INVALID_OPERATION_WITH_EXPIRED_PASSWORD",
             "INSUFFICIENT_ACCESS", "INSUFFICIENT_ACCESS_OR_READONLY", "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY": .auth
        case "NOT_FOUND", "ENTITY_IS_DELETED", "INVALID_TYPE", "INVALID_QUERY_LOCATOR": .notFound
        case "MALFORMED_QUERY", "INVALID_FIELD", "INVALID_QUERY_FILTER_OPERATOR", "JSON_PARSER_ERROR", "MALFORMED_ID", "URI_TOO_LONG",
             "EXCEEDED_ID_LIMIT", "INVALIDJOB", "INVALIDURL", "INVALIDLOCATOR", "API_ERROR", "METHOD_NOT_ALLOWED": .invalidArgument
        default: .conflict
        }
    }
}

/// Requests to the org through the host: quota guard before each call, `Sforce-Limit-Info` and the
/// org's clock read from each answer, Salesforce's error array turned into `ConnectorError`.
final class SalesforceAPI {
    let host: ConnectorHost
    let settings: SalesforceSettings
    /// The quota the last answer reported.
    private(set) var quota: SalesforceQuota?
    /// Seconds to add to this machine's clock to get the org's (from answers' `Date` header).
    private(set) var clockOffset: Int64?

    init(host: ConnectorHost, settings: SalesforceSettings) {
        self.host = host
        self.settings = settings
    }

    /// The longest URI Salesforce takes (*REST API Developer Guide › Status Codes and Error Responses*: 414).
    static let maxURLBytes = 16_384

    /// `/services/data/v60.0/…`
    func data(_ path: String) -> String { settings.dataPath + "/" + path }

    /// The org's clock now in whole seconds: this machine's, corrected by the `Date` header of an earlier answer.
    var orgNow: Int64 { SalesforceTime.now() + (clockOffset ?? 0) }

    /// Whether the clock is known from an answer.
    var knowsOrgClock: Bool { clockOffset != nil }

    /// Throws `rate_limited` when the last answer put the quota at or above the stop threshold.
    func guardQuota() throws {
        if let quota, quota.percent >= settings.quotaStopPercent { throw quota.stop(threshold: settings.quotaStopPercent) }
    }

    /// Sends one request (after the quota guard, unless `unguarded`) and returns the answer, whatever its status.
    func send(_ method: String, _ url: String, json body: JSONValue? = nil, headers: [String: String] = [:],
              idempotent: Bool = false, deadline: Deadline = Deadline(milliseconds: nil), unguarded: Bool = false) throws -> ConnectorHost.Response {
        if !unguarded { try guardQuota() }
        // The host puts the instance URL in front of a path: leave it room.
        if url.utf8.count + 256 > Self.maxURLBytes {
            throw ConnectorError(.invalidArgument, "\(method) \(Self.shown(url)) would be \(url.utf8.count) bytes long: Salesforce takes URIs up to \(Self.maxURLBytes) bytes (414 URI Too Long); ask for fewer fields")
        }
        if host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the call") }
        var all = headers
        var bytes = Data()
        if let body {
            bytes = body.data()
            all["Content-Type"] = "application/json"
        }
        all["Accept"] = all["Accept"] ?? "application/json"
        let response = try host.http(method, url, headers: all, body: bytes, idempotent: idempotent,
                                     timeoutMilliseconds: deadline.remaining ?? 0)
        observe(response)
        return response
    }

    /// Sends a request and decodes a 2xx JSON answer; any other status becomes the error Salesforce gave.
    func json(_ method: String, _ url: String, json body: JSONValue? = nil, headers: [String: String] = [:],
              idempotent: Bool = false, deadline: Deadline = Deadline(milliseconds: nil)) throws -> JSONValue {
        let response = try send(method, url, json: body, headers: headers, idempotent: idempotent, deadline: deadline)
        guard (200..<300).contains(response.status) else { throw Self.failure(response, "\(method) \(Self.shown(url))") }
        if response.body.isEmpty { return .null }
        guard let value = response.jsonValue else {
            throw ConnectorError(.internalError, "\(method) \(Self.shown(url)) answered HTTP \(response.status) with a body that is not JSON")
        }
        return value
    }

    private func observe(_ response: ConnectorHost.Response) {
        if let header = response.headers["sforce-limit-info"], let q = SalesforceQuota(header: header) { quota = q }
        if let date = response.headers["date"], let orgSeconds = SalesforceTime.httpDate(date) {
            clockOffset = orgSeconds - SalesforceTime.now()
        }
    }

    /// The path and SOQL of a URL without its query values shown in full (they can be long).
    static func shown(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q])
    }

    /// Salesforce's error items in an answer's body (its JSON array, or an OAuth error object).
    static func errorItems(_ response: ConnectorHost.Response) -> [SalesforceErrorItem] {
        guard let value = response.jsonValue else { return [] }
        if let array = value.arrayValue { return array.compactMap(SalesforceErrorItem.init) }
        if let single = SalesforceErrorItem(value) { return [single] }
        if let error = value["error"]?.stringValue {
            return [SalesforceErrorItem(code: error, message: value["error_description"]?.stringValue ?? error)]
        }
        return []
    }

    /// The error for a non-2xx answer, with Salesforce's own code and message.
    static func failure(_ response: ConnectorHost.Response, _ what: String) -> ConnectorError {
        let items = errorItems(response)
        let text = items.isEmpty ? String(decoding: response.body.prefix(300), as: UTF8.self) : items.map(\.text).joined(separator: "; ")
        let message = "\(what) answered HTTP \(response.status): \(text)"
        let fields = items.flatMap(\.fields)
        let details: JSONValue = ["http_status": .number(JSONNumber(response.status)),
                                  "salesforce_codes": .array(items.map { .string($0.code) })]
        let code: ConnectorError.Code
        if let first = items.first {
            code = first.abiCode
        } else {
            switch response.status {
            case 401, 403: code = .auth
            case 404: code = .notFound
            case 408: code = .timeout
            case 414, 431, 413: code = .invalidArgument
            case 500...: code = .unavailable
            default: code = .conflict
            }
        }
        return ConnectorError(code, message, retryAfterMilliseconds: code == .rateLimited ? 3_600_000 : nil,
                              fields: fields.isEmpty ? nil : fields, details: details)
    }
}
