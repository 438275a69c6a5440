import CrosswalkCore
import CrosswalkHTTP
import Foundation
import Testing

@Suite("Retry policy: backoff maths and decisions")
struct RetryPolicyTests {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(100), maxDelay: .seconds(1), maxElapsed: .seconds(10))
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func decide(_ outcome: Result<HTTPResponse, any Error>, attempt: Int = 1, elapsed: Duration = .zero,
                retrySafe: Bool = true, random: Double = 0.5, policy: RetryPolicy? = nil) -> RetryPolicy.Decision {
        (policy ?? self.policy).decide(after: outcome, attempt: attempt, elapsed: elapsed, retrySafe: retrySafe, now: now, random: random)
    }

    @Test func backoffIsFullJitterOverADoublingCappedWindow() {
        #expect(policy.backoff(afterAttempt: 1, random: 0) == .zero)
        #expect(policy.backoff(afterAttempt: 1, random: 0.5) == .milliseconds(50))
        #expect(policy.backoff(afterAttempt: 3, random: 0.5) == .milliseconds(200))   // 0.5 × 100 ms × 2²
        #expect(policy.backoff(afterAttempt: 4, random: 0.999) < .milliseconds(800))
        #expect(policy.backoff(afterAttempt: 10, random: 0.5) == .milliseconds(500))  // window capped at maxDelay
        #expect(policy.backoff(afterAttempt: 60, random: 0.999) <= .seconds(1))
    }

    @Test func serviceUnavailableAndTooManyRequestsAreRetriedForAnyMethod() {
        for status in [429, 503] {
            #expect(decide(.success(HTTPResponse(status: status)), retrySafe: false) == .retry(after: .milliseconds(50), reason: "status \(status)"))
        }
    }

    @Test func gatewayErrorsAreRetriedOnlyWhenSafe() {
        for status in [502, 504] {
            #expect(decide(.success(HTTPResponse(status: status)), retrySafe: true) != .stop)
            #expect(decide(.success(HTTPResponse(status: status)), retrySafe: false) == .stop)
        }
    }

    @Test func internalServerErrorIsRetriedOnlyWhenConfigured() {
        #expect(decide(.success(HTTPResponse(status: 500))) == .stop)
        var retry500 = policy
        retry500.retryInternalServerError = true
        #expect(decide(.success(HTTPResponse(status: 500)), policy: retry500) != .stop)
    }

    @Test(arguments: [200, 201, 301, 400, 401, 403, 404, 409, 422])
    func otherStatusesAreNotRetried(status: Int) {
        #expect(decide(.success(HTTPResponse(status: status))) == .stop)
    }

    @Test func timeoutsAndConnectionErrorsAreRetriedOnlyWhenSafe() {
        for code in [CrosswalkError.Code.timeout, .unavailable] {
            #expect(decide(.failure(CrosswalkError(code, "x")), retrySafe: true) == .retry(after: .milliseconds(50), reason: code.rawValue))
            #expect(decide(.failure(CrosswalkError(code, "x")), retrySafe: false) == .stop)
        }
        #expect(decide(.failure(CrosswalkError(.transport, "tls"))) == .stop)
        #expect(decide(.failure(CancellationError())) == .stop)
    }

    @Test func failuresBeforeSendingAreRetriedEvenForUnsafeRequests() {
        // The token endpoint was down: the POST never left the host.
        let notSent = CrosswalkError(.unavailable, "token endpoint answered 503", context: [CrosswalkError.notSentKey: "true"])
        #expect(decide(.failure(notSent), retrySafe: false) == .retry(after: .milliseconds(50), reason: "unavailable"))
    }

    @Test func rateLimitedErrorWaitsWhatItAsks() {
        let error = CrosswalkError(.rateLimited, "x", retryAfterMilliseconds: 1500)
        #expect(decide(.failure(error), retrySafe: false) == .retry(after: .milliseconds(1500), reason: "rate limited"))
    }

    @Test func retryAfterSecondsReplaceTheBackoff() {
        let response = HTTPResponse(status: 429, headers: ["Retry-After": "3"])
        #expect(decide(.success(response)) == .retry(after: .seconds(3), reason: "status 429"))
    }

    @Test func retryAfterDateIsCountedFromNow() {
        let response = HTTPResponse(status: 503, headers: ["Retry-After": "Tue, 14 Nov 2023 22:13:24 GMT"])  // now + 4 s
        #expect(decide(.success(response)) == .retry(after: .seconds(4), reason: "status 503"))
    }

    @Test func stopsAtMaxAttempts() {
        #expect(decide(.success(HTTPResponse(status: 503)), attempt: 4) != .stop)
        #expect(decide(.success(HTTPResponse(status: 503)), attempt: 5) == .stop)
    }

    @Test func stopsWhenTheWaitWouldPassTheElapsedBudget() {
        #expect(decide(.success(HTTPResponse(status: 429, headers: ["Retry-After": "11"]))) == .stop)
        #expect(decide(.success(HTTPResponse(status: 429, headers: ["Retry-After": "2"])), elapsed: .seconds(8)) != .stop)
        #expect(decide(.success(HTTPResponse(status: 429, headers: ["Retry-After": "3"])), elapsed: .seconds(8)) == .stop)
    }

    @Test func idempotentMethods() {
        #expect(["GET", "head", "PUT", "DELETE", "OPTIONS"].allSatisfy { HTTPRequest(method: $0, url: "x").isIdempotent })
        #expect(!["POST", "PATCH"].contains { HTTPRequest(method: $0, url: "x").isIdempotent })
    }
}

@Suite("Retry-After parsing")
struct RetryAfterTests {
    let now = Date(timeIntervalSince1970: 1_445_412_480)  // Wed, 21 Oct 2015 07:28:00 GMT

    @Test func seconds() {
        #expect(RetryAfter.delay("120", now: now) == .seconds(120))
        #expect(RetryAfter.delay(" 0 ", now: now) == .zero)
        #expect(RetryAfter.delay("1.5", now: now) == .milliseconds(1500))
        #expect(RetryAfter.delay("-1", now: now) == nil)
    }

    @Test func httpDates() {
        #expect(RetryAfter.delay("Wed, 21 Oct 2015 07:28:30 GMT", now: now) == .seconds(30))
        #expect(RetryAfter.delay("Wednesday, 21-Oct-15 07:29:00 GMT", now: now) == .seconds(60))
        #expect(RetryAfter.delay("Wed Oct 21 07:28:05 2015", now: now) == .seconds(5))
        #expect(RetryAfter.delay("Wed, 21 Oct 2015 07:00:00 GMT", now: now) == .zero)
    }

    @Test func garbageIsIgnored() {
        #expect(RetryAfter.delay("soon", now: now) == nil)
        #expect(RetryAfter.delay("", now: now) == nil)
    }
}
