import CrosswalkCore
import Foundation

/// What a response says about the connection's rate limit, read from the apps' headers.
///
/// - HubSpot: `X-HubSpot-RateLimit-Max` requests per `X-HubSpot-RateLimit-Interval-Milliseconds`,
///   `X-HubSpot-RateLimit-Remaining` left in the current window.
/// - Salesforce: `Sforce-Limit-Info: api-usage=N/M`, N of a daily quota of M used (no window).
/// - Any app: `Retry-After` on a `429` or `503`.
public struct RateLimitSignal: Sendable, Equatable {
    /// Requests allowed per ``window``.
    public var limit: Int?
    /// The length of a rate window; `nil` for a quota without a known reset (Salesforce's daily limit).
    public var window: Duration?
    /// Requests left in the current window or quota.
    public var remaining: Int?
    /// How long the server asked every client of this connection to pause.
    public var retryAfter: Duration?

    public init(limit: Int? = nil, window: Duration? = nil, remaining: Int? = nil, retryAfter: Duration? = nil) {
        self.limit = limit
        self.window = window
        self.remaining = remaining
        self.retryAfter = retryAfter
    }

    /// The signal in `response`, or `nil` when it carries none of the headers above.
    public init?(_ response: HTTPResponse, now: Date) {
        let headers = response.headers
        if let max = headers["X-HubSpot-RateLimit-Max"].flatMap(Int.init),
           let interval = headers["X-HubSpot-RateLimit-Interval-Milliseconds"].flatMap(Int.init), interval > 0 {
            limit = max
            window = .milliseconds(interval)
        }
        remaining = headers["X-HubSpot-RateLimit-Remaining"].flatMap(Int.init)
        if let usage = headers["Sforce-Limit-Info"].flatMap(Self.salesforceUsage) {
            limit = usage.limit
            remaining = max(0, usage.limit - usage.used)
        }
        if response.status == 429 || response.status == 503 {
            retryAfter = headers["Retry-After"].flatMap { RetryAfter.delay($0, now: now) }
        }
        if limit == nil && remaining == nil && retryAfter == nil { return nil }
    }

    /// `api-usage=25/15000` → (25, 15000); other entries in the header are ignored.
    private static func salesforceUsage(_ header: String) -> (used: Int, limit: Int)? {
        for entry in header.split(separator: ",") {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, parts[0] == "api-usage" else { continue }
            let numbers = parts[1].split(separator: "/").compactMap { Int($0) }
            if numbers.count == 2, numbers[1] > 0 { return (numbers[0], numbers[1]) }
        }
        return nil
    }
}
