import Foundation
import Hummingbird
import Logging
import Synchronization

/// A loopback receiver for the sandbox's webhook posts, on a free port: keeps every POST to
/// `/hooks/<app>` with its method, URL as called, headers (names lower-case) and exact body, and
/// answers 200 (or what `answer` says for that app).
///
/// ```swift
/// let receiver = try await WebhookReceiver.start()
/// defer { receiver.stop() }
/// try await control("POST", "webhooks", ["url": receiver.url(for: "spotio"), "secret": "s3cret", "events": []])
/// let deliveries = try await receiver.wait(for: 1, app: "spotio")
/// ```
public final class WebhookReceiver: Sendable {
    /// One POST as it arrived.
    public struct Delivery: Sendable {
        /// The last path segment (`spotio` of `/hooks/spotio`).
        public var app: String
        public var method: String
        public var path: String
        public var query: String?
        /// The URL as the sender called it.
        public var url: String
        /// Names lower-case.
        public var headers: [String: String]
        public var body: Data
        public var receivedAt: Date
    }

    /// What the receiver answers.
    public struct Answer: Sendable {
        public var status: Int
        public var contentType: String
        public var body: String
        public init(status: Int = 200, contentType: String = "text/plain", body: String = "ok") {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// `http://127.0.0.1:PORT`.
    public let base: String
    private let box: Box
    private let task: Task<Void, any Error>

    private init(base: String, box: Box, task: Task<Void, any Error>) {
        self.base = base
        self.box = box
        self.task = task
    }

    /// Starts a receiver; `answer` chooses the answer per app (default: 200 "ok").
    public static func start(answer: @escaping @Sendable (String) -> Answer = { _ in Answer() }) async throws -> WebhookReceiver {
        let box = Box()
        let (ports, portReady) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hooks/:app") { request, context -> Response in
            let body = try await request.body.collect(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers {
                let name = field.name.canonicalName.lowercased()
                headers[name] = headers[name].map { $0 + ", " + field.value } ?? field.value
            }
            let app = context.parameters.get("app") ?? ""
            box.deliveries.withLock {
                $0.append(Delivery(app: app, method: request.method.rawValue, path: request.uri.path, query: request.uri.query,
                                   url: "http://\(request.head.authority ?? "")\(request.uri)", headers: headers,
                                   body: Data(body.readableBytesView), receivedAt: Date()))
            }
            let a = answer(app)
            return Response(status: HTTPResponse.Status(code: a.status), headers: [.contentType: a.contentType],
                            body: .init(byteBuffer: ByteBuffer(string: a.body)))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portReady.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let port = try await withTimeout(30) {
            for await port in ports { return port }
            throw TestKitError(description: "the webhook receiver did not start")
        }
        return WebhookReceiver(base: "http://127.0.0.1:\(port)", box: box, task: task)
    }

    /// The URL to subscribe for `app`: `BASE/hooks/app`.
    public func url(for app: String) -> String { "\(base)/hooks/\(app)" }

    /// Every delivery so far, in arrival order (of one app when `app` is given).
    public func deliveries(app: String? = nil) -> [Delivery] {
        box.deliveries.withLock { all in app.map { a in all.filter { $0.app == a } } ?? all }
    }

    /// Waits (30 s at most by default: a loaded machine running the whole suite delays deliveries) until `count` deliveries (of `app`, when given) arrived, and returns them all.
    @discardableResult
    public func wait(for count: Int, app: String? = nil, within seconds: Double = 30) async throws -> [Delivery] {
        try await eventually("\(count) webhook post(s) delivered\(app.map { " to \($0)" } ?? "")", within: seconds) { [self] in
            deliveries(app: app).count >= count
        }
        return deliveries(app: app)
    }

    /// The first delivery of each of `apps`, waiting until every one delivered.
    public func first(from apps: Set<String>, within seconds: Double = 30) async throws -> [String: Delivery] {
        try await eventually("a webhook post from each of \(apps.sorted())", within: seconds) { [self] in
            Set(deliveries().map(\.app)).isSuperset(of: apps)
        }
        var firsts: [String: Delivery] = [:]
        for d in deliveries() where apps.contains(d.app) && firsts[d.app] == nil { firsts[d.app] = d }
        return firsts
    }

    public func stop() { task.cancel() }

    private final class Box: Sendable { let deliveries = Mutex<[Delivery]>([]) }
}
