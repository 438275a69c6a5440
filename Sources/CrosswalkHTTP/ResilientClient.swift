import CrosswalkCore
import Logging
import Metrics

/// Wraps any ``HTTPClient`` for one connection (one app account) with retries, a rate limit,
/// a concurrency cap, a request log with secrets redacted, and metrics.
///
/// Each attempt first takes a concurrency permit (``ResilienceConfiguration/maxConcurrentRequests``),
/// then a rate-limit token, then goes to the wrapped client. The app's rate-limit headers and
/// `Retry-After` adjust the limit for every request of the connection, so a 429 pauses them
/// all, not only the one that got it. Failed attempts are retried per ``RetryPolicy``; the permit
/// is returned while a retry waits.
///
/// ```swift
/// let client = ResilientClient(wrapping: transport, connection: "netsuite-prod",
///                              configuration: .init(requestsPerSecond: 10, maxConcurrentRequests: 5),
///                              logger: logger)
/// let response = try await client.send(HTTPRequest(url: url))
/// ```
public final class ResilientClient: HTTPClient {
    /// The connection's name, as it appears in logs and metrics.
    public let connection: String
    /// The connection's rate limiter (shared by all its requests).
    public let rateLimiter: RateLimiter
    private let client: any HTTPClient
    private let configuration: ResilienceConfiguration
    private let semaphore: AsyncSemaphore?
    private let instruments: RequestInstruments
    private let environment: ResilienceEnvironment

    /// - Parameters:
    ///   - client: the client that sends each attempt, usually a ``CurlTransport``.
    ///   - connection: the connection's name for logs and metrics.
    ///   - metricsFactory: where metrics go; `nil` for the process's bootstrapped `MetricsSystem`.
    ///   - environment: clocks, sleep and randomness (fakes in tests).
    public init(wrapping client: any HTTPClient, connection: String, configuration: ResilienceConfiguration = ResilienceConfiguration(),
                logger: Logger, metricsFactory: (any MetricsFactory)? = nil, environment: ResilienceEnvironment = .live) {
        self.client = client
        self.connection = connection
        self.configuration = configuration
        self.environment = environment
        semaphore = configuration.maxConcurrentRequests.map { AsyncSemaphore(permits: $0) }
        rateLimiter = RateLimiter(rate: configuration.requestsPerSecond, burst: configuration.burst,
                                  quotaPause: configuration.quotaExhaustedPause, environment: environment)
        instruments = RequestInstruments(connection: connection, logger: logger, factory: metricsFactory ?? MetricsSystem.factory)
    }

    /// Sends `request`, retrying connection errors and timeouts only when its method is
    /// idempotent or it carries an `Idempotency-Key` header.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await send(request, retrySafe: request.isIdempotent || request.headers["Idempotency-Key"] != nil)
    }

    /// Sends `request`, with retries and limits.
    /// - Parameter retrySafe: whether the request may reach the server twice without harm
    ///   (for example a POST the app de-duplicates); decides retries after timeouts, connection
    ///   errors, 502, 504 and 500.
    /// - Returns: the last response, whatever its status, once it is not retried.
    /// - Throws: the last error when no response arrived; `.rateLimited` when the rate limit
    ///   allows no request within the retry budget; `CancellationError`.
    public func send(_ request: HTTPRequest, retrySafe: Bool) async throws -> HTTPResponse {
        let policy = configuration.retry
        let start = environment.now()
        var attempt = 0
        while true {
            attempt += 1
            let outcome = try await attemptOnce(request, attempt: attempt, budget: policy.maxElapsed - (environment.now() - start))
            if case .success(let response) = outcome { rateLimiter.observe(response) }
            let decision = policy.decide(after: outcome, attempt: attempt, elapsed: environment.now() - start,
                                         retrySafe: retrySafe, now: environment.wallClock(), random: environment.random())
            guard case .retry(let delay, let reason) = decision else { return try outcome.get() }
            instruments.retrying(request, attempt: attempt, outcome: outcome, delay: delay, reason: reason)
            try await environment.sleep(delay)
        }
    }

    /// One attempt under the concurrency cap and rate limit; errors of the wrapped client are
    /// returned as the outcome, the limiter's and cancellation are thrown.
    private func attemptOnce(_ request: HTTPRequest, attempt: Int, budget: Duration) async throws -> Result<HTTPResponse, any Error> {
        let body = { [self] () async throws -> Result<HTTPResponse, any Error> in
            try await rateLimiter.acquire(maxWait: max(.zero, budget))
            let began = environment.now()
            let outcome: Result<HTTPResponse, any Error>
            do { outcome = .success(try await client.send(request)) } catch { outcome = .failure(error) }
            instruments.attempted(request, attempt: attempt, outcome: outcome, duration: environment.now() - began)
            return outcome
        }
        guard let semaphore else { return try await body() }
        return try await semaphore.withPermit(body)
    }
}
