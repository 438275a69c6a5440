import Foundation

/// One request an app received, as the request log keeps it (never headers, bodies or query strings,
/// which may carry credentials).
struct RequestLogEntry: Sendable {
    var sequence: Int
    var app: String
    var method: String
    var path: String
    var status: Int
    var time: Date
    var durationMilliseconds: Double
    /// `rate_limited`, `server_error` or `timeout` when an injected fault answered.
    var fault: String?

    var json: [String: Any] {
        var object: [String: Any] = ["seq": sequence, "app": app, "method": method, "path": path, "status": status,
                                     "time": SandboxTime.iso8601(time), "duration_ms": (durationMilliseconds * 100).rounded() / 100]
        if let fault { object["fault"] = fault }
        return object
    }
}

/// The request log and per-app call counters behind `/__sandbox/requests` and `/__sandbox/counters`.
actor RequestLog {
    private let capacity: Int
    private var entries: [RequestLogEntry] = []
    private var nextSequence = 1
    private var totals: [String: Int] = [:]
    private var byRoute: [String: [String: Int]] = [:]

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Records one finished request and counts it.
    func record(app: String, method: String, path: String, status: Int, started: Date, duration: Double, fault: String?) {
        entries.append(RequestLogEntry(sequence: nextSequence, app: app, method: method, path: path, status: status,
                                       time: started, durationMilliseconds: duration, fault: fault))
        nextSequence += 1
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
        totals[app, default: 0] += 1
        byRoute[app, default: [:]]["\(method) \(Self.template(path))", default: 0] += 1
    }

    /// Requests of `app` with a sequence number above `since`, oldest first.
    func requests(app: String, since: Int) -> [RequestLogEntry] {
        entries.filter { $0.app == app && $0.sequence > since }
    }

    /// The highest sequence number given out so far.
    var lastSequence: Int { nextSequence - 1 }

    /// Calls counted for `app`: the total and per method + path template.
    func counters(app: String) -> (total: Int, byRoute: [String: Int]) {
        (totals[app] ?? 0, byRoute[app] ?? [:])
    }

    /// Zeroes `app`'s counters (the request log keeps its entries).
    func resetCounters(app: String) {
        totals[app] = 0
        byRoute[app] = [:]
    }

    /// Forgets `app`'s requests and counters.
    func clear(app: String) {
        entries.removeAll { $0.app == app }
        resetCounters(app: app)
    }

    /// A path with id-like segments replaced by `{id}`: all digits, or at least 8 characters with a digit
    /// (record ids, UUIDs, query locators), but not an API version such as `v60.0` or `2026-03`.
    static func template(_ path: String) -> String {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            let hasDigit = segment.contains(where: \.isNumber)
            let isVersion = segment.first == "v" && segment.count > 1 && segment.dropFirst().allSatisfy { $0.isNumber || $0 == "." }
            let isID = !isVersion && hasDigit && (segment.allSatisfy(\.isNumber) || segment.count >= 8)
            return isID ? "{id}" : String(segment)
        }
        return segments.joined(separator: "/")
    }
}

/// Timestamps in the sandbox's own JSON (control API, state file).
enum SandboxTime {
    static func iso8601(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
