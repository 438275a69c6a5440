import CrosswalkCore
import CrosswalkHTTP
import Foundation
import Testing

@Suite("Rate limiter: token bucket and the apps' headers")
struct RateLimiterTests {
    @Test func keepsTheRateUnderTheLimit() async throws {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: 10, burst: 5, environment: clock.environment)
        var grants: [Duration] = []
        for _ in 0..<100 {
            try await limiter.acquire(maxWait: .seconds(60))
            grants.append(clock.now)
        }
        // In any one-second window: at most rate × 1 s + burst.
        for (i, start) in grants.enumerated() {
            let inWindow = grants[i...].prefix { $0 < start + .seconds(1) }.count
            #expect(inWindow <= 15, "window at \(start) had \(inWindow)")
        }
        // Over the run: the burst, then exactly the rate.
        #expect(grants.prefix(5).allSatisfy { $0 == .zero })
        #expect(abs(grants.last!.seconds - 9.5) < 0.001)
    }

    @Test func waitsLongerThanTheBudgetAreRefusedAndTheTokenGivenBack() async throws {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: 1, burst: 1, environment: clock.environment)
        try await limiter.acquire(maxWait: .zero)
        let error = await #expect(throws: CrosswalkError.self) { try await limiter.acquire(maxWait: .milliseconds(500)) }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfterMilliseconds == 1000)
        #expect(clock.sleeps.isEmpty)
        try await limiter.acquire(maxWait: .seconds(2))
        #expect(clock.now == .seconds(1))
    }

    @Test func retryAfterPausesEveryRequestOfTheConnection() async throws {
        let clock = FakeClock()
        let limiter = RateLimiter(rate: nil, burst: 1, environment: clock.environment)
        limiter.observe(HTTPResponse(status: 429, headers: ["Retry-After": "3"]))
        try await limiter.acquire(maxWait: .seconds(10))
        #expect(clock.now == .seconds(3))
        try await limiter.acquire(maxWait: .zero)  // the pause is over
    }

    @Test func hubSpotHeadersSetTheRateAndCapTheTokens() {
        var bucket = TokenBucket(rate: 50, burst: 50, now: .zero)
        let response = HTTPResponse(status: 200, headers: [
            "X-HubSpot-RateLimit-Max": "100", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000", "X-HubSpot-RateLimit-Remaining": "3",
        ])
        bucket.observe(try! #require(RateLimitSignal(response, now: Date())), now: .zero)
        #expect(bucket.rate == 10)
        #expect(bucket.tokens == 3)
        #expect((0..<3).map { _ in bucket.reserve(now: .zero) } == [.zero, .zero, .zero])
        #expect(bucket.reserve(now: .zero) == .milliseconds(100))
    }

    @Test func hubSpotWindowExhaustedPausesForTheInterval() {
        var bucket = TokenBucket(rate: nil, burst: 1, now: .zero)
        bucket.observe(RateLimitSignal(limit: 100, window: .seconds(10), remaining: 0), now: .seconds(1))
        #expect(bucket.pausedUntil == .seconds(11))
        #expect(bucket.reserve(now: .seconds(1)) == .seconds(10))
    }

    @Test func salesforceUsageIsAQuota() throws {
        let nearlyUsed = try #require(RateLimitSignal(HTTPResponse(status: 200, headers: ["Sforce-Limit-Info": "api-usage=14998/15000"]), now: Date()))
        #expect(nearlyUsed == RateLimitSignal(limit: 15000, remaining: 2))
        var bucket = TokenBucket(rate: 5, burst: 5, quotaPause: .seconds(300), now: .zero)
        bucket.observe(nearlyUsed, now: .zero)
        #expect(bucket.tokens == 2)
        bucket.observe(RateLimitSignal(limit: 15000, remaining: 0), now: .zero)
        #expect(bucket.pauseRemaining(now: .zero) == .seconds(300))
    }

    @Test func responsesWithoutRateHeadersSayNothing() {
        #expect(RateLimitSignal(HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"]), now: Date()) == nil)
        // Retry-After on a redirect is not a rate limit.
        #expect(RateLimitSignal(HTTPResponse(status: 301, headers: ["Retry-After": "5"]), now: Date()) == nil)
    }
}

@Suite("AsyncSemaphore", .timeLimit(.minutes(1)))
struct AsyncSemaphoreTests {
    @Test func cancelledWaiterLeavesAndThePermitSurvives() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.wait()
        let waiter = Task { try await semaphore.wait() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        semaphore.signal()
        try await semaphore.wait()  // the permit came back, not lost to the cancelled waiter
    }

    @Test func waitersAreServedInOrder() async throws {
        let semaphore = AsyncSemaphore(permits: 1)
        try await semaphore.wait()
        let order = LockedList()
        let first = Task { try await semaphore.wait(); order.append(1); semaphore.signal() }
        while semaphore.waiting == 0 { await Task.yield() }
        let second = Task { try await semaphore.wait(); order.append(2); semaphore.signal() }
        while semaphore.waiting == 1 { await Task.yield() }
        semaphore.signal()
        try await first.value
        try await second.value
        #expect(order.values == [1, 2])
    }
}
