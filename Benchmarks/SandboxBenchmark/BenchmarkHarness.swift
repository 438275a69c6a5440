import CrosswalkCore
import CrosswalkHTTP
import CrosswalkSandbox
import Foundation
import Logging

/// One app's benchmark: the emulator it builds and what it times against it.
protocol AppBenchmark {
    /// The app's sandbox name (`netsuite`, `spotio`…), as `--apps` names it.
    static var name: String { get }
    /// A fresh, empty emulator; the harness seeds it and serves it.
    static func makeApp(_ webhooks: SandboxWebhookDispatcher) -> any SandboxApp
    /// Authenticates, then times pages and writes through `harness`, which prints each figure.
    static func run(_ harness: BenchmarkHarness) async throws
}

/// Command-line options.
struct BenchmarkOptions {
    var apps: [String]
    var seed = 100_000
    var requests = 20
    var randomSeed: UInt64 = 42

    static func parse(_ arguments: [String], known: [String]) throws -> BenchmarkOptions {
        var options = BenchmarkOptions(apps: known)
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw BenchmarkError("\(flag) needs a value") }
            switch flag {
            case "--apps":
                options.apps = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                if let unknown = options.apps.first(where: { !known.contains($0) }) {
                    throw BenchmarkError("no benchmark for app '\(unknown)' (known: \(known.joined(separator: ",")))")
                }
            case "--seed":
                guard let n = Int(value), n > 0 else { throw BenchmarkError("--seed needs a positive number") }
                options.seed = n
            case "--requests":
                guard let n = Int(value), n > 0 else { throw BenchmarkError("--requests needs a positive number") }
                options.requests = n
            case "--random-seed":
                guard let n = UInt64(value) else { throw BenchmarkError("--random-seed needs a number") }
                options.randomSeed = n
            default:
                throw BenchmarkError("unknown option \(flag) (use --apps, --seed, --requests, --random-seed)")
            }
        }
        return options
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Seeds one app, serves it with the real `SandboxServer` on a free loopback port, and gives the app's
/// benchmark an HTTP client (`CurlTransport`, keep-alive) and timing helpers that print
/// `app  metric  value unit` rows.
final class BenchmarkHarness: Sendable {
    let app: String
    let options: BenchmarkOptions
    /// `http://127.0.0.1:<port>` of the running app.
    let baseURL: String
    let client: CurlTransport

    private init(app: String, options: BenchmarkOptions, baseURL: String, client: CurlTransport) {
        self.app = app
        self.options = options
        self.baseURL = baseURL
        self.client = client
    }

    /// Seeds and serves `benchmark`'s app, runs its figures, and stops the server.
    static func run(_ benchmark: any AppBenchmark.Type, options: BenchmarkOptions) async throws {
        var logger = Logger(label: "sandbox-benchmark")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 1, firstRetryDelay: .milliseconds(50))
        let app = benchmark.makeApp(webhooks)
        let rssBefore = ProcessMemory.residentMegabytes()
        let started = ContinuousClock.now
        await app.seed(SandboxSeed(count: options.seed, randomSeed: options.randomSeed))
        let seeding = seconds(ContinuousClock.now - started)
        let rssAfter = ProcessMemory.residentMegabytes()
        report(benchmark.name, "seed_\(options.seed)", seeding, "s")
        report(benchmark.name, "seed_rss_growth", rssAfter - rssBefore, "MB")
        report(benchmark.name, "rss", rssAfter, "MB")

        let configuration = SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: 0, handlesSignals: false)
        let server = try SandboxServer(configuration: configuration, apps: [app], webhooks: webhooks, logger: logger)
        let (readiness, continuation) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run { continuation.yield($0) }
        }
        var ready: SandboxReadiness?
        for await first in readiness {
            ready = first
            break
        }
        guard let url = ready?.urls[benchmark.name] else {
            try await task.value
            throw BenchmarkError("the sandbox stopped before it was ready")
        }
        let client = try CurlTransport()
        let harness = BenchmarkHarness(app: benchmark.name, options: options, baseURL: url.absoluteString, client: client)
        do {
            try await benchmark.run(harness)
        } catch {
            client.shutdown()
            task.cancel()
            _ = await task.result
            throw error
        }
        client.shutdown()
        task.cancel()
        _ = await task.result
    }

    // MARK: requests

    /// Sends one request to the app; throws unless the status is `expect` (any 2xx when `nil`).
    @discardableResult
    func send(_ method: String, _ pathAndQuery: String, json: Any? = nil, form: String? = nil, headers: HTTPFields = [:],
              expect: Int? = nil) async throws -> HTTPResponse {
        var fields = headers
        var body = Data()
        if let json {
            body = try JSONSerialization.data(withJSONObject: json)
            if fields["Content-Type"] == nil { fields["Content-Type"] = "application/json" }
        } else if let form {
            body = Data(form.utf8)
            fields["Content-Type"] = "application/x-www-form-urlencoded"
        }
        let response = try await client.send(HTTPRequest(method: method, url: baseURL + pathAndQuery, headers: fields, body: body))
        let ok = expect.map { response.status == $0 } ?? (200..<300).contains(response.status)
        guard ok else {
            throw BenchmarkError("\(method) \(pathAndQuery) answered \(response.status): \(response.bodyText.prefix(400))")
        }
        return response
    }

    /// The response body as a JSON object.
    func object(_ response: HTTPResponse) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
            throw BenchmarkError("expected a JSON object, got \(response.bodyText.prefix(200))")
        }
        return object
    }

    // MARK: timing

    /// Calls `body(true)` once to warm up and check the answer, then `body(false)` `options.requests` times, and
    /// prints records/s and ms per call as `metric` and `metric_ms`. `body` returns the records the call served or
    /// wrote; with `false` it should skip decoding the answer (the client runs in the same process and would be
    /// timed too) and may return 0, meaning "as many as the checked call".
    func recordsPerSecond(_ metric: String, calls: Int? = nil, _ body: (_ check: Bool) async throws -> Int) async throws {
        let count = calls ?? options.requests
        let checked = try await body(true)
        var records = 0
        let started = ContinuousClock.now
        for _ in 0..<count {
            let n = try await body(false)
            records += n > 0 ? n : checked
        }
        let elapsed = Self.seconds(ContinuousClock.now - started)
        guard records > 0 else { throw BenchmarkError("\(metric): no records returned") }
        report(metric, Double(records) / elapsed, "records/s")
        report(metric + "_ms", elapsed / Double(count) * 1000, "ms/request")
    }

    /// Prints one `app  metric  value unit` row.
    func report(_ metric: String, _ value: Double, _ unit: String) { Self.report(app, metric, value, unit) }

    static func report(_ app: String, _ metric: String, _ value: Double, _ unit: String) {
        let figure = value >= 100 ? String(format: "%.0f", value) : String(format: "%.3g", value)
        emit("\(app.padding(toLength: 10, withPad: " ", startingAt: 0))  \(metric.padding(toLength: 40, withPad: " ", startingAt: 0))  \(figure.leftPadded(to: 10)) \(unit)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}

/// Writes one line to standard output at once (unbuffered, so rows show up while a long run goes on).
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

/// The process's resident memory, from `/proc/self/status`.
enum ProcessMemory {
    static func residentMegabytes() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
