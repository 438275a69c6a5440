import CrosswalkPluginKit
import Foundation

/// One entry of Mautic's error envelope `{"errors":[{"code", "message", "details", "type"}]}`.
struct AriticErrorItem: Sendable, Equatable {
    var message: String
    /// The fields a validation error names (`details` keys: `email`, `companyname`…).
    var fields: [String]

    static func parse(_ value: JSONValue?) -> [AriticErrorItem] {
        let list: [JSONValue]
        switch value {
        case .array(let a)?: list = a
        case .object(let o)?: list = [.object(o)]
        default: return []
        }
        return list.compactMap { entry in
            guard let message = entry["message"]?.stringValue else { return nil }
            let fields = entry["details"]?.objectValue.map { $0.keys.sorted() } ?? []
            return AriticErrorItem(message: message, fields: fields)
        }
    }
}

/// Requests to Aritic through the host (which sends basic auth, retries and rate-limits): query strings in Mautic's
/// bracket notation, JSON in and out, the instance's clock from each answer's `Date` header.
final class AriticAPI {
    let host: ConnectorHost
    /// Seconds to add to this machine's clock to get the instance's (from the last answer's `Date` header).
    private(set) var clockOffset: Double?

    init(host: ConnectorHost) { self.host = host }

    /// Apache's `LimitRequestLine` (8190) less the method, protocol and a base URL.
    static let maxPathBytes = 7_800

    /// The instance's clock now.
    var instanceNow: Date { Date().addingTimeInterval(clockOffset ?? 0) }

    /// `a=1&b[0][c]=2`, each key and value percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        return items.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
    }

    /// Sends one request and returns the answer, whatever its status.
    func send(_ method: String, _ path: String, json body: JSONValue? = nil, idempotent: Bool = false) throws -> ConnectorHost.Response {
        if host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the call") }
        if path.utf8.count > Self.maxPathBytes {
            throw ConnectorError(.invalidArgument, "\(method) \(Self.shown(path)) would be \(path.utf8.count) bytes long: Apache answers 414 past 8 KB")
        }
        var headers = ["Accept": "application/json"]
        var bytes = Data()
        if let body {
            bytes = body.data()
            headers["Content-Type"] = "application/json"
        }
        let response = try host.http(method, path, headers: headers, body: bytes, idempotent: idempotent || method == "GET")
        if let date = response.headers["date"], let seconds = AriticTime.httpDate(date) {
            clockOffset = seconds.timeIntervalSince1970 - Date().timeIntervalSince1970
        }
        return response
    }

    /// Sends a request and parses a 2xx JSON answer; any other status becomes Aritic's error.
    func json(_ method: String, _ path: String, json body: JSONValue? = nil, idempotent: Bool = false) throws -> JSONValue {
        let response = try send(method, path, json: body, idempotent: idempotent)
        return try Self.decode(response, "\(method) \(Self.shown(path))")
    }

    static func decode(_ response: ConnectorHost.Response, _ what: String) throws -> JSONValue {
        guard (200..<300).contains(response.status) else { throw failure(response, what) }
        if response.body.isEmpty { return .null }
        guard let value = response.jsonValue else {
            throw ConnectorError(.internalError, "\(what) answered HTTP \(response.status) with a body that is not JSON")
        }
        return value
    }

    static func shown(_ path: String) -> String {
        guard let q = path.firstIndex(of: "?") else { return path }
        return String(path[..<q])
    }

    /// The error for a non-2xx answer, with Mautic's own messages and the fields they name.
    static func failure(_ response: ConnectorHost.Response, _ what: String) -> ConnectorError {
        let items = AriticErrorItem.parse(response.jsonValue?["errors"])
        var text = items.map(\.message).joined(separator: "; ")
        if text.isEmpty { text = response.jsonValue == nil ? "a non-JSON answer" : "no error message" }
        let code: ConnectorError.Code
        switch response.status {
        case 401, 403: code = .auth
        case 404: code = .notFound
        case 400, 409, 422: code = .conflict
        case 413, 414, 415: code = .invalidArgument
        case 408: code = .timeout
        case 429: code = .rateLimited
        case 500...: code = .unavailable
        default: code = .internalError
        }
        let retryAfter = response.headers["retry-after"].flatMap { Int($0) }.map { $0 * 1000 }
        let fields = items.flatMap(\.fields)
        return ConnectorError(code, "\(what) answered HTTP \(response.status): \(text)", retryAfterMilliseconds: retryAfter,
                              fields: fields.isEmpty ? nil : fields, details: ["http_status": .number(JSONNumber(response.status))])
    }
}
