import CrosswalkCore
@testable import CrosswalkSandbox
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization

/// A sandbox environment for calling an app's `handle` directly: a clock tests can move, and the
/// webhooks the app asked to deliver.
final class TestEnvironment: SandboxEnvironment {
    private let clock: Mutex<Date>
    private let delivered = Mutex<[SandboxWebhook]>([])

    init(now: Date = Date()) { clock = Mutex(now) }

    func now() -> Date { clock.withLock { $0 } }
    func deliver(_ webhook: SandboxWebhook) { delivered.withLock { $0.append(webhook) } }

    /// Moves the clock forward.
    func advance(by seconds: TimeInterval) { clock.withLock { $0 = $0.addingTimeInterval(seconds) } }
    var webhooks: [SandboxWebhook] { delivered.withLock { $0 } }
}

/// Errors from the test kit itself.
struct TestKitError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing if it takes longer than `seconds`.
func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TestKitError(description: "timed out after \(seconds) s")
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// A `SandboxServer` running in-process on free loopback ports.
struct RunningSandbox {
    let urls: [String: URL]
    let caFile: URL?
    let task: Task<Void, any Error>

    /// Starts `apps` and waits (10 s at most) until every app listens.
    static func start(_ makeApps: (SandboxWebhookDispatcher) -> [any SandboxApp],
                      configure: (inout SandboxConfiguration) -> Void = { _ in }) async throws -> RunningSandbox {
        var configuration = SandboxConfiguration(basePort: 0, tlsApps: [], seedCount: 0, handlesSignals: false)
        configure(&configuration)
        var logger = Logger(label: "sandbox-test")
        logger.logLevel = .critical
        let webhooks = SandboxWebhookDispatcher(logger: logger, maxAttempts: 2, firstRetryDelay: .milliseconds(50))
        let server = try SandboxServer(configuration: configuration, apps: makeApps(webhooks), webhooks: webhooks, logger: logger)
        let (readiness, continuation) = AsyncStream.makeStream(of: SandboxReadiness.self)
        let task = Task {
            defer { continuation.finish() }
            try await server.run { continuation.yield($0) }
        }
        let ready: SandboxReadiness? = try await withTimeout(10) {
            for await ready in readiness { return ready }
            return nil
        }
        guard let ready else {
            try await task.value // rethrows why the server stopped
            throw TestKitError(description: "the sandbox stopped before it was ready")
        }
        return RunningSandbox(urls: ready.urls, caFile: ready.caFile, task: task)
    }

    /// Starts `apps`, runs `body`, and stops the server whether `body` succeeds or throws.
    @discardableResult
    static func with<T>(_ makeApps: (SandboxWebhookDispatcher) -> [any SandboxApp],
                        configure: (inout SandboxConfiguration) -> Void = { _ in },
                        _ body: (RunningSandbox) async throws -> T) async throws -> T {
        let sandbox = try await start(makeApps, configure: configure)
        do {
            let result = try await body(sandbox)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// Cancels the server and waits until it has stopped (and saved its state file).
    func stop() async {
        task.cancel()
        _ = await task.result
    }

    func url(_ app: String, _ path: String) -> URL { URL(string: urls[app]!.absoluteString + path)! }
}

/// A response read by the test HTTP client.
struct TestResponse {
    var status: Int
    var headers: [String: String]
    var body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [Any] { json as? [Any] ?? [] }
    var text: String { String(decoding: body, as: UTF8.self) }
    /// `errorCode` of the first entry of a Salesforce error array.
    var errorCode: String? { (array.first as? [String: Any])?["errorCode"] as? String }
}

/// Real HTTP on loopback through URLSession.
enum TestHTTP {
    static func send(_ method: String, _ url: URL, json: Any? = nil, form: String? = nil, headers: [String: String] = [:]) async throws -> TestResponse {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        } else if let form {
            request.httpBody = Data(form.utf8)
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return TestResponse(status: http.statusCode, headers: fields, body: data)
    }
}
