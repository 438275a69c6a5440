import CrosswalkCore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle
import Synchronization

/// Posts the change notifications the apps raise, retrying a few times, and remembers each outcome.
///
/// Make one dispatcher, give each app its own ``environment(for:)`` (so deliveries are told apart by
/// app), and hand the dispatcher to ``SandboxServer``, which runs it:
/// ```swift
/// let webhooks = SandboxWebhookDispatcher(logger: logger)
/// let apps: [any SandboxApp] = [SalesforceApp(environment: webhooks.environment(for: "salesforce"))]
/// let server = try SandboxServer(configuration: config, apps: apps, webhooks: webhooks, logger: logger)
/// ```
public final class SandboxWebhookDispatcher: Service, Sendable {
    /// One notification and what became of it.
    public struct Delivery: Sendable {
        public enum Status: String, Sendable { case pending, delivered, failed }
        public var id: Int
        public var app: String
        public var url: String
        public var status: Status
        public var attempts: Int
        /// The receiver's last HTTP status, if it answered.
        public var responseStatus: Int?
        /// Why the last attempt failed, if it did.
        public var error: String?
        public var queuedAt: Date
        public var finishedAt: Date?

        var json: [String: Any] {
            var object: [String: Any] = ["id": id, "app": app, "url": url, "status": status.rawValue, "attempts": attempts,
                                         "queued_at": SandboxTime.iso8601(queuedAt)]
            if let responseStatus { object["response_status"] = responseStatus }
            if let error { object["error"] = error }
            if let finishedAt { object["finished_at"] = SandboxTime.iso8601(finishedAt) }
            return object
        }
    }

    private struct Job: Sendable {
        var id: Int
        var webhook: SandboxWebhook
    }

    private struct State {
        var nextID = 1
        var deliveries: [Delivery] = []
    }

    private static let keptDeliveries = 1_000
    private let logger: Logger
    private let maxAttempts: Int
    private let firstRetryDelay: Duration
    private let requestTimeout: TimeInterval
    private let jobs: AsyncStream<Job>
    private let queue: AsyncStream<Job>.Continuation
    private let state = Mutex(State())

    /// - Parameters:
    ///   - maxAttempts: Tries per notification before it is marked failed.
    ///   - firstRetryDelay: Wait before the second try; it doubles for each later try.
    ///   - requestTimeout: Seconds to wait for a receiver's answer.
    public init(logger: Logger, maxAttempts: Int = 4, firstRetryDelay: Duration = .milliseconds(500), requestTimeout: TimeInterval = 10) {
        self.logger = logger
        self.maxAttempts = max(1, maxAttempts)
        self.firstRetryDelay = firstRetryDelay
        self.requestTimeout = requestTimeout
        (jobs, queue) = AsyncStream.makeStream(of: Job.self)
    }

    /// The environment to give the app named `app`: its deliveries are recorded under that name.
    public func environment(for app: String) -> any SandboxEnvironment {
        AppEnvironment(app: app, dispatcher: self)
    }

    /// Deliveries raised by `app`, oldest first.
    public func deliveries(app: String) -> [Delivery] {
        state.withLock { $0.deliveries.filter { $0.app == app } }
    }

    /// Forgets `app`'s delivery records.
    func clear(app: String) {
        state.withLock { $0.deliveries.removeAll { $0.app == app } }
    }

    fileprivate func enqueue(app: String, _ webhook: SandboxWebhook) {
        let id = state.withLock { state in
            let id = state.nextID
            state.nextID += 1
            state.deliveries.append(Delivery(id: id, app: app, url: webhook.url, status: .pending, attempts: 0, queuedAt: Date()))
            if state.deliveries.count > Self.keptDeliveries { state.deliveries.removeFirst(state.deliveries.count - Self.keptDeliveries) }
            return id
        }
        queue.yield(Job(id: id, webhook: webhook))
    }

    /// Delivers queued notifications until graceful shutdown; deliveries still retrying then are abandoned.
    public func run() async throws {
        let session = URLSession(configuration: .ephemeral)
        await withTaskGroup(of: Void.self) { group in
            for await job in jobs.cancelOnGracefulShutdown() {
                group.addTask { await self.deliver(job, session: session) }
            }
            group.cancelAll()
        }
        session.invalidateAndCancel()
    }

    private func deliver(_ job: Job, session: URLSession) async {
        guard let url = URL(string: job.webhook.url) else {
            update(job.id) { $0.status = .failed; $0.error = "invalid URL"; $0.finishedAt = Date() }
            return
        }
        var request = URLRequest(url: url, timeoutInterval: requestTimeout)
        request.httpMethod = job.webhook.method
        for field in job.webhook.headers { request.addValue(field.value, forHTTPHeaderField: field.name) }
        request.httpBody = job.webhook.body
        var delay = firstRetryDelay
        for attempt in 1...maxAttempts {
            do {
                let (_, response) = try await session.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                let delivered = (200..<300).contains(status)
                update(job.id) {
                    $0.attempts = attempt
                    $0.responseStatus = status
                    $0.error = delivered ? nil : "receiver answered \(status)"
                    if delivered { $0.status = .delivered; $0.finishedAt = Date() }
                }
                if delivered { return }
            } catch {
                update(job.id) { $0.attempts = attempt; $0.error = "\(error.localizedDescription)" }
            }
            if attempt < maxAttempts {
                do { try await Task.sleep(for: delay) } catch { break }
                delay *= 2
            }
        }
        update(job.id) { $0.status = .failed; $0.finishedAt = Date() }
        logger.info("webhook delivery failed", metadata: ["delivery": "\(job.id)"])
    }

    private func update(_ id: Int, _ change: (inout Delivery) -> Void) {
        state.withLock { state in
            if let index = state.deliveries.firstIndex(where: { $0.id == id }) { change(&state.deliveries[index]) }
        }
    }
}

/// What one app sees of the server: the wall clock and its own webhook queue.
private struct AppEnvironment: SandboxEnvironment {
    let app: String
    let dispatcher: SandboxWebhookDispatcher
    func now() -> Date { Date() }
    func deliver(_ webhook: SandboxWebhook) { dispatcher.enqueue(app: app, webhook) }
}
