import CrosswalkPluginKit
import Foundation

/// HubSpot's error envelope `{"status":"error","message","correlationId","category","context","errors":[…]}`.
struct HubSpotErrorBody: Sendable, Equatable {
    var message: String
    var category: String?
    /// The properties `errors[].in` / `errors[].name` name (a refused value).
    var fields: [String]
    /// `context`: `{"ids": […]}`, `{"requiredGranularScopes": […]}` (also read from `errors[].context`).
    var context: [String: [String]]

    init?(_ value: JSONValue?) {
        guard let value, let message = value["message"]?.stringValue else { return nil }
        self.message = message
        category = value["category"]?.stringValue
        var fields: [String] = []
        var context: [String: [String]] = [:]
        func merge(_ raw: JSONValue?) {
            for (key, list) in raw?.objectValue ?? [:] {
                context[key, default: []] += (list.arrayValue ?? [list]).compactMap { $0.stringValue ?? $0.intValue.map(String.init) }
            }
        }
        merge(value["context"])
        for entry in value["errors"]?.arrayValue ?? [] {
            if let name = entry["in"]?.stringValue ?? entry["name"]?.stringValue { fields.append(name) }
            merge(entry["context"])
        }
        // "Property values were not valid: [{…"name":"email"…}]" names the properties only inside the message.
        if fields.isEmpty, message.hasPrefix("Property values were not valid"), let open = message.firstIndex(of: "[") {
            let list = try? JSONParser.parse(Data(message[open...].utf8))
            fields = (list?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        }
        self.fields = Array(Set(fields)).sorted()
        self.context = context
    }
}

/// How long an operation may still take (`deadline_ms` of a read or write request).
struct HubSpotDeadline: Sendable {
    let end: Date?

    init(milliseconds: Int?) { end = milliseconds.flatMap { $0 > 0 ? Date().addingTimeInterval(Double($0) / 1000) : nil } }

    /// Milliseconds left (at least 1), or 0 (the connection's default) without a deadline.
    var remaining: UInt32 {
        guard let end else { return 0 }
        return UInt32(max(1, min(Double(UInt32.max), end.timeIntervalSinceNow * 1000)))
    }
}

/// Requests to HubSpot through the host (which sends the bearer token, keeps to 190 calls per 10 s from the
/// manifest and the `X-HubSpot-RateLimit-*` headers, and retries 429s): JSON in and out, searches paced to the
/// separate search limit, errors turned into `ConnectorError` with HubSpot's own message.
final class HubSpotAPI {
    let host: ConnectorHost
    let settings: HubSpotSettings
    /// When the last search left (searches have their own limit, and answer no rate-limit headers).
    private var lastSearch: Date?
    /// Seconds to add to this machine's clock for HubSpot's (from the last answer's `Date` header).
    private(set) var clockOffset: Double = 0
    /// Calls made by this instance (for the benchmark's and tests' figures; never secrets).
    private(set) var calls = 0

    init(host: ConnectorHost, settings: HubSpotSettings) {
        self.host = host
        self.settings = settings
    }

    /// HubSpot answers 414 past ~16,200 characters of request target; stay well below.
    static let maxPathBytes = 12_000

    /// HubSpot's clock now.
    var now: Date { Date().addingTimeInterval(clockOffset) }

    /// `a=1&b=2`, each key and value percent-encoded.
    static func query(_ items: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        func enc(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }
        return items.map { "\(enc($0.0))=\(enc($0.1))" }.joined(separator: "&")
    }

    /// The path without its query (for messages: queries may be long).
    static func shown(_ path: String) -> String {
        guard let q = path.firstIndex(of: "?") else { return path }
        return String(path[..<q])
    }

    /// Sends one request and returns the answer, whatever its status.
    func send(_ method: String, _ path: String, json body: JSONValue? = nil, idempotent: Bool = false,
              deadline: HubSpotDeadline = HubSpotDeadline(milliseconds: nil)) throws -> ConnectorHost.Response {
        if host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the call") }
        if path.utf8.count > Self.maxPathBytes {
            throw ConnectorError(.invalidArgument, "\(method) \(Self.shown(path)) would be \(path.utf8.count) bytes long: HubSpot answers 414 past ~16,200")
        }
        if path.hasSuffix("/search") { try paceSearch() }
        var headers = ["Accept": "application/json"]
        var bytes = Data()
        if let body {
            bytes = body.data()
            headers["Content-Type"] = "application/json"
        }
        calls += 1
        let response = try host.http(method, path, headers: headers, body: bytes, idempotent: idempotent || method == "GET",
                                     timeoutMilliseconds: deadline.remaining)
        if let date = response.headers["date"], let at = HubSpotTime.httpDate(date) {
            // Date has whole seconds and a server may cache it for a second or two: only a large skew is this
            // machine's clock being wrong (then the run's bound follows HubSpot's clock).
            let skew = at.timeIntervalSince1970 - Date().timeIntervalSince1970
            clockOffset = abs(skew) > 30 ? skew : 0
        }
        return response
    }

    /// Searches leave at most `search_per_second` a second (HubSpot: 5 per second per account; older docs 4 per
    /// second per token; the manifest keeps to 4). The wait is the app's own pacing, through the host's cancellable sleep.
    private func paceSearch() throws {
        let gap = 1.0 / settings.searchPerSecond
        if let last = lastSearch {
            let wait = gap - Date().timeIntervalSince(last)
            if wait > 0 { try host.sleep(milliseconds: UInt32((wait * 1000).rounded(.up))) }
        }
        lastSearch = Date()
    }

    /// Sends a request and parses a 2xx JSON answer; any other status becomes HubSpot's error.
    func json(_ method: String, _ path: String, json body: JSONValue? = nil, idempotent: Bool = false,
              deadline: HubSpotDeadline = HubSpotDeadline(milliseconds: nil)) throws -> JSONValue {
        let response = try send(method, path, json: body, idempotent: idempotent, deadline: deadline)
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

    /// The error for a non-2xx answer, with HubSpot's message, category and the properties it names.
    static func failure(_ response: ConnectorHost.Response, _ what: String) -> ConnectorError {
        let body = HubSpotErrorBody(response.jsonValue)
        let text = body?.message ?? (response.jsonValue == nil ? "a non-JSON answer" : "no error message")
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
        var details: [String: JSONValue] = ["http_status": .number(JSONNumber(response.status))]
        if let category = body?.category { details["category"] = .string(category) }
        let category = body?.category.map { " (\($0))" } ?? ""
        return ConnectorError(code, "\(what) answered HTTP \(response.status)\(category): \(text)", retryAfterMilliseconds: retryAfter,
                              fields: body.flatMap { $0.fields.isEmpty ? nil : $0.fields }, details: .object(details))
    }
}
