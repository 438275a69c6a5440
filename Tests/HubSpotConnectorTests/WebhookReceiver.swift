// Same receiver as Tests/AriticConnectorTests/WebhookReceiver.swift (test targets cannot share files; a candidate for CrosswalkTestKit).
import CrosswalkTestKit
import Foundation
import Hummingbird
import Logging
import Synchronization

/// A local receiver for the emulator's webhook posts: records every POST with its headers and
/// exact body, and answers 200.
final class WebhookReceiver: Sendable {
    struct Delivery: Sendable {
        var path: String
        var url: String
        var headers: [String: String]
        var body: Data
    }

    let url: String
    private let store: Box
    private let task: Task<Void, any Error>

    private init(url: String, store: Box, task: Task<Void, any Error>) {
        self.url = url
        self.store = store
        self.task = task
    }

    static func start() async throws -> WebhookReceiver {
        let store = Box()
        let (ports, portReady) = AsyncStream.makeStream(of: Int.self)
        let router = Router()
        router.post("/hooks/spotio") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 8 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            store.deliveries.withLock {
                $0.append(Delivery(path: request.uri.path, url: "http://\(request.head.authority ?? "")\(request.uri)", headers: headers,
                                   body: Data(body.readableBytesView)))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain"],
                            body: .init(byteBuffer: ByteBuffer(string: "ok")))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { portReady.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        let port = try await withTimeout(10) {
            for await port in ports { return port }
            throw TestKitError(description: "the receiver did not start")
        }
        return WebhookReceiver(url: "http://127.0.0.1:\(port)/hooks/spotio", store: store, task: task)
    }

    /// What arrived so far.
    var deliveries: [Delivery] { store.deliveries.withLock { $0 } }

    /// Waits until `count` deliveries arrived.
    func wait(for count: Int) async throws -> [Delivery] {
        try await eventually("\(count) webhook post(s) delivered", within: 10) { [self] in deliveries.count >= count }
        return deliveries
    }

    func stop() { task.cancel() }

    private final class Box: Sendable { let deliveries = Mutex<[Delivery]>([]) }
}
