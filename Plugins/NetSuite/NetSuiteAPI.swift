import CrosswalkPluginKit
import Foundation

/// How long a call may take: what is left of a request's `deadline_ms`.
struct NetSuiteDeadline: Sendable {
    private let end: ContinuousClock.Instant?

    init(milliseconds: Int?) {
        end = milliseconds.flatMap { $0 > 0 ? ContinuousClock.now + .milliseconds($0) : nil }
    }

    /// Milliseconds left (`0` without a deadline: the connection's default timeout).
    var timeoutMilliseconds: UInt32 {
        guard let end else { return 0 }
        let left = end - ContinuousClock.now
        let ms = left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000
        return UInt32(clamping: max(1, ms))
    }

    /// Whether less than `margin` is left.
    func isNear(_ margin: Duration = .milliseconds(50)) -> Bool {
        guard let end else { return false }
        return ContinuousClock.now + margin >= end
    }
}

/// SuiteTalk REST through the host (which signs with token-based auth or OAuth 2.0, retries, and holds the
/// account's concurrency limit): JSON requests, the error envelope, SuiteQL pages.
struct NetSuiteAPI {
    let host: ConnectorHost

    static let recordPath = "/services/rest/record/v1"
    static let suiteQLPath = "/services/rest/query/v1/suiteql"

    /// Sends one request; the answer whatever its status. Throws when no answer came (`timeout`, `unavailable`,
    /// `auth` when the host could not get a token, `cancelled`).
    func send(_ method: String, _ path: String, body: JSONValue? = nil, headers: [String: String] = [:],
              idempotent: Bool = false, deadline: NetSuiteDeadline = NetSuiteDeadline(milliseconds: nil)) throws -> ConnectorHost.Response {
        if host.isCancelled { throw ConnectorError(.cancelled, "the host cancelled the call") }
        var all = headers
        if body != nil { all["Content-Type"] = "application/json" }
        if all["Accept"] == nil { all["Accept"] = "application/json" }
        return try host.http(method, path, headers: all, body: body?.data() ?? Data(), idempotent: idempotent,
                             timeoutMilliseconds: deadline.timeoutMilliseconds)
    }

    /// One SuiteQL page: `POST /services/rest/query/v1/suiteql?limit=N&offset=M` with `Prefer: transient`.
    /// Rows come back as NetSuite sends them: lower-case keys, every value a string, NULL columns left out.
    func suiteQL(_ statement: String, limit: Int, offset: Int = 0, deadline: NetSuiteDeadline) throws -> SuiteQLPage {
        let path = "\(Self.suiteQLPath)?limit=\(limit)&offset=\(offset)"
        let response = try send("POST", path, body: ["q": .string(statement)], headers: ["Prefer": "transient"],
                                idempotent: true, deadline: deadline)
        guard response.status == 200 else { throw SuiteQLFailure(failure: NetSuiteFailure(response), statement: statement) }
        guard let answer = response.jsonValue, let items = answer["items"]?.arrayValue else {
            throw ConnectorError(.internalError, "SuiteQL answered HTTP 200 without an items list")
        }
        let rows = items.map { item -> [String: String] in
            var row: [String: String] = [:]
            for (key, value) in item.objectValue ?? [:] where key != "links" {
                if let s = value.stringValue { row[key] = s } else if let n = value.numberValue { row[key] = n.text } else if let b = value.boolValue {
                    row[key] = b ? "T" : "F"
                }
            }
            return row
        }
        return SuiteQLPage(rows: rows, hasMore: answer["hasMore"]?.boolValue ?? false,
                           date: response.headers["date"].flatMap(NetSuiteClock.parseHTTPDate))
    }
}

/// One page of SuiteQL rows.
struct SuiteQLPage: Sendable {
    var rows: [[String: String]]
    var hasMore: Bool
    /// The answer's `Date` header: NetSuite's clock.
    var date: Date?
}

/// A SuiteQL statement NetSuite refused.
struct SuiteQLFailure: Error {
    var failure: NetSuiteFailure
    var statement: String

    /// The column NetSuite says the table lacks ("Field 'x' for record 'customer' was not found").
    var unknownColumn: String? {
        guard failure.status == 400, let start = failure.detail.range(of: "Field '") else { return nil }
        let rest = failure.detail[start.upperBound...]
        guard let end = rest.firstIndex(of: "'") else { return nil }
        return String(rest[..<end]).lowercased()
    }

    var error: ConnectorError { failure.error("SuiteQL") }
}
