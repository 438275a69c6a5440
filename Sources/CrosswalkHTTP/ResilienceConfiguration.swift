/// How a ``ResilientClient`` treats one connection: retries, rate limit and concurrency cap.
public struct ResilienceConfiguration: Sendable, Hashable {
    /// When to retry and how long to wait.
    public var retry: RetryPolicy
    /// Requests per second allowed; `nil` for no limit until the app's rate-limit headers set one.
    public var requestsPerSecond: Double?
    /// Requests that may go at once after a quiet spell (the token bucket's size).
    public var burst: Int
    /// Most requests in flight at once (for example 5 for a NetSuite account); `nil` for no cap.
    public var maxConcurrentRequests: Int?
    /// How long to stop sending when a quota without a known reset (Salesforce's daily API
    /// limit) reports nothing left.
    public var quotaExhaustedPause: Duration

    public init(
        retry: RetryPolicy = RetryPolicy(),
        requestsPerSecond: Double? = nil,
        burst: Int = 10,
        maxConcurrentRequests: Int? = nil,
        quotaExhaustedPause: Duration = .seconds(300)
    ) {
        self.retry = retry
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
        self.maxConcurrentRequests = maxConcurrentRequests
        self.quotaExhaustedPause = quotaExhaustedPause
    }
}
