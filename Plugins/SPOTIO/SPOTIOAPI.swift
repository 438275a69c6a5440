import CrosswalkPluginKit
import Foundation

/// How long an operation may still take (`deadline_ms` of a read or write request).
struct SPOTIODeadline: Sendable {
    let end: Date?

    init(milliseconds: Int?) {
        end = milliseconds.flatMap { $0 > 0 ? Date().addingTimeInterval(Double($0) / 1000) : nil }
    }

    /// Milliseconds left (at least 1), or 0 (the connection's default) without a deadline.
    var remaining: UInt32 {
        guard let end else { return 0 }
        return UInt32(max(1, min(Double(UInt32.max), end.timeIntervalSinceNow * 1000)))
    }
}

/// One entry of SPOTIO's error envelope `{"errors": {"<field or _>": "<message>"}}`.
struct SPOTIOErrorItem: Sendable, Equatable {
    /// The property the message is about (`stageId`, `fields`, `[3].type`), or `_` for the request as a whole.
    var field: String
    var message: String

    /// The envelope's entries; `errors` is untyped in the spec, so strings and arrays are read too.
    static func parse(_ body: Data) -> [SPOTIOErrorItem] {
        guard let value = try? JSONParser.parse(body), let errors = value["errors"] else { return [] }
        switch errors {
        case .object(let map):
            return map.keys.sorted().flatMap { key -> [SPOTIOErrorItem] in
                switch map[key] {
                case .string(let text)?: [SPOTIOErrorItem(field: key, message: text)]
                case .array(let list)?: list.compactMap(\.stringValue).map { SPOTIOErrorItem(field: key, message: $0) }
                default: []
                }
            }
        case .string(let text): return [SPOTIOErrorItem(field: "_", message: text)]
        case .array(let list): return list.compactMap(\.stringValue).map { SPOTIOErrorItem(field: "_", message: $0) }
        default: return []
        }
    }
}

/// Requests to SPOTIO through the host (which mints and sends the bearer token, retries and rate-limits):
/// JSON in and out, SPOTIO's clock from each answer's `Date` header, the error envelope turned into `ConnectorError`.
final class SPOTIOAPI {
    let host: ConnectorHost
    /// Seconds to add to this machine's clock to get SPOTIO's (from the last answer's `Date` header).
    private(set) var clockOffset: Double?

    init(host: ConnectorHost) {
        self.host = host
    }

    /// Kestrel's `MaxRequestLineSize` (8 KB) less the method and protocol; the host adds the base URL's origin.
    static let maxPathBytes = 7_900

    /// SPOTIO's clock now (this machine's, corrected by the last `Date` header), in seconds since 1970.
    var spotioNow: Double { Date().timeIntervalSince1970 + (clockOffset ?? 0) }

    /// Sends one request and returns the answer, whatever its status.
    func send(_ method: String, _ path: String, json body: JSONValue? = nil, raw: Data? = nil, contentType: String? = nil,
              idempotent: Bool = false, deadline: SPOTIODeadline = SPOTIODeadline(milliseconds: nil)) throws -> ConnectorHost.Response {
        if host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the call") }
        if path.utf8.count > Self.maxPathBytes {
            throw ConnectorError(.invalidArgument, "\(method) \(Self.shown(path)) would be \(path.utf8.count) bytes long: SPOTIO (ASP.NET Kestrel) answers 414 past 8 KB")
        }
        var headers = ["Accept": "application/json"]
        var bytes = Data()
        if let body {
            bytes = body.data()
            headers["Content-Type"] = "application/json"
        } else if let raw {
            bytes = raw
            headers["Content-Type"] = contentType ?? "application/octet-stream"
        }
        let response = try host.http(method, path, headers: headers, body: bytes, idempotent: idempotent || method == "GET",
                                     timeoutMilliseconds: deadline.remaining)
        if let date = response.headers["date"], let seconds = SPOTIOTime.httpDate(date) {
            clockOffset = seconds - Date().timeIntervalSince1970
        }
        return response
    }

    /// Sends a request and parses a 2xx JSON answer (`.null` for an empty one); any other status becomes SPOTIO's error.
    func json(_ method: String, _ path: String, json body: JSONValue? = nil, idempotent: Bool = false,
              deadline: SPOTIODeadline = SPOTIODeadline(milliseconds: nil)) throws -> JSONValue {
        let response = try send(method, path, json: body, idempotent: idempotent, deadline: deadline)
        return try Self.decode(response, "\(method) \(Self.shown(path))")
    }

    /// The JSON of a 2xx answer, or the error the answer carries.
    static func decode(_ response: ConnectorHost.Response, _ what: String) throws -> JSONValue {
        guard (200..<300).contains(response.status) else { throw failure(response, what) }
        if response.body.isEmpty { return .null }
        guard let value = response.jsonValue else {
            throw ConnectorError(.internalError, "\(what) answered HTTP \(response.status) with a body that is not JSON")
        }
        return value
    }

    /// The path without its query (ids and cursors can be long).
    static func shown(_ path: String) -> String {
        guard let q = path.firstIndex(of: "?") else { return path }
        return String(path[..<q])
    }

    /// The error for a non-2xx answer, with SPOTIO's own messages and the properties they name.
    static func failure(_ response: ConnectorHost.Response, _ what: String) -> ConnectorError {
        let items = SPOTIOErrorItem.parse(response.body)
        var text = items.map { $0.field == "_" ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
        if text.isEmpty {
            text = response.status == 401 ? (response.headers["www-authenticate"] ?? "unauthorized") : "no error message"
        }
        let code: ConnectorError.Code
        switch response.status {
        case 401, 403: code = .auth
        case 404: code = .notFound
        case 400, 409, 422: code = .conflict
        case 413, 414, 415: code = .invalidArgument
        case 408: code = .timeout
        case 429: code = .rateLimited
        case 501: code = .unsupported
        case 500...: code = .unavailable
        default: code = .internalError
        }
        let retryAfter = response.headers["retry-after"].flatMap { Int($0) }.map { $0 * 1000 }
        let fields = items.map(\.field).filter { $0 != "_" }
        return ConnectorError(code, "\(what) answered HTTP \(response.status): \(text)", retryAfterMilliseconds: retryAfter,
                              fields: fields.isEmpty ? nil : fields,
                              details: ["http_status": .number(JSONNumber(response.status))])
    }
}
