import CrosswalkCore
import CrosswalkSandbox
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging

/// Errors from the test kit itself.
public struct TestKitError: Error, CustomStringConvertible {
    public var description: String
    public init(description: String) { self.description = description }
}

/// Runs `body`, failing if it takes longer than `seconds`.
/// Waits until `check` holds, asking every 20 ms, for at most `seconds`: a readiness check for
/// state that changes in another process or task (a webhook delivered), never a fixed delay.
public func eventually(_ what: String = "the condition", within seconds: Double = 10,
                       _ check: @escaping @Sendable () async throws -> Bool) async throws {
    do {
        try await withTimeout(seconds) {
            while try await !check() { try await Task.sleep(for: .milliseconds(20)) }
        }
    } catch is TestKitError {
        throw TestKitError(description: "\(what) did not hold within \(seconds) s")
    }
}

public func withTimeout<T: Sendable>(_ seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
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
public struct RunningSandbox: Sendable {
    public let urls: [String: URL]
    public let caFile: URL?
    let task: Task<Void, any Error>

    /// Starts `apps` and waits (30 s at most: a loaded 2-core machine runs many suites at once) until every app listens.
    public static func start(_ makeApps: (SandboxWebhookDispatcher) -> [any SandboxApp],
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
        let ready: SandboxReadiness? = try await withTimeout(30) {
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
    public static func with<T>(_ makeApps: (SandboxWebhookDispatcher) -> [any SandboxApp],
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
    public func stop() async {
        task.cancel()
        _ = await task.result
    }

    public func url(_ app: String, _ path: String) -> URL { URL(string: urls[app]!.absoluteString + path)! }
}

/// A response read by the test HTTP client.
public struct TestResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public var json: Any? { try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
    public var object: [String: Any] { json as? [String: Any] ?? [:] }
    public var array: [Any] { json as? [Any] ?? [] }
    public var text: String { String(decoding: body, as: UTF8.self) }
    /// `errorCode` of the first entry of a Salesforce error array.
    public var errorCode: String? { (array.first as? [String: Any])?["errorCode"] as? String }
}

/// Real HTTP on loopback through URLSession.
public enum TestHTTP {
    public static func send(_ method: String, _ url: URL, json: Any? = nil, form: String? = nil, headers: [String: String] = [:],
                            followRedirects: Bool = true) async throws -> TestResponse {
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
        let (data, response) = try await (followRedirects ? URLSession.shared : noRedirects).data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields["\(name)".lowercased()] = "\(value)" }
        return TestResponse(status: http.statusCode, headers: fields, body: data)
    }
}

/// A session that hands back 3xx answers instead of following them.
private let noRedirects = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)

private final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
