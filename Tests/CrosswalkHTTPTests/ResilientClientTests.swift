import CrosswalkCore
import CrosswalkHTTP
import CrosswalkTestKit
import Foundation
import Logging
import MetricsTestKit
import Testing

/// A ``ResilientClient`` over a real ``CurlTransport``, with a fake clock, captured logs and test metrics.
struct Harness {
    let clock = FakeClock()
    let logs: LogRecorder
    let metrics = TestMetrics()
    let client: ResilientClient

    init(_ configuration: ResilienceConfiguration = ResilienceConfiguration()) throws {
        let (logger, logs) = LogRecorder.logger()
        self.logs = logs
        client = ResilientClient(wrapping: try CurlTransport(), connection: "test-app", configuration: configuration,
                                 logger: logger, metricsFactory: metrics, environment: clock.environment)
    }

    func count(_ label: String, _ statusClass: String) -> Int64 {
        metrics.counterTotal(label: label, dimensions: [("connection", "test-app"), ("status_class", statusClass)])
    }
}

@Suite("ResilientClient against a loopback server", .localServer)
struct ResilientClientTests {
    let key = UUID().uuidString

    @Test func serviceUnavailableTwiceThenOKIsRetried() async throws {
        let harness = try Harness()
        let response = try await harness.client.send(HTTPRequest(url: try server.url("/flaky?fail=2&key=\(key)")))
        #expect(response.status == 200)
        #expect(try await server.hits(key) == 3)
        #expect(harness.clock.sleeps.count == 2)
        #expect(harness.count("crosswalk_http_requests_total", "5xx") == 2)
        #expect(harness.count("crosswalk_http_requests_total", "2xx") == 1)
        #expect(harness.count("crosswalk_http_retries_total", "5xx") == 2)
        #expect(try harness.metrics.expectTimer("crosswalk_http_request_duration_seconds",
                                                [("connection", "test-app"), ("status_class", "2xx")]).values.count == 1)
    }

    @Test func retryAfterIsHonoured() async throws {
        let harness = try Harness()
        let response = try await harness.client.send(HTTPRequest(url: try server.url("/ratelimit429?retry_after=7&fail=1&key=\(key)")))
        #expect(response.status == 200)
        #expect(try await server.hits(key) == 2)
        #expect(harness.clock.sleeps.first == .seconds(7))
        #expect(harness.clock.now >= .seconds(7))
    }

    @Test func aStormOf429sIsSurvived() async throws {
        let harness = try Harness(ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 25, maxElapsed: .seconds(3600)), burst: 4))
        let url = try server.url("/ratelimit429?retry_after=1&fail=20&key=\(key)")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await harness.client.send(HTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 12))
        #expect(try await server.hits(key) == 32)
        #expect(harness.count("crosswalk_http_retries_total", "4xx") == 20)
        #expect(harness.metrics.counterTotal(label: "crosswalk_http_rate_limited_total", dimensions: [("connection", "test-app")]) == 20)
    }

    @Test func badRequestIsNotRetried() async throws {
        let harness = try Harness()
        let response = try await harness.client.send(HTTPRequest(url: try server.url("/flaky?fail=1&status=400&key=\(key)")))
        #expect(response.status == 400)
        #expect(try await server.hits(key) == 1)
        #expect(harness.clock.sleeps.isEmpty)
    }

    @Test func givesUpAfterMaxAttemptsWithTheLastResponse() async throws {
        let harness = try Harness(ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 3)))
        let response = try await harness.client.send(HTTPRequest(url: try server.url("/flaky?fail=10&key=\(key)")))
        #expect(response.status == 503)
        #expect(try await server.hits(key) == 3)
    }

    @Test func timeoutsAreRetriedForGetButNotForPost() async throws {
        let harness = try Harness(ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 2)))
        for (method, expectedHits) in [("GET", 2), ("POST", 1)] {
            let key = UUID().uuidString
            let request = HTTPRequest(method: method, url: try server.url("/slow?ms=2000&key=\(key)"), timeoutMilliseconds: 150)
            let error = try await #require(throws: CrosswalkError.self) { try await harness.client.send(request) }
            #expect(error.code == .timeout)
            #expect(try await server.hits(key) == expectedHits, "\(method)")
        }
    }

    @Test func badGatewayIsRetriedForPostOnlyWithAnIdempotencyKey() async throws {
        let harness = try Harness()
        let plain = UUID().uuidString, keyed = UUID().uuidString
        let unsafe = try await harness.client.send(HTTPRequest(method: "POST", url: try server.url("/flaky?fail=1&status=502&key=\(plain)")))
        #expect(unsafe.status == 502)
        #expect(try await server.hits(plain) == 1)
        let safe = try await harness.client.send(HTTPRequest(method: "POST", url: try server.url("/flaky?fail=1&status=502&key=\(keyed)"),
                                                             headers: ["Idempotency-Key": "k-1"]))
        #expect(safe.status == 200)
        #expect(try await server.hits(keyed) == 2)
    }

    @Test func concurrencyCapIsNeverExceeded() async throws {
        let harness = try Harness(ResilienceConfiguration(maxConcurrentRequests: 3))
        let url = try server.url("/concurrency?key=\(key)&ms=80")
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<12 { group.addTask { try await harness.client.send(HTTPRequest(url: url)).status } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses == Array(repeating: 200, count: 12))
        let maxInFlight = try await server.number("/concurrency/max?key=\(key)")
        #expect(maxInFlight <= 3)
        #expect(maxInFlight >= 2)  // the requests did overlap, so the cap was what held them
    }

    @Test func logsCarryNoSecrets() async throws {
        let harness = try Harness()
        let secretQuery = "api_key=s3cr3t-E&access_token=s3cr3t-F&page=2"
        let request = HTTPRequest(url: try server.url("/flaky?fail=1&key=\(key)&\(secretQuery)"), headers: [
            "Authorization": "Bearer s3cr3t-A", "Cookie": "sid=s3cr3t-B", "X-Api-Key": "s3cr3t-C", "X-Custom-Token": "s3cr3t-D",
            "X-Trace": "visible-header",
        ])
        #expect(try await harness.client.send(request).status == 200)
        let log = harness.logs.text
        #expect(harness.logs.entries.count == 3)  // two attempts and one retry
        #expect(!log.contains("s3cr3t"))
        #expect(log.contains("api_key=[redacted]"))
        #expect(log.contains("Authorization: [redacted]"))
        #expect(log.contains("page=2"))
        #expect(log.contains("visible-header"))
        #expect(log.contains("connection=test-app"))
    }

    @Test func timeoutErrorsCarryNoSecrets() async throws {
        let harness = try Harness(ResilienceConfiguration(retry: RetryPolicy(maxAttempts: 1)))
        let request = HTTPRequest(url: try server.url("/slow?ms=2000&token=s3cr3t-G"), timeoutMilliseconds: 100)
        let error = try await #require(throws: CrosswalkError.self) { try await harness.client.send(request) }
        #expect(!error.description.contains("s3cr3t"))
        #expect(error.description.contains("token=[redacted]"))
    }
}
