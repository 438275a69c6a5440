import CrosswalkCore
import Foundation

/// When and how long to wait before sending a request again: exponential backoff with full
/// jitter, `Retry-After` honoured, bounded by attempts and elapsed time.
///
/// What is retried:
/// - `429` and `503` for any method: the server says it did not process the request.
/// - `502`, `504`, and `500` when ``retryInternalServerError`` is on, timeouts and connection
///   errors (`.timeout`, `.unavailable`): only when the request is safe to send twice
///   (idempotent method, or flagged by the caller), because the server may have acted on it.
/// - A `.rateLimited` error from a wrapped client, like a `429`.
/// Nothing else: a `400` or a TLS failure would only fail again.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included; `1` never retries.
    public var maxAttempts: Int
    /// The backoff cap of the first retry; it doubles with each further retry.
    public var baseDelay: Duration
    /// The largest backoff cap. A server's `Retry-After` may ask for longer and is honoured.
    public var maxDelay: Duration
    /// No retry is scheduled to start later than this after the first attempt began.
    public var maxElapsed: Duration
    /// Whether `500 Internal Server Error` is retried (for safe requests). Off by default:
    /// a 500 is usually a bug in the request or the server, not a passing fault.
    public var retryInternalServerError: Bool

    public init(
        maxAttempts: Int = 5,
        baseDelay: Duration = .milliseconds(250),
        maxDelay: Duration = .seconds(30),
        maxElapsed: Duration = .seconds(120),
        retryInternalServerError: Bool = false
    ) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxElapsed = maxElapsed
        self.retryInternalServerError = retryInternalServerError
    }

    /// What to do after an attempt.
    public enum Decision: Sendable, Equatable {
        /// Wait, then send again; `reason` is for the log (`"status 503"`, `"timeout"`).
        case retry(after: Duration, reason: String)
        case stop
    }

    /// The full-jitter backoff after attempt number `attempt` (1-based):
    /// `random × min(maxDelay, baseDelay × 2^(attempt−1))`, with `random` in `0..<1`.
    public func backoff(afterAttempt attempt: Int, random: Double) -> Duration {
        let cap = min(maxDelay.seconds, baseDelay.seconds * pow(2, Double(max(0, attempt - 1))))
        return .nanoseconds(Int64(cap * min(max(random, 0), 1) * 1e9))
    }

    /// Decides whether attempt number `attempt`, which ended with `outcome`, is retried.
    /// - Parameters:
    ///   - elapsed: time since the first attempt began.
    ///   - retrySafe: whether the request may reach the server twice without harm.
    ///   - now: wall-clock time, for a `Retry-After` date.
    ///   - random: a uniform number in `0..<1` for the jitter.
    public func decide(after outcome: Result<HTTPResponse, any Error>, attempt: Int, elapsed: Duration,
                       retrySafe: Bool, now: Date, random: Double) -> Decision {
        guard attempt < maxAttempts, let (reason, serverDelay) = retryReason(outcome, retrySafe: retrySafe, now: now) else {
            return .stop
        }
        let delay = serverDelay ?? backoff(afterAttempt: attempt, random: random)
        return elapsed + delay <= maxElapsed ? .retry(after: delay, reason: reason) : .stop
    }

    /// Why `outcome` may be retried and the delay the server asked for, or `nil` when it may not.
    private func retryReason(_ outcome: Result<HTTPResponse, any Error>, retrySafe: Bool, now: Date) -> (String, Duration?)? {
        switch outcome {
        case .success(let response):
            var asked: Duration? { response.headers["Retry-After"].flatMap { RetryAfter.delay($0, now: now) } }
            switch response.status {
            case 429, 503: return ("status \(response.status)", asked)
            case 502 where retrySafe, 504 where retrySafe: return ("status \(response.status)", asked)
            case 500 where retrySafe && retryInternalServerError: return ("status 500", asked)
            default: return nil
            }
        case .failure(let error as CrosswalkError):
            switch error.code {
            case .rateLimited: return ("rate limited", error.retryAfterMilliseconds.map { .milliseconds($0) })
            case .timeout where retrySafe || error.context[CrosswalkError.notSentKey] != nil,
                 .unavailable where retrySafe || error.context[CrosswalkError.notSentKey] != nil:
                return (error.code.rawValue, nil)
            default: return nil
            }
        case .failure:
            return nil
        }
    }
}

extension HTTPRequest {
    /// Whether the method is idempotent (RFC 9110 §9.2.2): GET, HEAD, OPTIONS, TRACE, PUT, DELETE.
    public var isIdempotent: Bool {
        ["GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE"].contains(method.uppercased())
    }
}
