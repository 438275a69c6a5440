import CrosswalkCore
import Synchronization

/// The rate limit of one connection: a ``TokenBucket`` behind a lock, waited on asynchronously.
public final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let environment: ResilienceEnvironment

    /// - Parameters:
    ///   - rate: requests per second, `nil` for none until the app's headers set one.
    ///   - burst: requests that may go at once after a quiet spell.
    ///   - quotaPause: pause when a daily quota reports nothing left.
    public init(rate: Double?, burst: Int, quotaPause: Duration = .seconds(300), environment: ResilienceEnvironment = .live) {
        bucket = Mutex(TokenBucket(rate: rate, burst: burst, quotaPause: quotaPause, now: environment.now()))
        self.environment = environment
    }

    /// Waits until the limit allows one more request.
    /// - Throws: `.rateLimited` (with `retryAfterMilliseconds`) without waiting when the wait
    ///   would be longer than `maxWait`; `CancellationError` when the task is cancelled.
    public func acquire(maxWait: Duration) async throws {
        let start = environment.now()
        var wait = bucket.withLock { $0.reserve(now: start) }
        while wait > .zero {
            let waited = environment.now() - start
            if waited + wait > maxWait {
                bucket.withLock { $0.release() }
                throw CrosswalkError(.rateLimited, "The connection's rate limit allows no request within the retry budget.",
                                     retryAfterMilliseconds: (waited + wait).roundedUpMilliseconds)
            }
            do { try await environment.sleep(wait) } catch { bucket.withLock { $0.release() }; throw error }
            // A pause may have begun while this request slept (another request got a 429).
            wait = bucket.withLock { $0.pauseRemaining(now: environment.now()) }
        }
    }

    /// Adjusts the limit to a response's rate-limit headers; see ``TokenBucket/observe(_:now:)``.
    public func observe(_ response: HTTPResponse) {
        guard let signal = RateLimitSignal(response, now: environment.wallClock()) else { return }
        let now = environment.now()
        bucket.withLock { $0.observe(signal, now: now) }
    }

    /// The bucket as it is now (for logs and tests).
    public var state: TokenBucket { bucket.withLock { $0 } }
}
