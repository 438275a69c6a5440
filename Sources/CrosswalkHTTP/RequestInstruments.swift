import CrosswalkCore
import Logging
import Metrics

/// The request log and metrics of one connection.
///
/// Metrics (dimensions `connection` and `status_class`: `2xx`…`5xx`, or `error`):
/// `crosswalk_http_requests_total` counts attempts sent, `crosswalk_http_retries_total` the
/// retries scheduled (by the class of the outcome that caused them), and the timer
/// `crosswalk_http_request_duration_seconds` the time of each attempt on the wire;
/// `crosswalk_http_rate_limited_total` (dimension `connection`) counts the answers that were 429s.
/// Logs never carry a secret: URLs and headers go through ``Redaction``.
struct RequestInstruments: Sendable {
    private let connection: String
    private let logger: Logger
    private let requests: [String: Counter]
    private let retries: [String: Counter]
    private let latency: [String: Timer]
    private let rateLimited: Counter
    private static let classes = ["1xx", "2xx", "3xx", "4xx", "5xx", "error"]

    init(connection: String, logger: Logger, factory: any MetricsFactory) {
        self.connection = connection
        var logger = logger
        logger[metadataKey: "connection"] = .string(connection)
        self.logger = logger
        func dimensions(_ statusClass: String) -> [(String, String)] { [("connection", connection), ("status_class", statusClass)] }
        requests = Dictionary(uniqueKeysWithValues: Self.classes.map {
            ($0, Counter(label: "crosswalk_http_requests_total", dimensions: dimensions($0), factory: factory))
        })
        retries = Dictionary(uniqueKeysWithValues: Self.classes.map {
            ($0, Counter(label: "crosswalk_http_retries_total", dimensions: dimensions($0), factory: factory))
        })
        latency = Dictionary(uniqueKeysWithValues: Self.classes.map {
            ($0, Timer(label: "crosswalk_http_request_duration_seconds", dimensions: dimensions($0), preferredDisplayUnit: .seconds, factory: factory))
        })
        rateLimited = Counter(label: "crosswalk_http_rate_limited_total", dimensions: [("connection", connection)], factory: factory)
    }

    /// Records one attempt that went to the wire.
    func attempted(_ request: HTTPRequest, attempt: Int, outcome: Result<HTTPResponse, any Error>, duration: Duration) {
        let statusClass = Self.statusClass(outcome)
        requests[statusClass]?.increment()
        if case .success(let response) = outcome, response.status == 429 { rateLimited.increment() }
        latency[statusClass]?.recordNanoseconds(duration.nanoseconds)
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = [
            "method": .string(request.method),
            "url": .string(Redaction.url(request.url)),
            "attempt": .stringConvertible(attempt),
            "duration_ms": .stringConvertible(duration.roundedUpMilliseconds),
        ]
        switch outcome {
        case .success(let response): metadata["status"] = .stringConvertible(response.status)
        case .failure(let error): metadata["error"] = .string(String(describing: error))
        }
        if logger.logLevel <= .trace {
            metadata["request_headers"] = .string(Self.describe(Redaction.headers(request.headers)))
            if case .success(let response) = outcome {
                metadata["response_headers"] = .string(Self.describe(Redaction.headers(response.headers)))
            }
        }
        logger.debug("HTTP request", metadata: metadata)
    }

    /// Records a retry about to wait `delay`.
    func retrying(_ request: HTTPRequest, attempt: Int, outcome: Result<HTTPResponse, any Error>, delay: Duration, reason: String) {
        retries[Self.statusClass(outcome)]?.increment()
        logger.info("HTTP request will be retried", metadata: [
            "method": .string(request.method),
            "url": .string(Redaction.url(request.url)),
            "attempt": .stringConvertible(attempt),
            "reason": .string(reason),
            "delay_ms": .stringConvertible(delay.roundedUpMilliseconds),
        ])
    }

    private static func statusClass(_ outcome: Result<HTTPResponse, any Error>) -> String {
        guard case .success(let response) = outcome, (100..<600).contains(response.status) else { return "error" }
        return "\(response.status / 100)xx"
    }

    private static func describe(_ headers: HTTPFields) -> String {
        headers.map { "\($0.name): \($0.value)" }.joined(separator: "; ")
    }
}
